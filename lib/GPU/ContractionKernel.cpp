//===- ContractionKernel.cpp - shared-memory tiled contraction kernel -----===//
//
// C[b, m, n] += sum_k A[b, m, k] * B[b, k, n] for any linalg contraction,
// with the batch, M, N and K of the kernel the products of the op's batch,
// M, N and K loop dimensions (linalg::inferContractionDims), so that a fused
// `[B, T, D] x [D, H, d] -> [B, T, H, d]` projection is one GEMM.
//
// One thread block per BM x BN output tile (1-D grid over batch x tiles of M
// x tiles of N, N fastest). Per step of K the 256 threads stage a BK x BM
// tile of A and a BK x BN tile of B in shared memory (both K-major, padded by
// one column against bank conflicts), loading along whichever of K or M/N is
// the operand's innermost dimension so that global loads coalesce, and zero
// filling outside the operand. Thread (tx, ty) of the 16 x 16 threads then
// accumulates outputs (ty + 16 i, tx + 16 j), i, j < 4, in registers: the A
// values are broadcast within a half-warp, the B values are consecutive. The
// epilogue adds the accumulators to C (the op's `out + a * b` payload).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "attn/GPU/Transforms.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_detail;

namespace {
constexpr int64_t BM = kContractionTileM, BN = kContractionTileN,
                  BK = kContractionTileK, kThreads = kContractionThreads;
/// Threads per row of the 16 x 16 thread grid, and the micro-tile (4 x 4).
constexpr int64_t kThreadCols = 16, kMicroM = BM / 16, kMicroN = BN / 16;

bool isMulAddBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (body->getOperations().size() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(body->front());
  auto add = dyn_cast<arith::AddFOp>(*std::next(body->begin()));
  if (!mul || !add)
    return false;
  Value out = body->getArgument(2);
  bool addsProduct = (add.getLhs() == mul && add.getRhs() == out) ||
                     (add.getRhs() == mul && add.getLhs() == out);
  bool multipliesInputs = (mul.getLhs() == body->getArgument(0) &&
                           mul.getRhs() == body->getArgument(1)) ||
                          (mul.getLhs() == body->getArgument(1) &&
                           mul.getRhs() == body->getArgument(0));
  return addsProduct && multipliesInputs &&
         body->getTerminator()->getOperand(0) == add;
}

/// Whether the innermost dimension of `operand`'s indexing map is one of
/// `kDims` (then K-fastest loads coalesce).
bool innermostIsK(linalg::LinalgOp op, OpOperand *operand,
                  ArrayRef<unsigned> kDims) {
  AffineMap map = op.getMatchingIndexingMap(operand);
  if (map.getNumResults() == 0)
    return false;
  auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
  return dim && llvm::is_contained(kDims, dim.getPosition());
}
} // namespace

bool mlir::attn::isTileableContraction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return false;
  Type element;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !isa<FloatType>(type.getElementType()))
      return false;
    if (element && type.getElementType() != element)
      return false;
    element = type.getElementType();
    if (!op.getMatchingIndexingMap(&operand).isProjectedPermutation())
      return false;
  }
  if (!isMulAddBody(op))
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  return succeeded(dims) && !dims->m.empty() && !dims->n.empty() &&
         !dims->k.empty();
}

namespace {
/// The sizes of `memref` as index values (host code).
SmallVector<Value> memrefSizes(KernelBuilder &kb, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0, e = type.getRank(); d < e; ++d)
    sizes.push_back(type.isDynamicDim(d)
                        ? Value(memref::DimOp::create(kb.b, kb.loc, memref, d))
                        : kb.idx(type.getDimSize(d)));
  return sizes;
}

/// The kernel's name: what it computes, e.g.
/// attn_contraction_broadcast_transpose_kernel.
std::string kernelName(const ContractionFusion &fusion) {
  std::string name = "attn_contraction";
  if (fusion.init)
    name += ("_" + fusion.init->getName().stripDialect()).str();
  if (fusion.epilogue)
    name += ("_" + fusion.epilogue->getName().stripDialect()).str();
  return name + "_kernel";
}
} // namespace

FailureOr<gpu::LaunchOp>
mlir::attn::mapContractionToTiledKernel(RewriterBase &rewriter,
                                        linalg::LinalgOp op,
                                        const ContractionFusion &fusion) {
  if (!isTileableContraction(op))
    return failure();
  linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
  Location loc = op.getLoc();
  OpOperand *lhs = op.getDpsInputOperand(0), *rhs = op.getDpsInputOperand(1);
  OpOperand *out = op.getDpsInitOperand(0);
  Type element = getElementTypeOrSelf(out->get().getType());

  // With an epilogue op the kernel takes its place: everything in between
  // is transparent (ContractionFusion.cpp), and its operands are defined.
  Operation *anchor = fusion.epilogue ? &*fusion.epilogue : &*op;
  rewriter.setInsertionPoint(anchor);
  KernelBuilder host(rewriter, loc);
  // The sizes the epilogue needs to follow C through its reshapes: the
  // result sizes of an expand_shape, the source sizes of a collapse_shape.
  SmallVector<SmallVector<Value>> reshapeSizes;
  for (Operation *reshape : fusion.reshapes) {
    if (auto expand = dyn_cast<memref::ExpandShapeOp>(reshape))
      reshapeSizes.push_back(memrefSizes(host, expand.getResult()));
    else
      reshapeSizes.push_back(memrefSizes(
          host, cast<memref::CollapseShapeOp>(reshape).getSrc()));
  }
  SmallVector<Value> sizes =
      llvm::map_to_vector(op.createLoopRanges(rewriter, loc), [&](Range r) {
        return getValueOrCreateConstantIndexOp(rewriter, loc, r.size);
      });
  auto sizesOf = [&](ArrayRef<unsigned> group) {
    return llvm::map_to_vector(group, [&](unsigned d) { return sizes[d]; });
  };
  SmallVector<Value> batchSizes = sizesOf(dims.batch), mSizes = sizesOf(dims.m),
                     nSizes = sizesOf(dims.n), kSizes = sizesOf(dims.k);
  Value batch = host.product(batchSizes), m = host.product(mSizes),
        n = host.product(nSizes), kTotal = host.product(kSizes);
  Value tilesM = host.ceilDiv(m, host.idx(BM));
  Value tilesN = host.ceilDiv(n, host.idx(BN));
  Value blocks =
      host.max(host.mul(host.mul(batch, tilesM), tilesN), host.idx(1));
  Value one = host.idx(1);
  MemRefType lhsTile = workgroupMemRef({BK, BM + 1}, element);
  MemRefType rhsTile = workgroupMemRef({BK, BN + 1}, element);
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, blocks, one, one, host.idx(kThreads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, TypeRange{lhsTile, rhsTile},
      /*privateAttributions=*/{}, /*clusterSizeX=*/nullptr,
      /*clusterSizeY=*/nullptr, /*clusterSizeZ=*/nullptr, /*module=*/nullptr,
      FlatSymbolRefAttr::get(rewriter.getContext(), kernelName(fusion)));
  Value lhsShared = launch.getWorkgroupAttributions()[0];
  Value rhsShared = launch.getWorkgroupAttributions()[1];

  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToStart(&body);
  KernelBuilder k(rewriter, loc);
  Value zero = k.idx(0), fzero = k.flt(element, 0.0);
  Value bid = launch.getBlockIds().x, tid = launch.getThreadIds().x;
  Value tileN = k.rem(bid, tilesN);
  Value rest = k.div(bid, tilesN);
  Value tileM = k.rem(rest, tilesM);
  Value batchIndex = k.div(rest, tilesM);
  Value tx = k.rem(tid, k.idx(kThreadCols));
  Value ty = k.div(tid, k.idx(kThreadCols));
  Value mBase = k.mul(tileM, k.idx(BM)), nBase = k.mul(tileN, k.idx(BN));
  SmallVector<Value> batchIvs = k.delinearize(batchIndex, batchSizes);

  // The loop indices of the op at kernel point (batch, mi, ni, ki); a null
  // index leaves its dimensions 0 (the operand does not use them).
  auto pointIvs = [&](KernelBuilder &kb, Value mi, Value ni, Value ki) {
    SmallVector<Value> ivs(op.getNumLoops(), zero);
    auto assign = [&](ArrayRef<unsigned> group, ArrayRef<Value> groupSizes,
                      Value linear) {
      if (!linear)
        return;
      for (auto [d, iv] : llvm::zip(group, kb.delinearize(linear, groupSizes)))
        ivs[d] = iv;
    };
    for (auto [d, iv] : llvm::zip(dims.batch, batchIvs))
      ivs[d] = iv;
    assign(dims.m, mSizes, mi);
    assign(dims.n, nSizes, ni);
    assign(dims.k, kSizes, ki);
    return ivs;
  };

  // Stages the BK x width tile of `operand` at (base, k0) into `shared`.
  bool lhsKFast = innermostIsK(op, lhs, dims.k);
  bool rhsKFast = innermostIsK(op, rhs, dims.k);
  auto stageTile = [&](KernelBuilder &kb, OpOperand *operand, Value shared,
                       int64_t width, bool kFast, Value base, Value k0,
                       bool isLhs) {
    AffineMap map = op.getMatchingIndexingMap(operand);
    Value limit = isLhs ? m : n;
    for (int64_t i = 0; i < width * BK / kThreads; ++i) {
      Value e = kb.add(tid, kb.idx(i * kThreads));
      Value kl = kFast ? kb.rem(e, kb.idx(BK)) : kb.div(e, kb.idx(width));
      Value wl = kFast ? kb.div(e, kb.idx(BK)) : kb.rem(e, kb.idx(width));
      Value wi = kb.add(base, wl), ki = kb.add(k0, kl);
      Value inBounds = kb.andI(kb.ult(wi, limit), kb.ult(ki, kTotal));
      SmallVector<Value> ivs =
          isLhs ? pointIvs(kb, wi, Value(), ki) : pointIvs(kb, Value(), wi, ki);
      // The indices are computed outside the guarded load; they are only
      // dereferenced in bounds.
      Value v =
          kb.loadIf(inBounds, operand->get(), kb.applyMap(map, ivs), fzero);
      memref::StoreOp::create(kb.b, kb.loc, v, shared, ValueRange{kl, wl});
    }
  };

  SmallVector<Value> accInit(kMicroM * kMicroN, fzero);
  auto kLoop = scf::ForOp::create(
      rewriter, loc, zero, kTotal, k.idx(BK), accInit,
      [&](OpBuilder &b, Location l, Value k0, ValueRange accs) {
        KernelBuilder kb(b, l);
        stageTile(kb, lhs, lhsShared, BM, lhsKFast, mBase, k0, true);
        stageTile(kb, rhs, rhsShared, BN, rhsKFast, nBase, k0, false);
        gpu::BarrierOp::create(b, l);
        auto inner = scf::ForOp::create(
            b, l, kb.idx(0), kb.idx(BK), kb.idx(1), accs,
            [&](OpBuilder &ib, Location il, Value kk, ValueRange partial) {
              KernelBuilder ikb(ib, il);
              SmallVector<Value> a, bv;
              for (int64_t i = 0; i < kMicroM; ++i)
                a.push_back(memref::LoadOp::create(
                    ib, il, lhsShared,
                    ValueRange{kk, ikb.add(ty, ikb.idx(16 * i))}));
              for (int64_t j = 0; j < kMicroN; ++j)
                bv.push_back(memref::LoadOp::create(
                    ib, il, rhsShared,
                    ValueRange{kk, ikb.add(tx, ikb.idx(16 * j))}));
              SmallVector<Value> next;
              for (int64_t i = 0; i < kMicroM; ++i)
                for (int64_t j = 0; j < kMicroN; ++j)
                  next.push_back(
                      ikb.fma(a[i], bv[j], partial[i * kMicroN + j]));
              scf::YieldOp::create(ib, il, next);
            });
        gpu::BarrierOp::create(b, l);
        scf::YieldOp::create(b, l, inner.getResults());
      });

  // Epilogue, where in bounds: v = C + acc (or P's value + acc), then E's
  // payload on v; C is stored unless E's result replaces it.
  AffineMap outMap = op.getMatchingIndexingMap(out);
  auto loadOperand = [&](KernelBuilder &kb, linalg::LinalgOp owner,
                         OpOperand *operand, ArrayRef<Value> ivs) -> Value {
    Value v = operand->get();
    if (!isa<MemRefType>(v.getType()))
      return v;
    if (!owner.payloadUsesValueFromOperand(operand))
      return Value();
    return memref::LoadOp::create(
        kb.b, kb.loc, v, kb.applyMap(owner.getMatchingIndexingMap(operand), ivs));
  };
  // The loop indices of `owner` at which `operand` (permutation map) is
  // indexed by `indices`.
  auto invert = [](linalg::LinalgOp owner, OpOperand *operand,
                   ArrayRef<Value> indices) {
    AffineMap map = owner.getMatchingIndexingMap(operand);
    SmallVector<Value> ivs(owner.getNumLoops());
    for (auto [r, index] : llvm::enumerate(indices))
      ivs[map.getDimPosition(r)] = index;
    return ivs;
  };
  auto epilogue = [&](KernelBuilder &gb, ArrayRef<Value> cIndices, Value acc) {
    Value c;
    if (linalg::LinalgOp init = fusion.init) {
      OpOperand *initOut = init.getDpsInitOperand(0);
      SmallVector<Value> ivs = invert(init, initOut, cIndices);
      SmallVector<Value> args;
      for (OpOperand *input : init.getDpsInputOperands())
        args.push_back(loadOperand(gb, init, input, ivs));
      args.push_back(Value());
      c = clonePayload(gb.b, init, args, ivs).front();
    } else {
      c = memref::LoadOp::create(gb.b, loc, out->get(), cIndices);
    }
    Value v = gb.fadd(c, acc);
    if (!fusion.epilogue || fusion.storeResult)
      memref::StoreOp::create(gb.b, loc, v, out->get(), cIndices);
    linalg::LinalgOp e = fusion.epilogue;
    if (!e)
      return;
    // C's indices through the reshapes to the indices of E's input.
    SmallVector<Value> indices(cIndices);
    for (auto [reshape, reshapeSize] :
         llvm::zip(fusion.reshapes, reshapeSizes)) {
      ArrayRef<Value> sizes = reshapeSize;
      SmallVector<Value> next;
      if (auto expand = dyn_cast<memref::ExpandShapeOp>(reshape)) {
        next.resize(sizes.size());
        for (auto [src, group] :
             llvm::enumerate(expand.getReassociationIndices())) {
          SmallVector<Value> groupSizes =
              llvm::map_to_vector(group, [&](int64_t d) { return sizes[d]; });
          for (auto [d, iv] :
               llvm::zip(group, gb.delinearize(indices[src], groupSizes)))
            next[d] = iv;
        }
      } else {
        auto collapse = cast<memref::CollapseShapeOp>(reshape);
        for (ReassociationIndices group :
             collapse.getReassociationIndices()) {
          Value linear = gb.idx(0);
          for (int64_t d : group)
            linear = gb.add(gb.mul(linear, sizes[d]), indices[d]);
          next.push_back(linear);
        }
      }
      indices = std::move(next);
    }
    OpOperand *reads = &e->getOpOperand(fusion.epilogueInput);
    OpOperand *eOut = e.getDpsInitOperand(0);
    SmallVector<Value> ivs = invert(e, reads, indices);
    SmallVector<Value> args;
    for (OpOperand *input : e.getDpsInputOperands())
      args.push_back(input == reads ? v : loadOperand(gb, e, input, ivs));
    // In place: E's init is the value read (the same view and map).
    bool inPlace = eOut->get() == reads->get();
    args.push_back(inPlace ? v : loadOperand(gb, e, eOut, ivs));
    Value result = clonePayload(gb.b, e, args, ivs).front();
    memref::StoreOp::create(
        gb.b, loc, result, eOut->get(),
        gb.applyMap(e.getMatchingIndexingMap(eOut), ivs));
  };
  for (int64_t i = 0; i < kMicroM; ++i) {
    for (int64_t j = 0; j < kMicroN; ++j) {
      Value mi = k.add(mBase, k.add(ty, k.idx(16 * i)));
      Value ni = k.add(nBase, k.add(tx, k.idx(16 * j)));
      Value acc = kLoop.getResult(i * kMicroN + j);
      auto guard =
          scf::IfOp::create(rewriter, loc, k.andI(k.ult(mi, m), k.ult(ni, n)),
                            /*withElseRegion=*/false);
      OpBuilder::InsertionGuard g(rewriter);
      rewriter.setInsertionPointToStart(guard.thenBlock());
      KernelBuilder gb(rewriter, loc);
      epilogue(gb, gb.applyMap(outMap, pointIvs(gb, mi, ni, Value())), acc);
    }
  }
  gpu::TerminatorOp::create(rewriter, loc);
  if (fusion.epilogue)
    rewriter.eraseOp(fusion.epilogue);
  rewriter.eraseOp(op);
  if (fusion.init)
    rewriter.eraseOp(fusion.init);
  return launch;
}
