//===- AttnToLinalg.h - attn to linalg lowering patterns --------*- C++ -*-===//
//
// The patterns behind `convert-attn-to-linalg`, for pipelines that lower attn
// together with other dialects in one conversion.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
#define ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H

#include "attn/Conversion/AttnToLinalg/Passes.h"

#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir {
class Operation;
class RewritePatternSet;
namespace attn {

/// Adds patterns that lower every attn op to linalg, tensor, arith, math, scf
/// and cf ops on tensors. Types do not change, so no type converter is
/// needed. The options are those of convert-attn-to-linalg:
/// `attendBlockSize` (> 0) is the key block of the online-softmax loop that
/// attn.attend (and attn.mha, through it) lowers to. With
/// `attendQueryBlockSize` > 0, attn.attend becomes an scf.forall over blocks
/// of that many queries, each with its own key loop, and reads the keys
/// transposed; with `scoresQueryBlockSize` > 0, attn.scores computes its map
/// in such blocks.
void populateAttnToLinalgConversionPatterns(
    RewritePatternSet &patterns,
    const ConvertAttnToLinalgOptions &options = {});

/// Whether the patterns can lower `op`; otherwise emits an error on `op`
/// saying why. Ops outside the attn dialect are always lowerable.
LogicalResult checkLowerableToLinalg(Operation *op);

} // namespace attn
} // namespace mlir

#endif // ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
