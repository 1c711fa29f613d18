//===- Report.cpp - C API: the cost model behind attn-report --------------===//

#include "attn-c/Report.h"
#include "attn/Dialect/Attn/Analysis/CostModel.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/CAPI/Utils.h"

using namespace mlir;
using namespace mlir::attn;

MlirLogicalResult mlirAttnModuleComputeCost(
    MlirModule module, int64_t seqLen, MlirAttnModelCost *total,
    MlirAttnLayerCostCallback layerCallback, void *userData) {
  FailureOr<ModelCost> cost = computeModelCost(unwrap(module), seqLen);
  if (failed(cost))
    return wrap(failure());
  total->seqLen = cost->seqLen;
  total->batch = cost->batch;
  total->params = cost->params;
  total->attentionParams = cost->attentionParams;
  total->statePerPosition = cost->statePerPosition;
  total->flops = cost->flops;
  total->bytes = cost->bytes;
  total->mapBytes = cost->mapBytes;
  if (layerCallback) {
    for (const LayerCost &layer : cost->layers) {
      MlirAttnLayerCost view;
      view.index = layer.index;
      view.kind = wrap(StringRef(layer.kind));
      view.params = layer.params;
      view.statePerPosition = layer.statePerPosition;
      view.flops = layer.flops;
      view.bytes = layer.bytes;
      view.mapBytes = layer.mapBytes;
      layerCallback(view, userData);
    }
  }
  return wrap(success());
}

MlirLogicalResult mlirAttnModulePrintCost(MlirModule module, int64_t seqLen,
                                          MlirStringRef format,
                                          MlirStringCallback callback,
                                          void *userData) {
  ModuleOp op = unwrap(module);
  StringRef kind = unwrap(format);
  if (kind != "table" && kind != "json") {
    emitError(op.getLoc()) << "unknown report format '" << kind
                           << "' (expected table or json)";
    return wrap(failure());
  }
  FailureOr<ModelCost> cost = computeModelCost(op, seqLen);
  if (failed(cost))
    return wrap(failure());
  detail::CallbackOstream stream(callback, userData);
  if (kind == "table")
    printModelCostTable(*cost, stream);
  else
    printModelCostJson(*cost, stream);
  stream.flush();
  return wrap(success());
}
