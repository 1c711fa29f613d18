//===- KernelBuilder.h - small helpers for writing kernel bodies -*- C++
//-*-===//
//
// Index and float arithmetic with one builder and location, so that the
// kernel builders read like the algorithms they implement.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_GPU_KERNELBUILDER_H
#define ATTN_LIB_GPU_KERNELBUILDER_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::attn::gpu_detail {

/// Arithmetic on `index` and float values at one location.
struct KernelBuilder {
  OpBuilder &b;
  Location loc;

  KernelBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value flt(Type type, double v) {
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
  }
  Value negInf(Type type) {
    auto ft = cast<FloatType>(type);
    return arith::ConstantOp::create(
        b, loc, type,
        b.getFloatAttr(type, APFloat::getInf(ft.getFloatSemantics(),
                                             /*Negative=*/true)));
  }

  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivUIOp::create(b, loc, x, y); }
  Value rem(Value x, Value y) { return arith::RemUIOp::create(b, loc, x, y); }
  Value ceilDiv(Value x, Value y) {
    return arith::CeilDivUIOp::create(b, loc, x, y);
  }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value slt(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, y);
  }
  Value eq(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
  }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }

  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fdiv(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value fma(Value x, Value y, Value acc) {
    return math::FmaOp::create(b, loc, x, y, acc);
  }
  Value fmax(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  /// `x` (f16, bf16 or f32) as f32, and f32 `x` as `type`: kernels that
  /// read and write narrower floats compute in f32.
  Value toF32(Value x) {
    Type f32 = b.getF32Type();
    return x.getType() == f32 ? x : arith::ExtFOp::create(b, loc, f32, x);
  }
  Value fromF32(Value x, Type type) {
    return x.getType() == type ? x : arith::TruncFOp::create(b, loc, type, x);
  }
  Value foeq(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
  }

  /// The product of `values` (1 if empty).
  Value product(ValueRange values) {
    Value result = idx(1);
    for (Value v : values)
      result = mul(result, v);
    return result;
  }

  /// Splits `linear` into indices over `sizes`, the last fastest.
  SmallVector<Value> delinearize(Value linear, ArrayRef<Value> sizes) {
    SmallVector<Value> result(sizes.size());
    for (int64_t i = static_cast<int64_t>(sizes.size()) - 1; i > 0; --i) {
      result[i] = rem(linear, sizes[i]);
      linear = div(linear, sizes[i]);
    }
    if (!sizes.empty())
      result[0] = linear;
    return result;
  }

  /// The results of `map` (no symbols) at `dims`: dimension and constant
  /// results directly, others through affine.apply.
  SmallVector<Value> applyMap(AffineMap map, ArrayRef<Value> dims) {
    SmallVector<Value> result;
    for (unsigned i = 0, e = map.getNumResults(); i < e; ++i) {
      AffineExpr expr = map.getResult(i);
      if (auto dim = dyn_cast<AffineDimExpr>(expr))
        result.push_back(dims[dim.getPosition()]);
      else if (auto cst = dyn_cast<AffineConstantExpr>(expr))
        result.push_back(idx(cst.getValue()));
      else
        result.push_back(
            affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), dims));
    }
    return result;
  }

  /// `memref.load` of `memref[indices]` when `inBounds`, else `fallback`.
  Value loadIf(Value inBounds, Value memref, ValueRange indices,
               Value fallback) {
    auto ifOp = scf::IfOp::create(
        b, loc, inBounds,
        [&](OpBuilder &nb, Location nl) {
          Value v = memref::LoadOp::create(nb, nl, memref, indices);
          scf::YieldOp::create(nb, nl, v);
        },
        [&](OpBuilder &nb, Location nl) {
          scf::YieldOp::create(nb, nl, fallback);
        });
    return ifOp.getResult(0);
  }
};

/// Clones the payload of `op` at the builder's insertion point with its
/// block arguments bound to `args` (null for the ones it does not use) and
/// `linalg.index` to `ivs`; returns the yielded values.
inline SmallVector<Value> clonePayload(OpBuilder &b, linalg::LinalgOp op,
                                       ArrayRef<Value> args,
                                       ArrayRef<Value> ivs) {
  Block *payload = op.getBlock();
  IRMapping mapping;
  for (auto [arg, value] : llvm::zip(payload->getArguments(), args))
    if (value)
      mapping.map(arg, value);
  for (Operation &inner : payload->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  return llvm::map_to_vector(
      payload->getTerminator()->getOperands(),
      [&](Value v) { return mapping.lookupOrDefault(v); });
}

/// The shared-memory type `shape x element` (address space 3).
inline MemRefType workgroupMemRef(ArrayRef<int64_t> shape, Type element) {
  MLIRContext *ctx = element.getContext();
  return MemRefType::get(
      shape, element, MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup));
}

/// `tensor` as a read-only buffer of any strides (one-shot bufferization
/// casts the tensor's buffer to it): how a kernel built on tensors, before
/// bufferization, reads its operands.
inline Value readOnlyBuffer(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto layout = StridedLayoutAttr::get(
      b.getContext(), ShapedType::kDynamic,
      SmallVector<int64_t>(type.getRank(), ShapedType::kDynamic));
  auto memref = MemRefType::get(type.getShape(), type.getElementType(), layout);
  return bufferization::ToBufferOp::create(b, loc, memref, tensor,
                                           /*read_only=*/true);
}

/// The tensor of `type` that a kernel built on tensors wrote into the fresh
/// allocation `buffer` (restrict writable, which one-shot bufferization
/// accepts).
inline Value resultTensor(OpBuilder &b, Location loc, RankedTensorType type,
                          Value buffer) {
  return bufferization::ToTensorOp::create(b, loc, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

/// Combines the `threads` values of `shared` (each thread has stored its
/// own at `tid`) into shared[0]: a tree of halving steps, `combine` at
/// each, with a barrier after the stores and after every step. All threads
/// of the block must call it (the barriers).
inline void blockTreeReduce(
    OpBuilder &b, Location loc, Value shared, Value tid, int64_t threads,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  KernelBuilder k(b, loc);
  gpu::BarrierOp::create(b, loc);
  for (int64_t s = threads / 2; s >= 1; s /= 2) {
    auto active = scf::IfOp::create(b, loc, k.ult(tid, k.idx(s)),
                                    /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(active.thenBlock());
      Value x = memref::LoadOp::create(b, loc, shared, tid);
      Value y = memref::LoadOp::create(b, loc, shared, k.add(tid, k.idx(s)));
      memref::StoreOp::create(b, loc, combine(b, loc, x, y), shared, tid);
    }
    gpu::BarrierOp::create(b, loc);
  }
}

} // namespace mlir::attn::gpu_detail

#endif // ATTN_LIB_GPU_KERNELBUILDER_H
