/*===- DeviceParams.c - a model's parameters in device memory -------------===*\
|*                                                                            *|
|* See DeviceParams.h.                                                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "DeviceParams.h"

#include <stdint.h>
#include <string.h>

/* The CUDA runtime's functions (CudaRuntime.c), present only in a CUDA
   model library: weak, so that a CPU library links without them. */
extern void *mgpuMemAlloc(uint64_t sizeBytes, void *stream,
                          _Bool isHostShared) __attribute__((weak));
extern void mgpuMemFree(void *ptr, void *stream) __attribute__((weak));
extern void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream)
    __attribute__((weak));
extern void mgpuStreamSynchronize(void *stream) __attribute__((weak));

void attn_device_params_init(attn_device_params *p) {
  pthread_mutex_init(&p->lock, NULL);
  p->ptr = NULL;
  p->bytes = 0;
  p->stale = 1;
}

int attn_device_params_available(void) {
  return mgpuMemAlloc && mgpuMemFree && mgpuMemcpy && mgpuStreamSynchronize;
}

void attn_device_params_refresh_locked(attn_device_params *p, const void *host,
                                       size_t bytes) {
  if (!p->stale && p->bytes == bytes)
    return;
  if (p->bytes != bytes)
    attn_device_params_free_locked(p);
  if (!p->ptr && bytes > 0) {
    p->ptr = mgpuMemAlloc(bytes, NULL, 0);
    p->bytes = bytes;
  }
  if (bytes > 0) {
    /* On the legacy default stream, which the kernels' streams wait for;
       synchronized, so that set_param may change the host copy again. */
    /* mgpuMemcpy's source is not const (MLIR's signature); it only reads. */
    void *source;
    memcpy(&source, &host, sizeof(source));
    mgpuMemcpy(p->ptr, source, bytes, NULL);
    mgpuStreamSynchronize(NULL);
  }
  p->stale = 0;
}

void attn_device_params_free_locked(attn_device_params *p) {
  void *ptr = p->ptr;
  p->ptr = NULL;
  p->bytes = 0;
  p->stale = 1;
  if (ptr)
    mgpuMemFree(ptr, NULL);
}
