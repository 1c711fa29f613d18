//===- Npy.h - NumPy .npy reader and writer ---------------------*- C++ -*-===//
//
// Model inputs and outputs are .npy files: a magic string, a format version, a
// Python dict literal (descr, fortran_order, shape) and the raw data. Only
// little-endian C-order arrays of the dtypes in DType (bf16 excepted) are
// supported. Files from outside are untrusted: the header is parsed by hand,
// never evaluated, and every size is checked.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_NPY_H
#define ATTN_RUNTIME_NPY_H

#include "attn/Runtime/Tensor.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <optional>

namespace attn::rt {

/// The numpy descr of `dtype` ("<f4", "|b1", ...), nullopt for BF16.
std::optional<llvm::StringRef> npyDescr(DType dtype);

/// Reads a .npy file (format version 1.0, 2.0 or 3.0).
llvm::Expected<Tensor> readNpy(llvm::StringRef path);
/// Parses an in-memory .npy file; `nameForErrors` names it in messages.
llvm::Expected<Tensor> parseNpy(llvm::MemoryBufferRef buffer,
                                llvm::StringRef nameForErrors);
/// Writes `tensor` as format 1.0 (2.0 when the header needs it); the file
/// appears atomically.
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

} // namespace attn::rt

#endif // ATTN_RUNTIME_NPY_H
