//===- PipelineStages.h - stages shared by the CPU and NVVM pipelines -----===//
//
// Both pipelines start the same way (attn to linalg on tensors, parameters
// bound), bufferize the same way and bring their host code to the LLVM
// dialect the same way; only what happens in between differs. Private to
// lib/Pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_PIPELINESTAGES_H
#define ATTN_LIB_PIPELINES_PIPELINESTAGES_H

#include "attn/Conversion/AttnToLinalg/Passes.h"

#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>

namespace mlir::attn::pipelines {

/// Canonicalize + CSE.
void addCleanup(OpPassManager &pm);

/// attn on tensors to linalg on tensors: decompose and fuse attention, bind
/// the parameters of `entry` into one packed argument, run
/// `beforeLowering` (target-specific rewrites of attn ops), lower to linalg
/// and fuse element-wise ops.
void addAttnToLinalg(OpPassManager &pm, const std::string &entry,
                     int64_t paramAlignment,
                     const ConvertAttnToLinalgOptions &toLinalg,
                     llvm::function_ref<void(OpPassManager &)> beforeLowering);

/// One-shot bufferization with identity layouts at the function boundary
/// (the compiled-model ABI passes contiguous buffers). No deallocation.
void addOneShotBufferize(OpPassManager &pm);

/// What the host code's way to the LLVM dialect needs besides the common
/// passes.
struct HostToLLVMOptions {
  /// convert-vector-to-llvm (the CPU pipeline's vectorized code).
  bool vectors = false;
  /// memref.alloc through MLIR's generic allocation functions, which the
  /// model runtime (ModelGlue.c) defines with a NULL check.
  bool checkedAllocations = false;
  /// gpu-to-llvm after convert-to-llvm (launches, device buffers).
  bool gpuHost = false;
};

/// Host code to the LLVM dialect: run-time checks to runtime calls, the
/// expand_shape workaround, strided metadata, affine and scf to cf, math
/// (LLVM intrinsics first, then libm), everything else through
/// convert-to-llvm.
void addHostToLLVM(OpPassManager &pm, const HostToLLVMOptions &options);

} // namespace mlir::attn::pipelines

#endif // ATTN_LIB_PIPELINES_PIPELINESTAGES_H
