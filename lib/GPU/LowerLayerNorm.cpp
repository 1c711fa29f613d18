//===- LowerLayerNorm.cpp - attn.layer_norm to one GPU kernel -------------===//
//
// attn-gpu-lower-layer-norm. Through linalg, a LayerNorm is five kernels
// (the sum, the mean, the squared deviations, the statistics, the
// normalisation), each a trip through global memory. Here one thread block
// owns a row of N values:
//
//   grid = rows blocks (the product of the leading dims) of T threads
//   partial = sum over d = tid, tid + T, ... < N of x[row, d]
//   S[tid] = partial; tree over S (barriers)     -> mean = S[0] / N
//   partial = sum over the same d of (x - mean)^2
//   S[tid] = partial; tree over S                -> var = S[0] / N
//   y[row, d] = (x - mean) / sqrt(var + eps) * gamma[d] + beta[d]
//
// Two passes over the row, as the linalg lowering makes (the biased
// variance without the cancellation of E[x^2] - E[x]^2); the row is read
// three times, from cache after the first. T = the power of two that covers
// N, between 32 and 256. Control flow is uniform across the block: the
// block-level test of the row and the strided loops leave every barrier to
// all of its threads.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/GPU/Passes.h"

#include "llvm/Support/MathExtras.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPULOWERLAYERNORM
#include "attn/GPU/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_detail;

namespace {
constexpr int64_t kMaxThreads = 256;
constexpr int64_t kMinThreads = 32;

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Threads per block for rows of `n` values (kDynamic: the most).
int64_t threadsFor(int64_t n) {
  if (ShapedType::isDynamic(n))
    return kMaxThreads;
  return std::clamp<int64_t>(llvm::PowerOf2Ceil(n), kMinThreads, kMaxThreads);
}

/// The sum over the block of every thread's `partial`, seen by all threads:
/// a tree in `shared` [threads], then a barrier so that the next use of
/// `shared` cannot overwrite S[0] before everyone has read it.
Value blockSum(OpBuilder &b, Location loc, Value shared, Value tid,
               Value partial, int64_t threads) {
  KernelBuilder k(b, loc);
  memref::StoreOp::create(b, loc, partial, shared, tid);
  blockTreeReduce(b, loc, shared, tid, threads,
                  [](OpBuilder &nb, Location nl, Value x, Value y) {
                    return KernelBuilder(nb, nl).fadd(x, y);
                  });
  Value total = memref::LoadOp::create(b, loc, shared, k.idx(0));
  gpu::BarrierOp::create(b, loc);
  return total;
}

/// A strided loop over the row's columns d = tid, tid + threads, ... < n.
void forColumns(OpBuilder &b, Location loc, Value tid, Value n,
                int64_t threads, ValueRange init,
                function_ref<void(OpBuilder &, Location, Value, ValueRange)>
                    body,
                SmallVectorImpl<Value> *results = nullptr) {
  KernelBuilder k(b, loc);
  auto loop = scf::ForOp::create(
      b, loc, tid, n, k.idx(threads), init,
      [&](OpBuilder &nb, Location nl, Value d, ValueRange acc) {
        body(nb, nl, d, acc);
      });
  if (results)
    results->assign(loop.getResults().begin(), loop.getResults().end());
}

LogicalResult lowerLayerNorm(RewriterBase &rewriter, LayerNormOp op) {
  for (Value v : {op.getInput(), op.getGamma(), op.getBeta(), op.getResult()})
    if (!tensorType(v).getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  KernelBuilder host(rewriter, loc);
  Type f32 = rewriter.getF32Type();
  RankedTensorType resultType = tensorType(op.getResult());
  int64_t rank = resultType.getRank();

  Value x = readOnlyBuffer(rewriter, loc, op.getInput());
  Value gamma = readOnlyBuffer(rewriter, loc, op.getGamma());
  Value beta = readOnlyBuffer(rewriter, loc, op.getBeta());
  SmallVector<Value> sizes, dynamicSizes;
  for (int64_t d = 0; d < rank; ++d) {
    sizes.push_back(memref::DimOp::create(rewriter, loc, x, d));
    if (resultType.isDynamicDim(d))
      dynamicSizes.push_back(sizes.back());
  }
  Value out = memref::AllocOp::create(
      rewriter, loc, MemRefType::get(resultType.getShape(), f32),
      dynamicSizes);
  ArrayRef<Value> leading = ArrayRef<Value>(sizes).drop_back();
  Value n = sizes.back();
  Value rows = host.product(leading);
  int64_t threads = threadsFor(resultType.getShape().back());
  Value one = host.idx(1);
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, host.max(rows, one), one, one, host.idx(threads), one,
      one, /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, TypeRange{workgroupMemRef({threads}, f32)},
      /*privateAttributions=*/{}, /*clusterSizeX=*/nullptr,
      /*clusterSizeY=*/nullptr, /*clusterSizeZ=*/nullptr, /*module=*/nullptr,
      FlatSymbolRefAttr::get(rewriter.getContext(),
                             "attn_layer_norm_kernel"));
  {
    OpBuilder::InsertionGuard guard(rewriter);
    Block &body = launch.getBody().front();
    rewriter.setInsertionPointToStart(&body);
    KernelBuilder k(rewriter, loc);
    Value row = launch.getBlockIds().x, tid = launch.getThreadIds().x;
    Value shared = launch.getWorkgroupAttributions()[0];
    // The condition depends on the block only (an empty input launches one
    // block for no row).
    auto inRange = scf::IfOp::create(rewriter, loc, k.ult(row, rows),
                                     /*withElseRegion=*/false);
    gpu::TerminatorOp::create(rewriter, loc);
    rewriter.setInsertionPointToStart(inRange.thenBlock());

    SmallVector<Value> index = k.delinearize(row, leading);
    auto at = [&](Value d) {
      SmallVector<Value> full(index);
      full.push_back(d);
      return full;
    };
    Value count = arith::UIToFPOp::create(
        rewriter, loc, f32,
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(), n));
    Value zero = k.flt(f32, 0.0);

    SmallVector<Value> partial;
    forColumns(
        rewriter, loc, tid, n, threads, zero,
        [&](OpBuilder &b, Location l, Value d, ValueRange acc) {
          KernelBuilder kb(b, l);
          Value v = memref::LoadOp::create(b, l, x, at(d));
          scf::YieldOp::create(b, l, kb.fadd(acc[0], v));
        },
        &partial);
    Value mean = k.fdiv(
        blockSum(rewriter, loc, shared, tid, partial[0], threads), count);

    forColumns(
        rewriter, loc, tid, n, threads, zero,
        [&](OpBuilder &b, Location l, Value d, ValueRange acc) {
          KernelBuilder kb(b, l);
          Value centered =
              kb.fsub(memref::LoadOp::create(b, l, x, at(d)), mean);
          scf::YieldOp::create(b, l, kb.fma(centered, centered, acc[0]));
        },
        &partial);
    Value var = k.fdiv(
        blockSum(rewriter, loc, shared, tid, partial[0], threads), count);
    Value epsilon = k.flt(f32, op.getEpsilon().convertToDouble());
    Value invStd = k.fdiv(
        k.flt(f32, 1.0),
        math::SqrtOp::create(rewriter, loc, k.fadd(var, epsilon)));

    forColumns(rewriter, loc, tid, n, threads, ValueRange{},
               [&](OpBuilder &b, Location l, Value d, ValueRange) {
                 KernelBuilder kb(b, l);
                 Value centered =
                     kb.fsub(memref::LoadOp::create(b, l, x, at(d)), mean);
                 Value g = memref::LoadOp::create(b, l, gamma, d);
                 Value bias = memref::LoadOp::create(b, l, beta, d);
                 Value y = kb.fma(kb.fmul(centered, invStd), g, bias);
                 memref::StoreOp::create(b, l, y, out, at(d));
                 scf::YieldOp::create(b, l);
               });
  }
  rewriter.replaceOp(op, resultTensor(rewriter, loc, resultType, out));
  return success();
}

struct LowerLayerNormPass
    : public mlir::attn::impl::AttnGpuLowerLayerNormBase<LowerLayerNormPass> {
  void runOnOperation() override {
    SmallVector<LayerNormOp> ops;
    getOperation()->walk([&](LayerNormOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (LayerNormOp op : ops)
      (void)lowerLayerNorm(rewriter, op);
  }
};
} // namespace
