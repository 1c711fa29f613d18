/*===- CAPITest.c - the attn C API from C ----------------------------------===*\
|*                                                                            *|
|* A plain C11 program over include/attn-c (what other languages bind):       *|
|* builds an encoder with run-time masks, compiles it, loads the library,     *|
|* binds seeded random parameters, runs it with mlirAttnCompiledModelRun      *|
|* (inputs by name, in any order) and checks every error path: a bad          *|
|* encoder field, an unknown, repeated or missing input, a wrong dtype, T     *|
|* that differs across inputs, and the single-input entry point on a model    *|
|* that needs more. Exit code 0 on success; each failed check prints a line.  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "attn-c/Compile.h"
#include "attn-c/Diagnostics.h"
#include "attn-c/Dialects.h"
#include "attn-c/Model.h"
#include "attn-c/Passes.h"
#include "mlir-c/IR.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static MlirStringRef str(const char *s) { return mlirStringRefCreateFromCString(s); }

/* Collects the last message of a string callback. */
static char message[4096];
static void onMessage(MlirStringRef text, void *userData) {
  (void)userData;
  size_t n = text.length < sizeof(message) - 1 ? text.length : sizeof(message) - 1;
  memcpy(message, text.data, n);
  message[n] = '\0';
}

static int contains(const char *needle) {
  if (strstr(message, needle))
    return 1;
  fprintf(stderr, "expected '%s' in: %s\n", needle, message);
  return 0;
}

static void bindParam(MlirAttnTensor t, void *userData) {
  MlirAttnCompiledModel *model = (MlirAttnCompiledModel *)userData;
  if (mlirLogicalResultIsFailure(
          mlirAttnCompiledModelSetParam(*model, t, onMessage, NULL))) {
    fprintf(stderr, "set_param: %s\n", message);
    ++failures;
  }
}

/* The output, copied. */
static float output[2 * 6 * 8];
static int64_t outputShape[3];
static void onOutput(MlirAttnTensor t, void *userData) {
  (void)userData;
  CHECK(t.rank == 3 && t.numBytes == sizeof(output));
  if (t.rank == 3 && t.numBytes == sizeof(output)) {
    memcpy(output, t.data, sizeof(output));
    memcpy(outputShape, t.shape, sizeof(outputShape));
  }
}

static MlirAttnTensor view(const char *name, const char *dtype, intptr_t rank,
                           const int64_t *shape, const void *data,
                           size_t bytes) {
  MlirAttnTensor t = {str(name), str(dtype), rank, shape, data, bytes};
  return t;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <scratch-directory>\n", argv[0]);
    return 2;
  }
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirAttnRegisterAllDialects(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  mlirAttnRegisterAllPasses();

  /* A bad mask kind is a diagnostic naming it. */
  MlirAttnEncoderConfig config = mlirAttnEncoderConfigGetDefault();
  CHECK(strncmp(config.mask.data, "none", config.mask.length) == 0);
  config.layers = 1;
  config.dModel = 8;
  config.heads = 2;
  config.ffn = 16;
  config.batch = 2;
  config.mask = str("causal");
  MlirAttnDiagnosticCapture capture = mlirAttnDiagnosticCaptureCreate(context);
  MlirModule bad = mlirAttnBuildEncoder(context, &config);
  CHECK(mlirModuleIsNull(bad));
  MlirStringRef diag = mlirAttnDiagnosticCaptureGetText(capture);
  CHECK(diag.length > 0 && strstr(diag.data, "unknown mask 'causal'"));
  mlirAttnDiagnosticCaptureDestroy(capture);

  /* The masked encoder, compiled and loaded. */
  config.mask = str("both");
  MlirModule module = mlirAttnBuildEncoder(context, &config);
  CHECK(!mlirModuleIsNull(module));
  if (mlirModuleIsNull(module))
    return 1;
  char library[1024];
  snprintf(library, sizeof(library), "%s/capi-model.so", argv[1]);
  MlirAttnCompileOptions options = mlirAttnCompileOptionsGetDefault();
  /* Compiling lowers `module` in place: the random parameters come from a
     second copy at the attn level. */
  MlirAttnCompiledModel model = {NULL};
  MlirModule forParams = mlirAttnBuildEncoder(context, &config);
  CHECK(mlirLogicalResultIsSuccess(
      mlirAttnCompileModule(module, str(library), &options)));
  model = mlirAttnCompiledModelLoad(str(library), onMessage, NULL);
  CHECK(!mlirAttnCompiledModelIsNull(model));
  if (mlirAttnCompiledModelIsNull(model)) {
    fprintf(stderr, "load: %s\n", message);
    return 1;
  }
  CHECK(mlirAttnCompiledModelGetNumInputs(model) == 3);
  CHECK(mlirLogicalResultIsSuccess(
      mlirAttnModuleRandomParams(forParams, 5, bindParam, &model)));

  enum { B = 2, T = 6, D = 8 };
  float x[B * T * D], mask[T * T], pad[B * T];
  for (int i = 0; i < B * T * D; ++i)
    x[i] = sinf(0.3f * (float)i);
  for (int i = 0; i < T * T; ++i)
    mask[i] = 0.0f;
  for (int i = 0; i < B * T; ++i)
    pad[i] = 0.0f;
  int64_t xShape[3] = {B, T, D}, maskShape[2] = {T, T}, padShape[2] = {B, T};
  MlirAttnTensor inputs[3] = {
      view("key_padding_mask", "F32", 2, padShape, pad, sizeof(pad)),
      view("x", "F32", 3, xShape, x, sizeof(x)),
      view("mask", "F32", 2, maskShape, mask, sizeof(mask))};
  CHECK(mlirLogicalResultIsSuccess(mlirAttnCompiledModelRun(
      model, inputs, 3, onOutput, NULL, onMessage, NULL)));
  CHECK(outputShape[0] == B && outputShape[1] == T && outputShape[2] == D);
  float unmasked[B * T * D];
  memcpy(unmasked, output, sizeof(output));
  int finite = 1;
  for (int i = 0; i < B * T * D; ++i)
    finite &= isfinite(unmasked[i]) != 0;
  CHECK(finite);

  /* A causal additive mask changes every row but the last. */
  for (int i = 0; i < T; ++i)
    for (int j = 0; j < T; ++j)
      mask[i * T + j] = j <= i ? 0.0f : -INFINITY;
  CHECK(mlirLogicalResultIsSuccess(mlirAttnCompiledModelRun(
      model, inputs, 3, onOutput, NULL, onMessage, NULL)));
  CHECK(memcmp(output, unmasked, sizeof(float) * D) != 0);
  CHECK(memcmp(output + (T - 1) * D, unmasked + (T - 1) * D,
               sizeof(float) * D) == 0);

  /* Errors, each naming the input. */
  MlirAttnTensor renamed[3] = {inputs[0], inputs[1], inputs[2]};
  renamed[2].name = str("src_mask");
  CHECK(mlirLogicalResultIsFailure(mlirAttnCompiledModelRun(
      model, renamed, 3, onOutput, NULL, onMessage, NULL)));
  CHECK(contains("the model has no input 'src_mask' (its inputs: x, mask, "
                 "key_padding_mask)"));
  MlirAttnTensor twice[3] = {inputs[1], inputs[1], inputs[2]};
  CHECK(mlirLogicalResultIsFailure(mlirAttnCompiledModelRun(
      model, twice, 3, onOutput, NULL, onMessage, NULL)));
  CHECK(contains("input 'x' is given twice"));
  CHECK(mlirLogicalResultIsFailure(mlirAttnCompiledModelRun(
      model, inputs, 2, onOutput, NULL, onMessage, NULL)));
  CHECK(contains("input 'mask' is missing"));
  MlirAttnTensor typed[3] = {inputs[0], inputs[1], inputs[2]};
  unsigned char boolMask[T * T] = {0};
  typed[2] = view("mask", "BOOL", 2, maskShape, boolMask, sizeof(boolMask));
  CHECK(mlirLogicalResultIsFailure(mlirAttnCompiledModelRun(
      model, typed, 3, onOutput, NULL, onMessage, NULL)));
  CHECK(contains("'mask' has dtype BOOL; compiled models take F32"));
  int64_t shortShape[2] = {T - 1, T - 1};
  MlirAttnTensor shorter[3] = {inputs[0], inputs[1], inputs[2]};
  shorter[2] = view("mask", "F32", 2, shortShape, mask,
                    sizeof(float) * (T - 1) * (T - 1));
  CHECK(mlirLogicalResultIsFailure(mlirAttnCompiledModelRun(
      model, shorter, 3, onOutput, NULL, onMessage, NULL)));
  CHECK(contains("input 'mask' dim 0 (T) is 5, but input 'x' dim 1 (T) is 6"));
  CHECK(mlirLogicalResultIsFailure(mlirAttnCompiledModelForward(
      model, inputs[1], onOutput, NULL, onMessage, NULL)));
  CHECK(contains("the model takes 3 input(s) (x, mask, key_padding_mask), "
                 "got 1"));

  mlirAttnCompiledModelDestroy(model);
  mlirModuleDestroy(forParams);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
  if (failures)
    fprintf(stderr, "%d check(s) failed\n", failures);
  else
    printf("CAPITest: all checks passed\n");
  return failures ? 1 : 0;
}
