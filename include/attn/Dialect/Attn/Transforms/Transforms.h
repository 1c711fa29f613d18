//===- Transforms.h - attn rewrite patterns ---------------------*- C++ -*-===//
//
// The reusable pieces behind the attn passes. Pass drivers stay thin: they
// collect these patterns and apply them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
#define ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H

namespace mlir {
class RewritePatternSet;
namespace attn {

/// attn.mha -> attn.project x3, attn.scores, attn.apply, attn.merge.
void populateDecomposeMhaPatterns(RewritePatternSet &patterns);

} // namespace attn
} // namespace mlir

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
