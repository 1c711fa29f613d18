/*===- ModelGlue.c - runtime linked into every compiled attn model ---------===*\
|*                                                                            *|
|* Implements the C API of ModelApi.h on the description that attn-compile    *|
|* emits (ModelDesc.h). Plain C11 with libc only: a compiled model must load  *|
|* with nothing but libc, libm (and libomp when multi-threaded).              *|
|*                                                                            *|
|* Every entry point validates its arguments before touching memory, and a    *|
|* failed check inside the compiled code (cf.assert, lowered by               *|
|* attn-lower-asserts to __attn_model_runtime_error) returns from             *|
|* attn_model_forward with ATTN_ERR_RUNTIME_CHECK through longjmp instead of  *|
|* aborting; so does an allocation of the compiled code that fails (with      *|
|* ATTN_ERR_OUT_OF_MEMORY: attn-cpu-pipeline lowers memref.alloc to the       *|
|* generic allocation functions of Allocation.c). Buffers the compiled code   *|
|* allocated before such a failure are not freed (a bounded leak on an error  *|
|* path). The introspection functions are in Introspection.c.                 *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "attn/Runtime/ModelApi.h"
#include "attn/Runtime/ModelDesc.h"

#include "DeviceParams.h"
#include "RuntimeErrors.h"
#include "Workspace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTN_HIDDEN __attribute__((visibility("hidden")))
#define ATTN_EXPORT __attribute__((visibility("default")))

/* Emitted by attn-compile. */
extern const attn_model_desc __attn_model_desc ATTN_HIDDEN;

/* Alignment of the packed parameter buffer, in bytes. */
#define ATTN_PARAM_BUFFER_ALIGNMENT 64

struct attn_model {
  float *params;       /* desc->param_size floats */
  unsigned char *set;  /* one flag per parameter */
  attn_device_params device; /* desc->params_on_device: their device copy */
};

/* A ranked memref descriptor {allocated, aligned, offset, sizes[r],
   strides[r]}: every field is 8 bytes, so an int64 array of 3 + 2r holds
   one of any rank with the same layout. */
typedef struct {
  int64_t words[3 + 2 * ATTN_MODEL_MAX_RANK];
} memref_desc;

static void set_ptr(memref_desc *d, int index, const void *p) {
  uintptr_t bits = (uintptr_t)p;
  memcpy(&d->words[index], &bits, sizeof(bits));
}

static void *get_ptr(const memref_desc *d, int index) {
  uintptr_t bits;
  memcpy(&bits, &d->words[index], sizeof(bits));
  return (void *)bits;
}

/* A contiguous row-major descriptor of `rank` dims. */
static void make_desc(memref_desc *d, const void *data, const int64_t *shape,
                      int32_t rank) {
  memset(d, 0, sizeof(*d));
  set_ptr(d, 0, data);
  set_ptr(d, 1, data);
  d->words[2] = 0;
  int64_t stride = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    d->words[3 + i] = shape[i];
    d->words[3 + rank + i] = stride;
    stride *= shape[i];
  }
}

static int32_t fail(int32_t status, char *err, size_t errlen, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

static int32_t fail(int32_t status, char *err, size_t errlen, const char *fmt,
                    ...) {
  if (err && errlen > 0) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(err, errlen, fmt, args);
    va_end(args);
  }
  return status;
}

static void clear_error(char *err, size_t errlen) {
  if (err && errlen > 0)
    err[0] = '\0';
}

/* "[1, 7, 256]" into buf. */
static const char *format_shape(char *buf, size_t len, const int64_t *shape,
                                int32_t rank) {
  size_t used = 0;
  used += (size_t)snprintf(buf + used, len - used, "[");
  for (int32_t i = 0; i < rank && used < len; ++i)
    used += (size_t)snprintf(buf + used, len - used, "%s%lld", i ? ", " : "",
                             (long long)shape[i]);
  if (used < len)
    snprintf(buf + used, len - used, "]");
  return buf;
}

/* Product of `shape`, or -1 on overflow (caller checks dims >= 0). */
static int64_t checked_elements(const int64_t *shape, int32_t rank) {
  int64_t n = 1;
  for (int32_t i = 0; i < rank; ++i) {
    if (shape[i] != 0 && n > INT64_MAX / 4 / shape[i])
      return -1;
    n *= shape[i];
  }
  return n;
}

/*===--------------------------------------------------------------------===*/
/* Run-time checks of the compiled code                                     */
/*===--------------------------------------------------------------------===*/

/* The innermost attn_model_forward on this thread, if any, and why the
   compiled code jumped back to it. */
static _Thread_local jmp_buf *active_call;
static _Thread_local int32_t runtime_error_status;
static _Thread_local char runtime_error_message[ATTN_RUNTIME_ERROR_BYTES];

/* RuntimeErrors.h. */
void attn_raise_runtime_error(int32_t status, const char *message) {
  if (!active_call) {
    fprintf(stderr, "attn model: %s: %s\n", attn_model_status_string(status),
            message);
    abort();
  }
  runtime_error_status = status;
  snprintf(runtime_error_message, sizeof(runtime_error_message), "%s",
           message);
  longjmp(*active_call, 1);
}

ATTN_HIDDEN void __attn_model_runtime_error(const char *message);

void __attn_model_runtime_error(const char *message) {
  char text[sizeof(runtime_error_message)];
  snprintf(text, sizeof(text), "run-time check failed: %s",
           message ? message : "(no message)");
  attn_raise_runtime_error(ATTN_ERR_RUNTIME_CHECK, text);
}

/* Runs fn(arg) with this thread's run-time errors (failed checks and
   allocations of the compiled code, failing CUDA calls) returning here:
   ATTN_OK, or the status of the error raised, its text in
   runtime_error_message. */
static int32_t catch_runtime_errors(void (*fn)(void *), void *arg) {
  jmp_buf env;
  jmp_buf *outer = active_call;
  if (setjmp(env) != 0) {
    active_call = outer;
    return runtime_error_status;
  }
  active_call = &env;
  fn(arg);
  active_call = outer;
  return ATTN_OK;
}

/*===--------------------------------------------------------------------===*/
/* Parameters in device memory (DeviceParams.h)                             */
/*===--------------------------------------------------------------------===*/

static void refresh_device_params(void *model) {
  attn_model *m = (attn_model *)model;
  attn_device_params_refresh_locked(
      &m->device, m->params,
      (size_t)__attn_model_desc.param_size * sizeof(float));
}

static void free_device_params(void *device) {
  attn_device_params_free_locked((attn_device_params *)device);
}

/* The device copy of the model's parameters, refreshed if stale, in
   *data. A failing CUDA call returns its status and message here. */
static int32_t device_params(attn_model *model, const float **data, char *err,
                             size_t errlen) {
  pthread_mutex_lock(&model->device.lock);
  int32_t status = catch_runtime_errors(refresh_device_params, model);
  *data = (const float *)model->device.ptr;
  pthread_mutex_unlock(&model->device.lock);
  if (status != ATTN_OK)
    return fail(status, err, errlen, "copying the parameters to the GPU: %s",
                runtime_error_message);
  return ATTN_OK;
}

/* Frees the device copy; an error (a lost device) is ignored: the model is
   going away. */
static void release_device_params(attn_model *model) {
  if (model->device.ptr)
    (void)catch_runtime_errors(free_device_params, &model->device);
}

/*===--------------------------------------------------------------------===*/
/* Models and parameters                                                    */
/*===--------------------------------------------------------------------===*/

static int32_t check_desc(char *err, size_t errlen) {
  const attn_model_desc *d = &__attn_model_desc;
  if (d->version != ATTN_MODEL_DESC_VERSION)
    return fail(ATTN_ERR_INTERNAL, err, errlen,
                "model description version %d, runtime expects %d",
                (int)d->version, ATTN_MODEL_DESC_VERSION);
  int ok = d->num_inputs >= 1 && d->num_inputs <= ATTN_MODEL_MAX_INPUTS &&
           d->inputs && d->output.rank >= 0 &&
           d->output.rank <= ATTN_MODEL_MAX_RANK && d->param_size >= 0 &&
           d->num_params >= 0 && d->entry;
  for (int32_t i = 0; ok && i < d->num_inputs; ++i)
    ok = d->inputs[i].rank >= 0 && d->inputs[i].rank <= ATTN_MODEL_MAX_RANK;
  if (!ok)
    return fail(ATTN_ERR_INTERNAL, err, errlen,
                "malformed model description");
  return ATTN_OK;
}

ATTN_EXPORT int32_t attn_model_create(attn_model **model, char *err,
                                      size_t errlen) {
  clear_error(err, errlen);
  if (!model)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "attn_model_create: model is NULL");
  *model = NULL;
  int32_t status = check_desc(err, errlen);
  if (status != ATTN_OK)
    return status;

  const attn_model_desc *d = &__attn_model_desc;
  if (d->params_on_device && !attn_device_params_available())
    return fail(ATTN_ERR_INTERNAL, err, errlen,
                "the model takes its parameters in device memory, but no "
                "CUDA runtime is linked into the library");
  attn_model *m = (attn_model *)calloc(1, sizeof(attn_model));
  if (!m)
    return fail(ATTN_ERR_OUT_OF_MEMORY, err, errlen, "out of memory");
  attn_device_params_init(&m->device);
  /* Never 0 bytes; huge pages for a large model (attn_aligned_block). */
  size_t bytes = (size_t)d->param_size * sizeof(float);
  bytes = (bytes + ATTN_PARAM_BUFFER_ALIGNMENT) &
          ~(size_t)(ATTN_PARAM_BUFFER_ALIGNMENT - 1);
  m->params = (float *)attn_aligned_block(ATTN_PARAM_BUFFER_ALIGNMENT, &bytes);
  m->set = (unsigned char *)calloc((size_t)d->num_params + 1, 1);
  if (!m->params || !m->set) {
    attn_model_destroy(m);
    return fail(ATTN_ERR_OUT_OF_MEMORY, err, errlen,
                "out of memory allocating %lld parameter bytes",
                (long long)bytes);
  }
  memset(m->params, 0, bytes);
  attn_workspace_retain();
  *model = m;
  return ATTN_OK;
}

ATTN_EXPORT void attn_model_destroy(attn_model *model) {
  if (!model)
    return;
  /* A model that failed to allocate its parameters never retained. */
  if (model->params && model->set)
    attn_workspace_release();
  release_device_params(model);
  pthread_mutex_destroy(&model->device.lock);
  free(model->params);
  free(model->set);
  free(model);
}

ATTN_EXPORT int32_t attn_model_set_param(attn_model *model, const char *name,
                                         const float *data,
                                         const int64_t *shape, int32_t rank,
                                         char *err, size_t errlen) {
  clear_error(err, errlen);
  if (!model || !name)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "attn_model_set_param: %s is NULL", model ? "name" : "model");
  const attn_model_desc *d = &__attn_model_desc;
  const attn_model_desc_param *p = NULL;
  int32_t index = 0;
  for (; index < d->num_params; ++index) {
    if (strcmp(d->params[index].name, name) == 0) {
      p = &d->params[index];
      break;
    }
  }
  if (!p)
    return fail(ATTN_ERR_UNKNOWN_PARAM, err, errlen,
                "the model has no parameter '%s'", name);
  if (rank < 0 || (rank > 0 && !shape))
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "parameter '%s': invalid shape (rank %d%s)", name, (int)rank,
                rank > 0 && !shape ? ", shape NULL" : "");
  int same = rank == p->rank;
  for (int32_t i = 0; same && i < rank; ++i)
    same = shape[i] == p->shape[i];
  if (!same) {
    char want[256], got[256];
    return fail(ATTN_ERR_SHAPE_MISMATCH, err, errlen,
                "parameter '%s' has shape %s, got %s", name,
                format_shape(want, sizeof(want), p->shape, p->rank),
                rank <= ATTN_MODEL_MAX_RANK
                    ? format_shape(got, sizeof(got), shape, rank)
                    : "a tensor of too high rank");
  }
  if (p->num_elements > 0 && !data)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "parameter '%s': data is NULL", name);
  if (p->num_elements > 0)
    memcpy(model->params + p->offset, data,
           (size_t)p->num_elements * sizeof(float));
  model->set[index] = 1;
  pthread_mutex_lock(&model->device.lock);
  model->device.stale = 1;
  pthread_mutex_unlock(&model->device.lock);
  return ATTN_OK;
}

/*===--------------------------------------------------------------------===*/
/* Running                                                                  */
/*===--------------------------------------------------------------------===*/

/* Copies the strided `src` of `rank` dims `sizes` into contiguous `dst`. */
static void copy_strided(float *dst, const float *src, const int64_t *sizes,
                         const int64_t *strides, int32_t rank) {
  int64_t total = checked_elements(sizes, rank);
  int contiguous = 1;
  int64_t expected = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    if (sizes[i] != 1 && strides[i] != expected)
      contiguous = 0;
    expected *= sizes[i];
  }
  if (contiguous) {
    memcpy(dst, src, (size_t)total * sizeof(float));
    return;
  }
  int64_t index[ATTN_MODEL_MAX_RANK] = {0};
  for (int64_t n = 0; n < total; ++n) {
    int64_t offset = 0;
    for (int32_t i = 0; i < rank; ++i)
      offset += index[i] * strides[i];
    dst[n] = src[offset];
    for (int32_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < sizes[i])
        break;
      index[i] = 0;
    }
  }
}

/* Whether `p` points into [begin, begin + bytes). */
static int points_into(const void *p, const void *begin, size_t bytes) {
  uintptr_t a = (uintptr_t)p, b = (uintptr_t)begin;
  return a >= b && a < b + bytes;
}

/* The symbol of dim `i` of `t`, or NULL. */
static const char *dim_symbol(const attn_model_desc_tensor *t, int32_t i) {
  if (!t->dims || !t->dims[i] || !t->dims[i][0])
    return NULL;
  return t->dims[i];
}

/* Checks input `index` (`data` of `shape`, `rank` dims) against the
   manifest; on success stores its element count in *elements. */
static int32_t check_input(int32_t index, const float *data,
                           const int64_t *shape, int32_t rank,
                           int64_t *elements, char *err, size_t errlen) {
  const attn_model_desc_tensor *t = &__attn_model_desc.inputs[index];
  char want[256], got[256];
  if (rank != t->rank || (rank > 0 && !shape))
    return fail(rank > 0 && !shape && rank == t->rank
                    ? ATTN_ERR_INVALID_ARGUMENT
                    : ATTN_ERR_SHAPE_MISMATCH,
                err, errlen, "input '%s' must have rank %d (shape %s), got %s",
                t->name, (int)t->rank,
                format_shape(want, sizeof(want), t->shape, t->rank),
                shape && rank >= 0 && rank <= ATTN_MODEL_MAX_RANK
                    ? format_shape(got, sizeof(got), shape, rank)
                    : "an invalid shape");
  for (int32_t i = 0; i < rank; ++i) {
    int64_t want_dim = t->shape[i];
    if (shape[i] <= 0 || (want_dim >= 0 && shape[i] != want_dim))
      return fail(ATTN_ERR_SHAPE_MISMATCH, err, errlen,
                  "input '%s' must have shape %s (-1: any positive size), "
                  "got %s (dim %d)",
                  t->name, format_shape(want, sizeof(want), t->shape, rank),
                  format_shape(got, sizeof(got), shape, rank), (int)i);
  }
  *elements = checked_elements(shape, rank);
  if (*elements < 0)
    return fail(ATTN_ERR_SHAPE_MISMATCH, err, errlen,
                "input '%s': shape %s is too large", t->name,
                format_shape(got, sizeof(got), shape, rank));
  if (!data)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "attn_model_run: input '%s' is NULL", t->name);
  return ATTN_OK;
}

/* Dims that share a symbol must have the same size in every input. */
static int32_t check_symbols(const int64_t *const *shapes, char *err,
                             size_t errlen) {
  const attn_model_desc *d = &__attn_model_desc;
  for (int32_t a = 0; a < d->num_inputs; ++a) {
    for (int32_t i = 0; i < d->inputs[a].rank; ++i) {
      const char *sym = dim_symbol(&d->inputs[a], i);
      if (!sym)
        continue;
      /* The first occurrence of the symbol decides. */
      for (int32_t b = 0; b <= a; ++b) {
        int32_t end = b == a ? i : d->inputs[b].rank;
        for (int32_t j = 0; j < end; ++j) {
          const char *other = dim_symbol(&d->inputs[b], j);
          if (!other || strcmp(sym, other) != 0)
            continue;
          if (shapes[a][i] != shapes[b][j])
            return fail(ATTN_ERR_SHAPE_MISMATCH, err, errlen,
                        "input '%s' dim %d (%s) is %lld, but input '%s' dim "
                        "%d (%s) is %lld; they must be equal",
                        d->inputs[a].name, (int)i, sym,
                        (long long)shapes[a][i], d->inputs[b].name, (int)j,
                        sym, (long long)shapes[b][j]);
          goto next_dim;
        }
      }
    next_dim:;
    }
  }
  return ATTN_OK;
}

typedef void (*entry1_fn)(void *, void *, void *);
typedef void (*entry2_fn)(void *, void *, void *, void *);
typedef void (*entry3_fn)(void *, void *, void *, void *, void *);
typedef void (*entry4_fn)(void *, void *, void *, void *, void *, void *);
typedef void (*entry5_fn)(void *, void *, void *, void *, void *, void *,
                          void *);
typedef void (*entry6_fn)(void *, void *, void *, void *, void *, void *,
                          void *, void *);
typedef void (*entry7_fn)(void *, void *, void *, void *, void *, void *,
                          void *, void *, void *);
typedef void (*entry8_fn)(void *, void *, void *, void *, void *, void *,
                          void *, void *, void *, void *);

/* Calls the entry with the type of its `n` inputs. */
static void call_entry(attn_model_entry_fn entry, memref_desc *result,
                       memref_desc *params, memref_desc *in, int32_t n) {
  switch (n) {
  case 1:
    ((entry1_fn)entry)(result, params, &in[0]);
    break;
  case 2:
    ((entry2_fn)entry)(result, params, &in[0], &in[1]);
    break;
  case 3:
    ((entry3_fn)entry)(result, params, &in[0], &in[1], &in[2]);
    break;
  case 4:
    ((entry4_fn)entry)(result, params, &in[0], &in[1], &in[2], &in[3]);
    break;
  case 5:
    ((entry5_fn)entry)(result, params, &in[0], &in[1], &in[2], &in[3],
                       &in[4]);
    break;
  case 6:
    ((entry6_fn)entry)(result, params, &in[0], &in[1], &in[2], &in[3],
                       &in[4], &in[5]);
    break;
  case 7:
    ((entry7_fn)entry)(result, params, &in[0], &in[1], &in[2], &in[3],
                       &in[4], &in[5], &in[6]);
    break;
  default:
    ((entry8_fn)entry)(result, params, &in[0], &in[1], &in[2], &in[3],
                       &in[4], &in[5], &in[6], &in[7]);
    break;
  }
}

_Static_assert(ATTN_MODEL_MAX_INPUTS == 8, "call_entry handles 1..8 inputs");

/* call_entry's arguments, for catch_runtime_errors. */
typedef struct {
  attn_model_entry_fn entry;
  memref_desc *result, *params, *in;
  int32_t n;
} entry_call;

static void run_entry(void *arg) {
  entry_call *c = (entry_call *)arg;
  call_entry(c->entry, c->result, c->params, c->in, c->n);
}

/* The names of the inputs, "x, mask", into buf. */
static const char *input_names(char *buf, size_t len) {
  const attn_model_desc *d = &__attn_model_desc;
  size_t used = 0;
  buf[0] = '\0';
  for (int32_t i = 0; i < d->num_inputs && used < len; ++i)
    used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                             d->inputs[i].name);
  return buf;
}

/* The arguments attn_model_run and attn_model_forward share; `fn` names the
   function called, in messages. */
static int32_t check_call(const char *fn, const attn_model *model,
                          const int64_t *y_shape, int64_t y_capacity,
                          char *err, size_t errlen) {
  const attn_model_desc *d = &__attn_model_desc;
  if (!model)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen, "%s: model is NULL",
                fn);
  if (!y_shape && d->output.rank > 0)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen, "%s: y_shape is NULL",
                fn);
  if (y_capacity < 0)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "%s: negative y_capacity %lld", fn, (long long)y_capacity);
  return ATTN_OK;
}

ATTN_EXPORT int32_t attn_model_run(attn_model *model,
                                   const float *const *inputs,
                                   const int64_t *const *shapes,
                                   const int32_t *ranks, int32_t num_inputs,
                                   float *y, int64_t y_capacity,
                                   int64_t *y_shape, char *err,
                                   size_t errlen) {
  clear_error(err, errlen);
  const attn_model_desc *d = &__attn_model_desc;
  char names[512];
  int32_t status =
      check_call("attn_model_run", model, y_shape, y_capacity, err, errlen);
  if (status != ATTN_OK)
    return status;
  status = check_desc(err, errlen);
  if (status != ATTN_OK)
    return status;
  if (num_inputs != d->num_inputs)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "attn_model_run: the model takes %d input(s) (%s), got %d",
                (int)d->num_inputs, input_names(names, sizeof(names)),
                (int)num_inputs);
  if (!inputs || !shapes || !ranks)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "attn_model_run: %s is NULL",
                !inputs ? "inputs" : !shapes ? "shapes" : "ranks");

  /* Every input against the manifest, then against each other. */
  int64_t elements[ATTN_MODEL_MAX_INPUTS];
  for (int32_t i = 0; i < num_inputs; ++i) {
    status = check_input(i, inputs[i], shapes[i], ranks[i], &elements[i], err,
                         errlen);
    if (status != ATTN_OK)
      return status;
  }
  status = check_symbols(shapes, err, errlen);
  if (status != ATTN_OK)
    return status;

  /* Every parameter set. */
  int32_t missing = 0, first_missing = -1;
  for (int32_t i = 0; i < d->num_params; ++i) {
    if (!model->set[i]) {
      if (first_missing < 0)
        first_missing = i;
      ++missing;
    }
  }
  if (missing)
    return fail(ATTN_ERR_PARAM_NOT_SET, err, errlen,
                "parameter '%s' is not set (%d of %d parameters missing)",
                d->params[first_missing].name, (int)missing,
                (int)d->num_params);

  /* The call. */
  const float *param_data = model->params;
  if (d->params_on_device) {
    status = device_params(model, &param_data, err, errlen);
    if (status != ATTN_OK)
      return status;
  }
  memref_desc params, input[ATTN_MODEL_MAX_INPUTS], result;
  int64_t param_size = d->param_size;
  make_desc(&params, param_data, &param_size, 1);
  for (int32_t i = 0; i < num_inputs; ++i)
    make_desc(&input[i], inputs[i], shapes[i], ranks[i]);
  memset(&result, 0, sizeof(result));

  entry_call call = {d->entry, &result, &params, input, num_inputs};
  status = catch_runtime_errors(run_entry, &call);
  if (status != ATTN_OK)
    return fail(status, err, errlen, "%s", runtime_error_message);

  /* The result: shape, capacity, copy, free. */
  char got[256];
  int32_t out_rank = d->output.rank;
  const int64_t *sizes = &result.words[3];
  const int64_t *strides = &result.words[3 + out_rank];
  void *allocated = get_ptr(&result, 0);
  const float *aligned = (const float *)get_ptr(&result, 1);
  int owned = allocated != NULL &&
              !points_into(allocated, model->params,
                           (size_t)d->param_size * 4);
  for (int32_t i = 0; owned && i < num_inputs; ++i)
    owned = !points_into(allocated, inputs[i], (size_t)elements[i] * 4);
  status = ATTN_OK;
  int64_t y_elements = checked_elements(sizes, out_rank);
  for (int32_t i = 0; i < out_rank; ++i) {
    y_shape[i] = sizes[i];
    if (sizes[i] < 0 ||
        (d->output.shape[i] >= 0 && sizes[i] != d->output.shape[i]))
      y_elements = -1;
  }
  if (y_elements < 0 || (y_elements > 0 && !aligned)) {
    status = fail(ATTN_ERR_INTERNAL, err, errlen,
                  "the compiled code returned an invalid output %s",
                  format_shape(got, sizeof(got), sizes, out_rank));
  } else if (y_elements > y_capacity) {
    status = fail(ATTN_ERR_OUTPUT_TOO_SMALL, err, errlen,
                  "output '%s' of shape %s needs %lld elements, y has room "
                  "for %lld",
                  d->output.name,
                  format_shape(got, sizeof(got), sizes, out_rank),
                  (long long)y_elements, (long long)y_capacity);
  } else if (y_elements > 0 && !y) {
    status = fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                  "attn_model_run: y is NULL");
  } else if (y_elements > 0) {
    copy_strided(y, aligned + result.words[2], sizes, strides, out_rank);
  }
  /* The compiled code's allocation (workspace or, for pipelines without
     the generic allocation functions, malloc: attn_workspace_free tells). */
  if (owned)
    attn_workspace_free(allocated);
  return status;
}

ATTN_EXPORT int32_t attn_model_forward(attn_model *model, const float *x,
                                       const int64_t *x_shape, int32_t x_rank,
                                       float *y, int64_t y_capacity,
                                       int64_t *y_shape, char *err,
                                       size_t errlen) {
  clear_error(err, errlen);
  const attn_model_desc *d = &__attn_model_desc;
  char names[512];
  int32_t status =
      check_call("attn_model_forward", model, y_shape, y_capacity, err, errlen);
  if (status != ATTN_OK)
    return status;
  if (d->num_inputs != 1)
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "attn_model_forward: the model takes %d inputs (%s); call "
                "attn_model_run with all of them",
                (int)d->num_inputs, input_names(names, sizeof(names)));
  if (x_rank == d->inputs[0].rank && x_rank > 0 && x_shape && !x) {
    /* Shape errors first, as before; then the NULL data. */
    int64_t elements;
    status = check_input(0, x, x_shape, x_rank, &elements, err, errlen);
    if (status != ATTN_ERR_INVALID_ARGUMENT)
      return status;
    return fail(ATTN_ERR_INVALID_ARGUMENT, err, errlen,
                "attn_model_forward: x is NULL");
  }
  return attn_model_run(model, &x, &x_shape, &x_rank, 1, y, y_capacity,
                        y_shape, err, errlen);
}
