//===- BufferLoops.h - helpers of the passes that write loops on buffers --===//
//
// Shared by attn-vectorize-contractions, attn-vectorize-rows and
// attn-vectorize-transposes, which replace linalg ops on memrefs by loops of
// vector loads and stores.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_BUFFERLOOPS_H
#define ATTN_LIB_PIPELINES_BUFFERLOOPS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

namespace mlir::attn {

/// f32 lanes of the vectors both passes emit: a 512-bit register with
/// AVX-512; LLVM splits them in two on AVX2.
constexpr int64_t kF32Lanes = 16;

/// Whether `value` is a memref of rank >= 1 whose innermost stride is
/// statically 1 (vector loads along that dim read contiguous elements).
inline bool innermostContiguous(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// The indices of the projected permutation `map`'s results, given a value
/// per loop dim.
inline SmallVector<Value> indicesOf(AffineMap map, ArrayRef<Value> dimValues) {
  return llvm::map_to_vector(map.getResults(), [&](AffineExpr e) {
    return dimValues[cast<AffineDimExpr>(e).getPosition()];
  });
}

/// Loops from `lbs` to `ubs` by `steps` around `body` (given the induction
/// variables): one scf.parallel with `parallel`, nested scf.for otherwise.
inline void
buildLoops(OpBuilder &b, Location loc, ValueRange lbs, ValueRange ubs,
           ValueRange steps, bool parallel,
           function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  if (!parallel) {
    scf::buildLoopNest(b, loc, lbs, ubs, steps, body);
    return;
  }
  auto loop = scf::ParallelOp::create(b, loc, lbs, ubs, steps);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  body(b, loc, loop.getInductionVars());
}

} // namespace mlir::attn

#endif // ATTN_LIB_PIPELINES_BUFFERLOOPS_H
