/*===-- attn-c/Dialects.h - C API: the attn dialect ---------------*- C -*-===*\
|*                                                                            *|
|* Registration of the attn dialect and of the dialects its passes create,    *|
|* for languages that reach attn-mlir through the MLIR C API (Python).        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_DIALECTS_H
#define ATTN_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/// mlirGetDialectHandle__attn__(): the attn dialect alone.
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Attn, attn);

/// Inserts the attn dialect and the dialects attn models and passes use
/// (arith, func, ml_program, tensor) into `registry`
/// (mlir::attn::registerAttnDialects).
MLIR_CAPI_EXPORTED void mlirAttnRegisterDialects(MlirDialectRegistry registry);

/// Inserts every upstream dialect and dialect extension as well, as attn-opt
/// does, so that any IR a pipeline produces (linalg, LLVM, ...) parses.
MLIR_CAPI_EXPORTED void
mlirAttnRegisterAllDialects(MlirDialectRegistry registry);

#ifdef __cplusplus
}
#endif

#endif // ATTN_C_DIALECTS_H
