//===- Attention.cpp - attn.scores, mgk_scores, apply, mha to linalg ------===//
//
// The ops that materialise an attention map [B, H, Tq, Tk], and attn.mha,
// whose map is used once and so goes through attn.attend (Attend.cpp).
// Batch matmuls run over B*H; elementwise work and reductions stay in the
// [B, H, ...] layout so that masks index it directly.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::lowering;

namespace {

/// The numerators p = exp(logit - m) and row sums l of softmax(scale * q
/// k^T + mask) of the queries `q3` [Z, qLen, dk] (positions from
/// `queryOffset`, null for 0) against `keys`, [Z, Tk, dk] or transposed
/// [Z, dk, Tk]: one batch matmul, one generic for scale, mask and causal,
/// then two passes over each row: its maximum m, and p with its sum l in
/// one generic. A row whose keys are all masked has m = -inf: p is taken
/// against 0 there (exp(-inf - 0) = 0) and l is 0. The maximum ignores NaN,
/// as in attn.attend: a NaN logit makes its row NaN through p. `mask` holds
/// these queries' rows. With `fuseRowSum`, one generic yields p and its sum
/// (the CPU's query blocks); otherwise the sum is a reduction of its own
/// (the GPU's kernels map each output of a generic over all its loops).
/// `sumsDest` [B, H, Tq] (null for a new tensor) is what l overwrites.
SoftmaxNumerators scoreNumerators(OpBuilder &b, Location loc, Value q3,
                                  Value keys, bool keysTransposed,
                                  ArrayRef<OpFoldResult> mapSizes, Value mask,
                                  double scale, bool causal, Value queryOffset,
                                  bool fuseRowSum, Value sumsDest = Value()) {
  Type element = cast<RankedTensorType>(q3.getType()).getElementType();
  Value scores = batchMatmul(
      b, loc, q3, keys,
      filledTensor(b, loc, {sizeOf(b, loc, q3, 0), mapSizes[2], mapSizes[3]},
                   element, 0.0),
      /*transposeRhs=*/!keysTransposed);
  scores = expandTo(b, loc, scores, {{0, 1}, {2}, {3}}, mapSizes);
  Value logits = maskedLogits(b, loc, scores, mapSizes, mask, scale, causal,
                              /*keyOffset=*/nullptr, queryOffset);

  SmallVector<OpFoldResult> rowSizes(mapSizes.begin(), mapSizes.end() - 1);
  Value rowMax = softmaxRowMax(b, loc, logits, rowSizes);
  // One exp per logit (the decomposition of linalg.softmax computes p for
  // the sum and again for the division once its generics are fused).
  Value sumInit =
      sumsDest ? linalg::FillOp::create(
                     b, loc, floatConstant(b, loc, element, 0.0), sumsDest)
                     .getResult(0)
               : filledTensor(b, loc, rowSizes, element, 0.0);
  return softmaxNumerators(b, loc, logits, rowMax, sumInit, mapSizes,
                           fuseRowSum);
}

/// A map `map3` [B*H, Tq, Tk] times values `values3` [B*H, Tk, dv]: one
/// batch matmul, expanded to `outSizes` [B, H, Tq, dv] (attn.apply). `dest`
/// (of `outSizes`; null for a new tensor) is what the product overwrites.
/// With `rowSums` [B, H, Tq], the map holds softmax numerators, and the
/// product's rows are divided by their sums.
Value applyMap(OpBuilder &b, Location loc, Value map3, Value values3,
               ArrayRef<OpFoldResult> outSizes, Value dest = Value(),
               Value rowSums = Value()) {
  Type element = cast<RankedTensorType>(map3.getType()).getElementType();
  Value init =
      dest ? collapseHeads(b, loc,
                           linalg::FillOp::create(
                               b, loc, floatConstant(b, loc, element, 0.0),
                               dest)
                               .getResult(0))
           : filledTensor(b, loc,
                          {sizeOf(b, loc, map3, 0), outSizes[2], outSizes[3]},
                          element, 0.0);
  Value out = batchMatmul(b, loc, map3, values3, init, /*transposeRhs=*/false);
  // Divided right after the product, on its own [B*H, Tq, dv] result:
  // attn-vectorize-contractions then divides the accumulators before it
  // stores them.
  if (rowSums) {
    Value sums = tensor::CollapseShapeOp::create(
        b, loc, rowSums, SmallVector<ReassociationIndices>{{0, 1}, {2}});
    out = divideRows(b, loc, out, sums,
                     {sizeOf(b, loc, map3, 0), outSizes[2], outSizes[3]});
  }
  return expandTo(b, loc, out, {{0, 1}, {2}, {3}}, outSizes);
}

/// attn.apply of `map` [B, H, Tq, Tk] to `values` [B, H, Tk, dv]; with
/// `rowSums` [B, H, Tq], the map holds softmax numerators whose rows the
/// product is divided by afterwards.
Value lowerApply(OpBuilder &b, Location loc, Value map, Value values,
                 Value rowSums) {
  SmallVector<OpFoldResult> m = sizesOf(b, loc, map);
  SmallVector<OpFoldResult> v = sizesOf(b, loc, values);
  SmallVector<OpFoldResult> outSizes = {mergeSize(m[0], v[0]),
                                        mergeSize(m[1], v[1]), m[2], v[3]};
  return applyMap(b, loc, collapseHeads(b, loc, map),
                  collapseHeads(b, loc, values), outSizes, Value(), rowSums);
}

/// Whether every use of `scores`'s map is the map of an attn.apply: it can
/// then stay unnormalised (ScoresLowering).
bool onlyApplied(ScoresOp scores) {
  return !scores->use_empty() &&
         llvm::all_of(scores->getUsers(), [&](Operation *user) {
           auto apply = dyn_cast<ApplyOp>(user);
           return apply && apply.getMap() == scores.getResult();
         });
}

/// The attn.apply of `scores`'s map that its query blocks compute as well:
/// the first one in the block whose values are defined before `scores`.
/// A block's rows of the map are still in cache when it multiplies them by
/// the values; the apply alone would read the whole map back from memory.
ApplyOp applyToFuse(ScoresOp scores) {
  ApplyOp first;
  for (Operation *user : scores->getUsers()) {
    auto apply = dyn_cast<ApplyOp>(user);
    if (apply && apply.getMap() == scores.getResult() &&
        apply->getBlock() == scores->getBlock() &&
        (!first || apply->isBeforeInBlock(first)))
      first = apply;
  }
  if (!first)
    return {};
  Value values = first.getValues();
  bool before =
      isa<BlockArgument>(values)
          ? cast<BlockArgument>(values).getParentRegion()->isAncestor(
                scores->getParentRegion())
          : values.getDefiningOp()->getBlock() == scores->getBlock() &&
                values.getDefiningOp()->isBeforeInBlock(scores);
  return before ? first : ApplyOp();
}

/// attn.scores: the map at once, or (`queryBlockSize` > 0) in an
/// scf.forall over query blocks against keys transposed once, which also
/// computes the map's first attn.apply where it can (applyToFuse). There,
/// a map used by applies only is not normalised: the blocks write the
/// numerators p and their row sums l, and each apply divides its product
/// by l, [Tq, dv] divisions instead of a pass over the [Tq, Tk] map.
struct ScoresLowering : OpConversionPattern<ScoresOp> {
  ScoresLowering(MLIRContext *ctx, int64_t queryBlockSize)
      : OpConversionPattern(ctx), queryBlockSize(queryBlockSize) {}

  LogicalResult
  matchAndRewrite(ScoresOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    if (!hasInfinity(element))
      return rewriter.notifyMatchFailure(op, "element type has no infinity");

    SmallVector<OpFoldResult> q = sizesOf(rewriter, loc, adaptor.getQuery());
    SmallVector<OpFoldResult> k = sizesOf(rewriter, loc, adaptor.getKey());
    SmallVector<OpFoldResult> mapSizes = {mergeSize(q[0], k[0]),
                                          mergeSize(q[1], k[1]), q[2], k[2]};
    Value mask = adaptor.getMask();
    if (mask)
      assertMaskBroadcasts(rewriter, loc, mask, mapSizes);

    double scale = op.getScaleValue();
    bool causal = op.getCausal();
    Value map;
    // Untiled also for no keys at all (a static 0), which a block's key
    // slices cannot take.
    if (queryBlockSize <= 0 || isConstantIntValue(mapSizes[3], 0)) {
      SoftmaxNumerators p = scoreNumerators(
          rewriter, loc, collapseHeads(rewriter, loc, adaptor.getQuery()),
          collapseHeads(rewriter, loc, adaptor.getKey()),
          /*keysTransposed=*/false, mapSizes, mask, scale, causal, Value(),
          /*fuseRowSum=*/false);
      map = divideRows(rewriter, loc, p.probs, p.sums, mapSizes);
    } else {
      Value keysT = transposeKeys(rewriter, loc, adaptor.getKey());
      OpFoldResult zero = rewriter.getIndexAttr(0),
                   one = rewriter.getIndexAttr(1);
      ApplyOp apply = applyToFuse(op);
      bool deferNormalization = onlyApplied(op);
      Value values;
      SmallVector<SmallVector<OpFoldResult>> resultSizes = {mapSizes};
      if (deferNormalization)
        resultSizes.push_back({mapSizes[0], mapSizes[1], mapSizes[2], one});
      if (apply) {
        values = rewriter.getRemappedValue(apply.getValues());
        SmallVector<OpFoldResult> v = sizesOf(rewriter, loc, values);
        resultSizes.push_back({mergeSize(mapSizes[0], v[0]),
                               mergeSize(mapSizes[1], v[1]), mapSizes[2],
                               v[3]});
      }
      SmallVector<Value> results = forEachQueryBlock(
          rewriter, loc, resultSizes, queryBlockSize, element,
          [&](OpBuilder &b, Location l,
              const QueryBlock &block) -> SmallVector<Value> {
            Value qBlock = sliceHead(b, l, adaptor.getQuery(), block,
                                     block.start, block.len);
            Value keys = sliceHead(b, l, keysT, block, zero, q[3]);
            SmallVector<OpFoldResult> blockSizes = {one, one, block.len,
                                                    mapSizes[3]};
            Value maskBlock =
                mask ? sliceMaskToBlock(b, l, mask, block) : Value();
            // The row sums go straight into their rows of the result.
            Value sumsDest =
                deferNormalization
                    ? tensor::CollapseShapeOp::create(
                          b, l, block.dests[1],
                          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}})
                          .getResult()
                    : Value();
            SoftmaxNumerators p =
                scoreNumerators(b, l, qBlock, keys, /*keysTransposed=*/true,
                                blockSizes, maskBlock, scale, causal,
                                block.start, /*fuseRowSum=*/true, sumsDest);
            SmallVector<Value> rows = {
                deferNormalization
                    ? p.probs
                    : divideRows(b, l, p.probs, p.sums, blockSizes)};
            if (deferNormalization)
              rows.push_back(expandTo(b, l, p.sums, {{0}, {1}, {2, 3}},
                                      {one, one, block.len, one}));
            if (!apply)
              return rows;
            // The block's rows of the map times its head's values.
            Value headValues =
                sliceHead(b, l, values, block, zero, mapSizes[3]);
            SmallVector<OpFoldResult> outSizes = {one, one, block.len,
                                                  resultSizes.back()[3]};
            rows.push_back(applyMap(b, l, collapseHeads(b, l, rows[0]),
                                    headValues, outSizes, block.dests.back(),
                                    deferNormalization ? p.sums : Value()));
            return rows;
          });
      map = results[0];
      if (apply)
        rewriter.replaceOp(
            apply, castTo(rewriter, loc, results.back(), apply.getType()));
      if (deferNormalization) {
        Value rowSums = tensor::CollapseShapeOp::create(
            rewriter, loc, results[1],
            SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
        SmallVector<Operation *> users(op->getUsers());
        for (Operation *user : users) {
          auto other = cast<ApplyOp>(user);
          if (other == apply)
            continue;
          OpBuilder::InsertionGuard guard(rewriter);
          rewriter.setInsertionPoint(other);
          Value out =
              lowerApply(rewriter, other.getLoc(), map,
                         rewriter.getRemappedValue(other.getValues()), rowSums);
          rewriter.replaceOp(
              other, castTo(rewriter, other.getLoc(), out, other.getType()));
        }
      }
    }
    rewriter.replaceOp(op, castTo(rewriter, loc, map, resultType));
    return success();
  }

private:
  int64_t queryBlockSize;
};

/// Transformer-MGK. |q_i|^2 is constant per row and cancels in the
/// normalisation, so the logits are
///   log(pi_r) + (q_i . k_jr - |k_jr|^2 / 2) / sigma_sq   [B, H, Tq, R, Tk]
/// from one batch matmul over all R*Tk key components (METHODS.md: MGK is
/// softmax attention over R*Tk keys with a per-key bias). Their maximum over
/// (r, j) is subtracted before exp, so nothing overflows; the exponentials
/// are summed over r and normalised over j. The expansion of |q - k|^2 costs
/// an absolute logit error of ~eps (|q|^2 + |k|^2) / (2 sigma_sq), which the
/// GEMM is worth at attention sizes.
struct MgkScoresLowering : OpConversionPattern<MgkScoresOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MgkScoresOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    if (!hasInfinity(element))
      return rewriter.notifyMatchFailure(op, "element type has no infinity");

    Value keys = adaptor.getKeys();
    Value mask = adaptor.getMask();
    SmallVector<OpFoldResult> q = sizesOf(rewriter, loc, adaptor.getQuery());
    SmallVector<OpFoldResult> k = sizesOf(rewriter, loc, keys);
    OpFoldResult batch = mergeSize(q[0], k[0]), heads = mergeSize(q[1], k[1]);
    OpFoldResult comps = k[2], keyLen = k[3];
    SmallVector<OpFoldResult> mapSizes = {batch, heads, q[2], keyLen};
    if (mask)
      assertMaskBroadcasts(rewriter, loc, mask, mapSizes);

    // q . k_jr for every component: [B*H, Tq, R*Tk] -> [B, H, Tq, R, Tk].
    Value q3 = collapseHeads(rewriter, loc, adaptor.getQuery());
    Value k3 = tensor::CollapseShapeOp::create(
        rewriter, loc, keys,
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}, {4}});
    Value dots = batchMatmul(rewriter, loc, q3, k3,
                             filledTensor(rewriter, loc,
                                          {sizeOf(rewriter, loc, q3, 0), q[2],
                                           sizeOf(rewriter, loc, k3, 1)},
                                          element, 0.0),
                             /*transposeRhs=*/true);
    SmallVector<OpFoldResult> logitSizes = {batch, heads, q[2], comps, keyLen};
    dots = expandTo(rewriter, loc, dots, {{0, 1}, {2}, {3, 4}}, logitSizes);

    // |k_jr|^2: [B, H, R, Tk].
    AffineMap id5 = AffineMap::getMultiDimIdentityMap(5, ctx);
    SmallVector<utils::IteratorType> lastReduced = parallelIterators(5);
    lastReduced.back() = utils::IteratorType::reduction;
    Value keyNorms =
        linalg::GenericOp::create(
            rewriter, loc, tensorType({batch, heads, comps, keyLen}, element),
            keys,
            filledTensor(rewriter, loc, {batch, heads, comps, keyLen}, element,
                         0.0),
            SmallVector<AffineMap>{id5, id5.dropResult(4)}, lastReduced,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value square = arith::MulFOp::create(b, l, args[0], args[0]);
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, args[1], square).getResult());
            })
            .getResult(0);
    Value logWeights =
        elementwise(rewriter, loc, adaptor.getMixtureWeights(), element,
                    [](OpBuilder &b, Location l, ValueRange args) {
                      return math::LogOp::create(b, l, args[0]);
                    });

    // Logits over (b, h, i, r, j); mask and causal act on key position j.
    AffineExpr d0, d1, d2, d3, d4;
    bindDims(ctx, d0, d1, d2, d3, d4);
    SmallVector<Value> inputs = {dots, keyNorms, logWeights};
    SmallVector<AffineMap> maps = {id5,
                                   AffineMap::get(5, 0, {d0, d1, d3, d4}, ctx),
                                   AffineMap::get(5, 0, {d1, d3}, ctx)};
    if (mask) {
      inputs.push_back(mask);
      maps.push_back(maskMap(ctx, cast<RankedTensorType>(mask.getType()), 5,
                             {0, 1, 2, 4}));
    }
    maps.push_back(id5);
    Value invSigmaSq = floatConstant(rewriter, loc, element,
                                     1.0 / op.getSigmaSq().convertToDouble());
    Value half = floatConstant(rewriter, loc, element, 0.5);
    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value negInf = negInfinity(rewriter, loc, element);
    bool causal = op.getCausal();
    Value logits =
        linalg::GenericOp::create(
            rewriter, loc, tensorType(logitSizes, element), inputs,
            emptyTensor(rewriter, loc, logitSizes, element), maps,
            parallelIterators(5),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value halfNorm = arith::MulFOp::create(b, l, args[1], half);
              Value diff = arith::SubFOp::create(b, l, args[0], halfNorm);
              Value scaled = arith::MulFOp::create(b, l, diff, invSigmaSq);
              Value logit = arith::AddFOp::create(b, l, scaled, args[2]);
              if (mask)
                logit = applyMask(b, l, logit, args[3], negInf);
              if (causal)
                logit =
                    applyCausal(b, l, logit, linalg::IndexOp::create(b, l, 2),
                                linalg::IndexOp::create(b, l, 4), negInf);
              linalg::YieldOp::create(b, l, logit);
            })
            .getResult(0);

    // Row maximum over (r, j): [B, H, Tq].
    SmallVector<OpFoldResult> rowSizes = {batch, heads, q[2]};
    SmallVector<utils::IteratorType> rowReduced = parallelIterators(5);
    rowReduced[3] = rowReduced[4] = utils::IteratorType::reduction;
    Value rowMax = linalg::GenericOp::create(
                       rewriter, loc, tensorType(rowSizes, element), logits,
                       linalg::FillOp::create(
                           rewriter, loc, negInf,
                           emptyTensor(rewriter, loc, rowSizes, element))
                           .getResult(0),
                       SmallVector<AffineMap>{
                           id5, AffineMap::get(5, 0, {d0, d1, d2}, ctx)},
                       rowReduced,
                       [&](OpBuilder &b, Location l, ValueRange args) {
                         linalg::YieldOp::create(
                             b, l,
                             arith::MaximumFOp::create(b, l, args[1], args[0])
                                 .getResult());
                       })
                       .getResult(0);

    // sum_r exp(logit - max) per key: iteration (b, h, i, j, r), r reduced.
    SmallVector<utils::IteratorType> compReduced = parallelIterators(5);
    compReduced[4] = utils::IteratorType::reduction;
    Value weights = linalg::GenericOp::create(
                        rewriter, loc, tensorType(mapSizes, element),
                        ValueRange{logits, rowMax},
                        filledTensor(rewriter, loc, mapSizes, element, 0.0),
                        SmallVector<AffineMap>{
                            AffineMap::get(5, 0, {d0, d1, d2, d4, d3}, ctx),
                            AffineMap::get(5, 0, {d0, d1, d2}, ctx),
                            AffineMap::get(5, 0, {d0, d1, d2, d3}, ctx)},
                        compReduced,
                        [&](OpBuilder &b, Location l, ValueRange args) {
                          // A fully masked row has max -inf: its weights are 0,
                          // not NaN.
                          Value masked = arith::CmpFOp::create(
                              b, l, arith::CmpFPredicate::OEQ, args[1], negInf);
                          Value shifted =
                              arith::SubFOp::create(b, l, args[0], args[1]);
                          Value exp = arith::SelectOp::create(
                              b, l, masked, zero,
                              math::ExpOp::create(b, l, shifted));
                          linalg::YieldOp::create(
                              b, l,
                              arith::AddFOp::create(b, l, args[2], exp)
                                  .getResult());
                        })
                        .getResult(0);

    Value total = reduceLastDim(
        rewriter, loc, weights,
        filledTensor(rewriter, loc, rowSizes, element, 0.0), RowReduction::Sum);
    Value map = divideRows(rewriter, loc, weights, total, mapSizes);
    rewriter.replaceOp(op, castTo(rewriter, loc, map, resultType));
    return success();
  }
};

/// map [B, H, Tq, Tk] x values [B, H, Tk, dv]: one batch matmul over B*H.
struct ApplyLowering : OpConversionPattern<ApplyOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ApplyOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value out = lowerApply(rewriter, loc, adaptor.getMap(), adaptor.getValues(),
                           /*rowSums=*/Value());
    rewriter.replaceOp(op, castTo(rewriter, loc, out, op.getType()));
    return success();
  }
};

/// attn.mha -> project x3, attend, merge. The conversion driver lowers the new
/// ops in turn; the whole layer never materialises its map.
struct MhaLowering : OpConversionPattern<MhaOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MhaOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t heads = op.getNumHeads();
    auto project = [&](Value input, Value weight, Value bias) -> Value {
      auto inputType = cast<RankedTensorType>(input.getType());
      int64_t width = cast<RankedTensorType>(weight.getType()).getDimSize(1);
      int64_t headDim =
          ShapedType::isDynamic(width) ? ShapedType::kDynamic : width / heads;
      auto type = RankedTensorType::get(
          {inputType.getDimSize(0), heads, inputType.getDimSize(1), headDim},
          inputType.getElementType());
      return ProjectOp::create(rewriter, loc, type, input, weight, bias, heads);
    };
    Value query = project(adaptor.getQuery(), adaptor.getWq(), adaptor.getBq());
    Value key =
        project(adaptor.getKeyValue(), adaptor.getWk(), adaptor.getBk());
    Value value =
        project(adaptor.getKeyValue(), adaptor.getWv(), adaptor.getBv());
    auto qType = cast<RankedTensorType>(query.getType());
    auto vType = cast<RankedTensorType>(value.getType());
    auto outType = RankedTensorType::get(
        {qType.getDimSize(0), heads, qType.getDimSize(2), vType.getDimSize(3)},
        qType.getElementType());
    Value attended =
        AttendOp::create(rewriter, loc, outType, query, key, value,
                         adaptor.getMask(), op.getCausal(), op.getScaleAttr());
    rewriter.replaceOpWithNewOp<MergeOp>(op, op.getType(), attended,
                                         adaptor.getWo(), adaptor.getBo());
    return success();
  }
};

} // namespace

void lowering::populateAttentionPatterns(RewritePatternSet &patterns,
                                         int64_t scoresQueryBlockSize) {
  patterns.add<MgkScoresLowering, ApplyLowering, MhaLowering>(
      patterns.getContext());
  patterns.add<ScoresLowering>(patterns.getContext(), scoresQueryBlockSize);
}
