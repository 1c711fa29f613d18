//===- FeedForward.cpp - attn.layer_norm, ffn, seq_mlp to linalg ----------===//
//
// Position-wise and whole-sequence feed-forward networks. Linear layers are
// matmuls over the B*T positions (ffn) or over the batch of flattened
// sequences (seq_mlp; batched over heads for head_seq_mlp), accumulating into
// their broadcast bias.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::lowering;

namespace {

/// `activation` applied element-wise to `x`.
Value activate(OpBuilder &b, Location loc, Value x, Activation activation) {
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  return elementwise(b, loc, x, element,
                     [&](OpBuilder &nb, Location nl, ValueRange args) {
                       return applyActivation(nb, nl, args[0], activation);
                     });
}

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result =
        layerNorm(rewriter, op.getLoc(), adaptor.getInput(), adaptor.getGamma(),
                  adaptor.getBeta(), op.getEpsilon());
    rewriter.replaceOp(op, castTo(rewriter, op.getLoc(), result, op.getType()));
    return success();
  }
};

/// x [B, T, d0] -> [B*T, d0], then matmul (+ bias) and activation per layer.
struct FfnLowering : OpConversionPattern<FfnOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FfnOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type element = cast<RankedTensorType>(op.getType()).getElementType();
    SmallVector<OpFoldResult> x = sizesOf(rewriter, loc, adaptor.getInput());
    Value hidden = tensor::CollapseShapeOp::create(
        rewriter, loc, adaptor.getInput(),
        SmallVector<ReassociationIndices>{{0, 1}, {2}});
    OpFoldResult rows = sizeOf(rewriter, loc, hidden, 0);
    ValueRange weights = adaptor.getWeights();
    ValueRange biases = adaptor.getBiases();
    OpFoldResult width;
    for (auto [index, weight] : llvm::enumerate(weights)) {
      width = sizeOf(rewriter, loc, weight, 1);
      Value bias = biases.empty() ? Value() : biases[index];
      Value init = biasInit(rewriter, loc, bias, {rows, width},
                            /*biasDims=*/{1}, element);
      hidden = matmul(rewriter, loc, hidden, weight, init);
      if (index + 1 < weights.size())
        hidden = activate(rewriter, loc, hidden, op.getActivation());
    }
    Value result =
        expandTo(rewriter, loc, hidden, {{0, 1}, {2}}, {x[0], x[1], width});
    rewriter.replaceOp(op, castTo(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// x [B, T, D] padded with zeros to [B, N, D] and flattened to [B, N*D]. A
/// dynamic T is checked against N at run time: a longer sequence cannot be
/// processed.
Value padAndFlatten(OpBuilder &b, Location loc, Value x, int64_t maxLen) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> sizes = sizesOf(b, loc, x);
  OpFoldResult len = sizes[1];
  if (!getConstantIntValue(len)) {
    Value fits =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                              getValueOrCreateConstantIndexOp(b, loc, len),
                              arith::ConstantIndexOp::create(b, loc, maxLen));
    cf::AssertOp::create(b, loc, fits,
                         "sequence length exceeds max_len " +
                             std::to_string(maxLen));
  }
  Value padded = x;
  if (getConstantIntValue(len) != maxLen) {
    AffineExpr t = getAffineSymbolExpr(0, b.getContext());
    OpFoldResult missing =
        affine::makeComposedFoldedAffineApply(b, loc, maxLen - t, {len});
    OpFoldResult zero = b.getIndexAttr(0);
    auto paddedType =
        RankedTensorType::get({type.getDimSize(0), maxLen, type.getDimSize(2)},
                              type.getElementType());
    padded = tensor::PadOp::create(
        b, loc, paddedType, x, {zero, zero, zero}, {zero, missing, zero},
        floatConstant(b, loc, type.getElementType(), 0.0));
  }
  return tensor::CollapseShapeOp::create(
      b, loc, padded, SmallVector<ReassociationIndices>{{0}, {1, 2}});
}

/// A sequence length that folds to a constant (a dynamic type over a static
/// value) longer than max_len cannot be padded; checkLowerableToLinalg
/// reports the usual case, a tensor.cast.
LogicalResult checkLength(ConversionPatternRewriter &rewriter, Operation *op,
                          OpFoldResult len, int64_t maxLen) {
  std::optional<int64_t> value = getConstantIntValue(len);
  if (value && *value > maxLen)
    return rewriter.notifyMatchFailure(op, "sequence longer than max_len");
  return success();
}

/// E = (N*E) / N, static where the result type or w1 knows it.
OpFoldResult outputWidth(OpBuilder &b, Location loc, OpFoldResult flatWidth,
                         int64_t maxLen, int64_t resultWidth) {
  if (!ShapedType::isDynamic(resultWidth))
    return b.getIndexAttr(resultWidth);
  AffineExpr w = getAffineSymbolExpr(0, b.getContext());
  return affine::makeComposedFoldedAffineApply(b, loc, w.floorDiv(maxLen),
                                               {flatWidth});
}

/// Pad, flatten, [LayerNorm], Linear, activation, [LayerNorm], Linear,
/// unflatten, drop the padding. The paper zeroes the padded outputs before
/// dropping them; dropping alone gives the same result.
struct SeqMlpLowering : OpConversionPattern<SeqMlpOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SeqMlpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    int64_t maxLen = op.getMaxLen();
    APFloat epsilon = op.getEpsilon();
    SmallVector<OpFoldResult> x = sizesOf(rewriter, loc, adaptor.getInput());
    if (failed(checkLength(rewriter, op, x[1], maxLen)))
      return failure();

    Value flat = padAndFlatten(rewriter, loc, adaptor.getInput(), maxLen);
    if (adaptor.getNormInGamma())
      flat = layerNorm(rewriter, loc, flat, adaptor.getNormInGamma(),
                       adaptor.getNormInBeta(), epsilon);
    OpFoldResult hiddenWidth = sizeOf(rewriter, loc, adaptor.getW0(), 1);
    Value hidden = matmul(rewriter, loc, flat, adaptor.getW0(),
                          biasInit(rewriter, loc, adaptor.getB0(),
                                   {x[0], hiddenWidth}, {1}, element));
    hidden = activate(rewriter, loc, hidden, op.getActivation());
    if (adaptor.getNormHiddenGamma())
      hidden = layerNorm(rewriter, loc, hidden, adaptor.getNormHiddenGamma(),
                         adaptor.getNormHiddenBeta(), epsilon);
    OpFoldResult flatOut = sizeOf(rewriter, loc, adaptor.getW1(), 1);
    Value out = matmul(rewriter, loc, hidden, adaptor.getW1(),
                       biasInit(rewriter, loc, adaptor.getB1(), {x[0], flatOut},
                                {1}, element));

    OpFoldResult width =
        outputWidth(rewriter, loc, flatOut, maxLen, resultType.getDimSize(2));
    out = expandTo(rewriter, loc, out, {{0}, {1, 2}},
                   {x[0], rewriter.getIndexAttr(maxLen), width});
    OpFoldResult zero = rewriter.getIndexAttr(0),
                 one = rewriter.getIndexAttr(1);
    out = tensor::ExtractSliceOp::create(rewriter, loc, out, {zero, zero, zero},
                                         {x[0], x[1], width}, {one, one, one});
    rewriter.replaceOp(op, castTo(rewriter, loc, out, resultType));
    return success();
  }
};

/// seq_mlp with one network per head, batched over heads: [H, B, ...]. Every
/// head reads the same flattened input; only its LayerNorm parameters and
/// weights differ.
struct HeadSeqMlpLowering : OpConversionPattern<HeadSeqMlpOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(HeadSeqMlpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    int64_t maxLen = op.getMaxLen();
    APFloat epsilon = op.getEpsilon();
    SmallVector<OpFoldResult> x = sizesOf(rewriter, loc, adaptor.getInput());
    SmallVector<OpFoldResult> w0 = sizesOf(rewriter, loc, adaptor.getW0());
    SmallVector<OpFoldResult> w1 = sizesOf(rewriter, loc, adaptor.getW1());
    OpFoldResult heads = mergeSize(w0[0], w1[0]);
    if (failed(checkLength(rewriter, op, x[1], maxLen)))
      return failure();

    AffineExpr h, b, c;
    bindDims(ctx, h, b, c);
    AffineMap perHead = AffineMap::get(3, 0, {h, c}, ctx);

    // The input statistics are shared; the per-head affine part gives
    // [H, B, N*D]. Without it every head's matmul reads the same [B, N*D].
    Value flat = padAndFlatten(rewriter, loc, adaptor.getInput(), maxLen);
    Value lhs = flat;
    if (adaptor.getNormInGamma()) {
      LayerNormStats stats = layerNormStats(rewriter, loc, flat, epsilon);
      SmallVector<OpFoldResult> f = sizesOf(rewriter, loc, flat);
      lhs = layerNormApply(
          rewriter, loc, flat, AffineMap::get(3, 0, {b, c}, ctx), stats,
          AffineMap::get(3, 0, {b}, ctx), adaptor.getNormInGamma(),
          adaptor.getNormInBeta(), perHead, {heads, f[0], f[1]});
    }
    Value hidden = batchMatmul(rewriter, loc, lhs, adaptor.getW0(),
                               biasInit(rewriter, loc, adaptor.getB0(),
                                        {heads, x[0], w0[2]}, {0, 2}, element),
                               /*transposeRhs=*/false);
    hidden = activate(rewriter, loc, hidden, op.getActivation());
    if (adaptor.getNormHiddenGamma())
      hidden = layerNorm(rewriter, loc, hidden, adaptor.getNormHiddenGamma(),
                         adaptor.getNormHiddenBeta(), epsilon, perHead);
    Value out = batchMatmul(rewriter, loc, hidden, adaptor.getW1(),
                            biasInit(rewriter, loc, adaptor.getB1(),
                                     {heads, x[0], w1[2]}, {0, 2}, element),
                            /*transposeRhs=*/false);

    OpFoldResult width =
        outputWidth(rewriter, loc, w1[2], maxLen, resultType.getDimSize(3));
    out = expandTo(rewriter, loc, out, {{0}, {1}, {2, 3}},
                   {heads, x[0], rewriter.getIndexAttr(maxLen), width});
    OpFoldResult zero = rewriter.getIndexAttr(0),
                 one = rewriter.getIndexAttr(1);
    out = tensor::ExtractSliceOp::create(
        rewriter, loc, out, {zero, zero, zero, zero},
        {heads, x[0], x[1], width}, {one, one, one, one});
    out =
        transpose(rewriter, loc, out, {heads, x[0], x[1], width}, {1, 0, 2, 3});
    rewriter.replaceOp(op, castTo(rewriter, loc, out, resultType));
    return success();
  }
};

} // namespace

void lowering::populateFeedForwardPatterns(RewritePatternSet &patterns) {
  patterns
      .add<LayerNormLowering, FfnLowering, SeqMlpLowering, HeadSeqMlpLowering>(
          patterns.getContext());
}
