//===- Model.cpp - C API: models and their parameters ---------------------===//

#include "attn-c/Model.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Model/EncoderBuilder.h"
#include "attn/Support/InputLimits.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::attn;

MlirAttnEncoderConfig mlirAttnEncoderConfigGetDefault(void) {
  static const EncoderConfig defaults;
  static const std::string activation =
      stringifyActivation(defaults.activation).str();
  MlirAttnEncoderConfig config;
  config.layers = defaults.layers;
  config.dModel = defaults.dModel;
  config.heads = defaults.heads;
  config.ffn = defaults.ffn;
  config.activation = wrap(StringRef(activation));
  config.preNorm = defaults.preNorm;
  config.causal = defaults.causal;
  config.mask = wrap(stringifyMaskInputs(defaults.mask));
  config.bias = defaults.bias;
  config.batch = defaults.batch;
  config.seqLen = defaults.seqLen;
  config.layerNormEpsilon = defaults.layerNormEpsilon;
  return config;
}

/// The C++ config, or failure after an error naming a bad activation.
static FailureOr<EncoderConfig> toCpp(MLIRContext *context,
                                      const MlirAttnEncoderConfig &c) {
  EncoderConfig config;
  config.layers = c.layers;
  config.dModel = c.dModel;
  config.heads = c.heads;
  config.ffn = c.ffn;
  std::optional<Activation> activation =
      symbolizeActivation(unwrap(c.activation));
  if (!activation)
    return emitError(UnknownLoc::get(context))
           << "invalid encoder config: unknown activation '"
           << unwrap(c.activation)
           << "' (expected relu, gelu, silu or leaky_relu)";
  config.activation = *activation;
  config.preNorm = c.preNorm;
  config.causal = c.causal;
  std::optional<MaskInputs> mask = symbolizeMaskInputs(unwrap(c.mask));
  if (!mask)
    return emitError(UnknownLoc::get(context))
           << "invalid encoder config: unknown mask '" << unwrap(c.mask)
           << "' (expected none, additive, key_padding or both)";
  config.mask = *mask;
  config.bias = c.bias;
  config.batch = c.batch;
  config.seqLen = c.seqLen;
  config.layerNormEpsilon = c.layerNormEpsilon;
  return config;
}

MlirModule mlirAttnBuildEncoder(MlirContext context,
                                const MlirAttnEncoderConfig *config) {
  MLIRContext *ctx = unwrap(context);
  FailureOr<EncoderConfig> cpp = toCpp(ctx, *config);
  if (failed(cpp))
    return MlirModule{nullptr};
  OwningOpRef<ModuleOp> module = buildEncoder(*ctx, *cpp);
  return wrap(module.release());
}

MlirModule mlirAttnBuildSelfAttention(MlirContext context,
                                      const MlirAttnEncoderConfig *config) {
  MLIRContext *ctx = unwrap(context);
  FailureOr<EncoderConfig> cpp = toCpp(ctx, *config);
  if (failed(cpp))
    return MlirModule{nullptr};
  // The encoder's checks cover every field used here; the others (layers,
  // ffn, activation, norm) keep valid values.
  cpp->layers = 1;
  Location loc = UnknownLoc::get(ctx);
  if (llvm::Error err = cpp->validate()) {
    emitError(loc) << "invalid attention config: "
                   << llvm::toString(std::move(err));
    return MlirModule{nullptr};
  }
  ctx->loadDialect<AttnDialect, arith::ArithDialect, func::FuncDialect,
                   linalg::LinalgDialect, ml_program::MLProgramDialect,
                   tensor::TensorDialect>();

  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder globals = OpBuilder::atBlockEnd(module->getBody());
  int64_t d = cpp->dModel;
  ForwardEntry entryFn = createForward(globals, loc, *cpp);
  func::FuncOp forward = entryFn.forward;
  Block *entry = &forward.getBody().front();
  globals.setInsertionPoint(forward);
  // The encoder builder's conventions: parameters of layer 0, ops located
  // at `layers.0`.
  auto body = ImplicitLocOpBuilder::atBlockEnd(
      NameLoc::get(StringAttr::get(ctx, "layers.0")), entry);
  auto param = [&](StringRef name, ArrayRef<int64_t> shape) -> Value {
    auto type = RankedTensorType::get(shape, body.getF32Type());
    std::string symbol = ("layers.0.attn." + name).str();
    ml_program::GlobalOp::create(globals, loc, symbol, type,
                                 /*is_mutable=*/false,
                                 ml_program::ExternAttr::get(ctx, type),
                                 globals.getStringAttr("private"));
    return ml_program::GlobalLoadConstOp::create(
        body, type, FlatSymbolRefAttr::get(ctx, symbol));
  };
  Value wq = param("wq", {d, d}), wk = param("wk", {d, d}),
        wv = param("wv", {d, d}), wo = param("wo", {d, d});
  Value bq, bk, bv, bo;
  if (cpp->bias) {
    bq = param("bq", {d});
    bk = param("bk", {d});
    bv = param("bv", {d});
    bo = param("bo", {d});
  }
  Value x = entryFn.x;
  Value y = MhaOp::create(body, x.getType(), x, x, wq, wk, wv, wo, bq, bk, bv,
                          bo, entryFn.mask, cpp->heads, cpp->causal,
                          /*scale=*/FloatAttr());
  func::ReturnOp::create(body, y);
  if (failed(verify(*module)))
    return MlirModule{nullptr};
  return wrap(module.release());
}

MlirModule mlirAttnParseModule(MlirContext context, MlirStringRef text,
                               MlirStringRef sourceName) {
  ParserConfig config(unwrap(context));
  // MLIR's parser recurses per nesting level (docs/robustness.md).
  std::unique_ptr<llvm::MemoryBuffer> view = llvm::MemoryBuffer::getMemBuffer(
      unwrap(text), unwrap(sourceName), /*RequiresNullTerminator=*/false);
  if (failed(checkMLIRNesting(*view, unwrap(context))))
    return MlirModule{nullptr};
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(unwrap(text), config, unwrap(sourceName));
  return wrap(module.release());
}

/// The parameters of `module`, as randomParameters defines them.
static SmallVector<ml_program::GlobalOp> getParams(ModuleOp module) {
  SmallVector<ml_program::GlobalOp> params;
  for (auto global : module.getOps<ml_program::GlobalOp>())
    if (isa_and_nonnull<ml_program::ExternAttr>(global.getValueAttr()))
      params.push_back(global);
  return params;
}

void mlirAttnModuleForEachParam(MlirModule module,
                                MlirAttnParamCallback callback,
                                void *userData) {
  for (ml_program::GlobalOp global : getParams(unwrap(module))) {
    auto init = global->getAttrOfType<StringAttr>(AttnDialect::kInitAttrName);
    MlirAttnParamInfo info;
    info.name = wrap(global.getSymName());
    info.type = wrap(global.getType());
    info.init = wrap(init ? init.getValue() : StringRef());
    callback(info, userData);
  }
}

MlirLogicalResult mlirAttnModuleRandomParams(MlirModule module, uint64_t seed,
                                             MlirAttnTensorCallback callback,
                                             void *userData) {
  ModuleOp op = unwrap(module);
  auto params = randomParameters(op, seed);
  if (!params) {
    op.emitError() << llvm::toString(params.takeError());
    return wrap(failure());
  }
  for (const auto &[name, tensor] : *params) {
    MlirAttnTensor view;
    view.name = wrap(StringRef(name));
    view.dtype = wrap(::attn::rt::dtypeName(tensor.dtype));
    view.rank = static_cast<intptr_t>(tensor.shape.size());
    view.shape = tensor.shape.data();
    view.data = tensor.data.data();
    view.numBytes = tensor.data.size();
    callback(view, userData);
  }
  return wrap(success());
}
