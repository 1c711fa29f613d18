//===- BufferLoops.h - helpers of the passes that write loops on buffers --===//
//
// Shared by attn-vectorize-contractions, attn-vectorize-rows and
// attn-vectorize-transposes, which replace linalg ops on memrefs by loops of
// vector loads and stores.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_BUFFERLOOPS_H
#define ATTN_LIB_PIPELINES_BUFFERLOOPS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"
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

/// Payload ops of a generic that can be cloned on vectors: element-wise ops
/// without regions on scalars, constants, and linalg.index (which the caller
/// maps itself).
inline bool isVectorizablePayload(Operation &op) {
  if (isa<linalg::YieldOp, linalg::IndexOp>(op) ||
      op.hasTrait<OpTrait::ConstantLike>())
    return true;
  if (!OpTrait::hasElementwiseMappableTraits(&op) || op.getNumRegions())
    return false;
  auto scalar = [](Type t) { return t.isIntOrIndexOrFloat(); };
  return llvm::all_of(op.getOperandTypes(), scalar) &&
         llvm::all_of(op.getResultTypes(), scalar);
}

/// `value` as a vector of kF32Lanes lanes: broadcast when it is a scalar.
inline Value toLanes(OpBuilder &b, Location loc, Value value) {
  if (isa<VectorType>(value.getType()))
    return value;
  return vector::BroadcastOp::create(
      b, loc, VectorType::get({kF32Lanes}, value.getType()), value);
}

/// Clones the element-wise payload op `op` on vectors of kF32Lanes lanes:
/// its operands are looked up in `map` (scalars and values from outside the
/// body broadcast), and its results mapped to the vector results. A
/// constant stays a scalar, broadcast where it is used.
inline void cloneOnVectors(OpBuilder &b, Location loc, Operation &op,
                           IRMapping &map) {
  if (op.hasTrait<OpTrait::ConstantLike>()) {
    b.clone(op, map);
    return;
  }
  SmallVector<Value> operands;
  for (Value v : op.getOperands())
    operands.push_back(toLanes(b, loc, map.lookupOrDefault(v)));
  SmallVector<Type> types =
      llvm::map_to_vector(op.getResultTypes(), [](Type t) -> Type {
        return VectorType::get({kF32Lanes}, t);
      });
  OperationState state(op.getLoc(), op.getName(), operands, types,
                       op.getAttrs());
  map.map(op.getResults(), b.create(state)->getResults());
}

} // namespace mlir::attn

#endif // ATTN_LIB_PIPELINES_BUFFERLOOPS_H
