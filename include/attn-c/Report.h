/*===-- attn-c/Report.h - C API: the cost model of attn-report ----*- C -*-===*\
|*                                                                            *|
|* Per attention layer and in total: parameters, attention state per          *|
|* position, FLOPs, bytes and map memory at a sequence length, as             *|
|* attn/Dialect/Attn/Analysis/CostModel.h defines them. Failures are reported *|
|* as diagnostics on the module's context.                                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_REPORT_H
#define ATTN_C_REPORT_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// mlir::attn::LayerCost.
typedef struct MlirAttnLayerCost {
  int64_t index;
  /// "mha", "reuse", "tied", "mhe", "mgk", "seq_mlp" or "head_seq_mlp".
  MlirStringRef kind;
  int64_t params;
  int64_t statePerPosition;
  int64_t flops;
  int64_t bytes;
  int64_t mapBytes;
} MlirAttnLayerCost;

/// mlir::attn::ModelCost without its layers.
typedef struct MlirAttnModelCost {
  int64_t seqLen;
  int64_t batch;
  int64_t params;
  int64_t attentionParams;
  int64_t statePerPosition;
  int64_t flops;
  int64_t bytes;
  int64_t mapBytes;
} MlirAttnModelCost;

typedef void (*MlirAttnLayerCostCallback)(MlirAttnLayerCost layer,
                                          void *userData);

/// Computes the cost of `module` at `seqLen` (0: the model's static T, else
/// 1024): fills `total` and calls `layerCallback` once per attention layer,
/// in program order. Fails, after emitting an error, as computeModelCost
/// does.
MLIR_CAPI_EXPORTED MlirLogicalResult mlirAttnModuleComputeCost(
    MlirModule module, int64_t seqLen, MlirAttnModelCost *total,
    MlirAttnLayerCostCallback layerCallback, void *userData);

/// The same cost as attn-report prints it: `format` is "table" or "json".
/// Calls `callback` with the text (possibly in pieces).
MLIR_CAPI_EXPORTED MlirLogicalResult
mlirAttnModulePrintCost(MlirModule module, int64_t seqLen, MlirStringRef format,
                        MlirStringCallback callback, void *userData);

#ifdef __cplusplus
}
#endif

#endif // ATTN_C_REPORT_H
