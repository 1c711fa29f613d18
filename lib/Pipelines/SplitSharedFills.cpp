//===- SplitSharedFills.cpp - one linalg.fill per destination -------------===//
//
// CSE merges equal fills: the zero outputs of a reuse group's applies, the
// zero initial row sums of a LayerNorm's two reductions. A fill that two
// ops overwrite makes one-shot bufferization copy it for each of them (a
// parallel zero loop plus a memrefCopy per apply), and the contraction
// kernels can no longer start from the fill they replace. This pass gives
// every linalg destination its own copy of the fill, just before
// bufferization. See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNSPLITSHAREDFILLS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
struct SplitSharedFillsPass
    : public mlir::attn::impl::AttnSplitSharedFillsBase<SplitSharedFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation()->walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->hasOneUse())
        fills.push_back(fill);
    });
    OpBuilder b(&getContext());
    for (linalg::FillOp fill : fills) {
      SmallVector<OpOperand *> destinations;
      for (OpOperand &use : fill->getResult(0).getUses()) {
        auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
        if (user && user.isDpsInit(&use))
          destinations.push_back(&use);
      }
      // In program order (uses are listed last first).
      Block *block = fill->getBlock();
      auto position = [&](OpOperand *use) {
        return block->findAncestorOpInBlock(*use->getOwner());
      };
      if (!llvm::all_of(destinations, position))
        continue;
      llvm::sort(destinations, [&](OpOperand *x, OpOperand *y) {
        return position(x) != position(y) &&
               position(x)->isBeforeInBlock(position(y));
      });
      // Every destination but one gets its own fill, made just before it.
      // With no other use, the first keeps the original.
      bool othersRead =
          destinations.size() != llvm::range_size(fill->getResult(0).getUses());
      for (OpOperand *use :
           llvm::drop_begin(destinations, othersRead ? 0 : 1)) {
        b.setInsertionPoint(use->getOwner());
        use->set(b.clone(*fill)->getResult(0));
      }
    }
  }
};
} // namespace
