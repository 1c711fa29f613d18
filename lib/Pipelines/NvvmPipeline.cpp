//===- NvvmPipeline.cpp - attn-nvvm-pipeline
//-------------------------------===//
//
// attn on tensors -> linalg -> buffers -> gpu.launch kernels with device
// buffers -> gpu.func + gpu.launch_func -> NVVM -> GPU binary + host LLVM.
// The passes specific to the GPU path live in lib/GPU; see docs/gpu.md.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/NvvmPipeline.h"
#include "PipelineStages.h"
#include "attn/Conversion/AttnToLinalg/Passes.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/GPU/Passes.h"
#include "attn/GPU/Toolkit.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/OptimizeForNVVM.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::attn;

llvm::StringRef mlir::attn::stringifyNvvmPhase(NvvmPhase phase) {
  switch (phase) {
  case NvvmPhase::Linalg:
    return "linalg";
  case NvvmPhase::Bufferized:
    return "bufferized";
  case NvvmPhase::Gpu:
    return "gpu";
  case NvvmPhase::Kernels:
    return "kernels";
  case NvvmPhase::Nvvm:
    return "nvvm";
  case NvvmPhase::LLVMDialect:
    return "llvm";
  }
  llvm_unreachable("unknown phase");
}

std::optional<NvvmPhase> mlir::attn::parseNvvmPhase(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<NvvmPhase>>(name)
      .Case("linalg", NvvmPhase::Linalg)
      .Case("bufferized", NvvmPhase::Bufferized)
      .Case("gpu", NvvmPhase::Gpu)
      .Case("kernels", NvvmPhase::Kernels)
      .Case("nvvm", NvvmPhase::Nvvm)
      .Case("llvm", NvvmPhase::LLVMDialect)
      .Default(std::nullopt);
}

llvm::StringRef mlir::attn::stringifyGpuBinaryFormat(GpuBinaryFormat format) {
  switch (format) {
  case GpuBinaryFormat::Isa:
    return "isa";
  case GpuBinaryFormat::Bin:
    return "bin";
  case GpuBinaryFormat::Fatbin:
    return "fatbin";
  }
  llvm_unreachable("unknown format");
}

namespace {
using pipelines::addCleanup;

/// Phase 1: attn on tensors to linalg on tensors; attn.attend to the fused
/// kernel where it can.
void addToLinalg(OpPassManager &pm, const AttnNvvmPipelineOptions &options) {
  ConvertAttnToLinalgOptions toLinalg;
  toLinalg.attendBlockSize = options.attendBlockSize;
  pipelines::addAttnToLinalg(
      pm, options.entry, options.paramAlignment, toLinalg,
      [&](OpPassManager &pm) {
        if (options.layerNormKernel)
          pm.addPass(createAttnGpuLowerLayerNorm());
        if (!options.fuseAttend)
          return;
        AttnGpuLowerAttendOptions attend;
        attend.blockQ = options.attendBlockQ;
        attend.blockK = options.attendBlockK;
        pm.addPass(createAttnGpuLowerAttend(attend));
      });
}

/// Phase 2: one-shot bufferization, identity layouts at the boundary (the
/// ABI of the CPU models). Deallocation waits for the kernels' outlining
/// (upstream buffer deallocation does not look into gpu.launch).
void addBufferization(OpPassManager &pm) { pipelines::addOneShotBufferize(pm); }

/// Phase 3: every linalg op a kernel, the data in device memory.
void addToGpu(OpPassManager &pm, const AttnNvvmPipelineOptions &options) {
  AttnGpuMapLinalgOptions map;
  map.threadsPerBlock = options.threadsPerBlock;
  map.tileContractions = options.tileContractions;
  map.fuseEpilogues = options.fuseEpilogues;
  map.mma = options.mma;
  map.blockReductions = options.blockReductions;
  pm.addNestedPass<func::FuncOp>(createAttnGpuMapLinalg(map));
  addCleanup(pm);
  AttnGpuDeviceBuffersOptions buffers;
  buffers.residentParams = options.residentParams;
  pm.addNestedPass<func::FuncOp>(createAttnGpuDeviceBuffers(buffers));
  // Constants and index arithmetic move into the kernels instead of
  // becoming kernel arguments.
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  addCleanup(pm);
}

/// Phase 4: outlined kernels, freed buffers, one stream per function.
void addKernels(OpPassManager &pm) {
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createAttnGpuMergeKernelModules());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addNestedPass<func::FuncOp>(createAttnGpuDeviceDeallocs());
  addCleanup(pm);
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
}

/// Phase 5: kernels to NVVM.
void addToNvvm(OpPassManager &pm, const AttnNvvmPipelineOptions &options) {
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  // nvgpu.mma.sync (mma=f16|tf32) to nvvm.mma.sync first.
  kernels.addPass(createConvertNVGPUToNVVMPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(LLVM::createNVVMOptimizeForTargetPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
}

/// Phase 6: host code to LLVM, kernels to a binary.
void addToLLVM(OpPassManager &pm, const AttnNvvmPipelineOptions &options) {
  pipelines::HostToLLVMOptions host;
  host.gpuHost = true;
  pipelines::addHostToLLVM(pm, host);

  std::string toolkit = resolveCudaToolkit(options.toolkit);
  std::string format = stringifyGpuBinaryFormat(options.format).str();
  AttnGpuCheckToolkitOptions check;
  check.toolkit = toolkit;
  check.format = format;
  pm.addPass(createAttnGpuCheckToolkit(check));
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = toolkit;
  binary.compilationTarget = format;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}
} // namespace

void mlir::attn::buildAttnNvvmPipeline(OpPassManager &pm,
                                       const AttnNvvmPipelineOptions &options) {
  addToLinalg(pm, options);
  if (options.stopAfter == NvvmPhase::Linalg)
    return;
  addBufferization(pm);
  if (options.stopAfter == NvvmPhase::Bufferized)
    return;
  addToGpu(pm, options);
  if (options.stopAfter == NvvmPhase::Gpu)
    return;
  addKernels(pm);
  if (options.stopAfter == NvvmPhase::Kernels)
    return;
  addToNvvm(pm, options);
  if (options.stopAfter == NvvmPhase::Nvvm)
    return;
  addToLLVM(pm, options);
}

void mlir::attn::registerAttnNvvmPipeline() {
  PassPipelineRegistration<AttnNvvmPipelineOptions>(
      "attn-nvvm-pipeline",
      "Lowers an attn model to NVVM kernels in a GPU binary and host code "
      "in the LLVM dialect that launches them through the mgpu* runtime: "
      "fused attention kernel, tiled contractions, device buffers "
      "(stop-after=linalg|bufferized|gpu|kernels|nvvm|llvm)",
      buildAttnNvvmPipeline);
}
