//===- MapLinalg.cpp - linalg on buffers to GPU kernels
//--------------------===//
//
// attn-gpu-map-linalg: contractions to the shared-memory tiled kernel
// (ContractionKernel.cpp), every other linalg op to one thread per point of
// its parallel iteration space, non-contiguous copies to copy kernels.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "attn/GPU/Passes.h"
#include "attn/GPU/Transforms.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUMAPLINALG
#include "attn/GPU/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_detail;


FailureOr<gpu::LaunchOp>
mlir::attn::mapLinalgOpToThreads(RewriterBase &rewriter, linalg::LinalgOp op,
                                 int64_t threadsPerBlock) {
  if (!op.hasPureBufferSemantics() || threadsPerBlock <= 0)
    return failure();
  SmallVector<unsigned> parallel, reduction;
  for (auto [dim, type] : llvm::enumerate(op.getIteratorTypesArray()))
    (type == utils::IteratorType::parallel ? parallel : reduction)
        .push_back(dim);
  // Each thread owns its output points: outputs must not depend on a
  // reduction dimension.
  for (OpOperand &init : op.getDpsInitsMutable())
    for (unsigned dim : reduction)
      if (op.getMatchingIndexingMap(&init).isFunctionOfDim(dim))
        return rewriter.notifyMatchFailure(
            op, "an output is indexed by a reduction dimension");

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  KernelBuilder host(rewriter, loc);
  SmallVector<Value> sizes =
      llvm::map_to_vector(op.createLoopRanges(rewriter, loc), [&](Range r) {
        return getValueOrCreateConstantIndexOp(rewriter, loc, r.size);
      });
  SmallVector<Value> parallelSizes =
      llvm::map_to_vector(parallel, [&](unsigned d) { return sizes[d]; });
  Value total = host.product(parallelSizes);
  Value threads = host.idx(threadsPerBlock);
  // An empty iteration space still launches one (idle) block.
  Value blocks = host.max(host.ceilDiv(total, threads), host.idx(1));
  Value one = host.idx(1);
  // Kernels are named after what they compute (kernel profiles, ptxas -v).
  std::string name = ("attn_" + op->getName().stripDialect() + "_kernel").str();
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, blocks, one, one, threads, one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, /*workgroupAttributions=*/{},
      /*privateAttributions=*/{}, /*clusterSizeX=*/nullptr,
      /*clusterSizeY=*/nullptr, /*clusterSizeZ=*/nullptr, /*module=*/nullptr,
      FlatSymbolRefAttr::get(rewriter.getContext(), name));

  Block &body = launch.getBody().front();
  rewriter.setInsertionPointToStart(&body);
  KernelBuilder k(rewriter, loc);
  Value linear = k.add(k.mul(launch.getBlockIds().x, launch.getBlockSize().x),
                       launch.getThreadIds().x);
  auto inRange = scf::IfOp::create(rewriter, loc, k.ult(linear, total),
                                   /*withElseRegion=*/false);
  gpu::TerminatorOp::create(rewriter, loc);

  rewriter.setInsertionPointToStart(inRange.thenBlock());
  SmallVector<Value> ivs(op.getNumLoops());
  for (auto [dim, iv] :
       llvm::zip(parallel, k.delinearize(linear, parallelSizes)))
    ivs[dim] = iv;
  for (unsigned dim : reduction)
    ivs[dim] = k.idx(0);

  // Output points and their initial values.
  SmallVector<SmallVector<Value>> outIndices;
  SmallVector<Value> inits;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    outIndices.push_back(k.applyMap(op.getMatchingIndexingMap(&init), ivs));
    if (op.payloadUsesValueFromOperand(&init) || !reduction.empty())
      inits.push_back(
          memref::LoadOp::create(rewriter, loc, init.get(), outIndices.back()));
    else
      inits.push_back(Value());
  }

  // The payload at the current point; `accs` are the output values so far.
  auto computePoint = [&](OpBuilder &b, ArrayRef<Value> pointIvs,
                          ArrayRef<Value> accs) {
    KernelBuilder pk(b, loc);
    SmallVector<Value> args;
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value v = input->get();
      if (!isa<MemRefType>(v.getType())) {
        args.push_back(v);
      } else if (!op.payloadUsesValueFromOperand(input)) {
        args.push_back(Value());
      } else {
        args.push_back(memref::LoadOp::create(
            b, loc, v,
            pk.applyMap(op.getMatchingIndexingMap(input), pointIvs)));
      }
    }
    llvm::append_range(args, accs);
    return clonePayload(b, op, args, pointIvs);
  };

  SmallVector<Value> results;
  if (reduction.empty()) {
    results = computePoint(rewriter, ivs, inits);
  } else {
    SmallVector<Value> lbs(reduction.size(), k.idx(0));
    SmallVector<Value> steps(reduction.size(), k.idx(1));
    SmallVector<Value> ubs =
        llvm::map_to_vector(reduction, [&](unsigned d) { return sizes[d]; });
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, ubs, steps, inits,
        [&](OpBuilder &b, Location, ValueRange loopIvs, ValueRange accs) {
          SmallVector<Value> pointIvs(ivs);
          for (auto [dim, iv] : llvm::zip(reduction, loopIvs))
            pointIvs[dim] = iv;
          return scf::ValueVector(
              computePoint(b, pointIvs, llvm::to_vector(accs)));
        });
    results = llvm::to_vector(nest.results);
  }
  for (auto [init, value, indices] :
       llvm::zip(op.getDpsInitsMutable(), results, outIndices))
    memref::StoreOp::create(rewriter, loc, value, init.get(), indices);

  rewriter.eraseOp(op);
  return launch;
}

namespace {

/// Whether `type` is a memref with the identity layout (contiguous).
bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getLayout().isIdentity();
}

struct MapLinalgPass
    : public mlir::attn::impl::AttnGpuMapLinalgBase<MapLinalgPass> {
  using AttnGpuMapLinalgBase::AttnGpuMapLinalgBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    std::optional<MmaType> mmaType = parseMmaType(mma);
    if (!mmaType) {
      func.emitError() << "attn-gpu-map-linalg: unknown mma type '" << mma
                       << "' (expected none, f16, bf16 or tf32)";
      return signalPassFailure();
    }

    // Copies between strided buffers become copy kernels.
    SmallVector<memref::CopyOp> copies;
    func.walk([&](memref::CopyOp copy) {
      if (copy->getParentOfType<gpu::LaunchOp>())
        return;
      if (!isContiguous(copy.getSource().getType()) ||
          !isContiguous(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }

    SmallVector<linalg::LinalgOp> ops;
    func.walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>())
        ops.push_back(op);
    });
    // What each contraction's kernel absorbs, decided on the IR as it is
    // (an op is absorbed once).
    llvm::DenseMap<Operation *, ContractionFusion> fusions;
    llvm::DenseSet<Operation *> absorbed;
    if (tileContractions && fuseEpilogues) {
      for (linalg::LinalgOp op : ops) {
        if (absorbed.contains(op) || !isTileableContraction(op))
          continue;
        ContractionFusion fusion = findContractionFusion(op);
        if (fusion.init && !absorbed.insert(fusion.init).second)
          fusion.init = nullptr;
        if (fusion.epilogue && !absorbed.insert(fusion.epilogue).second)
          fusion.epilogue = nullptr;
        for (linalg::LinalgOp &producer : fusion.producers)
          if (producer && !absorbed.insert(producer).second)
            producer = nullptr;
        fusions[op] = std::move(fusion);
      }
    }
    for (linalg::LinalgOp op : ops) {
      if (absorbed.contains(op))
        continue;
      if (!op.hasPureBufferSemantics()) {
        op.emitError() << "attn-gpu-map-linalg runs after bufferization; "
                          "this op still has tensor operands";
        return signalPassFailure();
      }
      if (tileContractions && isTileableContraction(op)) {
        if (succeeded(
                mapContractionToTiledKernel(rewriter, op, fusions.lookup(op),
                                            *mmaType)))
          continue;
      }
      if (blockReductions && isBlockReduction(op)) {
        if (succeeded(mapReductionToBlocks(rewriter, op)))
          continue;
      }
      if (failed(mapLinalgOpToThreads(rewriter, op, threadsPerBlock))) {
        op.emitError() << "cannot map this op to a GPU kernel: an output is "
                          "indexed by a reduction dimension";
        return signalPassFailure();
      }
    }
  }
};

} // namespace
