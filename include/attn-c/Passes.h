/*===-- attn-c/Passes.h - C API: passes and pipelines -------------*- C -*-===*\
|*                                                                            *|
|* Registration of the attn passes and pipelines, and running a textual pass  *|
|* pipeline on a module.                                                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_PASSES_H
#define ATTN_C_PASSES_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Registers every attn pass and pipeline with the global registry
/// (mlir::attn::registerAllAttnPasses), so that pipeline text can name them.
/// Safe to call more than once.
MLIR_CAPI_EXPORTED void mlirAttnRegisterPasses(void);

/// Registers every upstream pass as well (canonicalize, cse, the
/// conversions, ...), as attn-opt does. Safe to call more than once.
MLIR_CAPI_EXPORTED void mlirAttnRegisterAllPasses(void);

/// Parses `pipeline` and runs it on `module`, in place, verifying the IR
/// after each pass. `pipeline` is either a list of passes
/// (`attn-decompose,attn-reuse-map{group-size=4}`) or the same wrapped in
/// `builtin.module(...)`. Returns failure if the text does not parse (the
/// parser's message is emitted as an error at the module's location) or a
/// pass fails; every message goes to the context's diagnostic handlers
/// (see attn-c/Diagnostics.h). On failure the module may be partly rewritten.
MLIR_CAPI_EXPORTED MlirLogicalResult
mlirAttnRunPassPipeline(MlirModule module, MlirStringRef pipeline);

#ifdef __cplusplus
}
#endif

#endif // ATTN_C_PASSES_H
