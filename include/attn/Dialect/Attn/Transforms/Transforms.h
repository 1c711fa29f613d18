//===- Transforms.h - attn rewrite patterns ---------------------*- C++ -*-===//
//
// The reusable pieces behind the attn passes. Pass drivers stay thin: they
// collect these patterns and apply them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
#define ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;
class RewritePatternSet;
namespace attn {

/// attn.mha -> attn.project x3, attn.scores, attn.apply, attn.merge.
void populateDecomposeMhaPatterns(RewritePatternSet &patterns);

/// Decomposes every attn.mha under `root`; the rewrite passes call it first
/// so that they all work on the decomposed vocabulary.
LogicalResult decomposeMhaOps(Operation *root);

} // namespace attn
} // namespace mlir

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
