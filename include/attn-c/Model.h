/*===-- attn-c/Model.h - C API: models and their parameters -------*- C -*-===*\
|*                                                                            *|
|* Building Transformer encoders (attn/Model/EncoderBuilder.h), parsing       *|
|* models, and reading their parameter globals (DESIGN.md section 2).         *|
|* Functions that can fail report why as diagnostics on the context (see      *|
|* attn-c/Diagnostics.h) and return a null module or a failure.               *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_MODEL_H
#define ATTN_C_MODEL_H

#include "attn-c/Runtime.h"
#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// mlir::attn::EncoderConfig. Get the defaults with
/// mlirAttnEncoderConfigGetDefault and change what differs.
typedef struct MlirAttnEncoderConfig {
  int64_t layers;
  int64_t dModel;
  int64_t heads; ///< Must divide dModel.
  int64_t ffn;
  /// relu, gelu (exact erf form), silu or leaky_relu (slope 0.01).
  MlirStringRef activation;
  /// Pre-norm: x + attn(ln1(x)), x + ffn(ln2(x)), no final norm; else
  /// post-norm (PyTorch's default): ln1(x + attn(x)), ln2(x + ffn(x)).
  bool preNorm;
  bool causal;
  /// Run-time attention masks the model's @forward takes after x: "none",
  /// "additive" (`mask` [T, T], added to the scores, PyTorch's float
  /// src_mask), "key_padding" (`key_padding_mask` [B, T], additive per
  /// key: 0 attends, -inf is padding) or "both".
  MlirStringRef mask;
  /// Without biases the model has no bias parameters at all.
  bool bias;
  int64_t batch;
  int64_t seqLen; ///< 0 = dynamic.
  double layerNormEpsilon;
} MlirAttnEncoderConfig;

/// The defaults of attn-model (16 layers, d_model 256, 4 heads, ffn 1024,
/// silu, post-norm, no mask input, biases, batch 1, dynamic length, epsilon
/// 1e-5). The activation and mask strings are static.
MLIR_CAPI_EXPORTED MlirAttnEncoderConfig mlirAttnEncoderConfigGetDefault(void);

/// Builds and verifies the encoder described by `config`, exactly as
/// attn-model does. Returns a null module, after emitting an error naming
/// the offending field, if the config is invalid.
MLIR_CAPI_EXPORTED MlirModule
mlirAttnBuildEncoder(MlirContext context, const MlirAttnEncoderConfig *config);

/// Builds a model whose @forward is one self-attention `attn.mha` (PyTorch's
/// nn.MultiheadAttention called as mha(x, x, x)), without residual, norm or
/// feed-forward. Uses dModel, heads, causal, mask, bias, batch and seqLen
/// of `config`; the parameters are `layers.0.attn.{wq,wk,wv,wo,bq,bk,bv,bo}`.
MLIR_CAPI_EXPORTED MlirModule mlirAttnBuildSelfAttention(
    MlirContext context, const MlirAttnEncoderConfig *config);

/// Parses and verifies `text`; locations name `sourceName`. Returns a null
/// module, after emitting the parser's or verifier's errors, on failure.
MLIR_CAPI_EXPORTED MlirModule mlirAttnParseModule(MlirContext context,
                                                  MlirStringRef text,
                                                  MlirStringRef sourceName);

/// One parameter of a model: a top-level `ml_program.global` with an
/// `#ml_program.extern` initial value.
typedef struct MlirAttnParamInfo {
  MlirStringRef name;
  /// The global's type (normally a ranked tensor of f32).
  MlirType type;
  /// Its `attn.init` origin (`copy:<name>`, `mean-heads:<name>`,
  /// `slice:<name>`, `zeros`, `ones`, `random`, `train`), or an empty
  /// string for an original parameter.
  MlirStringRef init;
} MlirAttnParamInfo;

typedef void (*MlirAttnParamCallback)(MlirAttnParamInfo info, void *userData);

/// Calls `callback` for every parameter of `module`, in module order.
MLIR_CAPI_EXPORTED void
mlirAttnModuleForEachParam(MlirModule module, MlirAttnParamCallback callback,
                           void *userData);

/// Seeded random values for every parameter of `module`, the same as
/// `attn-model --params-out --seed=seed` writes (see randomParameters in
/// attn/Model/EncoderBuilder.h; `attn.init = "zeros"`/`"ones"` honoured).
/// Calls `callback` once per parameter with an F32 tensor. Fails, after
/// emitting an error, if a parameter is not a statically shaped f32 tensor.
MLIR_CAPI_EXPORTED MlirLogicalResult
mlirAttnModuleRandomParams(MlirModule module, uint64_t seed,
                           MlirAttnTensorCallback callback, void *userData);

#ifdef __cplusplus
}
#endif

#endif // ATTN_C_MODEL_H
