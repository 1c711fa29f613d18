//===- CompileCuda.h - attn-compile --target=cuda ---------------*- C++ -*-===//
//
// Ahead-of-time compilation of a model for NVIDIA GPUs: attn-nvvm-pipeline,
// then the host code through the same driver as the CPU models
// (compileModule: LLVM IR, object, the model descriptor), linked with the
// model runtime (ModelGlue) and the CUDA runtime (libAttnCudaRuntime.a).
// The library has the CPU models' C API (ModelApi.h): host pointers in and
// out; the kernels are embedded and loaded when the library is loaded; the
// CUDA driver is opened at run time, so the library loads everywhere and
// attn_model_forward reports ATTN_ERR_RUNTIME_CHECK where no GPU answers.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_COMPILECUDA_H
#define ATTN_PIPELINES_COMPILECUDA_H

#include "attn/Pipelines/Compile.h"
#include "attn/Pipelines/NvvmPipeline.h"

#include <optional>
#include <string>

namespace mlir::attn {

/// What attn-compile --target=cuda writes.
enum class CudaEmitKind {
  Linalg,        ///< MLIR after attn-nvvm-pipeline's phase "linalg"
  Bufferized,    ///< ... "bufferized"
  Gpu,           ///< ... "gpu" (gpu.launch kernels, device buffers)
  Kernels,       ///< ... "kernels" (gpu.module, gpu.launch_func)
  Nvvm,          ///< ... "nvvm"
  LLVMDialect,   ///< GPU binary + host code in the LLVM dialect ("mlir")
  Ptx,           ///< the kernels' PTX
  LLVMIR,        ///< host LLVM IR (with the embedded GPU binary)
  Object,        ///< host object file
  SharedLibrary, ///< the model library, plus its .h and .json
};

/// "linalg", "bufferized", "gpu", "kernels", "nvvm", "llvm-dialect" or
/// "mlir", "ptx", "llvm", "obj", "so".
std::optional<CudaEmitKind> parseCudaEmitKind(llvm::StringRef name);

struct CudaCompileOptions {
  std::string chip = "sm_90";
  std::string features = "+ptx80";
  GpuBinaryFormat format = GpuBinaryFormat::Fatbin;
  /// The CUDA toolkit; empty: resolveCudaToolkit's search.
  std::string toolkit;
  bool fuseAttend = true;
  bool tileContractions = true;
  /// Tensor cores for the tiled contractions: "none", "f16", "bf16" or
  /// "tf32" (attn-nvvm-pipeline's `mma`; sm_80 or newer).
  std::string mma = "none";
  /// libAttnCudaRuntime.a; empty: next to the running tool (bin/../lib),
  /// else the build tree's.
  std::string cudaRuntimeLibrary;
};

/// The attn-nvvm-pipeline text (`builtin.module(attn-nvvm-pipeline{...})`)
/// for `cuda` and `common.entry`, up to `stopAfter`.
std::string getCudaPassPipeline(const CompileOptions &common,
                                const CudaCompileOptions &cuda,
                                NvvmPhase stopAfter = NvvmPhase::LLVMDialect);

/// Lowers `module` (in place) with attn-nvvm-pipeline and writes
/// `outputPath` as `emit` says; a library also gets `<output>.h` and
/// `<output>.json` (target kind "cuda"). `common` supplies the entry, the
/// host code generation options, the toolchain and the model runtime;
/// `common.passPipeline`, when set, replaces attn-nvvm-pipeline and must end
/// in the LLVM dialect with the GPU binary for the object and library kinds.
llvm::Error compileCudaModule(ModuleOp module, llvm::StringRef outputPath,
                              CudaEmitKind emit, const CompileOptions &common,
                              const CudaCompileOptions &cuda);

} // namespace mlir::attn

#endif // ATTN_PIPELINES_COMPILECUDA_H
