//===- Report.cpp - attn-report: what a model costs -----------------------===//
//
// A thin driver over the cost model (attn/Dialect/Attn/Analysis/CostModel.h):
// computes it, writes it as a table or JSON, and leaves the IR alone.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Analysis/CostModel.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNREPORT
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {
struct AttnReportPass : public attn::impl::AttnReportBase<AttnReportPass> {
  using AttnReportBase::AttnReportBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    markAllAnalysesPreserved();
    if (format != "table" && format != "json") {
      module.emitError() << "attn-report: unknown format '" << format
                         << "'; expected 'table' or 'json'";
      return signalPassFailure();
    }
    FailureOr<ModelCost> cost = computeModelCost(module, seqLen);
    if (failed(cost))
      return signalPassFailure();

    std::string message;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(output, &message);
    if (!file) {
      module.emitError() << "attn-report: cannot write '" << output
                         << "': " << message;
      return signalPassFailure();
    }
    if (format == "json")
      printModelCostJson(*cost, file->os());
    else
      printModelCostTable(*cost, file->os());
    file->os().flush();
    file->keep();
  }
};
} // namespace
