/*===- CudaRuntime.c - mgpu* functions on the CUDA driver API -------------===*\
|*                                                                            *|
|* See include/attn/Runtime/CudaRuntime.h. Plain C11 with libc only: it is    *|
|* linked into every compiled GPU model, which must load with nothing but     *|
|* libc. The driver is opened with dlopen at first use; its functions are     *|
|* typed by cuda.h (the CUDA toolkit is needed to build this file, not to    *|
|* load it).                                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include "attn/Runtime/CudaRuntime.h"

#include <cuda.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTN_EXPORT __attribute__((visibility("default")))

/* The model runtime's error handler (ModelGlue.c), when this file is linked
   into a compiled model: it returns from attn_model_forward with the
   message. It does not return. */
extern void __attn_model_runtime_error(const char *message)
    __attribute__((weak));

/*===--------------------------------------------------------------------===*/
/* The driver                                                               */
/*===--------------------------------------------------------------------===*/

/* The driver functions used, by their cuda.h names; cuda.h maps some to
   versioned symbols (cuMemAlloc -> cuMemAlloc_v2), which is what dlsym must
   look up: ATTN_SYMBOL expands the macro before quoting it. */
#define ATTN_CUDA_FUNCTIONS(X)                                                 \
  X(cuInit)                                                                    \
  X(cuGetErrorName)                                                            \
  X(cuGetErrorString)                                                          \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuCtxPushCurrent)                                                          \
  X(cuCtxPopCurrent)                                                           \
  X(cuModuleLoadData)                                                          \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuLaunchKernel)                                                            \
  X(cuStreamCreate)                                                            \
  X(cuStreamDestroy)                                                           \
  X(cuStreamSynchronize)                                                       \
  X(cuStreamWaitEvent)                                                         \
  X(cuEventCreate)                                                             \
  X(cuEventDestroy)                                                            \
  X(cuEventSynchronize)                                                        \
  X(cuEventRecord)                                                             \
  X(cuEventElapsedTime)                                                        \
  X(cuMemAlloc)                                                                \
  X(cuMemAllocManaged)                                                         \
  X(cuMemFree)                                                                 \
  X(cuMemcpyAsync)                                                             \
  X(cuMemsetD32Async)                                                          \
  X(cuMemsetD16Async)                                                          \
  X(cuMemHostRegister)                                                         \
  X(cuMemHostUnregister)

#define ATTN_QUOTE(name) #name
#define ATTN_SYMBOL(name) ATTN_QUOTE(name)

static struct {
#define ATTN_FIELD(name) __typeof__(&name) name;
  ATTN_CUDA_FUNCTIONS(ATTN_FIELD)
#undef ATTN_FIELD
} driver;

#define ATTN_MAX_DEVICES 64
#define ATTN_MESSAGE_SIZE 1024

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
/* 0: not tried, 1: ready, -1: failed (init_error says why). */
static int state;
static char init_error[ATTN_MESSAGE_SIZE];
static char driver_path[512] = "libcuda.so.1";
static void *driver_handle;
static int default_device;
static CUcontext contexts[ATTN_MAX_DEVICES];

static _Thread_local char last_error[ATTN_MESSAGE_SIZE];
/* The last message printed (without a model runtime), not to repeat it. */
static char printed_error[ATTN_MESSAGE_SIZE];

static void copy_message(char *dst, size_t len, const char *src) {
  if (!dst || len == 0)
    return;
  snprintf(dst, len, "%s", src);
}

/* Names and descriptions of the errors a machine without a usable GPU or a
   broken build meets, for drivers whose cuGetErrorName cannot tell (the
   toolkit's stub library). */
static const struct {
  CUresult result;
  const char *name, *text;
} known_errors[] = {
    {CUDA_ERROR_STUB_LIBRARY, "CUDA_ERROR_STUB_LIBRARY",
     "the CUDA driver is the toolkit's stub library, not a real driver"},
    {CUDA_ERROR_NO_DEVICE, "CUDA_ERROR_NO_DEVICE",
     "no CUDA-capable device is detected"},
    {CUDA_ERROR_SYSTEM_DRIVER_MISMATCH, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
     "the driver and the kernel module versions differ"},
    {CUDA_ERROR_DEVICE_UNAVAILABLE, "CUDA_ERROR_DEVICE_UNAVAILABLE",
     "the CUDA device is busy or unavailable"},
    {CUDA_ERROR_NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED",
     "initialization error"},
};

/* "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)". */
static void describe(CUresult result, char *buf, size_t len) {
  const char *name = NULL, *text = NULL;
  if (driver.cuGetErrorName && driver.cuGetErrorName(result, &name) != 0)
    name = NULL;
  if (driver.cuGetErrorString && driver.cuGetErrorString(result, &text) != 0)
    text = NULL;
  for (size_t i = 0; !name && i < sizeof(known_errors) / sizeof(*known_errors);
       ++i) {
    if (known_errors[i].result == result) {
      name = known_errors[i].name;
      text = known_errors[i].text;
    }
  }
  if (name && text)
    snprintf(buf, len, "%s (%s)", name, text);
  else if (name)
    snprintf(buf, len, "%s", name);
  else
    snprintf(buf, len, "CUresult %d", (int)result);
}

/* Records `message` as this thread's last error without reporting it. */
static void record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void record(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(last_error, sizeof(last_error), fmt, args);
  va_end(args);
}

/* Records and reports the error in last_error: to the model runtime (which
   does not return) when linked into a model, else to stderr once. No lock
   is held here. */
static void report_last_error(void) {
  if (__attn_model_runtime_error)
    __attn_model_runtime_error(last_error);
  pthread_mutex_lock(&state_lock);
  int repeated = strcmp(printed_error, last_error) == 0;
  if (!repeated)
    copy_message(printed_error, sizeof(printed_error), last_error);
  pthread_mutex_unlock(&state_lock);
  if (!repeated)
    fprintf(stderr, "attn CUDA runtime: %s\n", last_error);
}

#define ATTN_REPORT(...)                                                       \
  do {                                                                         \
    record(__VA_ARGS__);                                                       \
    report_last_error();                                                       \
  } while (0)

/* Reports a failing driver call; returns whether `result` is success. */
static int check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return 1;
  char what[256];
  describe(result, what, sizeof(what));
  ATTN_REPORT("%s failed: %s", call, what);
  return 0;
}

#define ATTN_CHECK(call) check((call), #call)

/* Opens and initialises the driver; with state_lock held. */
static void initialize_locked(void) {
  if (state != 0)
    return;
  state = -1;
  driver_handle = dlopen(driver_path, RTLD_NOW | RTLD_LOCAL);
  if (!driver_handle) {
    const char *why = dlerror();
    snprintf(init_error, sizeof(init_error),
             "cannot load the CUDA driver '%s' (%s): no NVIDIA driver is "
             "installed, or it is not on the library path",
             driver_path, why ? why : "unknown error");
    return;
  }
#define ATTN_RESOLVE(name)                                                     \
  driver.name =                                                                \
      (__typeof__(driver.name))dlsym(driver_handle, ATTN_SYMBOL(name));        \
  if (!driver.name) {                                                          \
    snprintf(init_error, sizeof(init_error),                                   \
             "the CUDA driver '%s' has no %s (too old for CUDA 12?)",          \
             driver_path, ATTN_SYMBOL(name));                                  \
    return;                                                                    \
  }
  ATTN_CUDA_FUNCTIONS(ATTN_RESOLVE)
#undef ATTN_RESOLVE
  CUresult result = driver.cuInit(0);
  if (result != CUDA_SUCCESS) {
    char what[256];
    describe(result, what, sizeof(what));
    snprintf(init_error, sizeof(init_error),
             "cuInit failed: %s: no usable GPU or driver", what);
    return;
  }
  int count = 0;
  result = driver.cuDeviceGetCount(&count);
  if (result != CUDA_SUCCESS || count <= 0) {
    char what[256];
    if (result != CUDA_SUCCESS)
      describe(result, what, sizeof(what));
    else
      snprintf(what, sizeof(what), "0 devices");
    snprintf(init_error, sizeof(init_error),
             "cuDeviceGetCount: %s: no CUDA device", what);
    return;
  }
  __atomic_store_n(&state, 1, __ATOMIC_RELEASE);
}

static int initialize(void) {
  pthread_mutex_lock(&state_lock);
  initialize_locked();
  int ok = state == 1;
  pthread_mutex_unlock(&state_lock);
  return ok;
}

/* Makes the primary context of the default device current on this thread
   (cuCtxPushCurrent); 0 after reporting why it cannot. */
static int push_context(void) {
  if (!initialize()) {
    ATTN_REPORT("CUDA is not available: %s", init_error);
    return 0;
  }
  pthread_mutex_lock(&state_lock);
  int device = default_device;
  CUcontext context =
      device >= 0 && device < ATTN_MAX_DEVICES ? contexts[device] : NULL;
  CUresult result = CUDA_SUCCESS;
  const char *call = NULL;
  if (!context && device >= 0 && device < ATTN_MAX_DEVICES) {
    CUdevice handle;
    result = driver.cuDeviceGet(&handle, device);
    call = "cuDeviceGet";
    if (result == CUDA_SUCCESS) {
      result = driver.cuDevicePrimaryCtxRetain(&context, handle);
      call = "cuDevicePrimaryCtxRetain";
    }
    if (result == CUDA_SUCCESS)
      contexts[device] = context;
  }
  pthread_mutex_unlock(&state_lock);
  if (!context) {
    if (call)
      return check(result, call);
    ATTN_REPORT("invalid CUDA device %d", device);
    return 0;
  }
  return ATTN_CHECK(driver.cuCtxPushCurrent(context));
}

/* Undoes push_context; called before reporting an error of the call in
   between, since reporting may not return. */
static void pop_context(void) {
  CUcontext ignored;
  (void)driver.cuCtxPopCurrent(&ignored);
}

static int ready(void) {
  return __atomic_load_n(&state, __ATOMIC_ACQUIRE) == 1;
}

/* Runs the driver call `call` with the default device's context current
   and reports its failure; evaluates to whether it succeeded. */
#define ATTN_IN_CONTEXT(call)                                                  \
  ({                                                                           \
    int attn_ok = 0;                                                           \
    if (push_context()) {                                                      \
      CUresult attn_result = (call);                                           \
      pop_context();                                                           \
      attn_ok = check(attn_result, #call);                                     \
    }                                                                          \
    attn_ok;                                                                   \
  })

/*===--------------------------------------------------------------------===*/
/* State queries                                                            */
/*===--------------------------------------------------------------------===*/

ATTN_EXPORT int attn_cuda_set_driver_library(const char *path) {
  pthread_mutex_lock(&state_lock);
  int status = 0;
  if (state == 1) {
    status = -1;
  } else {
    copy_message(driver_path, sizeof(driver_path),
                 path && *path ? path : "libcuda.so.1");
    if (driver_handle)
      dlclose(driver_handle);
    driver_handle = NULL;
    memset(&driver, 0, sizeof(driver));
    state = 0;
    init_error[0] = '\0';
  }
  pthread_mutex_unlock(&state_lock);
  return status;
}

ATTN_EXPORT int attn_cuda_init(char *err, size_t errlen) {
  if (initialize()) {
    copy_message(err, errlen, "");
    return 0;
  }
  pthread_mutex_lock(&state_lock);
  copy_message(err, errlen, init_error);
  pthread_mutex_unlock(&state_lock);
  return -1;
}

ATTN_EXPORT int attn_cuda_device_count(char *err, size_t errlen) {
  if (attn_cuda_init(err, errlen) != 0)
    return -1;
  int count = 0;
  if (driver.cuDeviceGetCount(&count) != CUDA_SUCCESS)
    return -1;
  return count;
}

ATTN_EXPORT const char *attn_cuda_last_error(void) { return last_error; }

ATTN_EXPORT void attn_cuda_clear_error(void) { last_error[0] = '\0'; }

/*===--------------------------------------------------------------------===*/
/* Modules and kernels                                                      */
/*===--------------------------------------------------------------------===*/

/* Module loading runs in the model library's constructor, outside any call
   of attn_model_forward, where the model runtime cannot take an error: a
   failure is only recorded here and reported by the first launch. */
static char module_error[ATTN_MESSAGE_SIZE];

static void module_failed(const char *what, CUresult result, const char *log) {
  char description[256];
  if (result == CUDA_SUCCESS)
    snprintf(description, sizeof(description), "%s", "");
  else
    describe(result, description, sizeof(description));
  pthread_mutex_lock(&state_lock);
  if (result == CUDA_SUCCESS)
    snprintf(module_error, sizeof(module_error), "%s", what);
  else
    snprintf(module_error, sizeof(module_error), "%s failed: %s%s%s", what,
             description, log && *log ? ": " : "", log ? log : "");
  copy_message(last_error, sizeof(last_error), module_error);
  pthread_mutex_unlock(&state_lock);
}

static int push_context_for_module(void) {
  if (!initialize()) {
    pthread_mutex_lock(&state_lock);
    snprintf(module_error, sizeof(module_error), "CUDA is not available: %s",
             init_error);
    copy_message(last_error, sizeof(last_error), module_error);
    pthread_mutex_unlock(&state_lock);
    return 0;
  }
  return push_context();
}

ATTN_EXPORT void *mgpuModuleLoad(void *data, size_t gpuBlobSize) {
  (void)gpuBlobSize;
  if (!push_context_for_module())
    return NULL;
  CUmodule module = NULL;
  CUresult result = driver.cuModuleLoadData(&module, data);
  pop_context();
  if (result != CUDA_SUCCESS) {
    module_failed("cuModuleLoadData (loading the kernels' cubin/fatbin)",
                  result, NULL);
    return NULL;
  }
  return module;
}

ATTN_EXPORT void *mgpuModuleLoadJIT(void *data, int optLevel) {
  if (!push_context_for_module())
    return NULL;
  char log[4096] = "";
  CUjit_option options[] = {CU_JIT_OPTIMIZATION_LEVEL, CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {(void *)(intptr_t)optLevel, log,
                    (void *)(intptr_t)sizeof(log)};
  CUmodule module = NULL;
  CUresult result =
      driver.cuModuleLoadDataEx(&module, data, 3, options, values);
  pop_context();
  if (result != CUDA_SUCCESS) {
    module_failed("cuModuleLoadDataEx (JIT-compiling the kernels' PTX)", result,
                  log);
    return NULL;
  }
  return module;
}

ATTN_EXPORT void mgpuModuleUnload(void *module) {
  /* At unload (a destructor): nothing can take an error any more. */
  if (!module || !ready())
    return;
  driver.cuModuleUnload((CUmodule)module);
}

ATTN_EXPORT void *mgpuModuleGetFunction(void *module, const char *name) {
  if (!module) {
    pthread_mutex_lock(&state_lock);
    char why[ATTN_MESSAGE_SIZE];
    copy_message(why, sizeof(why),
                 module_error[0] ? module_error : "no module was loaded");
    pthread_mutex_unlock(&state_lock);
    ATTN_REPORT("cannot launch kernel '%s': %s", name ? name : "?", why);
    return NULL;
  }
  CUfunction function = NULL;
  ATTN_IN_CONTEXT(
      driver.cuModuleGetFunction(&function, (CUmodule)module, name));
  return function;
}

ATTN_EXPORT void mgpuLaunchKernel(void *function, intptr_t gridX,
                                  intptr_t gridY, intptr_t gridZ,
                                  intptr_t blockX, intptr_t blockY,
                                  intptr_t blockZ, int32_t smem, void *stream,
                                  void **params, void **extra,
                                  size_t paramsCount) {
  (void)paramsCount;
  if (!function) {
    ATTN_REPORT("cannot launch a kernel that was not found");
    return;
  }
  if (!push_context())
    return;
  CUresult result = driver.cuLaunchKernel(
      (CUfunction)function, (unsigned)gridX, (unsigned)gridY, (unsigned)gridZ,
      (unsigned)blockX, (unsigned)blockY, (unsigned)blockZ, (unsigned)smem,
      (CUstream)stream, params, extra);
  pop_context();
  if (result != CUDA_SUCCESS) {
    char what[256];
    describe(result, what, sizeof(what));
    ATTN_REPORT("cuLaunchKernel (grid %ld x %ld x %ld, block %ld x %ld x %ld, "
                "%d bytes of dynamic shared memory) failed: %s",
                (long)gridX, (long)gridY, (long)gridZ, (long)blockX,
                (long)blockY, (long)blockZ, (int)smem, what);
  }
}

/*===--------------------------------------------------------------------===*/
/* Streams and events                                                       */
/*===--------------------------------------------------------------------===*/

ATTN_EXPORT void *mgpuStreamCreate(void) {
  CUstream stream = NULL;
  ATTN_IN_CONTEXT(driver.cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  return stream;
}

ATTN_EXPORT void mgpuStreamDestroy(void *stream) {
  if (stream)
    ATTN_CHECK(driver.cuStreamDestroy((CUstream)stream));
}

ATTN_EXPORT void mgpuStreamSynchronize(void *stream) {
  if (stream)
    ATTN_CHECK(driver.cuStreamSynchronize((CUstream)stream));
}

ATTN_EXPORT void mgpuStreamWaitEvent(void *stream, void *event) {
  if (stream && event)
    ATTN_CHECK(driver.cuStreamWaitEvent((CUstream)stream, (CUevent)event, 0));
}

ATTN_EXPORT void *mgpuEventCreate(void) {
  CUevent event = NULL;
  ATTN_IN_CONTEXT(driver.cuEventCreate(&event, CU_EVENT_DISABLE_TIMING));
  return event;
}

ATTN_EXPORT void mgpuEventDestroy(void *event) {
  if (event)
    ATTN_CHECK(driver.cuEventDestroy((CUevent)event));
}

ATTN_EXPORT void mgpuEventSynchronize(void *event) {
  if (event)
    ATTN_CHECK(driver.cuEventSynchronize((CUevent)event));
}

ATTN_EXPORT void mgpuEventRecord(void *event, void *stream) {
  if (event && stream)
    ATTN_CHECK(driver.cuEventRecord((CUevent)event, (CUstream)stream));
}

/* Timing events on the legacy default stream (CudaRuntime.h). */
ATTN_EXPORT void *attn_cuda_timing_event(void) {
  CUevent event = NULL;
  if (!ATTN_IN_CONTEXT(driver.cuEventCreate(&event, CU_EVENT_DEFAULT)))
    return NULL;
  return event;
}

ATTN_EXPORT int attn_cuda_record_event(void *event) {
  if (!event)
    return -1;
  return ATTN_IN_CONTEXT(driver.cuEventRecord((CUevent)event, NULL)) ? 0 : -1;
}

ATTN_EXPORT int attn_cuda_elapsed_ms(void *start, void *end, float *ms) {
  if (!start || !end || !ms)
    return -1;
  if (!ATTN_CHECK(driver.cuEventSynchronize((CUevent)end)))
    return -1;
  return ATTN_CHECK(driver.cuEventElapsedTime(ms, (CUevent)start,
                                              (CUevent)end))
             ? 0
             : -1;
}

/*===--------------------------------------------------------------------===*/
/* Memory                                                                   */
/*===--------------------------------------------------------------------===*/

ATTN_EXPORT void *mgpuMemAlloc(uint64_t sizeBytes, void *stream,
                               _Bool isHostShared) {
  (void)stream;
  /* Empty buffers (a model without parameters) need no memory; CUDA
     rejects 0-byte allocations. */
  if (sizeBytes == 0)
    return NULL;
  CUdeviceptr ptr = 0;
  if (isHostShared)
    ATTN_IN_CONTEXT(
        driver.cuMemAllocManaged(&ptr, sizeBytes, CU_MEM_ATTACH_GLOBAL));
  else
    ATTN_IN_CONTEXT(driver.cuMemAlloc(&ptr, sizeBytes));
  return (void *)ptr;
}

ATTN_EXPORT void mgpuMemFree(void *ptr, void *stream) {
  (void)stream;
  if (!ptr || !ready())
    return;
  ATTN_IN_CONTEXT(driver.cuMemFree((CUdeviceptr)ptr));
}

ATTN_EXPORT void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                            void *stream) {
  if (sizeBytes == 0)
    return;
  if (!dst || !src) {
    ATTN_REPORT("mgpuMemcpy of %zu bytes with a NULL %s", sizeBytes,
                dst ? "source" : "destination");
    return;
  }
  /* Unified addressing: the driver tells host from device pointers. */
  ATTN_IN_CONTEXT(driver.cuMemcpyAsync((CUdeviceptr)dst, (CUdeviceptr)src,
                                       sizeBytes, (CUstream)stream));
}

ATTN_EXPORT void mgpuMemset32(void *dst, unsigned int value, size_t count,
                              void *stream) {
  if (count == 0 || !dst)
    return;
  ATTN_IN_CONTEXT(driver.cuMemsetD32Async((CUdeviceptr)dst, value, count,
                                          (CUstream)stream));
}

ATTN_EXPORT void mgpuMemset16(void *dst, unsigned short value, size_t count,
                              void *stream) {
  if (count == 0 || !dst)
    return;
  ATTN_IN_CONTEXT(driver.cuMemsetD16Async((CUdeviceptr)dst, value, count,
                                          (CUstream)stream));
}

ATTN_EXPORT void mgpuMemHostRegister(void *ptr, uint64_t sizeBytes) {
  if (!ptr || sizeBytes == 0)
    return;
  ATTN_IN_CONTEXT(driver.cuMemHostRegister(ptr, sizeBytes, 0));
}

/* A ranked memref descriptor: {allocated, aligned, offset, sizes[rank],
   strides[rank]}, every field 8 bytes. */
static char *memref_data(void *descriptor, int64_t elementSizeBytes) {
  int64_t *words = (int64_t *)descriptor;
  char *aligned;
  memcpy(&aligned, &words[1], sizeof(aligned));
  return aligned + words[2] * elementSizeBytes;
}

ATTN_EXPORT void mgpuMemHostRegisterMemRef(int64_t rank, void *descriptor,
                                           int64_t elementSizeBytes) {
  int64_t *sizes = (int64_t *)descriptor + 3;
  int64_t *strides = sizes + rank;
  int64_t expected = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    if (sizes[i] != 1 && strides[i] != expected) {
      ATTN_REPORT("mgpuMemHostRegisterMemRef: only contiguous memrefs can "
                  "be registered");
      return;
    }
    expected *= sizes[i];
  }
  mgpuMemHostRegister(memref_data(descriptor, elementSizeBytes),
                      (uint64_t)(expected * elementSizeBytes));
}

ATTN_EXPORT void mgpuMemHostUnregister(void *ptr) {
  if (!ptr || !ready())
    return;
  ATTN_IN_CONTEXT(driver.cuMemHostUnregister(ptr));
}

ATTN_EXPORT void mgpuMemHostUnregisterMemRef(int64_t rank, void *descriptor,
                                             int64_t elementSizeBytes) {
  (void)rank;
  mgpuMemHostUnregister(memref_data(descriptor, elementSizeBytes));
}

ATTN_EXPORT void mgpuSetDefaultDevice(int32_t device) {
  pthread_mutex_lock(&state_lock);
  default_device = device;
  pthread_mutex_unlock(&state_lock);
}
