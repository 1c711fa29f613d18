//===- PipelineStages.cpp - stages shared by the CPU and NVVM pipelines ---===//

#include "PipelineStages.h"
#include "attn/Conversion/AttnToLinalg/Passes.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/GPUCommon/GPUCommonPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::attn;

void mlir::attn::pipelines::addCleanup(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::attn::pipelines::addAttnToLinalg(
    OpPassManager &pm, const std::string &entry, int64_t paramAlignment,
    const ConvertAttnToLinalgOptions &toLinalg,
    llvm::function_ref<void(OpPassManager &)> beforeLowering) {
  pm.addPass(createAttnDecompose());
  pm.addPass(createAttnFuseAttend());
  AttnBindParamsOptions bind;
  bind.entry = entry;
  bind.alignment = paramAlignment;
  pm.addPass(createAttnBindParams(bind));
  beforeLowering(pm);

  pm.addPass(createConvertAttnToLinalg(toLinalg));
  // Residual additions and other element-wise ops on tensors.
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createAttnDecomposeAggregates());
  addCleanup(pm);
  // Not upstream's fusion, which fuses activations into the next
  // contraction (recomputing them per output column, and hiding the
  // contraction from the tiled kernels).
  pm.addPass(createAttnFuseElementwise());
  addCleanup(pm);
}

void mlir::attn::pipelines::addOneShotBufferize(OpPassManager &pm) {
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // The online-softmax loop of attn.attend yields new tensors (running max,
  // sum, accumulator) each step rather than updating its iter_args in place.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  addCleanup(pm);
}

void mlir::attn::pipelines::addHostToLLVM(OpPassManager &pm,
                                          const HostToLLVMOptions &options) {
  pm.addPass(createAttnLowerAsserts());
  // MLIR 22.1's expand-strided-metadata crashes on an expand_shape with two
  // dynamic sizes in one group (dynamic B and T); rewrite those first.
  pm.addNestedPass<func::FuncOp>(createAttnExpandShapesToCasts());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // Math with an LLVM intrinsic or expansion first; the rest (erf) becomes
  // libm calls (math-to-libm alone would call rsqrtf, which libm lacks).
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  if (options.vectors)
    pm.addPass(createConvertVectorToLLVMPass());
  if (options.checkedAllocations) {
    // A failed allocation is then ATTN_ERR_OUT_OF_MEMORY instead of a store
    // through NULL.
    FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
    memrefToLLVM.useGenericFunctions = true;
    pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  }
  pm.addPass(createConvertToLLVMPass());
  if (options.gpuHost)
    pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  addCleanup(pm);
}
