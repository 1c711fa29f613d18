//===- SafeTensorsFuzzer.cpp - libFuzzer target: safetensors reader -------===//
//
// Feeds arbitrary bytes to SafeTensorsFile::parse. Any input must give either
// an error or a file whose every entry lies inside the data section, has the
// byte size its dtype and shape say, and loads. Crashes, sanitizer reports
// and a broken invariant (abort) are bugs.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/SafeTensors.h"

#include <cstdlib>

using namespace attn::rt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.safetensors");
  llvm::Expected<SafeTensorsFile> file = SafeTensorsFile::parse(std::move(buffer));
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  for (const SafeTensorInfo &info : file->tensors()) {
    std::optional<uint64_t> bytes = checkedByteSize(info.dtype, info.shape);
    if (!bytes || info.end - info.begin != *bytes ||
        file->lookup(info.name) != &info ||
        file->bytes(info).size() != *bytes)
      abort();
    llvm::Expected<Tensor> tensor = file->load(info.name);
    if (!tensor || tensor->data.size() != *bytes)
      abort();
  }
  return 0;
}
