//===- Compile.h - ahead-of-time compilation of attn models -----*- C++ -*-===//
//
// The driver behind attn-compile, attn-run (for .mlir inputs) and Python's
// `Model.compile`: runs attn-cpu-pipeline in-process, translates to LLVM IR,
// optimizes and emits an object with LLVM's TargetMachine for the host CPU,
// and links a self-contained shared library with the model runtime
// (ModelGlue.c) by running clang/ld.lld. Next to a library it writes the
// model's C header (ModelApi.h) and its manifest (JSON).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_COMPILE_H
#define ATTN_PIPELINES_COMPILE_H

#include "attn/Pipelines/Pipelines.h"
#include "attn/Runtime/Manifest.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
class PassManager;
namespace attn {

/// What attn-compile writes, in pipeline order.
enum class EmitKind {
  Linalg,        ///< MLIR after phase "linalg"
  Bufferized,    ///< MLIR after phase "bufferized"
  Loops,         ///< MLIR after phase "loops"
  LLVMDialect,   ///< MLIR in the LLVM dialect ("mlir" is an alias)
  LLVMIR,        ///< LLVM IR text, optimized
  Object,        ///< ELF relocatable object
  SharedLibrary, ///< the model library, plus its .h and .json
};

std::optional<EmitKind> parseEmitKind(llvm::StringRef name);
llvm::StringRef stringifyEmitKind(EmitKind kind);

struct CompileOptions {
  EmitKind emit = EmitKind::SharedLibrary;
  /// Options of attn-cpu-pipeline.
  std::string entry = "forward";
  unsigned threads = 1;
  CpuLowering lowering = CpuLowering::Vector;
  /// Keys per step of the attn.attend loop (attn-cpu-pipeline's default).
  int64_t attendBlockSize = 512;
  /// A textual pass pipeline that replaces attn-cpu-pipeline (for example
  /// `builtin.module(attn-tie-kv,attn-cpu-pipeline)`). It must end in the
  /// LLVM dialect to emit LLVM IR, objects or libraries.
  std::string passPipeline;
  /// Target CPU ("host" = this machine) and extra features ("+avx512f,...",
  /// applied after the CPU's own).
  std::string cpu = "host";
  std::string features;
  unsigned optLevel = 3;
  /// Let LLVM reassociate f32 additions, contract multiply-adds into FMAs
  /// and divide by multiplying with a reciprocal (what vectorized reductions
  /// and normalizations need); NaN and infinity keep their meaning. Results
  /// differ from strict IEEE order in the last bits.
  bool reassociate = true;
  /// Directory of clang (the linker driver); empty = LLVM's bin directory.
  std::string toolchainDir;
  /// The model runtime archive (libAttnModelGlue.a); empty = next to the
  /// running tool, else in the build tree.
  std::string runtimeLibrary;
  /// More inputs of a library's link, after the model runtime (archives or
  /// linker flags: the CUDA runtime and -ldl for --target=cuda); their
  /// symbols stay local to the library.
  std::vector<std::string> extraLinkInputs;
  /// What the library's manifest says about its target when that is not the
  /// host code compileModule generates (a CUDA library: kind "cuda", the
  /// chip); unset = the CPU target of `cpu` and `features`.
  std::optional<::attn::rt::ManifestTarget> manifestTarget;
  /// Prints how long each phase took, when set.
  llvm::raw_ostream *timing = nullptr;
  /// Called on every pass manager before it runs (e.g. to apply MLIR's
  /// pass-manager command-line options: --mlir-timing, IR printing).
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

/// Runs attn-cpu-pipeline (up to the phase of `options.emit`), or
/// `options.passPipeline`, on `module` in place. Diagnostics go to the
/// context's handler.
LogicalResult lowerModule(ModuleOp module, const CompileOptions &options);

/// The manifest that attn-bind-params recorded on `module`
/// (`attn_model.manifest`), without target information.
llvm::Expected<::attn::rt::Manifest> getModelManifest(ModuleOp module);

/// Lowers `module` (in place) and writes `outputPath` as `options.emit` says;
/// a shared library also gets `<output without extension>.h` and `.json`.
/// MLIR diagnostics go to the context's handler; the error says which step
/// failed.
llvm::Error compileModule(ModuleOp module, llvm::StringRef outputPath,
                          const CompileOptions &options);

/// The text of ModelApi.h, written next to every compiled library.
llvm::StringRef getModelApiHeader();

} // namespace attn
} // namespace mlir

#endif // ATTN_PIPELINES_COMPILE_H
