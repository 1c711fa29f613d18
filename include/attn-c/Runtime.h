/*===-- attn-c/Runtime.h - C API: tensors and parameter files -----*- C -*-===*\
|*                                                                            *|
|* Host tensors as plain views, and the safetensors reader and writer of the  *|
|* runtime (attn/Runtime/SafeTensors.h), so that every language reads and     *|
|* checks parameter files with the same code as the tools. These functions    *|
|* need no MLIR context: errors go to an MlirStringCallback.                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_C_RUNTIME_H
#define ATTN_C_RUNTIME_H

#include "mlir-c/Support.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A view of a dense, row-major, little-endian host tensor. The pointers
/// belong to whoever passes the view and are valid for the call only.
typedef struct MlirAttnTensor {
  MlirStringRef name;
  /// safetensors spelling of the element type: "F32", "F16", "BF16", "F64",
  /// "I64", "I32", "I8", "U8" or "BOOL".
  MlirStringRef dtype;
  intptr_t rank;
  const int64_t *shape;
  const void *data;
  /// Element count times element size.
  size_t numBytes;
} MlirAttnTensor;

/// Receives one tensor; it must copy what it keeps.
typedef void (*MlirAttnTensorCallback)(MlirAttnTensor tensor, void *userData);

/// Reads the safetensors file `path`, checking every offset, size and shape,
/// and calls `callback` once per tensor in file order, then
/// `metadataCallback` (may be null) once per `__metadata__` entry with the
/// key and the value. On failure calls `errorCallback` (may be null) with a
/// message naming the file and the problem, and reports no tensor.
MLIR_CAPI_EXPORTED MlirLogicalResult mlirAttnReadSafeTensors(
    MlirStringRef path, MlirAttnTensorCallback callback, void *userData,
    void (*metadataCallback)(MlirStringRef key, MlirStringRef value,
                             void *userData),
    MlirStringCallback errorCallback, void *errorUserData);

/// Writes `numTensors` tensors (names unique) and `numMetadata` metadata
/// entries to the safetensors file `path`, which appears atomically. On
/// failure calls `errorCallback` (may be null) with a message.
MLIR_CAPI_EXPORTED MlirLogicalResult mlirAttnWriteSafeTensors(
    MlirStringRef path, intptr_t numTensors, const MlirAttnTensor *tensors,
    intptr_t numMetadata, const MlirStringRef *metadataKeys,
    const MlirStringRef *metadataValues, MlirStringCallback errorCallback,
    void *errorUserData);

#ifdef __cplusplus
}
#endif

#endif // ATTN_C_RUNTIME_H
