/*===- ModelDesc.h - what attn-compile tells the model runtime -----*- C -*-===*\
|*                                                                            *|
|* Internal contract between attn-compile and the model runtime linked into   *|
|* every compiled model (lib/Runtime/ModelGlue.c): attn-compile emits one     *|
|* constant `__attn_model_desc` of this layout (hidden in the library) next   *|
|* to the compiled code, and the runtime implements ModelApi.h on it. Not     *|
|* part of the public API; bump ATTN_MODEL_DESC_VERSION on any change.        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_RUNTIME_MODELDESC_H
#define ATTN_RUNTIME_MODELDESC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATTN_MODEL_DESC_VERSION 3

/* One parameter: its place in the packed parameter buffer. */
typedef struct attn_model_desc_param {
  const char *name;
  const int64_t *shape;
  int64_t offset; /* in elements */
  int64_t num_elements;
  int32_t rank;
} attn_model_desc_param;

/* An input or the output of the entry point; -1 in `shape` is dynamic. */
typedef struct attn_model_desc_tensor {
  const char *name;
  const int64_t *shape;
  const char *const *dims; /* rank symbols ("" = none), or NULL */
  const char *mask;        /* "additive", "key_padding" or "" */
  int32_t rank;
} attn_model_desc_tensor;

/* `_mlir_ciface_<entry>(result, params, input_0, ..., input_{n-1})`: every
   argument is a pointer to a ranked memref descriptor {allocated, aligned,
   offset, sizes[rank], strides[rank]}; the result descriptor comes first.
   The runtime casts `entry` to the type with `num_inputs` inputs. */
typedef void (*attn_model_entry_fn)(void);

typedef struct attn_model_desc {
  int32_t version; /* ATTN_MODEL_DESC_VERSION */
  int32_t num_params;
  const attn_model_desc_param *params;
  int64_t param_size; /* elements of the packed buffer */
  int32_t num_inputs; /* 1 .. ATTN_MODEL_MAX_INPUTS */
  const attn_model_desc_tensor *inputs;
  attn_model_desc_tensor output;
  const char *manifest; /* JSON, NUL-terminated */
  attn_model_entry_fn entry;
  /* 1: the entry takes the packed parameters in device memory (a CUDA
     library compiled with resident-params); the runtime keeps a device copy
     through the mgpu* functions linked beside it. */
  int32_t params_on_device;
} attn_model_desc;

/* Names of the symbols attn-compile emits and the runtime provides. */
#define ATTN_MODEL_DESC_SYMBOL "__attn_model_desc"
#define ATTN_MODEL_RUNTIME_ERROR_SYMBOL "__attn_model_runtime_error"

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ATTN_RUNTIME_MODELDESC_H */
