/*===- Introspection.c - what a compiled model says about itself ----------===*\
|*                                                                            *|
|* The introspection functions of ModelApi.h: the ABI version, the manifest,  *|
|* status strings, and the parameters, inputs and output that attn-compile's  *|
|* description (ModelDesc.h) lists. They read the description only; the rest  *|
|* of the C API is in ModelGlue.c.                                            *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "attn/Runtime/ModelApi.h"
#include "attn/Runtime/ModelDesc.h"

#define ATTN_HIDDEN __attribute__((visibility("hidden")))
#define ATTN_EXPORT __attribute__((visibility("default")))

/* Emitted by attn-compile. */
extern const attn_model_desc __attn_model_desc ATTN_HIDDEN;

ATTN_EXPORT int32_t attn_model_abi_version(void) {
  return ATTN_MODEL_ABI_VERSION;
}

ATTN_EXPORT const char *attn_model_manifest(void) {
  return __attn_model_desc.manifest;
}

ATTN_EXPORT const char *attn_model_status_string(int32_t status) {
  switch (status) {
  case ATTN_OK:
    return "ATTN_OK";
  case ATTN_ERR_INVALID_ARGUMENT:
    return "ATTN_ERR_INVALID_ARGUMENT";
  case ATTN_ERR_UNKNOWN_PARAM:
    return "ATTN_ERR_UNKNOWN_PARAM";
  case ATTN_ERR_SHAPE_MISMATCH:
    return "ATTN_ERR_SHAPE_MISMATCH";
  case ATTN_ERR_PARAM_NOT_SET:
    return "ATTN_ERR_PARAM_NOT_SET";
  case ATTN_ERR_OUTPUT_TOO_SMALL:
    return "ATTN_ERR_OUTPUT_TOO_SMALL";
  case ATTN_ERR_OUT_OF_MEMORY:
    return "ATTN_ERR_OUT_OF_MEMORY";
  case ATTN_ERR_RUNTIME_CHECK:
    return "ATTN_ERR_RUNTIME_CHECK";
  case ATTN_ERR_INTERNAL:
    return "ATTN_ERR_INTERNAL";
  default:
    return "unknown attn_status";
  }
}

ATTN_EXPORT int32_t attn_model_num_params(void) {
  return __attn_model_desc.num_params;
}

ATTN_EXPORT int32_t attn_model_param_info(int32_t index,
                                          attn_param_info *info) {
  if (!info || index < 0 || index >= __attn_model_desc.num_params)
    return ATTN_ERR_INVALID_ARGUMENT;
  const attn_model_desc_param *p = &__attn_model_desc.params[index];
  info->name = p->name;
  info->rank = p->rank;
  info->shape = p->shape;
  info->num_elements = p->num_elements;
  return ATTN_OK;
}

static void tensor_info(const attn_model_desc_tensor *t,
                        attn_tensor_info *info) {
  if (!info)
    return;
  info->name = t->name;
  info->rank = t->rank;
  info->shape = t->shape;
  info->dtype = "f32";
  info->dims = t->dims;
  info->mask = t->mask ? t->mask : "";
}

ATTN_EXPORT int32_t attn_model_num_inputs(void) {
  return __attn_model_desc.num_inputs;
}

ATTN_EXPORT int32_t attn_model_input_info_at(int32_t index,
                                             attn_tensor_info *info) {
  if (!info || index < 0 || index >= __attn_model_desc.num_inputs)
    return ATTN_ERR_INVALID_ARGUMENT;
  tensor_info(&__attn_model_desc.inputs[index], info);
  return ATTN_OK;
}

ATTN_EXPORT void attn_model_input_info(attn_tensor_info *info) {
  tensor_info(&__attn_model_desc.inputs[0], info);
}

ATTN_EXPORT void attn_model_output_info(attn_tensor_info *info) {
  tensor_info(&__attn_model_desc.output, info);
}
