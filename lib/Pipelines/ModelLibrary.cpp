//===- ModelLibrary.cpp - linking and writing model libraries -------------===//
//
// See ModelLibrary.h. The link runs clang (with lld) as a subprocess: LLVM
// has no in-process ELF linker library that Debian ships (lld's is not
// packaged as a library), and clang's driver knows where libc, libm and
// libomp live.
//
//===----------------------------------------------------------------------===//

#include "ModelLibrary.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace mlir::attn;
using namespace mlir::attn::detail;

#ifndef ATTN_MODEL_GLUE_LIBRARY
#define ATTN_MODEL_GLUE_LIBRARY ""
#endif

namespace {
/// `name` in `dir`, if it is an executable file.
std::optional<std::string> findTool(llvm::StringRef dir, llvm::StringRef name) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  if (llvm::sys::fs::can_execute(path))
    return std::string(path);
  return std::nullopt;
}

/// A temporary file that is removed when this goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  std::optional<llvm::FileRemover> remover;
  llvm::Error create(llvm::StringRef prefix, llvm::StringRef suffix) {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile(prefix, suffix, path))
      return makeError("cannot create a temporary file: " + ec.message());
    remover.emplace(path);
    return llvm::Error::success();
  }
};
} // namespace

llvm::Error mlir::attn::detail::writeText(llvm::StringRef path,
                                          llvm::StringRef text) {
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return makeError("cannot write " + path + ": " + ec.message());
  out.os() << text;
  out.os().close();
  if (out.os().has_error())
    return makeError("cannot write " + path + ": " +
                     out.os().error().message());
  out.keep();
  return llvm::Error::success();
}

std::string mlir::attn::detail::siblingPath(llvm::StringRef path,
                                            llvm::StringRef ext) {
  llvm::SmallString<256> result(path);
  llvm::sys::path::replace_extension(result, ext);
  return std::string(result);
}

llvm::Expected<std::string>
mlir::attn::detail::findLibrary(llvm::StringRef what,
                                llvm::StringRef explicitPath,
                                llvm::StringRef name,
                                llvm::StringRef buildTreePath,
                                llvm::StringRef hint) {
  if (!explicitPath.empty()) {
    if (!llvm::sys::fs::exists(explicitPath))
      return makeError(what + " " + explicitPath + " does not exist");
    return explicitPath.str();
  }
  llvm::SmallVector<std::string> candidates;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  if (!exe.empty()) {
    llvm::SmallString<256> path(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(path, "..", "lib", name);
    candidates.push_back(std::string(path));
  }
  if (!buildTreePath.empty())
    candidates.push_back(buildTreePath.str());
  for (const std::string &candidate : candidates)
    if (llvm::sys::fs::exists(candidate))
      return candidate;
  return makeError("cannot find " + what + " " + name + " (looked in " +
                   llvm::join(candidates, ", ") + "); " + hint);
}

llvm::Error mlir::attn::detail::linkModelLibrary(llvm::StringRef objectPath,
                                                 llvm::StringRef outputPath,
                                                 const CompileOptions &options) {
  std::string dir = options.toolchainDir.empty() ? ATTN_LLVM_TOOLS_DIR
                                                 : options.toolchainDir;
  std::optional<std::string> clang = findTool(dir, "clang");
  if (!clang)
    clang = findTool(dir, "clang-22");
  if (!clang)
    return makeError("cannot find clang in " + dir +
                     " to link the model (install clang-22 and lld-22, or "
                     "pass --toolchain-dir)");
  llvm::Expected<std::string> runtime = findLibrary(
      "the model runtime", options.runtimeLibrary, "libAttnModelGlue.a",
      ATTN_MODEL_GLUE_LIBRARY,
      "build the AttnModelGlue target or pass --runtime-library");
  if (!runtime)
    return runtime.takeError();

  // Export the C API only; everything else (the compiled code, the
  // runtime's internals, extra inputs such as the CUDA runtime) stays local,
  // so that several models can live in one process.
  TempFile versionScript;
  if (llvm::Error err = versionScript.create("attn-model", "map"))
    return err;
  if (llvm::Error err = writeText(versionScript.path,
                                  "{\n  global: attn_model_*;\n  local: *;\n};\n"))
    return err;

  llvm::SmallVector<std::string> args = {
      *clang, "-shared", "-fuse-ld=lld", "-o", outputPath.str(),
      objectPath.str(),
      // The whole runtime: the API is what the library exports, though
      // nothing in the object refers to it.
      "-Wl,--whole-archive", *runtime, "-Wl,--no-whole-archive"};
  args.append(options.extraLinkInputs.begin(), options.extraLinkInputs.end());
  args.append({"-Wl,--version-script=" + std::string(versionScript.path),
               "-Wl,-Bsymbolic", "-Wl,--no-undefined", "-Wl,-z,now",
               "-Wl,-z,noexecstack", "-lm"});
  if (options.threads != 1) {
    args.push_back("-fopenmp=libomp");
    // libomp lives next to LLVM's own libraries.
    llvm::SmallString<256> libDir(dir);
    llvm::sys::path::append(libDir, "..", "lib");
    llvm::sys::path::remove_dots(libDir, /*remove_dot_dot=*/true);
    args.push_back("-Wl,-rpath," + std::string(libDir));
  }
  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());

  TempFile log;
  if (llvm::Error err = log.create("attn-link", "log"))
    return err;
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.path.str(),
                                                log.path.str()};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(*clang, argRefs, std::nullopt, redirects,
                                     /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                     &error);
  if (rc == 0)
    return llvm::Error::success();
  std::string text;
  if (auto buffer = llvm::MemoryBuffer::getFile(log.path))
    text = (*buffer)->getBuffer().str();
  return makeError("linking " + outputPath + " failed" +
                   (error.empty() ? "" : ": " + error) + "\n" +
                   llvm::join(argRefs, " ") + "\n" + text);
}
