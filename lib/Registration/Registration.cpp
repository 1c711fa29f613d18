//===- Registration.cpp - one place that registers attn -------------------===//

#include "attn/Registration.h"
#include "attn/Conversion/AttnToLinalg/Passes.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/GPU/Passes.h"
#include "attn/Pipelines/Passes.h"
#include "attn/Pipelines/NvvmPipeline.h"
#include "attn/Pipelines/Pipelines.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::attn::registerAttnDialects(DialectRegistry &registry) {
  // linalg: a model with a key-padding mask broadcasts it with
  // linalg.generic (attn/Model/EncoderBuilder.h).
  registry.insert<AttnDialect, arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, ml_program::MLProgramDialect,
                  tensor::TensorDialect>();
}

void mlir::attn::registerAllAttnPasses() {
  registerAttnPasses();
  registerAttnConversionPasses();
  registerAttnGPUPasses();
  registerAttnPipelinesPasses();
  registerAttnPipelines();
  registerAttnNvvmPipeline();
}
