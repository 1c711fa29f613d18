//===- NvvmPipeline.h - attn-nvvm-pipeline ----------------------*- C++ -*-===//
//
// The GPU pipeline: an attn model to host code in the LLVM dialect that
// launches NVVM kernels embedded as a GPU binary (docs/gpu.md). Shared by
// attn-opt, attn-compile --target=cuda and Python, like attn-cpu-pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_NVVMPIPELINE_H
#define ATTN_PIPELINES_NVVMPIPELINE_H

#include "mlir/Pass/PassOptions.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
namespace attn {

/// The named phase boundaries of attn-nvvm-pipeline, in order.
enum class NvvmPhase {
  /// Linalg on tensors, parameters bound, attn.attend already a fused
  /// kernel (gpu.launch on buffers) where it can be.
  Linalg,
  /// Bufferized, not yet deallocated: linalg on memrefs.
  Bufferized,
  /// Every linalg op a gpu.launch; device buffers (gpu.alloc, gpu.memcpy)
  /// in the host code.
  Gpu,
  /// Kernels outlined into gpu.module / gpu.func, launched with
  /// gpu.launch_func on one stream per function; buffers freed.
  Kernels,
  /// gpu.module in the NVVM and LLVM dialects, with its #nvvm.target.
  Nvvm,
  /// gpu.binary plus host code in the LLVM dialect calling mgpu* functions.
  LLVMDialect,
};

llvm::StringRef stringifyNvvmPhase(NvvmPhase phase);
std::optional<NvvmPhase> parseNvvmPhase(llvm::StringRef name);

/// What gpu-module-to-binary produces.
enum class GpuBinaryFormat {
  Isa,    ///< PTX text (JIT-compiled by the driver at load time)
  Bin,    ///< a cubin for `chip` (ptxas)
  Fatbin, ///< a fatbinary with the cubin and the PTX (ptxas + fatbinary)
};

llvm::StringRef stringifyGpuBinaryFormat(GpuBinaryFormat format);

struct AttnNvvmPipelineOptions
    : public PassPipelineOptions<AttnNvvmPipelineOptions> {
  PassOptions::Option<std::string> entry{
      *this, "entry", llvm::cl::desc("Name of the entry function"),
      llvm::cl::init("forward")};
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("GPU architecture (sm_80, sm_90, ...)"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features of the target (ptxas 13 needs +ptx80 or "
                     "later for sm_90)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<GpuBinaryFormat> format{
      *this, "format", llvm::cl::desc("What the kernels become"),
      llvm::cl::init(GpuBinaryFormat::Fatbin),
      llvm::cl::values(
          clEnumValN(GpuBinaryFormat::Isa, "isa", "PTX text"),
          clEnumValN(GpuBinaryFormat::Bin, "bin", "a cubin (runs ptxas)"),
          clEnumValN(GpuBinaryFormat::Fatbin, "fatbin",
                     "a fatbinary with cubin and PTX (runs ptxas and "
                     "fatbinary)"))};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit directory (ptxas, fatbinary, libdevice); "
                     "empty: $CUDA_HOME, $CUDA_ROOT, $CUDA_PATH, the one "
                     "found at configure time, /usr/local/cuda"),
      llvm::cl::init("")};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level", llvm::cl::desc("LLVM optimization level of kernels"),
      llvm::cl::init(3)};
  PassOptions::Option<NvvmPhase> stopAfter{
      *this, "stop-after", llvm::cl::desc("Last phase to run"),
      llvm::cl::init(NvvmPhase::LLVMDialect),
      llvm::cl::values(
          clEnumValN(NvvmPhase::Linalg, "linalg",
                     "linalg on tensors, parameters bound"),
          clEnumValN(NvvmPhase::Bufferized, "bufferized", "linalg on memrefs"),
          clEnumValN(NvvmPhase::Gpu, "gpu",
                     "gpu.launch kernels, device buffers"),
          clEnumValN(NvvmPhase::Kernels, "kernels",
                     "outlined gpu.func kernels, gpu.launch_func"),
          clEnumValN(NvvmPhase::Nvvm, "nvvm", "kernels in the NVVM dialect"),
          clEnumValN(NvvmPhase::LLVMDialect, "llvm",
                     "GPU binary and host code in the LLVM dialect"))};
  PassOptions::Option<bool> fuseAttend{
      *this, "fuse-attend",
      llvm::cl::desc("Lower attn.attend to the fused online-softmax kernel "
                     "(else to the linalg loop, one launch per step)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> layerNormKernel{
      *this, "layer-norm-kernel",
      llvm::cl::desc("Lower attn.layer_norm to one kernel per call "
                     "(attn-gpu-lower-layer-norm), else through linalg (five "
                     "kernels)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> tileContractions{
      *this, "tile-contractions",
      llvm::cl::desc("Use the shared-memory tiled kernel for contractions"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> blockReductions{
      *this, "block-reductions",
      llvm::cl::desc("One thread block per output point of a reduction "
                     "(LayerNorm statistics, softmax max and sum), with a "
                     "shared-memory tree, instead of one thread"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> mma{
      *this, "mma",
      llvm::cl::desc("Tensor cores for the tiled contractions (chip sm_80 or "
                     "newer): none (f32 FMA), f16, bf16 or tf32 operands, "
                     "f32 accumulation"),
      llvm::cl::init("none")};
  PassOptions::Option<bool> fuseEpilogues{
      *this, "fuse-epilogues",
      llvm::cl::desc("Compute the bias broadcast before a tiled contraction "
                     "and the element-wise op or head transpose after it in "
                     "the contraction kernel's epilogue"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> residentParams{
      *this, "resident-params",
      llvm::cl::desc("The entry takes its packed parameters in device "
                     "memory, which the model runtime keeps between calls "
                     "(attn-gpu-device-buffers{resident-params}); off, every "
                     "call copies them from the host"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> threadsPerBlock{
      *this, "threads-per-block",
      llvm::cl::desc("Threads per block of the element-wise kernels"),
      llvm::cl::init(256)};
  PassOptions::Option<int64_t> attendBlockQ{
      *this, "attend-block-q",
      llvm::cl::desc("Query rows per block of the fused attend kernel"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> attendBlockK{
      *this, "attend-block-k",
      llvm::cl::desc("Keys per shared-memory step of the fused attend kernel"),
      llvm::cl::init(32)};
  PassOptions::Option<int64_t> attendBlockSize{
      *this, "attend-block-size",
      llvm::cl::desc("Key positions per step of the linalg attn.attend loop "
                     "(when the fused kernel does not apply)"),
      llvm::cl::init(64)};
  PassOptions::Option<unsigned> paramAlignment{
      *this, "param-alignment",
      llvm::cl::desc("Alignment of every parameter in the packed buffer, in "
                     "elements"),
      llvm::cl::init(16)};
};

/// attn-nvvm-pipeline, anchored on the module:
///   1. attn-decompose, attn-fuse-attend, attn-bind-params,
///      attn-gpu-lower-attend (fused kernel), convert-attn-to-linalg,
///      element-wise fusion                               -> stop "linalg"
///   2. one-shot-bufferize                                -> stop "bufferized"
///   3. attn-gpu-map-linalg (tiled contractions, one thread per point
///      elsewhere), attn-gpu-device-buffers               -> stop "gpu"
///   4. gpu-kernel-outlining, buffer-deallocation-pipeline,
///      attn-gpu-device-deallocs, gpu-async-region        -> stop "kernels"
///   5. nvvm-attach-target, convert-gpu-to-nvvm in gpu.module -> stop "nvvm"
///   6. host code to LLVM (gpu-to-llvm), attn-gpu-check-toolkit,
///      gpu-module-to-binary                              -> stop "llvm"
void buildAttnNvvmPipeline(OpPassManager &pm,
                           const AttnNvvmPipelineOptions &options);

/// Registers attn-nvvm-pipeline with the global pass registry.
void registerAttnNvvmPipeline();

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_NVVMPIPELINE_H
