//===- PipelineStages.h - stages shared by the CPU and NVVM pipelines -----===//
//
// Both pipelines start the same way (attn to linalg on tensors, parameters
// bound) and bufferize the same way; only what happens in between and after
// differs. Private to lib/Pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_PIPELINESTAGES_H
#define ATTN_LIB_PIPELINES_PIPELINESTAGES_H

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
                     int64_t paramAlignment, int64_t attendBlockSize,
                     int64_t attendQueryBlockSize,
                     llvm::function_ref<void(OpPassManager &)> beforeLowering);

/// One-shot bufferization with identity layouts at the function boundary
/// (the compiled-model ABI passes contiguous buffers). No deallocation.
void addOneShotBufferize(OpPassManager &pm);

} // namespace mlir::attn::pipelines

#endif // ATTN_LIB_PIPELINES_PIPELINESTAGES_H
