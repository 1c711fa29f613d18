/*===- CudaRuntime.h - GPU runtime of compiled attn models --------*- C -*-===*\
|*                                                                            *|
|* libAttnCudaRuntime implements the mgpu* functions that MLIR's gpu-to-llvm  *|
|* lowering calls (module load, kernel lookup and launch, streams, events,   *|
|* device memory) on the CUDA driver API, because Debian ships no MLIR CUDA   *|
|* runtime. It is plain C with libc only and opens the driver                 *|
|* (libcuda.so.1) with dlopen at first use, so that a model library or tool   *|
|* that contains it loads on machines without a GPU and reports why it       *|
|* cannot run instead of failing to load.                                     *|
|*                                                                            *|
|* Errors: every failing driver call is reported with the call and CUDA's     *|
|* name and description of the error. Linked into a compiled model, the       *|
|* report goes to the model runtime (attn_model_forward returns               *|
|* ATTN_ERR_RUNTIME_CHECK with the message); elsewhere it is printed to       *|
|* stderr once and the call returns NULL or does nothing. attn_cuda_*         *|
|* below let tools and tests query the state.                                 *|
|*                                                                            *|
|* The mgpu* signatures are those of MLIR 22's gpu-to-llvm (docs/gpu.md).     *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_RUNTIME_CUDARUNTIME_H
#define ATTN_RUNTIME_CUDARUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define ATTN_CUDA_BOOL bool
#else
#define ATTN_CUDA_BOOL _Bool
#endif

/* The driver library to open; NULL or "" = "libcuda.so.1" (the default).
   Takes effect at the next initialisation: before the first use, or after
   a failed one. Returns 0, or -1 when a driver is already in use. */
int attn_cuda_set_driver_library(const char *path);

/* Opens the driver, resolves its functions and initialises CUDA (cuInit,
   one device at least). Returns 0 on success; otherwise -1 with the reason
   in `err` (at most `errlen` bytes; `err` may be NULL). Idempotent. */
int attn_cuda_init(char *err, size_t errlen);

/* The number of CUDA devices, or -1 (with the reason in `err`) when CUDA
   cannot be initialised. */
int attn_cuda_device_count(char *err, size_t errlen);

/* The last error that a call on this thread reported ("" if none), and
   clearing it. */
const char *attn_cuda_last_error(void);
void attn_cuda_clear_error(void);

/* GPU-side timing (attn-run): an event that records time (NULL on error;
   release it with mgpuEventDestroy), recorded on the legacy default stream
   (0 or -1), and the milliseconds between two recorded events, waiting for
   the second (0 or -1). A compiled model's call returns only after its GPU
   work is done, so events recorded just before and after it span that
   work on the GPU's clock: its copies and kernels and the launch gaps
   between them. */
void *attn_cuda_timing_event(void);
int attn_cuda_record_event(void *event);
int attn_cuda_elapsed_ms(void *start, void *end, float *ms);

/*===--------------------------------------------------------------------===*/
/* The functions gpu-to-llvm's host code calls (opaque handles as void *). */
/*===--------------------------------------------------------------------===*/

void *mgpuModuleLoad(void *data, size_t gpuBlobSize);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream,
                   ATTN_CUDA_BOOL isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream);
void mgpuMemset16(void *dst, unsigned short value, size_t count, void *stream);
void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes);
void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                               int64_t elementSizeBytes);
void mgpuMemHostUnregister(void *ptr);
void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                 int64_t elementSizeBytes);
void mgpuSetDefaultDevice(int32_t device);

#ifdef __cplusplus
}
#endif

#endif /* ATTN_RUNTIME_CUDARUNTIME_H */
