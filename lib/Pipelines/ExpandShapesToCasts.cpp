//===- ExpandShapesToCasts.cpp - expand_shape to reinterpret_cast ------===//
//
// attn-expand-shapes-to-casts (Passes.td): a workaround for MLIR 22.1's
// expand-strided-metadata, which crashes on an expand_shape group with more
// than one dynamic output size. Both the CPU and the NVVM pipeline need it.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNEXPANDSHAPESTOCASTS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Whether a reassociation group of `op` has two or more dynamic sizes.
bool hasMultiDynamicGroup(memref::ExpandShapeOp op) {
  MemRefType type = op.getResultType();
  for (const ReassociationIndices &group : op.getReassociationIndices()) {
    int dynamic = 0;
    for (int64_t dim : group)
      dynamic += type.isDynamicDim(dim);
    if (dynamic > 1)
      return true;
  }
  return false;
}

struct ExpandShapeToCast : OpRewritePattern<memref::ExpandShapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::ExpandShapeOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasMultiDynamicGroup(op))
      return rewriter.notifyMatchFailure(op, "handled by upstream");
    if (!op.getSrcType().getLayout().isIdentity() ||
        !op.getResultType().getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "not a contiguous buffer");
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
    SmallVector<OpFoldResult> strides(sizes.size());
    OpFoldResult stride = rewriter.getIndexAttr(1);
    for (int64_t i = static_cast<int64_t>(sizes.size()) - 1; i >= 0; --i) {
      strides[i] = stride;
      std::optional<int64_t> a = getConstantIntValue(stride);
      std::optional<int64_t> b = getConstantIntValue(sizes[i]);
      if (a && b) {
        stride = rewriter.getIndexAttr(*a * *b);
      } else {
        stride = arith::MulIOp::create(
                     rewriter, loc,
                     getValueOrCreateConstantIndexOp(rewriter, loc, stride),
                     getValueOrCreateConstantIndexOp(rewriter, loc, sizes[i]))
                     .getResult();
      }
    }
    rewriter.replaceOpWithNewOp<memref::ReinterpretCastOp>(
        op, op.getResultType(), op.getSrc(), rewriter.getIndexAttr(0), sizes,
        strides);
    return success();
  }
};

struct ExpandShapesToCastsPass
    : public mlir::attn::impl::AttnExpandShapesToCastsBase<
          ExpandShapesToCastsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandShapeToCast>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
