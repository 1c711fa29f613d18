//===- Toolkit.cpp - finding the CUDA toolkit
//------------------------------===//
//
// resolveCudaToolkit and the attn-gpu-check-toolkit pass.
//
//===----------------------------------------------------------------------===//

#include "attn/GPU/Toolkit.h"
#include "attn/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUCHECKTOOLKIT
#include "attn/GPU/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

#ifndef ATTN_CUDA_TOOLKIT_DIR
#define ATTN_CUDA_TOOLKIT_DIR ""
#endif

std::string mlir::attn::resolveCudaToolkit(llvm::StringRef explicitPath) {
  if (!explicitPath.empty())
    return explicitPath.str();
  for (const char *var : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"})
    if (std::optional<std::string> dir = llvm::sys::Process::GetEnv(var))
      if (!dir->empty() && llvm::sys::fs::is_directory(*dir))
        return *dir;
  for (llvm::StringRef dir : {llvm::StringRef(ATTN_CUDA_TOOLKIT_DIR),
                              llvm::StringRef("/usr/local/cuda")})
    if (!dir.empty() && llvm::sys::fs::is_directory(dir))
      return dir.str();
  return "";
}

std::string mlir::attn::missingFromCudaToolkit(llvm::StringRef toolkit,
                                               llvm::StringRef format,
                                               bool needsLibdevice) {
  auto has = [&](std::initializer_list<llvm::StringRef> parts) {
    if (toolkit.empty())
      return false;
    llvm::SmallString<256> path(toolkit);
    for (llvm::StringRef part : parts)
      llvm::sys::path::append(path, part);
    return llvm::sys::fs::exists(path);
  };
  std::string where = toolkit.empty()
                          ? std::string("no CUDA toolkit was found")
                          : "the CUDA toolkit '" + toolkit.str() + "'";
  std::string fix = "; pass toolkit=<dir> to attn-nvvm-pipeline (or "
                    "--cuda-toolkit to attn-compile) or set CUDA_HOME";
  bool binary = format == "bin" || format == "fatbin";
  if (binary && (toolkit.empty() || !has({"bin", "ptxas"})))
    return "format=" + format.str() + " needs ptxas but " + where +
           (toolkit.empty() ? "" : " has no bin/ptxas") + fix;
  if (format == "fatbin" && !has({"bin", "fatbinary"}))
    return "format=fatbin needs fatbinary but " + where +
           " has no bin/fatbinary" + fix;
  if (needsLibdevice &&
      (toolkit.empty() || !has({"nvvm", "libdevice", "libdevice.10.bc"})))
    return "the kernels call libdevice functions (__nv_*) but " + where +
           (toolkit.empty() ? "" : " has no nvvm/libdevice/libdevice.10.bc") +
           ", so the PTX would not assemble" + fix;
  return "";
}

namespace {
struct CheckToolkitPass
    : public mlir::attn::impl::AttnGpuCheckToolkitBase<CheckToolkitPass> {
  using AttnGpuCheckToolkitBase::AttnGpuCheckToolkitBase;

  /// gpu-module-to-binary, which follows, needs the #nvvm.target
  /// serialization and the LLVM IR translations in the context; adding them
  /// here makes attn-nvvm-pipeline work in any context (tools that register
  /// only dialects, Python).
  void getDependentDialects(DialectRegistry &registry) const override {
    AttnGpuCheckToolkitBase::getDependentDialects(registry);
    NVVM::registerNVVMTargetInterfaceExternalModels(registry);
    registerAllToLLVMIRTranslations(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (format != "isa" && format != "bin" && format != "fatbin") {
      // On the location only: printing the whole module helps nobody.
      mlir::emitError(module.getLoc()) << "unknown GPU binary format '"
                                       << format << "' (isa, bin or fatbin)";
      return signalPassFailure();
    }
    bool hasKernels = false;
    bool needsLibdevice = false;
    module.walk([&](gpu::GPUModuleOp gpuModule) {
      hasKernels = true;
      gpuModule.walk([&](FunctionOpInterface fn) {
        if (fn.getName().starts_with("__nv_"))
          needsLibdevice = true;
      });
    });
    if (!hasKernels)
      return;
    std::string missing =
        missingFromCudaToolkit(toolkit, format, needsLibdevice);
    if (!missing.empty()) {
      mlir::emitError(module.getLoc()) << missing;
      signalPassFailure();
    }
  }
};
} // namespace
