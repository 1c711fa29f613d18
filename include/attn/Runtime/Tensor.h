//===- Tensor.h - host tensors of the runtime -------------------*- C++ -*-===//
//
// A dense, row-major host tensor that owns its bytes. Shared by the
// safetensors and .npy readers, attn-model and attn-run.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_TENSOR_H
#define ATTN_RUNTIME_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace attn::rt {

enum class DType { F32, F16, BF16, F64, I64, I32, I8, U8, Bool };

/// Size of one element in bytes.
size_t dtypeSize(DType dtype);
/// safetensors spelling: "F32", "BF16", "BOOL", ...
llvm::StringRef dtypeName(DType dtype);
/// Inverse of dtypeName, or nullopt for an unknown spelling.
std::optional<DType> parseDType(llvm::StringRef name);

/// Element count of `shape`; nullopt if a dim is negative or the product
/// overflows. Readers of untrusted files use this, never numElements().
std::optional<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape);
/// checkedNumElements(shape) * dtypeSize(dtype), nullopt on overflow.
std::optional<uint64_t> checkedByteSize(DType dtype,
                                        llvm::ArrayRef<int64_t> shape);

struct Tensor {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data; ///< numElements() * dtypeSize(dtype) bytes.

  /// Product of the dims; the shape must be valid (see checkedNumElements).
  int64_t numElements() const;
  /// A zero-filled tensor; the shape must be valid.
  static Tensor zeros(DType dtype, std::vector<int64_t> shape);
  float *f32() { return reinterpret_cast<float *>(data.data()); }
  const float *f32() const {
    return reinterpret_cast<const float *>(data.data());
  }
};

/// `[2, 3]` for messages.
std::string formatShape(const std::vector<int64_t> &shape);

} // namespace attn::rt

#endif // ATTN_RUNTIME_TENSOR_H
