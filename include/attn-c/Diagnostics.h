/*===-- attn-c/Diagnostics.h - C API: capturing diagnostics -------*- C -*-===*\
|*                                                                            *|
|* The attn C API reports errors as MLIR does: as diagnostics on the context. *|
|* A capture collects every diagnostic emitted on a context while it lives    *|
|* (errors, warnings, remarks and their notes), formatted as `<location>:     *|
|* <severity>: <message>` lines, so that a caller can hand the text to its    *|
|* user (the Python package puts it into its exceptions).                     *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_DIAGNOSTICS_H
#define ATTN_C_DIAGNOSTICS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct MlirAttnDiagnosticCapture {
  void *ptr;
} MlirAttnDiagnosticCapture;

/// Starts capturing the diagnostics of `context`. Captures nest: the newest
/// one sees the diagnostics, and no other handler does while it lives.
MLIR_CAPI_EXPORTED MlirAttnDiagnosticCapture
mlirAttnDiagnosticCaptureCreate(MlirContext context);

/// Stops capturing and frees `capture`. Captures must be destroyed in the
/// reverse order of their creation.
MLIR_CAPI_EXPORTED void
mlirAttnDiagnosticCaptureDestroy(MlirAttnDiagnosticCapture capture);

/// The text captured so far, one diagnostic per line (notes indented). Valid
/// until the next diagnostic or the capture's destruction.
MLIR_CAPI_EXPORTED MlirStringRef
mlirAttnDiagnosticCaptureGetText(MlirAttnDiagnosticCapture capture);

/// How many error diagnostics were captured.
MLIR_CAPI_EXPORTED intptr_t
mlirAttnDiagnosticCaptureGetNumErrors(MlirAttnDiagnosticCapture capture);

#ifdef __cplusplus
}
#endif

#endif // ATTN_C_DIAGNOSTICS_H
