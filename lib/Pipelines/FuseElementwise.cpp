//===- FuseElementwise.cpp - element-wise fusion without recomputation ----===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEELEMENTWISE
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// Whether `use` reads each element of its value once, as an input of a
/// linalg op.
bool readsEachElementOnce(OpOperand &use) {
  auto consumer = dyn_cast<linalg::LinalgOp>(use.getOwner());
  return consumer && consumer.isDpsInput(&use) &&
         consumer.getMatchingIndexingMap(&use).isPermutation();
}

/// Fuse only when the consumer reads every producer element once, and every
/// other use of the producer fuses too: a producer that stays (a LayerNorm
/// output that a matrix product also reads) would otherwise be computed
/// again inside each consumer, from all of its own inputs.
bool fusesWithoutRecomputation(OpOperand *fused) {
  if (!readsEachElementOnce(*fused))
    return false;
  Operation *producer = fused->get().getDefiningOp();
  return producer && llvm::all_of(producer->getResults(), [](Value result) {
           return llvm::all_of(result.getUses(), [](OpOperand &use) {
             return readsEachElementOnce(use);
           });
         });
}

struct FuseElementwisePass
    : public mlir::attn::impl::AttnFuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 fusesWithoutRecomputation);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
