//===- FuseAttend.cpp - scores + apply of a map used once -> attend -------===//
//
// A map read by a single attn.apply is an intermediate nobody else needs:
// attn.attend computes the same heads with an online softmax and never
// materialises the [B, H, Tq, Tk] map. Shared maps (attention-map reuse) and
// MGK maps must stay materialised.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEATTEND
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {
/// attn.apply(attn.scores(q, k, mask), v) -> attn.attend(q, k, v, mask) when
/// the apply is the map's only use.
struct FuseScoresApply : OpRewritePattern<ScoresOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScoresOp scores,
                                PatternRewriter &rewriter) const override {
    Value map = scores.getResult();
    if (!map.hasOneUse())
      return rewriter.notifyMatchFailure(scores, "map has several uses");
    auto apply = dyn_cast<ApplyOp>(*map.getUsers().begin());
    // The map must be the apply's map, not (absurdly) its values.
    if (!apply || apply.getMap() != map || apply.getValues() == map)
      return rewriter.notifyMatchFailure(scores, "map is not read by an apply");

    // At the apply: the values may be computed after the map.
    rewriter.setInsertionPoint(apply);
    rewriter.replaceOpWithNewOp<AttendOp>(
        apply, apply.getType(), scores.getQuery(), scores.getKey(),
        apply.getValues(), scores.getMask(), scores.getCausal(),
        scores.getScaleAttr());
    rewriter.eraseOp(scores);
    return success();
  }
};

struct AttnFuseAttendPass
    : public attn::impl::AttnFuseAttendBase<AttnFuseAttendPass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    if (failed(decomposeMhaOps(root)))
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateFuseAttendPatterns(patterns);
    // Touch only the attention ops: no folding, no region simplification.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps)
        .enableFolding(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(root, std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::populateFuseAttendPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseScoresApply>(patterns.getContext());
}
