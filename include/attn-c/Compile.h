/*===-- attn-c/Compile.h - C API: compiling and running models ----*- C -*-===*\
|*                                                                            *|
|* Ahead-of-time compilation (attn/Pipelines/Compile.h, what attn-compile     *|
|* runs) and compiled model libraries loaded in-process                       *|
|* (attn/Runtime/CompiledModel.h, what attn-run uses).                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_COMPILE_H
#define ATTN_C_COMPILE_H

#include "attn-c/Runtime.h"
#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

//===----------------------------------------------------------------------===//
// Compiling
//===----------------------------------------------------------------------===//

/// mlir::attn::CompileOptions; get the defaults with
/// mlirAttnCompileOptionsGetDefault and change what differs. Strings are
/// read during the call only.
typedef struct MlirAttnCompileOptions {
  /// What to write: "so" (the model library plus its .h and .json), "obj",
  /// "llvm" (LLVM IR), "mlir" (the LLVM dialect), or the MLIR after a phase:
  /// "linalg", "bufferized", "loops" (attn-compile's --emit).
  MlirStringRef emit;
  /// Threads of the generated code (1 = sequential, 0 = OpenMP's default).
  uint32_t threads;
  /// "loops" (the correctness baseline) or "vector".
  MlirStringRef lowering;
  /// Key positions per step of the attn.attend loop.
  int64_t attendBlockSize;
  /// A pipeline that replaces attn-cpu-pipeline; empty = attn-cpu-pipeline.
  MlirStringRef passPipeline;
  /// Target CPU ("host") and extra features ("+avx512f,...").
  MlirStringRef cpu;
  MlirStringRef features;
  uint32_t optLevel;
} MlirAttnCompileOptions;

/// attn-compile's defaults. The strings are static.
MLIR_CAPI_EXPORTED MlirAttnCompileOptions
mlirAttnCompileOptionsGetDefault(void);

/// Lowers `module` in place and writes `outputPath` (mlir::attn::
/// compileModule). Fails, after emitting errors (MLIR's, then one saying
/// which step failed) on the module's context, on a bad option, a pipeline
/// failure, or a code generation or link error.
MLIR_CAPI_EXPORTED MlirLogicalResult
mlirAttnCompileModule(MlirModule module, MlirStringRef outputPath,
                      const MlirAttnCompileOptions *options);

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

/// A compiled model library loaded in-process, with one model instance.
typedef struct MlirAttnCompiledModel {
  void *ptr;
} MlirAttnCompiledModel;

static inline bool mlirAttnCompiledModelIsNull(MlirAttnCompiledModel model) {
  return !model.ptr;
}

/// Loads the library at `path` (it stays loaded for the life of the
/// process), checks its ABI version and manifest. Returns a null model and
/// calls `errorCallback` (may be null) with the reason on failure.
MLIR_CAPI_EXPORTED MlirAttnCompiledModel mlirAttnCompiledModelLoad(
    MlirStringRef path, MlirStringCallback errorCallback, void *errorUserData);

/// Frees the model instance (the library stays loaded).
MLIR_CAPI_EXPORTED void
mlirAttnCompiledModelDestroy(MlirAttnCompiledModel model);

/// Calls `callback` with the manifest as JSON (the library's model.json).
MLIR_CAPI_EXPORTED void
mlirAttnCompiledModelGetManifest(MlirAttnCompiledModel model,
                                 MlirStringCallback callback, void *userData);

/// Binds parameter `param.name` (F32, exactly the manifest's shape).
MLIR_CAPI_EXPORTED MlirLogicalResult mlirAttnCompiledModelSetParam(
    MlirAttnCompiledModel model, MlirAttnTensor param,
    MlirStringCallback errorCallback, void *errorUserData);

/// The number of inputs the model takes (1 for x alone; more with mask
/// inputs). Their names, shapes and mask kinds are in the manifest.
MLIR_CAPI_EXPORTED intptr_t
mlirAttnCompiledModelGetNumInputs(MlirAttnCompiledModel model);

/// Runs the model on `numInputs` F32 tensors, matched to the manifest's
/// inputs by `name` (in any order; each exactly once), and calls
/// `outputCallback` with the output. Every parameter must be bound. Fails,
/// calling `errorCallback` with a message that names the input, on an
/// unknown, repeated or missing name, a dtype other than F32, a byte size
/// that does not fit the shape, or a shape the library rejects.
MLIR_CAPI_EXPORTED MlirLogicalResult mlirAttnCompiledModelRun(
    MlirAttnCompiledModel model, const MlirAttnTensor *inputs,
    intptr_t numInputs, MlirAttnTensorCallback outputCallback, void *userData,
    MlirStringCallback errorCallback, void *errorUserData);

/// Runs a model with one input on `input` (F32; its name is not checked)
/// and calls `outputCallback` with the output. Every parameter must be
/// bound. A model with more inputs fails, naming them: use
/// mlirAttnCompiledModelRun.
MLIR_CAPI_EXPORTED MlirLogicalResult mlirAttnCompiledModelForward(
    MlirAttnCompiledModel model, MlirAttnTensor input,
    MlirAttnTensorCallback outputCallback, void *userData,
    MlirStringCallback errorCallback, void *errorUserData);

#ifdef __cplusplus
}
#endif

#endif // ATTN_C_COMPILE_H
