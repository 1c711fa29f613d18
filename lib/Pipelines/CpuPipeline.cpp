//===- CpuPipeline.cpp - attn-cpu-pipeline ---------------------------------===//

#include "attn/Pipelines/Pipelines.h"
#include "PipelineStages.h"
#include "attn/Conversion/AttnToLinalg/Passes.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::attn;

llvm::StringRef mlir::attn::stringifyCpuPhase(CpuPhase phase) {
  switch (phase) {
  case CpuPhase::Linalg:
    return "linalg";
  case CpuPhase::Bufferized:
    return "bufferized";
  case CpuPhase::Loops:
    return "loops";
  case CpuPhase::LLVMDialect:
    return "llvm";
  }
  llvm_unreachable("unknown phase");
}

std::optional<CpuPhase> mlir::attn::parseCpuPhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CpuPhase>>(name)
      .Case("linalg", CpuPhase::Linalg)
      .Case("bufferized", CpuPhase::Bufferized)
      .Case("loops", CpuPhase::Loops)
      .Case("llvm", CpuPhase::LLVMDialect)
      .Default(std::nullopt);
}

namespace {
using pipelines::addCleanup;

/// Phases 1-3: attn on tensors to linalg on tensors, parameters bound.
void addToLinalg(OpPassManager &pm, const AttnCpuPipelineOptions &options) {
  ConvertAttnToLinalgOptions toLinalg;
  toLinalg.attendBlockSize = options.attendBlockSize;
  toLinalg.attendQueryBlockSize = options.attendQueryBlockSize;
  toLinalg.scoresQueryBlockSize = options.scoresQueryBlockSize;
  pipelines::addAttnToLinalg(
      pm, options.entry, options.paramAlignment, toLinalg,
      [&](OpPassManager &pm) {
        if (!options.outlineLayers)
          return;
        AttnOutlineLayersOptions outline;
        outline.entry = options.entry;
        pm.addPass(createAttnOutlineLayers(outline));
      });
  if (options.rowBlockSize > 0) {
    AttnTileRowChainsOptions rows;
    rows.rows = options.rowBlockSize;
    pm.addPass(createAttnTileRowChains(rows));
    pipelines::addCleanup(pm);
  }
}

/// Phase 4: one-shot bufferization, then deallocation.
void addBufferization(OpPassManager &pm) {
  // After the last CSE, which merges them again.
  pm.addPass(createAttnSplitSharedFills());
  pipelines::addOneShotBufferize(pm);
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createAttnEarlyDeallocs());
}

/// Phase 5: linalg to loops.
void addToLoops(OpPassManager &pm, const AttnCpuPipelineOptions &options) {
  // Contiguous innermost loops and vectorizable math, for LLVM's
  // vectorizers.
  pm.addPass(createAttnInterchangeForVectorization());
  if (options.lowering == CpuLowering::Vector) {
    AttnVectorizeContractionsOptions vectorize;
    vectorize.parallel = options.threads != 1;
    vectorize.threads = options.threads;
    // 6 rows x 4 vectors: 24 accumulators, 4 B vectors and a broadcast of
    // the 32 AVX-512 registers.
    vectorize.rows = 6;
    pm.addPass(createAttnVectorizeContractions(vectorize));
    AttnVectorizeTransposesOptions transposes;
    transposes.parallel = options.threads != 1;
    pm.addPass(createAttnVectorizeTransposes(transposes));
    AttnVectorizeRowsOptions rows;
    rows.parallel = options.threads != 1;
    rows.reductions = options.reassociateReductions;
    pm.addPass(createAttnVectorizeRows(rows));
  }
  if (options.approximateMath) {
    AttnApproximateMathOptions math;
    math.scalef = options.avx512;
    pm.addPass(createAttnApproximateMath(math));
  }
  // Attention query blocks (scf.forall) run on the threads; what runs inside
  // one block is then sequential (attn-parallelize-outer-loops).
  if (options.threads != 1)
    pm.addPass(createForallToParallelLoopPass());
  else
    pm.addPass(createForallToForLoopPass());
  if (options.threads != 1) {
    pm.addPass(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createAttnParallelizeOuterLoops());
  } else {
    pm.addPass(createConvertLinalgToLoopsPass());
  }
  addCleanup(pm);
}

/// Phase 6: everything to the LLVM dialect.
void addToLLVM(OpPassManager &pm, const AttnCpuPipelineOptions &options) {
  if (options.threads != 1) {
    ConvertSCFToOpenMPPassOptions omp;
    omp.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(omp));
    pm.addPass(createAttnInlineAllocaScopes());
  }
  pipelines::HostToLLVMOptions host;
  host.vectors = true;
  host.checkedAllocations = true;
  pipelines::addHostToLLVM(pm, host);
}
} // namespace

void mlir::attn::buildAttnCpuPipeline(OpPassManager &pm,
                                      const AttnCpuPipelineOptions &options) {
  addToLinalg(pm, options);
  if (options.stopAfter == CpuPhase::Linalg)
    return;
  addBufferization(pm);
  if (options.stopAfter == CpuPhase::Bufferized)
    return;
  addToLoops(pm, options);
  if (options.stopAfter == CpuPhase::Loops)
    return;
  addToLLVM(pm, options);
}

void mlir::attn::registerAttnPipelines() {
  PassPipelineRegistration<AttnCpuPipelineOptions>(
      "attn-cpu-pipeline",
      "Lowers an attn model to the LLVM dialect for the host CPU: decompose "
      "and fuse attention, bind parameters, lower to linalg, bufferize, "
      "lower to loops and to LLVM (stop-after=linalg|bufferized|loops|llvm)",
      buildAttnCpuPipeline);
}
