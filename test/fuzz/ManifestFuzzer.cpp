//===- ManifestFuzzer.cpp - libFuzzer target: compiled-model manifest -----===//
//
// Feeds arbitrary text to Manifest::parse (the manifest is read from a
// model.json or from a shared library someone else built). A manifest that
// parses must print back to JSON that parses to the same manifest, and every
// parameter must lie inside the parameter buffer.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Manifest.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace attn::rt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<Manifest> manifest = Manifest::parse(text, "fuzz.json");
  if (!manifest) {
    llvm::consumeError(manifest.takeError());
    return 0;
  }
  for (const ManifestParam &p : manifest->params) {
    int64_t n = p.numElements();
    if (n < 0 || p.offset < 0 || p.offset + n > manifest->paramSize)
      abort();
  }
  (void)manifest->flopsFor({2, 16, 8});
  (void)manifest->flopsFor({});

  std::string printed;
  llvm::raw_string_ostream os(printed);
  os << manifest->toJSON();
  llvm::Expected<Manifest> again = Manifest::parse(printed, "printed.json");
  if (!again) {
    llvm::errs() << llvm::toString(again.takeError()) << "\n";
    abort();
  }
  if (again->params.size() != manifest->params.size() ||
      again->inputs.size() != manifest->inputs.size() ||
      again->outputs.size() != manifest->outputs.size() ||
      again->paramSize != manifest->paramSize)
    abort();
  return 0;
}
