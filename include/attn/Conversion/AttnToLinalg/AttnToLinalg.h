//===- AttnToLinalg.h - attn to linalg lowering patterns --------*- C++ -*-===//
//
// The patterns behind `convert-attn-to-linalg`, for pipelines that lower attn
// together with other dialects in one conversion.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
#define ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H

#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace mlir {
class Operation;
class RewritePatternSet;
namespace attn {

/// Default number of key positions one step of the attn.attend loop reads.
constexpr int64_t kDefaultAttendBlockSize = 64;

/// Adds patterns that lower every attn op to linalg, tensor, arith, math, scf
/// and cf ops on tensors. Types do not change, so no type converter is
/// needed. `attendBlockSize` (> 0) is the key block of the online-softmax loop
/// that attn.attend (and attn.mha, through it) lowers to. With
/// `attendQueryBlockSize` > 0, an unmasked attn.attend becomes an scf.forall
/// over blocks of that many queries, each with its own key loop, and reads
/// the keys transposed (see convert-attn-to-linalg).
void populateAttnToLinalgConversionPatterns(
    RewritePatternSet &patterns,
    int64_t attendBlockSize = kDefaultAttendBlockSize,
    int64_t attendQueryBlockSize = 0);

/// Whether the patterns can lower `op`; otherwise emits an error on `op`
/// saying why. Ops outside the attn dialect are always lowerable.
LogicalResult checkLowerableToLinalg(Operation *op);

} // namespace attn
} // namespace mlir

#endif // ATTN_CONVERSION_ATTNTOLINALG_ATTNTOLINALG_H
