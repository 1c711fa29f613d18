//===- Projections.cpp - attn.project, head_embed, merge to linalg --------===//
//
// The projections in and out of the head layout [B, H, T, d]. Both sides are
// one GEMM over all B*T positions: the head split and the head concatenation
// are reshapes plus one transpose.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::lowering;

namespace {

/// x [B, T, D] * w [D, H*d] (+ b) -> [B*T, H*d] -> [B, T, H, d] -> [B, H, T,
/// d].
struct ProjectLowering : OpConversionPattern<ProjectOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ProjectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    int64_t heads = op.getNumHeads();

    SmallVector<OpFoldResult> x = sizesOf(rewriter, loc, adaptor.getInput());
    SmallVector<OpFoldResult> w = sizesOf(rewriter, loc, adaptor.getWeight());
    Value rows = tensor::CollapseShapeOp::create(
        rewriter, loc, adaptor.getInput(),
        SmallVector<ReassociationIndices>{{0, 1}, {2}});
    OpFoldResult numRows = sizeOf(rewriter, loc, rows, 0);
    Value init = biasInit(rewriter, loc, adaptor.getBias(), {numRows, w[1]},
                          /*biasDims=*/{1}, element);
    Value projected = matmul(rewriter, loc, rows, adaptor.getWeight(), init);

    // d = H*d / H, static when the result type knows it.
    OpFoldResult headDim = rewriter.getIndexAttr(resultType.getDimSize(3));
    if (resultType.isDynamicDim(3)) {
      AffineExpr width = getAffineSymbolExpr(0, rewriter.getContext());
      headDim = affine::makeComposedFoldedAffineApply(
          rewriter, loc, width.floorDiv(heads), {w[1]});
    }
    Value split = expandTo(rewriter, loc, projected, {{0, 1}, {2, 3}},
                           {x[0], x[1], rewriter.getIndexAttr(heads), headDim});
    Value result = transpose(
        rewriter, loc, split,
        {x[0], x[1], rewriter.getIndexAttr(heads), headDim}, {0, 2, 1, 3});
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

/// p [B, T, d] combined with e [H, d] into [B, H, T, d] by one generic.
struct HeadEmbedLowering : OpConversionPattern<HeadEmbedOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(HeadEmbedOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    SmallVector<OpFoldResult> p = sizesOf(rewriter, loc, adaptor.getInput());
    SmallVector<OpFoldResult> e =
        sizesOf(rewriter, loc, adaptor.getEmbedding());
    Value init =
        emptyTensor(rewriter, loc, {p[0], e[0], p[1], mergeSize(p[2], e[1])},
                    resultType.getElementType());

    AffineExpr batch, head, pos, col;
    bindDims(ctx, batch, head, pos, col);
    SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {batch, pos, col}, ctx),
                                   AffineMap::get(4, 0, {head, col}, ctx),
                                   AffineMap::getMultiDimIdentityMap(4, ctx)};
    bool add = op.getMode() == EmbedMode::add;
    Value result = linalg::GenericOp::create(
                       rewriter, loc, init.getType(),
                       ValueRange{adaptor.getInput(), adaptor.getEmbedding()},
                       init, maps, parallelIterators(4),
                       [&](OpBuilder &b, Location l, ValueRange args) {
                         Value combined =
                             add ? arith::AddFOp::create(b, l, args[0], args[1])
                                       .getResult()
                                 : arith::MulFOp::create(b, l, args[0], args[1])
                                       .getResult();
                         linalg::YieldOp::create(b, l, combined);
                       })
                       .getResult(0);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

/// heads [B, H, T, dv] -> [B, T, H, dv] -> [B*T, H*dv] * wo (+ b) -> [B, T, D].
struct MergeLowering : OpConversionPattern<MergeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MergeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    SmallVector<OpFoldResult> h = sizesOf(rewriter, loc, adaptor.getHeads());
    SmallVector<OpFoldResult> w = sizesOf(rewriter, loc, adaptor.getWeight());

    Value transposed =
        transpose(rewriter, loc, adaptor.getHeads(), h, {0, 2, 1, 3});
    Value rows = tensor::CollapseShapeOp::create(
        rewriter, loc, transposed,
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
    OpFoldResult numRows = sizeOf(rewriter, loc, rows, 0);
    Value init = biasInit(rewriter, loc, adaptor.getBias(), {numRows, w[1]},
                          /*biasDims=*/{1}, element);
    Value merged = matmul(rewriter, loc, rows, adaptor.getWeight(), init);
    Value result =
        expandTo(rewriter, loc, merged, {{0, 1}, {2}}, {h[0], h[2], w[1]});
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }
};

} // namespace

void lowering::populateProjectionPatterns(RewritePatternSet &patterns) {
  patterns.add<ProjectLowering, HeadEmbedLowering, MergeLowering>(
      patterns.getContext());
}
