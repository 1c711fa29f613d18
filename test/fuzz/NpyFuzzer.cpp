//===- NpyFuzzer.cpp - libFuzzer target: .npy reader ----------------------===//
//
// Feeds arbitrary bytes to parseNpy. Any input must give either an error or
// a tensor whose data size matches its dtype and shape, in a dtype that the
// writer can write back.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Npy.h"

#include <cstdlib>

using namespace attn::rt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.npy");
  llvm::Expected<Tensor> tensor = parseNpy(buffer, "fuzz.npy");
  if (!tensor) {
    llvm::consumeError(tensor.takeError());
    return 0;
  }
  std::optional<uint64_t> bytes = checkedByteSize(tensor->dtype, tensor->shape);
  if (!bytes || tensor->data.size() != *bytes || !npyDescr(tensor->dtype))
    abort();
  return 0;
}
