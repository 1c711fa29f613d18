//===- ModelLibrary.h - writing model libraries (internal) -----*- C++ -*-===//
//
// What compileModule (Compile.cpp) and compileCudaModule (CompileCuda.cpp)
// share: the model descriptor emitted into the LLVM module, the link of a
// model library, and writing its files.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_MODELLIBRARY_H
#define ATTN_LIB_PIPELINES_MODELLIBRARY_H

#include "attn/Pipelines/Compile.h"
#include "attn/Runtime/Manifest.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace mlir::attn::detail {

inline llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 message.str());
}

/// Writes `text` to `path` ("-": stdout), or says why it cannot.
llvm::Error writeText(llvm::StringRef path, llvm::StringRef text);

/// `dir/stem.ext` for `path` = `dir/stem.so`.
std::string siblingPath(llvm::StringRef path, llvm::StringRef ext);

/// A library the link needs (`what`, e.g. "the model runtime"):
/// `explicitPath` when given (it must exist), else `name` next to the running
/// tool (bin/../lib), else `buildTreePath`. The error names the places it
/// looked and ends with `hint`.
llvm::Expected<std::string> findLibrary(llvm::StringRef what,
                                        llvm::StringRef explicitPath,
                                        llvm::StringRef name,
                                        llvm::StringRef buildTreePath,
                                        llvm::StringRef hint);

/// Adds the model descriptor (ModelDesc.h: parameter and input tables, the
/// manifest `json`, the entry point, whether it takes its parameters in
/// device memory) to `module` as constants.
llvm::Error buildModelDescriptor(llvm::Module &module,
                                 const ::attn::rt::Manifest &manifest,
                                 llvm::StringRef json, bool paramsOnDevice);

/// Links the object at `objectPath` with the model runtime (whose C API is
/// all the library exports) and `options.extraLinkInputs` (kept local) into
/// the shared library `outputPath`, with clang and lld from
/// `options.toolchainDir`; libomp when `options.threads` is not 1.
llvm::Error linkModelLibrary(llvm::StringRef objectPath,
                             llvm::StringRef outputPath,
                             const CompileOptions &options);

} // namespace mlir::attn::detail

#endif // ATTN_LIB_PIPELINES_MODELLIBRARY_H
