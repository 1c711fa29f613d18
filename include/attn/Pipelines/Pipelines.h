//===- Pipelines.h - named compilation pipelines ----------------*- C++ -*-===//
//
// The pipelines every tool uses (attn-opt, attn-compile, attn-run, Python),
// so that they cannot drift. Each is a builder taking an options struct and
// registered with PassPipelineRegistration under its flag.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_PIPELINES_H
#define ATTN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
namespace attn {

/// The named phase boundaries of attn-cpu-pipeline, in order. A pipeline
/// that stops after a phase leaves the IR in that phase's form.
enum class CpuPhase {
  /// Linalg, tensor, arith, math and scf on tensors: attn ops decomposed,
  /// fused and lowered, parameters bound, element-wise ops fused.
  Linalg,
  /// Bufferized: memrefs with deallocations, still structured (linalg).
  Bufferized,
  /// Loops: scf (and omp with threads > 1) over memrefs, no linalg left.
  Loops,
  /// The LLVM dialect, ready for translation to LLVM IR.
  LLVMDialect,
};

/// The spelling of `phase` in options and --emit ("linalg", ...).
llvm::StringRef stringifyCpuPhase(CpuPhase phase);
std::optional<CpuPhase> parseCpuPhase(llvm::StringRef name);

/// How linalg ops become loops.
enum class CpuLowering {
  /// convert-linalg-to-loops (after attn-interchange-for-vectorization):
  /// loops that LLVM vectorizes where it can; the correctness baseline.
  Loops,
  /// As Loops, but contractions become register-tiled vector code first
  /// (attn-vectorize-contractions).
  Vector,
};

struct AttnCpuPipelineOptions
    : public PassPipelineOptions<AttnCpuPipelineOptions> {
  PassOptions::Option<std::string> entry{
      *this, "entry", llvm::cl::desc("Name of the entry function"),
      llvm::cl::init("forward")};
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads of the generated code: 1 = sequential; N > 1 "
                     "runs parallel loops with OpenMP on N threads; 0 = "
                     "OpenMP with the runtime's default thread count"),
      llvm::cl::init(1)};
  PassOptions::Option<CpuPhase> stopAfter{
      *this, "stop-after", llvm::cl::desc("Last phase to run"),
      llvm::cl::init(CpuPhase::LLVMDialect),
      llvm::cl::values(
          clEnumValN(CpuPhase::Linalg, "linalg",
                     "linalg on tensors, parameters bound"),
          clEnumValN(CpuPhase::Bufferized, "bufferized",
                     "linalg on memrefs with deallocations"),
          clEnumValN(CpuPhase::Loops, "loops", "scf loops on memrefs"),
          clEnumValN(CpuPhase::LLVMDialect, "llvm", "the LLVM dialect"))};
  PassOptions::Option<CpuLowering> lowering{
      *this, "lowering", llvm::cl::desc("How linalg ops become loops"),
      llvm::cl::init(CpuLowering::Vector),
      llvm::cl::values(
          clEnumValN(CpuLowering::Loops, "loops",
                     "loops only (the correctness baseline)"),
          clEnumValN(CpuLowering::Vector, "vector",
                     "register-tiled vector contractions, loops for the "
                     "rest"))};
  PassOptions::Option<int64_t> attendBlockSize{
      *this, "attend-block-size",
      llvm::cl::desc("Key positions per step of the attn.attend loop: a "
                     "block's per-row work (maxima, rescaling the output) is "
                     "shared by more keys as it grows; 512 measured fastest "
                     "at T = 256 to 1024 (bench/results/encoder.md)"),
      llvm::cl::init(512)};
  PassOptions::Option<int64_t> attendQueryBlockSize{
      *this, "attend-query-block-size",
      llvm::cl::desc("Queries per (parallel) block around the attn.attend "
                     "loop (0 = one loop for all queries)"),
      llvm::cl::init(48)};
  PassOptions::Option<int64_t> scoresQueryBlockSize{
      *this, "scores-query-block-size",
      llvm::cl::desc("Queries per (parallel) block of an attn.scores map "
                     "(0 = the whole map at once)"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> rowBlockSize{
      *this, "row-block-size",
      llvm::cl::desc("Rows per block of a LayerNorm-like chain of row ops, "
                     "which then runs in one loop (attn-tile-row-chains; 0 = "
                     "one loop nest per op)"),
      llvm::cl::init(8)};
  PassOptions::Option<bool> outlineLayers{
      *this, "outline-layers",
      llvm::cl::desc("One function per distinct layer (attn-outline-layers): "
                     "compile time grows with the distinct layers, not all"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> approximateMath{
      *this, "approximate-math",
      llvm::cl::desc("Polynomial exp, erf and tanh (attn-approximate-math) "
                     "instead of scalar libm calls"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> reassociateReductions{
      *this, "reassociate-reductions",
      llvm::cl::desc("Vectorize row reductions (attn-vectorize-rows, "
                     "lowering=vector), which reassociates their sums"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> avx512{
      *this, "avx512",
      llvm::cl::desc("The target has AVX-512 (attn-compile sets it from "
                     "--cpu and --features): exp on vectors uses vscalefps "
                     "(attn-approximate-math{scalef})"),
      llvm::cl::init(false)};
  PassOptions::Option<unsigned> paramAlignment{
      *this, "param-alignment",
      llvm::cl::desc("Alignment of every parameter in the packed buffer, in "
                     "elements"),
      llvm::cl::init(16)};
};

/// attn-cpu-pipeline: a model in the attn dialect (rewrites already applied)
/// to the LLVM dialect for the host CPU, anchored on the module:
///   1. attn-decompose, attn-fuse-attend
///   2. attn-bind-params (parameters become one packed argument),
///      attn-outline-layers (one function per distinct layer)
///   3. convert-attn-to-linalg, convert-elementwise-to-linalg,
///      attn-decompose-aggregates, attn-fuse-elementwise,
///      attn-tile-row-chains (row-block-size > 0)          -> stop "linalg"
///   4. attn-split-shared-fills, one-shot-bufferize (function boundaries,
///      identity layouts), buffer-deallocation-pipeline,
///      attn-early-deallocs                               -> stop "bufferized"
///   5. attn-interchange-for-vectorization, attn-vectorize-contractions
///      (lowering=vector), attn-approximate-math, linalg to loops (parallel
///      loops, outermost only, with threads != 1)         -> stop "loops"
///   6. scf-to-openmp (threads != 1), attn-lower-asserts, memref/affine/scf/
///      math/vector to LLVM, reconcile-unrealized-casts   -> stop "llvm"
void buildAttnCpuPipeline(OpPassManager &pm,
                          const AttnCpuPipelineOptions &options);

/// Registers attn-cpu-pipeline with the global pass registry.
void registerAttnPipelines();

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_PIPELINES_H
