//===- AttnPassFuzzer.cpp - libFuzzer target: parser, verifier, passes ----===//
//
// Input: one selector byte, then MLIR text. The text is parsed with the attn
// dialect and its companions registered, verified, and, when valid, run
// through the attn pass pipeline the selector names (kPipelines). Then the
// module is verified again. Guarantees checked (docs/robustness.md):
//   - nothing crashes, trips a sanitizer or an assertion, or hangs;
//   - a pass that fails says why (at least one error diagnostic);
//   - a pass that succeeds leaves valid IR (a pass that produces invalid IR
//     is a bug: abort).
// The pass manager's own verifier is off so that the fuzzer sees invalid IR
// instead of a clean "failed to verify" failure.
//
// Reproduce a finding: `attn-pass-fuzzer crash-file` prints the pipeline and
// the diagnostics; ATTN_FUZZ_VERBOSE=1 prints them for every input.
//
//===----------------------------------------------------------------------===//

#include "attn/Registration.h"
#include "attn/Support/InputLimits.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;

namespace {

/// The pipelines of test/fuzz/pass-pipelines.txt, in its order (CMake
/// writes them as string literals into AttnPassPipelines.inc).
constexpr const char *kPipelines[] = {
#include "AttnPassPipelines.inc"
};
constexpr size_t kNumPipelines = sizeof(kPipelines) / sizeof(kPipelines[0]);

bool verbose() {
  static bool v = std::getenv("ATTN_FUZZ_VERBOSE") != nullptr;
  return v;
}

DialectRegistry &registry() {
  static DialectRegistry *r = [] {
    auto *reg = new DialectRegistry();
    attn::registerAttnDialects(*reg);
    reg->insert<linalg::LinalgDialect>();
    attn::registerAllAttnPasses();
    registerCanonicalizerPass();
    return reg;
  }();
  return *r;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  (void)registry();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  const char *pipelineText = kPipelines[data[0] % kNumPipelines];
  llvm::StringRef text(reinterpret_cast<const char *>(data + 1), size - 1);

  MLIRContext context(registry(), MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(false);
  unsigned errors = 0;
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++errors;
    if (verbose())
      llvm::errs() << diag << "\n";
    return success();
  });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz.mlir"), llvm::SMLoc());
  // The tools refuse input nested deeper than MLIR's recursive parser can
  // take (attn::checkMLIRNesting); so does the fuzzer.
  if (failed(attn::checkMLIRNesting(
          *sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID()), &context)))
    return 0;
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module || failed(verify(*module)))
    return 0;

  PassManager pm(&context);
  pm.enableVerifier(false);
  std::string pipeline = std::string("builtin.module(") + pipelineText + ")";
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    abort(); // A bad entry of kPipelines.
  if (verbose())
    llvm::errs() << "pipeline: " << pipeline << "\n";

  unsigned errorsBefore = errors;
  if (failed(pm.run(*module))) {
    if (errors == errorsBefore) {
      llvm::errs() << "BUG: " << pipelineText
                   << " failed without an error diagnostic\n";
      abort();
    }
    return 0;
  }
  if (failed(verify(*module))) {
    llvm::errs() << "BUG: " << pipelineText << " produced invalid IR:\n";
    module->getOperation()->print(llvm::errs(),
                                  OpPrintingFlags().assumeVerified());
    abort();
  }
  return 0;
}
