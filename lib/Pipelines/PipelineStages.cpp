//===- PipelineStages.cpp - stages shared by the CPU and NVVM pipelines ---===//

#include "PipelineStages.h"
#include "attn/Conversion/AttnToLinalg/Passes.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
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
    int64_t attendBlockSize, int64_t attendQueryBlockSize,
    llvm::function_ref<void(OpPassManager &)> beforeLowering) {
  pm.addPass(createAttnDecompose());
  pm.addPass(createAttnFuseAttend());
  AttnBindParamsOptions bind;
  bind.entry = entry;
  bind.alignment = paramAlignment;
  pm.addPass(createAttnBindParams(bind));
  beforeLowering(pm);

  ConvertAttnToLinalgOptions toLinalg;
  toLinalg.attendBlockSize = attendBlockSize;
  toLinalg.attendQueryBlockSize = attendQueryBlockSize;
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
