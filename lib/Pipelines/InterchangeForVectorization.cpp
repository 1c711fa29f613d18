//===- InterchangeForVectorization.cpp - contiguous innermost loops -------===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNINTERCHANGEFORVECTORIZATION
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// The loop that should be innermost in `op`, if it is not already: the
/// output's innermost dim, when parallel and contiguous or absent in every
/// input.
std::optional<unsigned> preferredInnermost(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumLoops() < 2)
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return std::nullopt;
  auto last = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!last)
    return std::nullopt;
  unsigned dim = last.getPosition();
  if (dim == op.getNumLoops() - 1 ||
      op.getIteratorTypesArray()[dim] != utils::IteratorType::parallel)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isFunctionOfDim(dim))
      continue;
    auto inner = map.getNumResults()
                     ? dyn_cast<AffineDimExpr>(map.getResults().back())
                     : AffineDimExpr(nullptr);
    if (!inner || inner.getPosition() != dim)
      return std::nullopt;
    // The dim must not appear elsewhere in the input's indexing.
    for (AffineExpr e : map.getResults().drop_back())
      if (e.isFunctionOfDim(dim))
        return std::nullopt;
  }
  return dim;
}

struct InterchangeForVectorizationPass
    : public mlir::attn::impl::AttnInterchangeForVectorizationBase<
          InterchangeForVectorizationPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Named contractions become generics (fills, copies and transposes are
    // fine as they are).
    SmallVector<linalg::LinalgOp> named;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::GenericOp, linalg::FillOp, linalg::CopyOp,
               linalg::TransposeOp>(op) &&
          op.getNumReductionLoops() > 0)
        named.push_back(op);
    });
    for (linalg::LinalgOp op : named) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }

    SmallVector<linalg::GenericOp> generics;
    getOperation()->walk([&](linalg::GenericOp op) { generics.push_back(op); });
    for (linalg::GenericOp op : generics) {
      std::optional<unsigned> dim = preferredInnermost(op);
      if (!dim)
        continue;
      SmallVector<unsigned> order;
      for (unsigned i = 0, e = op.getNumLoops(); i < e; ++i)
        if (i != *dim)
          order.push_back(i);
      order.push_back(*dim);
      rewriter.setInsertionPoint(op);
      (void)linalg::interchangeGenericOp(rewriter, op, order);
    }
  }
};
} // namespace
