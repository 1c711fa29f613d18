//===- Transforms.h - GPU kernels of the NVVM path --------------*- C++ -*-===//
//
// The kernel builders behind attn-gpu-lower-attend and attn-gpu-map-linalg,
// for pipelines and tools that want them without the pass drivers. Each
// builder creates one gpu.launch in place of the op it is given, on host
// code (the launch sizes are computed there), and the kernel body in it.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_GPU_TRANSFORMS_H
#define ATTN_GPU_TRANSFORMS_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::attn {
class AttendOp;

//===----------------------------------------------------------------------===//
// attn.attend: the fused online-softmax kernel
//===----------------------------------------------------------------------===//

struct AttendKernelOptions {
  /// Query rows per thread block (each owned by 1, 2, 4, ... threads).
  int64_t blockQ = 64;
  /// Keys (and values) staged in shared memory per step (fewer when they
  /// would not fit).
  int64_t blockK = 32;
  /// The largest dk + dv the fused kernel takes.
  int64_t maxHeadWidth = 512;
  /// Query and accumulator values per thread: rows get 1, 2, 4, ...
  /// threads until (dk + dv) / threads fits.
  int64_t valuesPerThread = 32;
};

/// Whether `op` can become the fused kernel; otherwise `reason` says why.
bool canLowerAttendToKernel(AttendOp op, const AttendKernelOptions &options,
                            std::string &reason);

/// Replaces `op` (on tensors) by the fused kernel: to_buffer of the operands,
/// an allocation for the result, the gpu.launch that fills it, and a
/// to_tensor of it. Fails without changing anything when
/// canLowerAttendToKernel fails.
LogicalResult lowerAttendToKernel(RewriterBase &rewriter, AttendOp op,
                                  const AttendKernelOptions &options);

//===----------------------------------------------------------------------===//
// linalg on buffers
//===----------------------------------------------------------------------===//

/// Tile of the shared-memory contraction kernel: BM x BN outputs per block,
/// BK deep steps of K, 256 threads with a 4 x 4 micro-tile each.
constexpr int64_t kContractionTileM = 64;
constexpr int64_t kContractionTileN = 64;
constexpr int64_t kContractionTileK = 16;
constexpr int64_t kContractionThreads = 256;

/// Whether `op` is a contraction the tiled kernel handles: a multiply-add
/// body on one float type, and at least one M, N and K dimension.
bool isTileableContraction(linalg::LinalgOp op);

/// The ops around a contraction that its kernel computes in its epilogue
/// (ContractionFusion.cpp): `init`, an all-parallel op just before it that
/// writes its whole output C without reading it (the bias broadcast, a
/// fill), and `epilogue`, an all-parallel op just after it that reads C
/// (through the expand/collapse_shape ops `reshapes`, as its operand number
/// `epilogueInput`, an input or, for an in-place update, its init, with a
/// permutation map): an activation, a residual add,
/// a head transpose. `storeResult` says whether C must still be written
/// (something may read it after `epilogue`).
///
/// `producers[i]` is an all-parallel op before the contraction that writes
/// the whole buffer its input i (0: A, 1: B) reads (through the
/// expand/collapse_shape ops `producerReshapes[i]`, buffer first), without
/// reading it, with nothing reading that buffer afterwards: the head-merge
/// transpose `[B, H, T, d] -> [B, T, H, d]` before the output projection.
/// The kernel evaluates it where it stages that operand.
struct ContractionFusion {
  linalg::LinalgOp init;
  linalg::LinalgOp epilogue;
  unsigned epilogueInput = 0;
  SmallVector<Operation *> reshapes;
  bool storeResult = true;
  std::array<linalg::LinalgOp, 2> producers;
  std::array<SmallVector<Operation *>, 2> producerReshapes;
};

/// What the kernel of the tileable contraction `op` can absorb (nothing
/// when it is not tileable).
ContractionFusion findContractionFusion(linalg::LinalgOp op);

/// What the tiled contraction kernel multiplies on.
enum class MmaType {
  None, ///< f32 FMA on the CUDA cores
  F16,  ///< tensor cores, f16 operands, f32 accumulation (mma.sync m16n8k16)
  BF16, ///< tensor cores, bf16 operands, f32 accumulation (mma.sync m16n8k16)
  TF32, ///< tensor cores, tf32 operands, f32 accumulation (mma.sync m16n8k8)
};
llvm::StringRef stringifyMmaType(MmaType mma);
std::optional<MmaType> parseMmaType(llvm::StringRef name);

/// Whether the tiled kernel of `op` can use tensor cores of type `mma`
/// (sm_80 or newer): f32 operands and output, converted where staged.
bool canUseMma(linalg::LinalgOp op, MmaType mma);

/// Replaces the contraction `op` (on buffers) by the shared-memory tiled
/// kernel, and the ops of `fusion` (found by findContractionFusion before
/// any of them changed) by its epilogue. The launch takes the place of the
/// epilogue op when there is one. With `mma` other than None and where
/// canUseMma(op, mma), the products run on tensor cores (mma.sync, sm_80 or
/// newer): the operands are converted to the mma type where they are staged
/// in shared memory, each of the 8 warps computes four m16n8 tiles, and the
/// accumulators and the epilogue stay f32. Requires
/// isTileableContraction(op).
FailureOr<gpu::LaunchOp>
mapContractionToTiledKernel(RewriterBase &rewriter, linalg::LinalgOp op,
                            const ContractionFusion &fusion = {},
                            MmaType mma = MmaType::None);

/// Whether `op` is a reduction that one thread block per output point can
/// compute (ReductionKernel.cpp): one float output indexed by parallel
/// dimensions only, a payload `combine(out, g(inputs))` with combine one of
/// addf, mulf, maximumf, minimumf, maxnumf, minnumf; not a contraction.
bool isBlockReduction(linalg::LinalgOp op);

/// Replaces the reduction `op` by a kernel of one 256-thread block per
/// output point: strided partial reductions, then a tree in shared memory.
/// Requires isBlockReduction(op).
FailureOr<gpu::LaunchOp> mapReductionToBlocks(RewriterBase &rewriter,
                                              linalg::LinalgOp op);

/// Replaces `op` (any linalg op on buffers whose outputs are indexed by
/// parallel dimensions only) by a kernel with one thread per point of its
/// parallel iteration space, running the reductions in registers.
FailureOr<gpu::LaunchOp> mapLinalgOpToThreads(RewriterBase &rewriter,
                                              linalg::LinalgOp op,
                                              int64_t threadsPerBlock);

} // namespace mlir::attn

#endif // ATTN_GPU_TRANSFORMS_H
