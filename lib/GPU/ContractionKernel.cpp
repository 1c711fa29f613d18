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

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "llvm/ADT/StringSwitch.h"

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
std::string kernelName(const ContractionFusion &fusion, MmaType mma) {
  std::string name = "attn_contraction";
  if (mma != MmaType::None)
    name += "_mma_" + stringifyMmaType(mma).str();
  for (linalg::LinalgOp producer : fusion.producers)
    if (producer)
      name += ("_" + producer->getName().stripDialect() + "_in").str();
  if (fusion.init)
    name += ("_" + fusion.init->getName().stripDialect()).str();
  if (fusion.epilogue)
    name += ("_" + fusion.epilogue->getName().stripDialect()).str();
  return name + "_kernel";
}
} // namespace

namespace {
/// One BK (16) deep step of a warp's 16 x 32 part of the tile on tensor
/// cores: four m16n8 tiles, `accs` (16 values, 4 per tile) in and out.
/// The fragments are gathered from the K-major shared tiles element by
/// element in the layouts of the PTX ISA ("Matrix fragments for mma.m16n8k16
/// / m16n8k8"); ldmatrix would need row-major 16-bit tiles.
///
/// f16 and tf32 use `nvgpu.mma.sync`. bf16 writes `nvvm.mma.sync` itself:
/// MLIR 22's nvgpu-to-nvvm conversion cannot type a bf16 mma.sync ("failed
/// to deduce operand PTX types"), the NVVM op takes bf16 pairs packed in i32.
SmallVector<Value> mmaStep(KernelBuilder &kb, MmaType mma, Value lhsShared,
                           Value rhsShared, Value warpM, Value warpN,
                           Value group, Value lane4, SmallVector<Value> accs) {
  OpBuilder &b = kb.b;
  Location loc = kb.loc;
  Type f32 = b.getF32Type();
  auto lhsAt = [&](Value k, Value row) {
    return memref::LoadOp::create(b, loc, lhsShared,
                                  ValueRange{k, kb.add(warpM, row)})
        .getResult();
  };
  auto rhsAt = [&](Value k, int64_t tile) {
    Value col = kb.add(warpN, kb.add(group, kb.idx(8 * tile)));
    return memref::LoadOp::create(b, loc, rhsShared, ValueRange{k, col})
        .getResult();
  };
  auto accFragment = [&](int64_t tile) {
    return vector::FromElementsOp::create(
        b, loc, VectorType::get({2, 2}, f32),
        ArrayRef<Value>(accs).slice(4 * tile, 4));
  };
  auto setAccs = [&](int64_t tile, Value d) {
    for (int64_t r = 0; r < 2; ++r)
      for (int64_t c = 0; c < 2; ++c)
        accs[4 * tile + 2 * r + c] = vector::ExtractOp::create(
            b, loc, d, ArrayRef<int64_t>{r, c});
  };

  if (mma == MmaType::TF32) {
    // m16n8k8, two per step. A: a_i = (group + 8 (i % 2), lane4 + 4 (i / 2));
    // B: b_i = (lane4 + 4 i, group).
    for (int64_t ks = 0; ks < BK; ks += 8) {
      SmallVector<Value> a;
      for (int64_t i = 0; i < 4; ++i)
        a.push_back(lhsAt(kb.add(lane4, kb.idx(ks + 4 * (i / 2))),
                          kb.add(group, kb.idx(8 * (i % 2)))));
      Value aFrag = vector::FromElementsOp::create(
          b, loc, VectorType::get({4, 1}, f32), a);
      for (int64_t t = 0; t < 4; ++t) {
        SmallVector<Value> bv;
        for (int64_t i = 0; i < 2; ++i)
          bv.push_back(rhsAt(kb.add(lane4, kb.idx(ks + 4 * i)), t));
        Value bFrag = vector::FromElementsOp::create(
            b, loc, VectorType::get({2, 1}, f32), bv);
        Value d = nvgpu::MmaSyncOp::create(b, loc, aFrag, bFrag,
                                           accFragment(t),
                                           ArrayRef<int64_t>{16, 8, 8},
                                           /*tf32Enabled=*/true);
        setAccs(t, d);
      }
    }
    return accs;
  }

  // m16n8k16 (f16, bf16). A register r holds a_{2r}, a_{2r+1}: row
  // group + 8 (r % 2), columns 2 lane4 + c + 8 (r / 2). B register r holds
  // b_{2r}, b_{2r+1}: rows 2 lane4 + c + 8 r, column group.
  Type half = cast<MemRefType>(lhsShared.getType()).getElementType();
  SmallVector<SmallVector<Value>> aRegs(4);
  for (int64_t r = 0; r < 4; ++r)
    for (int64_t c = 0; c < 2; ++c)
      aRegs[r].push_back(
          lhsAt(kb.add(kb.mul(lane4, kb.idx(2)), kb.idx(c + 8 * (r / 2))),
                kb.add(group, kb.idx(8 * (r % 2)))));
  auto bRegs = [&](int64_t t) {
    SmallVector<SmallVector<Value>> regs(2);
    for (int64_t r = 0; r < 2; ++r)
      for (int64_t c = 0; c < 2; ++c)
        regs[r].push_back(
            rhsAt(kb.add(kb.mul(lane4, kb.idx(2)), kb.idx(c + 8 * r)), t));
    return regs;
  };
  if (mma == MmaType::F16) {
    SmallVector<Value> flat;
    for (auto &reg : aRegs)
      llvm::append_range(flat, reg);
    Value aFrag = vector::FromElementsOp::create(
        b, loc, VectorType::get({4, 2}, half), flat);
    for (int64_t t = 0; t < 4; ++t) {
      SmallVector<Value> bFlat;
      for (auto &reg : bRegs(t))
        llvm::append_range(bFlat, reg);
      Value bFrag = vector::FromElementsOp::create(
          b, loc, VectorType::get({2, 2}, half), bFlat);
      Value d = nvgpu::MmaSyncOp::create(b, loc, aFrag, bFrag, accFragment(t),
                                         ArrayRef<int64_t>{16, 8, 16},
                                         /*tf32Enabled=*/false);
      setAccs(t, d);
    }
    return accs;
  }

  // bf16: each register an i32 holding two bf16 (the first in the low half).
  Type i32 = b.getI32Type();
  auto pack = [&](ArrayRef<Value> pair) {
    Value v = vector::FromElementsOp::create(
        b, loc, VectorType::get({2}, half), pair);
    Value word = vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), v);
    return vector::ExtractOp::create(b, loc, word, ArrayRef<int64_t>{0})
        .getResult();
  };
  SmallVector<Value> aWords =
      llvm::map_to_vector(aRegs, [&](ArrayRef<Value> reg) { return pack(reg); });
  Type resultType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(4, f32));
  for (int64_t t = 0; t < 4; ++t) {
    SmallVector<Value> bWords = llvm::map_to_vector(
        bRegs(t), [&](ArrayRef<Value> reg) { return pack(reg); });
    auto op = NVVM::MmaOp::create(
        b, loc, resultType, aWords, bWords,
        ArrayRef<Value>(accs).slice(4 * t, 4), ArrayRef<int64_t>{16, 8, 16},
        /*b1Op=*/std::nullopt, /*intOverflow=*/std::nullopt,
        std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16,
                                      NVVM::MMATypes::bf16},
        std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                       NVVM::MMALayout::col});
    for (int64_t e = 0; e < 4; ++e)
      accs[4 * t + e] = LLVM::ExtractValueOp::create(b, loc, op.getResult(),
                                                     ArrayRef<int64_t>{e});
  }
  return accs;
}
} // namespace

llvm::StringRef mlir::attn::stringifyMmaType(MmaType mma) {
  switch (mma) {
  case MmaType::None:
    return "none";
  case MmaType::F16:
    return "f16";
  case MmaType::BF16:
    return "bf16";
  case MmaType::TF32:
    return "tf32";
  }
  llvm_unreachable("unknown mma type");
}

std::optional<MmaType> mlir::attn::parseMmaType(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<MmaType>>(name)
      .Case("none", MmaType::None)
      .Case("f16", MmaType::F16)
      .Case("bf16", MmaType::BF16)
      .Case("tf32", MmaType::TF32)
      .Default(std::nullopt);
}

bool mlir::attn::canUseMma(linalg::LinalgOp op, MmaType mma) {
  if (mma == MmaType::None || !isTileableContraction(op))
    return false;
  // f32 operands and output: A and B are converted where they are staged,
  // the accumulators stay f32.
  return llvm::all_of(op->getOperands(), [](Value v) {
    return getElementTypeOrSelf(v.getType()).isF32();
  });
}

FailureOr<gpu::LaunchOp>
mlir::attn::mapContractionToTiledKernel(RewriterBase &rewriter,
                                        linalg::LinalgOp op,
                                        const ContractionFusion &fusion,
                                        MmaType mma) {
  if (!isTileableContraction(op))
    return failure();
  if (!canUseMma(op, mma))
    mma = MmaType::None;
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
  // Likewise for the operands' producers, from the operand back to the
  // buffer the producer writes.
  std::array<SmallVector<SmallVector<Value>>, 2> producerSizes;
  for (int i = 0; i < 2; ++i) {
    for (Operation *reshape : fusion.producerReshapes[i]) {
      if (auto expand = dyn_cast<memref::ExpandShapeOp>(reshape))
        producerSizes[i].push_back(memrefSizes(host, expand.getResult()));
      else
        producerSizes[i].push_back(memrefSizes(
            host, cast<memref::CollapseShapeOp>(reshape).getSrc()));
    }
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
  // The type of the staged operands: what the tensor cores multiply.
  Type staged = element;
  if (mma == MmaType::F16)
    staged = rewriter.getF16Type();
  else if (mma == MmaType::BF16)
    staged = rewriter.getBF16Type();
  MemRefType lhsTile = workgroupMemRef({BK, BM + 1}, staged);
  MemRefType rhsTile = workgroupMemRef({BK, BN + 1}, staged);
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, blocks, one, one, host.idx(kThreads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, TypeRange{lhsTile, rhsTile},
      /*privateAttributions=*/{}, /*clusterSizeX=*/nullptr,
      /*clusterSizeY=*/nullptr, /*clusterSizeZ=*/nullptr, /*module=*/nullptr,
      FlatSymbolRefAttr::get(rewriter.getContext(), kernelName(fusion, mma)));
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
      SmallVector<Value> indices = kb.applyMap(map, ivs);
      int which = isLhs ? 0 : 1;
      Value v;
      if (linalg::LinalgOp producer = fusion.producers[which]) {
        // The producer's value at the element: the operand's indices back
        // through the reshapes to the produced buffer, then to the
        // producer's loop indices.
        for (auto [reshape, reshapeSize] :
             llvm::reverse(llvm::zip(fusion.producerReshapes[which],
                                     producerSizes[which]))) {
          ArrayRef<Value> rsizes = reshapeSize;
          SmallVector<Value> source;
          if (auto expand = dyn_cast<memref::ExpandShapeOp>(reshape)) {
            for (ReassociationIndices group :
                 expand.getReassociationIndices()) {
              Value linear = kb.idx(0);
              for (int64_t d : group)
                linear = kb.add(kb.mul(linear, rsizes[d]), indices[d]);
              source.push_back(linear);
            }
          } else {
            auto collapse = cast<memref::CollapseShapeOp>(reshape);
            source.resize(rsizes.size());
            for (auto [dst, group] :
                 llvm::enumerate(collapse.getReassociationIndices())) {
              SmallVector<Value> groupSizes = llvm::map_to_vector(
                  group, [&](int64_t d) { return rsizes[d]; });
              for (auto [d, iv] :
                   llvm::zip(group, kb.delinearize(indices[dst], groupSizes)))
                source[d] = iv;
            }
          }
          indices = std::move(source);
        }
        SmallVector<Value> pivs =
            invert(producer, producer.getDpsInitOperand(0), indices);
        auto guarded = scf::IfOp::create(
            kb.b, kb.loc, inBounds,
            [&](OpBuilder &nb, Location nl) {
              KernelBuilder gb(nb, nl);
              SmallVector<Value> args;
              for (OpOperand *input : producer.getDpsInputOperands())
                args.push_back(loadOperand(gb, producer, input, pivs));
              args.push_back(Value());
              scf::YieldOp::create(nb, nl,
                                   clonePayload(nb, producer, args, pivs));
            },
            [&](OpBuilder &nb, Location nl) {
              scf::YieldOp::create(nb, nl, fzero);
            });
        v = guarded.getResult(0);
      } else {
        v = kb.loadIf(inBounds, operand->get(), indices, fzero);
      }
      if (staged != element)
        v = arith::TruncFOp::create(kb.b, kb.loc, staged, v);
      memref::StoreOp::create(kb.b, kb.loc, v, shared, ValueRange{kl, wl});
    }
  };

  // With tensor cores: warp w of the 8 computes rows 16 * (w / 2) .. + 16
  // and columns 32 * (w % 2) .. + 32 of the tile, four m16n8 mma tiles;
  // lane = 4 * group + lane4 (the PTX fragment layouts' groupID and
  // threadID_in_group).
  Value warp = k.div(tid, k.idx(32)), lane = k.rem(tid, k.idx(32));
  Value warpM = k.mul(k.div(warp, k.idx(2)), k.idx(16));
  Value warpN = k.mul(k.rem(warp, k.idx(2)), k.idx(32));
  Value group = k.div(lane, k.idx(4)), lane4 = k.rem(lane, k.idx(4));

  SmallVector<Value> accInit(kMicroM * kMicroN, fzero);
  auto kLoop = scf::ForOp::create(
      rewriter, loc, zero, kTotal, k.idx(BK), accInit,
      [&](OpBuilder &b, Location l, Value k0, ValueRange accs) {
        KernelBuilder kb(b, l);
        stageTile(kb, lhs, lhsShared, BM, lhsKFast, mBase, k0, true);
        stageTile(kb, rhs, rhsShared, BN, rhsKFast, nBase, k0, false);
        gpu::BarrierOp::create(b, l);
        if (mma != MmaType::None) {
          SmallVector<Value> next =
              mmaStep(kb, mma, lhsShared, rhsShared, warpM, warpN, group,
                      lane4, llvm::to_vector(accs));
          gpu::BarrierOp::create(b, l);
          scf::YieldOp::create(b, l, next);
          return;
        }
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
      if (mma != MmaType::None) {
        // Accumulator 4 t + 2 r + c is element (r, c) of the thread's
        // fragment of mma tile t: row group + 8 r, column 2 lane4 + c.
        int64_t t = i, r = j / 2, c = j % 2;
        mi = k.add(mBase, k.add(warpM, k.add(group, k.idx(8 * r))));
        ni = k.add(nBase,
                   k.add(warpN, k.add(k.mul(lane4, k.idx(2)),
                                      k.idx(8 * t + c))));
      }
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
  for (linalg::LinalgOp producer : fusion.producers)
    if (producer)
      rewriter.eraseOp(producer);
  return launch;
}
