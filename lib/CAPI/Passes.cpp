//===- Passes.cpp - C API: passes and pipelines ---------------------------===//

#include "attn-c/Passes.h"
#include "attn/Registration.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <mutex>

using namespace mlir;

void mlirAttnRegisterPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] { attn::registerAllAttnPasses(); });
}

void mlirAttnRegisterAllPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] { registerAllPasses(); });
  mlirAttnRegisterPasses();
}

/// The passes inside `builtin.module(...)` if `text` is exactly that, else
/// `text` itself: the pass manager is anchored on the module already, and
/// parsing the wrapped form into it would nest a second, never-run module
/// pass manager (FACTS.md).
static StringRef stripModuleAnchor(StringRef text) {
  text = text.trim();
  constexpr StringLiteral anchor = "builtin.module(";
  if (!text.starts_with(anchor) || !text.ends_with(")"))
    return text;
  // The opening parenthesis must close at the very end.
  int depth = 0;
  for (size_t i = anchor.size() - 1; i < text.size(); ++i) {
    if (text[i] == '(')
      ++depth;
    else if (text[i] == ')' && --depth == 0)
      return i + 1 == text.size()
                 ? text.drop_front(anchor.size()).drop_back().trim()
                 : text;
  }
  return text;
}

MlirLogicalResult mlirAttnRunPassPipeline(MlirModule module,
                                          MlirStringRef pipeline) {
  ModuleOp op = unwrap(module);
  PassManager pm(op->getName());
  std::string message;
  llvm::raw_string_ostream errors(message);
  if (failed(
          parsePassPipeline(stripModuleAnchor(unwrap(pipeline)), pm, errors))) {
    StringRef text = StringRef(message).trim();
    // At the location, not on the op: no note with the whole module.
    emitError(op.getLoc()) << "invalid pass pipeline '" << unwrap(pipeline)
                           << "': " << text;
    return wrap(failure());
  }
  return wrap(pm.run(op));
}
