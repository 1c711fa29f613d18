//===- Decompose.cpp - attn.mha into the decomposed vocabulary ------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNDECOMPOSE
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {
/// The heads type [B, H, T, d] of projecting `input` [B, T, D] to `width`.
RankedTensorType headsType(Value input, int64_t heads, int64_t width) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t headDim =
      ShapedType::isDynamic(width) ? ShapedType::kDynamic : width / heads;
  return RankedTensorType::get(
      {type.getDimSize(0), heads, type.getDimSize(1), headDim},
      type.getElementType());
}

int64_t widthOf(Value weight) {
  return cast<RankedTensorType>(weight.getType()).getDimSize(1);
}

} // namespace

void mlir::attn::decomposeMha(RewriterBase &rewriter, MhaOp op) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
    int64_t heads = op.getNumHeads();
    auto project = [&](Value input, Value weight, Value bias) {
      return ProjectOp::create(rewriter, loc,
                               headsType(input, heads, widthOf(weight)), input,
                               weight, bias, heads);
    };
    Value query = project(op.getQuery(), op.getWq(), op.getBq());
    Value key = project(op.getKeyValue(), op.getWk(), op.getBk());
    Value value = project(op.getKeyValue(), op.getWv(), op.getBv());

    auto qType = cast<RankedTensorType>(query.getType());
    auto kType = cast<RankedTensorType>(key.getType());
    auto vType = cast<RankedTensorType>(value.getType());
    auto mapType = RankedTensorType::get(
        {qType.getDimSize(0), heads, qType.getDimSize(2), kType.getDimSize(2)},
        qType.getElementType());
    Value map = ScoresOp::create(rewriter, loc, mapType, query, key,
                                 op.getMask(), op.getCausal(),
                                 op.getScaleAttr());
    auto outType = RankedTensorType::get(
        {qType.getDimSize(0), heads, qType.getDimSize(2), vType.getDimSize(3)},
        qType.getElementType());
    Value attended = ApplyOp::create(rewriter, loc, outType, map, value);
    rewriter.replaceOpWithNewOp<MergeOp>(op, op.getType(), attended,
                                         op.getWo(), op.getBo());
}

namespace {
struct DecomposeMha : OpRewritePattern<MhaOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MhaOp op,
                                PatternRewriter &rewriter) const override {
    decomposeMha(rewriter, op);
    return success();
  }
};

struct AttnDecomposePass
    : public attn::impl::AttnDecomposeBase<AttnDecomposePass> {
  void runOnOperation() override {
    if (failed(decomposeMhaOps(getOperation())))
      signalPassFailure();
  }
};
} // namespace

void mlir::attn::populateDecomposeMhaPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeMha>(patterns.getContext());
}

LogicalResult mlir::attn::decomposeMhaOps(Operation *root) {
  // A plain walk, not the greedy driver: only the mha ops change, and
  // nothing else (e.g. a layer whose result is unused) is folded away.
  SmallVector<MhaOp> ops;
  root->walk([&](MhaOp op) { ops.push_back(op); });
  IRRewriter rewriter(root->getContext());
  for (MhaOp op : ops)
    decomposeMha(rewriter, op);
  return success();
}
