/*===- ModelApi.h - C API of a compiled attn model -----------------*- C -*-===*\
|*                                                                            *|
|* attn-compile turns a model into a self-contained shared library that       *|
|* exports exactly these functions (and writes this header next to it as      *|
|* model.h). The API is the same for every model; what differs is described   *|
|* by the manifest (attn_model_manifest(), also written as model.json).       *|
|*                                                                            *|
|* Conventions (docs/abi.md has the full contract):                           *|
|*  - Every function that can fail returns an attn_status (0 = ATTN_OK) and   *|
|*    writes a NUL-terminated message into `err` (at most `errlen` bytes,     *|
|*    truncated; `err` may be NULL). Nothing aborts on bad input.             *|
|*  - Tensors are dense, row-major (C order) f32 arrays with an int64 shape.  *|
|*  - Parameters are bound by name and copied into the model; inputs and      *|
|*    outputs are caller-owned buffers.                                       *|
|*  - A model takes one or more named inputs (x, and e.g. attention masks),  *|
|*    in manifest order; attn_model_run takes them all, attn_model_forward   *|
|*    is the shorthand for a model with the single input x.                  *|
|*  - attn_model_run/forward may run concurrently on one model from several  *|
|*    threads; set_param must not run concurrently with anything else on     *|
|*    the same model.                                                         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_RUNTIME_MODELAPI_H
#define ATTN_RUNTIME_MODELAPI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this API; attn_model_abi_version() of a library returns the
   version it was compiled against. */
#define ATTN_MODEL_ABI_VERSION 2

/* Largest tensor rank the API accepts. */
#define ATTN_MODEL_MAX_RANK 8

/* Most inputs a model can take. */
#define ATTN_MODEL_MAX_INPUTS 8

typedef enum attn_status {
  ATTN_OK = 0,
  /* A NULL pointer where one is required, a negative rank or capacity, the
     wrong number of inputs. */
  ATTN_ERR_INVALID_ARGUMENT = 1,
  /* attn_model_set_param: the model has no parameter of that name. */
  ATTN_ERR_UNKNOWN_PARAM = 2,
  /* A shape differs from the manifest (rank, a static dim, a dim <= 0). */
  ATTN_ERR_SHAPE_MISMATCH = 3,
  /* attn_model_forward before every parameter was set. */
  ATTN_ERR_PARAM_NOT_SET = 4,
  /* The output does not fit in y_capacity elements; y_shape holds the shape
     it needs. Nothing was written to y. */
  ATTN_ERR_OUTPUT_TOO_SMALL = 5,
  ATTN_ERR_OUT_OF_MEMORY = 6,
  /* A check inside the compiled code failed, e.g. a sequence longer than a
     layer's max_len; the message says which. */
  ATTN_ERR_RUNTIME_CHECK = 7,
  /* A bug: the compiled code broke its own contract. */
  ATTN_ERR_INTERNAL = 8
} attn_status;

/* A model instance: its parameter buffer. Create one per set of weights. */
typedef struct attn_model attn_model;

/* Description of one parameter (storage owned by the library). */
typedef struct attn_param_info {
  const char *name;     /* e.g. "layers.0.attn.wq" */
  int32_t rank;
  const int64_t *shape; /* rank dims */
  int64_t num_elements;
} attn_param_info;

/* Description of an input or the output; shape[i] == -1 is dynamic. Every
   input is a dense row-major f32 array (a boolean mask is passed as an
   additive one: 0.0f attends, -INFINITY masks out). */
typedef struct attn_tensor_info {
  const char *name;  /* "x", "mask", "key_padding_mask", "y" */
  int32_t rank;
  const int64_t *shape;
  const char *dtype; /* "f32" */
  /* NULL, or rank symbols ("B", "T", "D"; "" for none): dims with the same
     symbol must have the same size in every input. */
  const char *const *dims;
  /* "additive" (mask [T, T] added to the attention scores), "key_padding"
     (mask [B, T] added to the scores of each key) or "" (not a mask). */
  const char *mask;
} attn_tensor_info;

/* ATTN_MODEL_ABI_VERSION of the library. */
int32_t attn_model_abi_version(void);

/* The manifest as JSON (the content of model.json). Static storage. */
const char *attn_model_manifest(void);

/* A short name of `status` ("ATTN_ERR_SHAPE_MISMATCH"). Static storage. */
const char *attn_model_status_string(int32_t status);

/* Parameters, in manifest order. */
int32_t attn_model_num_params(void);
/* ATTN_ERR_INVALID_ARGUMENT if `index` is out of range or `info` is NULL. */
int32_t attn_model_param_info(int32_t index, attn_param_info *info);

/* The entry point's inputs, in manifest order (the order attn_model_run
   takes them), and its output. */
int32_t attn_model_num_inputs(void);
/* ATTN_ERR_INVALID_ARGUMENT if `index` is out of range or `info` is NULL. */
int32_t attn_model_input_info_at(int32_t index, attn_tensor_info *info);
/* The first input (x). */
void attn_model_input_info(attn_tensor_info *info);
void attn_model_output_info(attn_tensor_info *info);

/* Creates a model with every parameter unset. */
int32_t attn_model_create(attn_model **model, char *err, size_t errlen);

/* Frees `model` (NULL is fine). */
void attn_model_destroy(attn_model *model);

/* Copies `data` (row-major, `shape` of `rank` dims) into parameter `name`.
   The shape must equal the manifest's exactly. */
int32_t attn_model_set_param(attn_model *model, const char *name,
                             const float *data, const int64_t *shape,
                             int32_t rank, char *err, size_t errlen);

/* Runs the model on its `num_inputs` inputs (must equal
   attn_model_num_inputs()), in manifest order: input i is `inputs[i]`, of
   shape `shapes[i]` with `ranks[i]` dims. Static dims must match the
   manifest, dynamic ones be positive, and dims with the same symbol (e.g. T
   of x and both dims of an additive mask) be equal. Writes the output to `y`
   (room for `y_capacity` floats) and its shape to `y_shape` (room for the
   output rank). On ATTN_ERR_OUTPUT_TOO_SMALL, y_shape holds the needed
   shape. Every parameter must have been set. */
int32_t attn_model_run(attn_model *model, const float *const *inputs,
                       const int64_t *const *shapes, const int32_t *ranks,
                       int32_t num_inputs, float *y, int64_t y_capacity,
                       int64_t *y_shape, char *err, size_t errlen);

/* attn_model_run for a model with one input: runs it on `x` (shape
   `x_shape` of `x_rank` dims). ATTN_ERR_INVALID_ARGUMENT, naming the
   inputs, for a model that takes more. */
int32_t attn_model_forward(attn_model *model, const float *x,
                           const int64_t *x_shape, int32_t x_rank, float *y,
                           int64_t y_capacity, int64_t *y_shape, char *err,
                           size_t errlen);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ATTN_RUNTIME_MODELAPI_H */
