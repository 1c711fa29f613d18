//===- Attend.cpp - attn.attend to an online-softmax loop -----------------===//
//
// attn.attend never materialises its [Tq, Tk] map. An scf.for walks the keys
// in blocks of `blockSize` and carries, per query row, the running maximum m,
// the running softmax denominator l and the unnormalised output acc:
//
//   s     = scale * q k_blk^T (+ mask_blk, causal)   [B, H, Tq, blk]
//   m'    = max(m, rowmax(s))
//   p     = exp(s - m')
//   alpha = exp(m - m')
//   l'    = l * alpha + rowsum(p)
//   acc'  = acc * alpha + p v_blk
//
// and returns acc / l. A row whose keys are all masked keeps m = -inf; the
// guards below make its p and l zero and its output 0 instead of NaN.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::lowering;

namespace {

/// `mask` (of `sizes`) restricted to the key block [offset, offset + len)
/// when its key dim is not broadcast.
Value sliceMaskKeys(OpBuilder &b, Location loc, Value mask,
                    ArrayRef<OpFoldResult> sizes, Value offset,
                    OpFoldResult len) {
  auto type = cast<RankedTensorType>(mask.getType());
  int64_t rank = type.getRank();
  if (rank == 0 || type.getDimSize(rank - 1) == 1)
    return mask;
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> blockSizes(sizes);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  offsets.back() = offset;
  blockSizes.back() = len;
  return tensor::ExtractSliceOp::create(b, loc, mask, offsets, blockSizes,
                                        strides);
}

/// Rows [offset, offset + len) of `source` [Z, Tk, width].
Value sliceKeys(OpBuilder &b, Location loc, Value source, OpFoldResult batch,
                Value offset, OpFoldResult len, OpFoldResult width) {
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  return tensor::ExtractSliceOp::create(b, loc, source, {zero, offset, zero},
                                        {batch, len, width}, {one, one, one});
}

struct AttendLowering : OpConversionPattern<AttendOp> {
  AttendLowering(MLIRContext *ctx, int64_t blockSize)
      : OpConversionPattern(ctx), blockSize(blockSize) {}

  LogicalResult
  matchAndRewrite(AttendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    if (!hasInfinity(element))
      return rewriter.notifyMatchFailure(op, "element type has no infinity");

    SmallVector<OpFoldResult> q = sizesOf(rewriter, loc, adaptor.getQuery());
    SmallVector<OpFoldResult> k = sizesOf(rewriter, loc, adaptor.getKey());
    SmallVector<OpFoldResult> v = sizesOf(rewriter, loc, adaptor.getValue());
    OpFoldResult batch = mergeSize(mergeSize(q[0], k[0]), v[0]);
    OpFoldResult heads = mergeSize(mergeSize(q[1], k[1]), v[1]);
    OpFoldResult keyLen = mergeSize(k[2], v[2]);
    Value mask = adaptor.getMask();
    if (mask)
      assertMaskBroadcasts(rewriter, loc, mask, {batch, heads, q[2], keyLen});

    Value q3 = collapseHeads(rewriter, loc, adaptor.getQuery());
    Value k3 = collapseHeads(rewriter, loc, adaptor.getKey());
    Value v3 = collapseHeads(rewriter, loc, adaptor.getValue());
    OpFoldResult flatBatch = sizeOf(rewriter, loc, q3, 0);
    SmallVector<OpFoldResult> maskSizes;
    if (mask)
      maskSizes = sizesOf(rewriter, loc, mask);
    SmallVector<OpFoldResult> rowSizes = {batch, heads, q[2]};
    SmallVector<OpFoldResult> accSizes = {batch, heads, q[2], v[3]};
    Value negInf = negInfinity(rewriter, loc, element);
    Value zero = floatConstant(rewriter, loc, element, 0.0);
    Value one = floatConstant(rewriter, loc, element, 1.0);
    Value rowMax0 =
        linalg::FillOp::create(rewriter, loc, negInf,
                               emptyTensor(rewriter, loc, rowSizes, element))
            .getResult(0);
    Value rowSum0 = filledTensor(rewriter, loc, rowSizes, element, 0.0);
    Value acc0 = filledTensor(rewriter, loc, accSizes, element, 0.0);

    // A static Tk that the block divides (or that fits in one block) keeps
    // every block static; otherwise the last block is min(block, Tk - j).
    std::optional<int64_t> staticKeyLen = getConstantIntValue(keyLen);
    bool staticBlocks = staticKeyLen && (*staticKeyLen % blockSize == 0 ||
                                         *staticKeyLen < blockSize);
    Value lower = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value upper = getValueOrCreateConstantIndexOp(rewriter, loc, keyLen);
    Value step = arith::ConstantIndexOp::create(rewriter, loc, blockSize);
    double scale = op.getScaleValue();
    bool causal = op.getCausal();

    auto body = [&](OpBuilder &b, Location l, Value start, ValueRange state) {
      Value rowMax = state[0], rowSum = state[1], acc = state[2];
      OpFoldResult len;
      if (staticBlocks) {
        len = b.getIndexAttr(std::min(blockSize, *staticKeyLen));
      } else {
        AffineExpr j = getAffineDimExpr(0, ctx);
        AffineExpr tk = getAffineSymbolExpr(0, ctx);
        len = affine::makeComposedFoldedAffineMin(
            b, l,
            AffineMap::get(
                1, 1, {getAffineConstantExpr(blockSize, ctx), tk - j}, ctx),
            {start, keyLen});
      }
      Value keys = sliceKeys(b, l, k3, flatBatch, start, len, k[3]);
      Value values = sliceKeys(b, l, v3, flatBatch, start, len, v[3]);

      Value scores =
          batchMatmul(b, l, q3, keys,
                      filledTensor(b, l, {flatBatch, q[2], len}, element, 0.0),
                      /*transposeRhs=*/true);
      SmallVector<OpFoldResult> blockSizes = {batch, heads, q[2], len};
      scores = expandTo(b, l, scores, {{0, 1}, {2}, {3}}, blockSizes);
      Value maskBlock =
          mask ? sliceMaskKeys(b, l, mask, maskSizes, start, len) : Value();
      Value logits = maskedLogits(b, l, scores, blockSizes, maskBlock, scale,
                                  causal, start);

      // The state is updated in place (each generic writes into the value
      // it carries), so that bufferization keeps one m, l and acc buffer for
      // the whole loop.
      Value blockMax =
          reduceLastDim(b, l, logits,
                        linalg::FillOp::create(
                            b, l, negInf, emptyTensor(b, l, rowSizes, element))
                            .getResult(0),
                        /*max=*/true);
      // m' = max(m, blockMax) over m, and alpha = exp(m - m') that rescales
      // what earlier blocks summed (1 while the row has seen no key).
      auto update = linalg::GenericOp::create(
          b, l, TypeRange{rowMax.getType(), rowMax.getType()}, blockMax,
          ValueRange{rowMax, emptyTensor(b, l, rowSizes, element)},
          identityMaps(ctx, 3, 3), parallelIterators(3),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value newMax = arith::MaximumFOp::create(nb, nl, args[1], args[0]);
            Value shifted = arith::SubFOp::create(nb, nl, args[1], newMax);
            Value masked = arith::CmpFOp::create(
                nb, nl, arith::CmpFPredicate::OEQ, newMax, negInf);
            Value alpha = arith::SelectOp::create(
                nb, nl, masked, one, math::ExpOp::create(nb, nl, shifted));
            linalg::YieldOp::create(nb, nl, ValueRange{newMax, alpha});
          });
      Value newMax = update.getResult(0), alpha = update.getResult(1);

      AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
      AffineMap rows4 = id4.dropResult(3);
      Value probs =
          linalg::GenericOp::create(
              b, l, logits.getType(), ValueRange{logits, newMax},
              emptyTensor(b, l, blockSizes, element),
              SmallVector<AffineMap>{id4, rows4, id4}, parallelIterators(4),
              [&](OpBuilder &nb, Location nl, ValueRange args) {
                Value shifted = arith::SubFOp::create(nb, nl, args[0], args[1]);
                Value exp = math::ExpOp::create(nb, nl, shifted);
                Value masked = arith::CmpFOp::create(
                    nb, nl, arith::CmpFPredicate::OEQ, args[1], negInf);
                linalg::YieldOp::create(
                    nb, nl,
                    arith::SelectOp::create(nb, nl, masked, zero, exp)
                        .getResult());
              })
              .getResult(0);

      // l' = l * alpha + rowsum(p); acc' = acc * alpha + p v_blk.
      auto rescale = [&](Value state, AffineMap alphaMap) {
        unsigned rank = alphaMap.getNumDims();
        return linalg::GenericOp::create(
                   b, l, state.getType(), alpha, state,
                   SmallVector<AffineMap>{
                       alphaMap, AffineMap::getMultiDimIdentityMap(rank, ctx)},
                   parallelIterators(rank),
                   [&](OpBuilder &nb, Location nl, ValueRange args) {
                     linalg::YieldOp::create(
                         nb, nl,
                         arith::MulFOp::create(nb, nl, args[1], args[0])
                             .getResult());
                   })
            .getResult(0);
      };
      Value newSum = reduceLastDim(
          b, l, probs,
          rescale(rowSum, AffineMap::getMultiDimIdentityMap(3, ctx)),
          /*max=*/false);
      Value scaledAcc = rescale(acc, rows4);
      Value newAcc =
          batchMatmul(b, l, collapseHeads(b, l, probs), values,
                      collapseHeads(b, l, scaledAcc), /*transposeRhs=*/false);
      newAcc = expandTo(b, l, newAcc, {{0, 1}, {2}, {3}}, accSizes);
      scf::YieldOp::create(b, l, ValueRange{newMax, newSum, newAcc});
    };
    auto loop = scf::ForOp::create(rewriter, loc, lower, upper, step,
                                   ValueRange{rowMax0, rowSum0, acc0}, body);

    // acc / l; l is 0 only where every key was masked, and the output is 0.
    Value result = divideRows(rewriter, loc, loop.getResult(2),
                              loop.getResult(1), accSizes);
    rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
    return success();
  }

private:
  int64_t blockSize;
};

} // namespace

void lowering::populateAttendPatterns(RewritePatternSet &patterns,
                                      int64_t blockSize) {
  patterns.add<AttendLowering>(patterns.getContext(), blockSize);
}
