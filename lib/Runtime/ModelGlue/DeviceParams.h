/*===- DeviceParams.h - a model's parameters in device memory ---*- C -*-===*\
|*                                                                            *|
|* Internal to the model runtime (ModelGlue.c). A CUDA library compiled with  *|
|* resident-params (attn-gpu-device-buffers) takes its packed parameters in   *|
|* device memory; the runtime keeps one device copy per model, uploads it     *|
|* before the first run and again after attn_model_set_param, and frees it    *|
|* with the model. The copy goes through the mgpu* functions of the CUDA      *|
|* runtime linked beside the glue (CudaRuntime.c); a CPU library has none.    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_RUNTIME_MODELGLUE_DEVICEPARAMS_H
#define ATTN_RUNTIME_MODELGLUE_DEVICEPARAMS_H

#include <pthread.h>
#include <stddef.h>

#ifndef ATTN_HIDDEN
#define ATTN_HIDDEN __attribute__((visibility("hidden")))
#endif

typedef struct attn_device_params {
  pthread_mutex_t lock; /* held while the copy is checked or refreshed */
  void *ptr;            /* the device copy, or NULL */
  size_t bytes;
  int stale; /* the host parameters changed since the upload */
} attn_device_params;

ATTN_HIDDEN void attn_device_params_init(attn_device_params *p);

/* Whether a CUDA runtime is linked into this library. */
ATTN_HIDDEN int attn_device_params_available(void);

/* With p->lock held: makes p->ptr a current copy of `bytes` bytes at
   `host`. A failing CUDA call does not return: the CUDA runtime reports it
   through __attn_model_runtime_error (the caller catches that). */
ATTN_HIDDEN void attn_device_params_refresh_locked(attn_device_params *p,
                                                    const void *host,
                                                    size_t bytes);

/* With p->lock held: frees the device copy (same error path). */
ATTN_HIDDEN void attn_device_params_free_locked(attn_device_params *p);

#endif
