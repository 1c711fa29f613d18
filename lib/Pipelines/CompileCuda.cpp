//===- CompileCuda.cpp - attn-compile --target=cuda
//------------------------===//
//
// See CompileCuda.h. The host side reuses compileModule (translation, the
// model descriptor, the object, the link and the files next to the library);
// this file adds the GPU pipeline, PTX output and the CUDA runtime.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/CompileCuda.h"
#include "attn/GPU/Toolkit.h"
#include "ModelLibrary.h"

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
using namespace mlir::attn::detail;

#ifndef ATTN_CUDA_RUNTIME_LIBRARY
#define ATTN_CUDA_RUNTIME_LIBRARY ""
#endif

namespace {
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

  // The library: compileModule links the host object with the model runtime
  // and the CUDA runtime (the mgpu* functions the host code calls, local to
  // the library), and writes the header and the manifest, which (also the
  // copy embedded in the library) names the GPU target.
  llvm::Expected<std::string> runtime = findLibrary(
      "the CUDA runtime", cuda.cudaRuntimeLibrary, "libAttnCudaRuntime.a",
      ATTN_CUDA_RUNTIME_LIBRARY,
      "it is built when CMake finds the CUDA toolkit: configure with "
      "CUDAToolkit_ROOT or CUDA_HOME set, or pass --cuda-runtime");
  if (!runtime)
    return runtime.takeError();
  host.emit = EmitKind::SharedLibrary;
  host.extraLinkInputs = {*runtime, "-ldl"};
  ::attn::rt::ManifestTarget target;
  target.kind = "cuda";
  target.triple = "nvptx64-nvidia-cuda";
  target.cpu = cuda.chip;
  target.features = cuda.features;
  target.threads = 1;
  host.manifestTarget = target;
  return compileModule(module, outputPath, host);
}
