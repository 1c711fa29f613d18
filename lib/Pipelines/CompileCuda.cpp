//===- CompileCuda.cpp - attn-compile --target=cuda
//------------------------===//
//
// See CompileCuda.h. The host side reuses compileModule (translation, the
// model descriptor, the object); this file adds the GPU pipeline, PTX output
// and the link with the CUDA runtime.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/CompileCuda.h"
#include "attn/GPU/Toolkit.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::attn;

#ifndef ATTN_CUDA_RUNTIME_LIBRARY
#define ATTN_CUDA_RUNTIME_LIBRARY ""
#endif

namespace {
llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message.str());
}

llvm::Error writeText(llvm::StringRef path, llvm::StringRef text) {
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

std::optional<NvvmPhase> phaseOf(CudaEmitKind emit) {
  switch (emit) {
  case CudaEmitKind::Linalg:
    return NvvmPhase::Linalg;
  case CudaEmitKind::Bufferized:
    return NvvmPhase::Bufferized;
  case CudaEmitKind::Gpu:
    return NvvmPhase::Gpu;
  case CudaEmitKind::Kernels:
    return NvvmPhase::Kernels;
  case CudaEmitKind::Nvvm:
    return NvvmPhase::Nvvm;
  case CudaEmitKind::LLVMDialect:
    return NvvmPhase::LLVMDialect;
  default:
    return std::nullopt;
  }
}

/// Runs `pipeline` (textual, on the module) on `module`.
LogicalResult runPipeline(ModuleOp module, llvm::StringRef pipeline,
                          const CompileOptions &common) {
  std::string error;
  llvm::raw_string_ostream errorStream(error);
  FailureOr<OpPassManager> parsed = parsePassPipeline(pipeline, errorStream);
  if (failed(parsed))
    return module.emitError() << "invalid pass pipeline: " << error;
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  static_cast<OpPassManager &>(pm) = *parsed;
  if (common.configurePassManager && failed(common.configurePassManager(pm)))
    return failure();
  return pm.run(module);
}

/// `dir/name` if it exists.
std::optional<std::string> existing(llvm::StringRef dir, llvm::StringRef name) {
  SmallString<256> path(dir);
  llvm::sys::path::append(path, name);
  if (llvm::sys::fs::exists(path))
    return std::string(path);
  return std::nullopt;
}

/// A library next to the running tool (bin/../lib), else `fallback`.
llvm::Expected<std::string> findLibrary(llvm::StringRef explicitPath,
                                        llvm::StringRef name,
                                        llvm::StringRef fallback,
                                        llvm::StringRef hint) {
  if (!explicitPath.empty()) {
    if (!llvm::sys::fs::exists(explicitPath))
      return makeError(explicitPath + " does not exist");
    return explicitPath.str();
  }
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  if (!exe.empty()) {
    SmallString<256> lib(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(lib, "..", "lib");
    if (std::optional<std::string> found = existing(lib, name))
      return *found;
  }
  if (!fallback.empty() && llvm::sys::fs::exists(fallback))
    return fallback.str();
  return makeError("cannot find " + name + " " + hint);
}

/// Links the host object into the model library: the model runtime (the
/// C API, exported) and the CUDA runtime (the mgpu* functions, local).
llvm::Error linkCudaModel(llvm::StringRef objectPath,
                          llvm::StringRef outputPath,
                          const CompileOptions &common,
                          const CudaCompileOptions &cuda) {
  std::string dir =
      common.toolchainDir.empty() ? ATTN_LLVM_TOOLS_DIR : common.toolchainDir;
  std::optional<std::string> clang = existing(dir, "clang");
  if (!clang)
    clang = existing(dir, "clang-22");
  if (!clang)
    return makeError("cannot find clang in " + dir +
                     " to link the model (install clang-22 and lld-22, or "
                     "pass --toolchain-dir)");
  llvm::Expected<std::string> glue = findLibrary(
      common.runtimeLibrary, "libAttnModelGlue.a", ATTN_MODEL_GLUE_LIBRARY,
      "(the model runtime; build the AttnModelGlue target)");
  if (!glue)
    return glue.takeError();
  llvm::Expected<std::string> runtime = findLibrary(
      cuda.cudaRuntimeLibrary, "libAttnCudaRuntime.a",
      ATTN_CUDA_RUNTIME_LIBRARY,
      "(the CUDA runtime, built when CMake finds the CUDA toolkit: configure "
      "with CUDAToolkit_ROOT or CUDA_HOME set, or pass --cuda-runtime)");
  if (!runtime)
    return runtime.takeError();

  SmallString<128> versionScript;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "attn-model", "map", versionScript))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover removeScript(versionScript);
  if (llvm::Error err = writeText(
          versionScript, "{\n  global: attn_model_*;\n  local: *;\n};\n"))
    return err;

  SmallVector<std::string> args = {
      *clang, "-shared", "-fuse-ld=lld", "-o", outputPath.str(),
      objectPath.str(), "-Wl,--whole-archive", *glue, "-Wl,--no-whole-archive",
      // mgpu*: what the object calls, kept local by the version script.
      *runtime, "-Wl,--version-script=" + std::string(versionScript),
      "-Wl,-Bsymbolic", "-Wl,--no-undefined", "-Wl,-z,now",
      "-Wl,-z,noexecstack", "-lm", "-ldl"};
  SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  SmallString<128> logPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attn-link", "log", logPath))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover removeLog(logPath);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath.str(),
                                                logPath.str()};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(*clang, argRefs, std::nullopt, redirects,
                                     0, 0, &error);
  if (rc != 0) {
    std::string log;
    if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
      log = (*buffer)->getBuffer().str();
    return makeError("linking " + outputPath + " failed" +
                     (error.empty() ? "" : ": " + error) + "\n" +
                     llvm::join(argRefs, " ") + "\n" + log);
  }
  return llvm::Error::success();
}

/// The PTX of every gpu.binary of `module` (compiled with format=isa).
llvm::Expected<std::string> collectPtx(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.walk([&](gpu::BinaryOp binary) {
    for (Attribute attr : binary.getObjectsAttr()) {
      auto object = dyn_cast<gpu::ObjectAttr>(attr);
      if (!object || object.getFormat() != gpu::CompilationTarget::Assembly)
        continue;
      os << "// gpu.binary @" << binary.getName() << ", target "
         << object.getTarget() << "\n"
         << object.getObject().getValue() << "\n";
    }
  });
  if (text.empty())
    return makeError("the module has no kernels (no PTX to write)");
  return text;
}
} // namespace

std::optional<CudaEmitKind>
mlir::attn::parseCudaEmitKind(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<CudaEmitKind>>(name)
      .Case("linalg", CudaEmitKind::Linalg)
      .Case("bufferized", CudaEmitKind::Bufferized)
      .Case("gpu", CudaEmitKind::Gpu)
      .Case("kernels", CudaEmitKind::Kernels)
      .Case("nvvm", CudaEmitKind::Nvvm)
      .Cases({"llvm-dialect", "mlir"}, CudaEmitKind::LLVMDialect)
      .Case("ptx", CudaEmitKind::Ptx)
      .Case("llvm", CudaEmitKind::LLVMIR)
      .Case("obj", CudaEmitKind::Object)
      .Case("so", CudaEmitKind::SharedLibrary)
      .Default(std::nullopt);
}

std::string mlir::attn::getCudaPassPipeline(const CompileOptions &common,
                                            const CudaCompileOptions &cuda,
                                            NvvmPhase stopAfter) {
  std::string toolkit = resolveCudaToolkit(cuda.toolkit);
  std::string text = llvm::formatv(
      "builtin.module(attn-nvvm-pipeline{{entry={0} chip={1} format={2} "
      "fuse-attend={3} tile-contractions={4} stop-after={5} mma={6}",
      common.entry, cuda.chip, stringifyGpuBinaryFormat(cuda.format),
      cuda.fuseAttend ? "true" : "false",
      cuda.tileContractions ? "true" : "false", stringifyNvvmPhase(stopAfter),
      cuda.mma);
  if (!cuda.features.empty())
    text += " features=" + cuda.features;
  if (!toolkit.empty())
    text += " toolkit=" + toolkit;
  return text + "})";
}

llvm::Error mlir::attn::compileCudaModule(ModuleOp module,
                                          llvm::StringRef outputPath,
                                          CudaEmitKind emit,
                                          const CompileOptions &common,
                                          const CudaCompileOptions &cuda) {
  // MLIR after a phase, or the PTX.
  if (std::optional<NvvmPhase> phase = phaseOf(emit);
      phase || emit == CudaEmitKind::Ptx) {
    CudaCompileOptions lowering = cuda;
    if (emit == CudaEmitKind::Ptx)
      lowering.format = GpuBinaryFormat::Isa;
    std::string pipeline =
        common.passPipeline.empty()
            ? getCudaPassPipeline(common, lowering,
                                  phase.value_or(NvvmPhase::LLVMDialect))
            : common.passPipeline;
    if (failed(runPipeline(module, pipeline, common)))
      return makeError("lowering failed (see the errors above)");
    if (emit == CudaEmitKind::Ptx) {
      llvm::Expected<std::string> ptx = collectPtx(module);
      if (!ptx)
        return ptx.takeError();
      return writeText(outputPath, *ptx);
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os);
    return writeText(outputPath, text);
  }

  // Host code: compileModule translates, adds the model descriptor and
  // emits LLVM IR or an object.
  CompileOptions host = common;
  if (host.passPipeline.empty())
    host.passPipeline = getCudaPassPipeline(common, cuda);
  host.threads = 1;
  if (emit == CudaEmitKind::LLVMIR || emit == CudaEmitKind::Object) {
    host.emit =
        emit == CudaEmitKind::LLVMIR ? EmitKind::LLVMIR : EmitKind::Object;
    return compileModule(module, outputPath, host);
  }

  SmallString<128> objectPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attn-model", "o", objectPath))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover removeObject(objectPath);
  host.emit = EmitKind::Object;
  if (llvm::Error err = compileModule(module, objectPath, host))
    return err;
  if (llvm::Error err = linkCudaModel(objectPath, outputPath, common, cuda))
    return err;

  llvm::Expected<::attn::rt::Manifest> manifest = getModelManifest(module);
  if (!manifest)
    return manifest.takeError();
  manifest->target.kind = "cuda";
  manifest->target.triple = "nvptx64-nvidia-cuda";
  manifest->target.cpu = cuda.chip;
  manifest->target.features = cuda.features;
  manifest->target.threads = 1;
  std::string json;
  {
    llvm::raw_string_ostream os(json);
    os << llvm::formatv("{0:2}", manifest->toJSON()) << "\n";
  }
  SmallString<256> header(outputPath), jsonPath(outputPath);
  llvm::sys::path::replace_extension(header, "h");
  llvm::sys::path::replace_extension(jsonPath, "json");
  if (llvm::Error err = writeText(header, getModelApiHeader()))
    return err;
  return writeText(jsonPath, json);
}
