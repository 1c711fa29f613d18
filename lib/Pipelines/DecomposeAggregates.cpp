//===- DecomposeAggregates.cpp - linalg.softmax and friends to generics ---===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNDECOMPOSEAGGREGATES
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
struct DecomposeAggregatesPass
    : public mlir::attn::impl::AttnDecomposeAggregatesBase<
          DecomposeAggregatesPass> {
  void runOnOperation() override {
    // Decomposing can produce further aggregated ops; repeat until none is
    // left (each round only makes ops simpler).
    for (;;) {
      SmallVector<linalg::AggregatedOpInterface> ops;
      getOperation()->walk(
          [&](linalg::AggregatedOpInterface op) { ops.push_back(op); });
      if (ops.empty())
        return;
      IRRewriter rewriter(&getContext());
      for (linalg::AggregatedOpInterface op : ops) {
        rewriter.setInsertionPoint(op);
        FailureOr<SmallVector<Value>> results =
            op.decomposeOperation(rewriter);
        if (failed(results)) {
          op->emitError("cannot decompose this op into simpler linalg ops");
          return signalPassFailure();
        }
        rewriter.replaceOp(op, *results);
      }
    }
  }
};
} // namespace
