//===- SafeTensors.h - safetensors reader and writer ------------*- C++ -*-===//
//
// Parameter files are safetensors: an 8-byte little-endian header length, a
// JSON header (name -> dtype, shape, data_offsets; optional __metadata__),
// then the raw little-endian data. Files from outside are untrusted: every
// offset, size and shape is checked before any byte is read.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_SAFETENSORS_H
#define ATTN_RUNTIME_SAFETENSORS_H

#include "attn/Runtime/Tensor.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace attn::rt {

/// One tensor entry of a safetensors header.
struct SafeTensorInfo {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin; ///< Offset of the first byte, relative to the data section.
  uint64_t end;   ///< One past the last byte.
};

/// A parsed, validated safetensors file (the bytes stay memory-mapped).
class SafeTensorsFile {
public:
  /// Reads and validates `path`. Errors name the file and what is wrong.
  static llvm::Expected<SafeTensorsFile> open(llvm::StringRef path);
  /// Validates an in-memory file; the buffer identifier names it in errors.
  static llvm::Expected<SafeTensorsFile>
  parse(std::unique_ptr<llvm::MemoryBuffer> buffer);

  /// Tensors in header order.
  llvm::ArrayRef<SafeTensorInfo> tensors() const { return entries; }
  /// The entry called `name`, or nullptr.
  const SafeTensorInfo *lookup(llvm::StringRef name) const;
  /// The raw bytes of `info` (checked to lie inside the file).
  llvm::ArrayRef<uint8_t> bytes(const SafeTensorInfo &info) const;
  /// A copy of `name` as a host tensor, or an error if it is missing.
  llvm::Expected<Tensor> load(llvm::StringRef name) const;
  /// The optional `__metadata__` string map.
  const std::map<std::string, std::string> &metadata() const { return meta; }

private:
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  uint64_t dataStart = 0;
  std::vector<SafeTensorInfo> entries;
  llvm::StringMap<size_t> index; ///< name -> position in `entries`.
  std::map<std::string, std::string> meta;
};

/// A tensor to write: a name and a view of host data.
struct NamedTensor {
  std::string name;
  const Tensor *tensor;
};

/// Writes `tensors` (in the given order, names unique) to `path`; the file
/// appears atomically. Errors name the file and the offending tensor.
llvm::Error
writeSafeTensors(llvm::StringRef path, llvm::ArrayRef<NamedTensor> tensors,
                 const std::map<std::string, std::string> &metadata = {});

} // namespace attn::rt

#endif // ATTN_RUNTIME_SAFETENSORS_H
