//===- ReductionKernel.cpp - one thread block per reduced point -----------===//
//
// A linalg reduction whose payload is `combine(out, g(inputs))` for an
// associative and commutative combiner (addf, mulf, maximumf, minimumf,
// maxnumf, minnumf) and one output: the statistics of LayerNorm (sums of x
// and of squared deviations), the max and the sum of a softmax row. Instead
// of one thread running the whole reduction loop of its output point, a
// block of 256 threads owns the point:
//
//   grid = P blocks (P = product of the parallel dimensions), point = block
//   partial = identity; for r = tid; r < R; r += 256: partial = combine(
//       partial, g(inputs at (point, r)))          (coalesced along r)
//   S[tid] = partial                                barrier
//   for s = 128, 64, ..., 1: if tid < s: S[tid] = combine(S[tid], S[tid + s])
//                                                   barrier
//   if tid == 0: out[point] = combine(out[point], S[0])
//
// The sum is reassociated (a tree instead of a left fold), like every GPU
// reduction.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "attn/GPU/Transforms.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_detail;

namespace {
constexpr int64_t kThreads = 256;

/// The combiner of `op`'s payload: the yielded op, one of whose operands is
/// the output block argument (used nowhere else); null if none.
Operation *getCombiner(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  Value yielded = body->getTerminator()->getOperand(0);
  Operation *combiner = yielded.getDefiningOp();
  if (!combiner || combiner->getBlock() != body ||
      !isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp, arith::MinimumFOp,
           arith::MaxNumFOp, arith::MinNumFOp>(combiner))
    return nullptr;
  BlockArgument out = body->getArguments().back();
  if (!out.hasOneUse() || (combiner->getOperand(0) != out &&
                           combiner->getOperand(1) != out))
    return nullptr;
  return combiner;
}

/// The neutral element of `combiner`.
Value identity(KernelBuilder &kb, Operation *combiner, Type type) {
  if (isa<arith::AddFOp>(combiner))
    return kb.flt(type, 0.0);
  if (isa<arith::MulFOp>(combiner))
    return kb.flt(type, 1.0);
  auto ft = cast<FloatType>(type);
  bool max = isa<arith::MaximumFOp, arith::MaxNumFOp>(combiner);
  return arith::ConstantOp::create(
      kb.b, kb.loc, type,
      kb.b.getFloatAttr(type, APFloat::getInf(ft.getFloatSemantics(),
                                              /*Negative=*/max)));
}

/// `combiner` applied to (x, y).
Value combine(OpBuilder &b, Operation *combiner, Value x, Value y) {
  IRMapping mapping;
  mapping.map(combiner->getOperand(0), x);
  mapping.map(combiner->getOperand(1), y);
  return b.clone(*combiner, mapping)->getResult(0);
}
} // namespace

bool mlir::attn::isBlockReduction(linalg::LinalgOp op) {
  // Contractions are many short dot products: the tiled kernel, or one
  // thread per output, serve them better than a block per output.
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() == 0 || linalg::isaContractionOpInterface(op))
    return false;
  OpOperand *init = op.getDpsInitOperand(0);
  Type element = getElementTypeOrSelf(init->get().getType());
  if (!isa<FloatType>(element) || !isa<MemRefType>(init->get().getType()))
    return false;
  AffineMap outMap = op.getMatchingIndexingMap(init);
  for (auto [dim, type] : llvm::enumerate(op.getIteratorTypesArray()))
    if (type == utils::IteratorType::reduction && outMap.isFunctionOfDim(dim))
      return false;
  return getCombiner(op) != nullptr;
}

FailureOr<gpu::LaunchOp>
mlir::attn::mapReductionToBlocks(RewriterBase &rewriter, linalg::LinalgOp op) {
  if (!isBlockReduction(op))
    return failure();
  Operation *combiner = getCombiner(op);
  SmallVector<unsigned> parallel, reduction;
  for (auto [dim, type] : llvm::enumerate(op.getIteratorTypesArray()))
    (type == utils::IteratorType::parallel ? parallel : reduction)
        .push_back(dim);
  OpOperand *init = op.getDpsInitOperand(0);
  Type element = getElementTypeOrSelf(init->get().getType());
  Location loc = op.getLoc();

  rewriter.setInsertionPoint(op);
  KernelBuilder host(rewriter, loc);
  SmallVector<Value> sizes =
      llvm::map_to_vector(op.createLoopRanges(rewriter, loc), [&](Range r) {
        return getValueOrCreateConstantIndexOp(rewriter, loc, r.size);
      });
  auto sizesOf = [&](ArrayRef<unsigned> dims) {
    return llvm::map_to_vector(dims, [&](unsigned d) { return sizes[d]; });
  };
  SmallVector<Value> parallelSizes = sizesOf(parallel),
                     reductionSizes = sizesOf(reduction);
  Value points = host.product(parallelSizes);
  Value total = host.product(reductionSizes);
  Value one = host.idx(1);
  std::string name =
      ("attn_" + op->getName().stripDialect() + "_reduction_kernel").str();
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, host.max(points, one), one, one, host.idx(kThreads), one,
      one, /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{},
      TypeRange{workgroupMemRef({kThreads}, element)},
      /*privateAttributions=*/{}, /*clusterSizeX=*/nullptr,
      /*clusterSizeY=*/nullptr, /*clusterSizeZ=*/nullptr, /*module=*/nullptr,
      FlatSymbolRefAttr::get(rewriter.getContext(), name));
  Value shared = launch.getWorkgroupAttributions()[0];

  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToStart(&body);
  KernelBuilder k(rewriter, loc);
  Value point = launch.getBlockIds().x, tid = launch.getThreadIds().x;
  // The condition depends on the block only: barriers stay uniform.
  auto inRange = scf::IfOp::create(rewriter, loc, k.ult(point, points),
                                   /*withElseRegion=*/false);
  gpu::TerminatorOp::create(rewriter, loc);
  rewriter.setInsertionPointToStart(inRange.thenBlock());

  SmallVector<Value> ivs(op.getNumLoops(), k.idx(0));
  for (auto [dim, iv] : llvm::zip(parallel, k.delinearize(point, parallelSizes)))
    ivs[dim] = iv;
  auto partial = scf::ForOp::create(
      rewriter, loc, tid, total, k.idx(kThreads),
      ValueRange{identity(k, combiner, element)},
      [&](OpBuilder &b, Location l, Value r, ValueRange acc) {
        KernelBuilder kb(b, l);
        SmallVector<Value> pointIvs(ivs);
        for (auto [dim, iv] :
             llvm::zip(reduction, kb.delinearize(r, reductionSizes)))
          pointIvs[dim] = iv;
        SmallVector<Value> args;
        for (OpOperand *input : op.getDpsInputOperands()) {
          Value v = input->get();
          if (!isa<MemRefType>(v.getType()))
            args.push_back(v);
          else if (!op.payloadUsesValueFromOperand(input))
            args.push_back(Value());
          else
            args.push_back(memref::LoadOp::create(
                b, l, v,
                kb.applyMap(op.getMatchingIndexingMap(input), pointIvs)));
        }
        args.push_back(acc[0]);
        scf::YieldOp::create(b, l, clonePayload(b, op, args, pointIvs));
      });
  memref::StoreOp::create(rewriter, loc, partial.getResult(0), shared, tid);
  blockTreeReduce(rewriter, loc, shared, tid, kThreads,
                  [&](OpBuilder &b, Location, Value x, Value y) {
                    return combine(b, combiner, x, y);
                  });
  auto first = scf::IfOp::create(rewriter, loc, k.eq(tid, k.idx(0)),
                                 /*withElseRegion=*/false);
  rewriter.setInsertionPointToStart(first.thenBlock());
  SmallVector<Value> outIndices =
      k.applyMap(op.getMatchingIndexingMap(init), ivs);
  Value old = memref::LoadOp::create(rewriter, loc, init->get(), outIndices);
  Value sum = memref::LoadOp::create(rewriter, loc, shared, k.idx(0));
  memref::StoreOp::create(rewriter, loc, combine(rewriter, combiner, old, sum),
                          init->get(), outIndices);
  rewriter.eraseOp(op);
  return launch;
}
