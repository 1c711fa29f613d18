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
// and returns acc / l. A row whose keys are all masked keeps m = -inf: p is
// taken against 0 there instead (exp(-inf - 0) = 0), alpha is 1, and the
// output is 0 instead of NaN. The maxima ignore NaN (maxnumf): a NaN logit
// still makes its row NaN through p, and a row of NaN, whose m stays -inf,
// through exp(NaN - 0).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"

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

/// What the online-softmax loop of one attn.attend needs, shared by every
/// query block.
struct FlashProblem {
  OpFoldResult batch, heads, flatBatch, keyLen;
  SmallVector<OpFoldResult> k, v;
  /// The mask rows of the queries at hand (sliced per query block).
  Value mask;
  SmallVector<OpFoldResult> maskSizes;
  Type element;
  double scale;
  bool causal;
  int64_t blockSize;
  std::optional<int64_t> staticKeyLen;
  /// Keys as [Z, Tk, dk], or transposed to [Z, dk, Tk] (`keysTransposed`):
  /// then `q k^T` is a plain matmul whose columns (the keys) are contiguous,
  /// which attn-vectorize-contractions register-tiles.
  Value keys, values;
  bool keysTransposed;
  /// One generic computes p and its row sum (exp once per score) instead of
  /// a generic for p and a reduction that attn-fuse-elementwise would
  /// refill with a second exp.
  bool fuseRowSum;
};

/// The online-softmax loop for the queries `q3` [Z, qLen, dk] (positions
/// from `queryOffset`, null for 0): returns the attention output
/// [B, H, qLen, dv].
Value buildFlashLoop(OpBuilder &builder, Location loc, const FlashProblem &p,
                     Value q3, OpFoldResult qLen, Value queryOffset) {
  MLIRContext *ctx = builder.getContext();
  Type element = p.element;
  SmallVector<OpFoldResult> rowSizes = {p.batch, p.heads, qLen};
  SmallVector<OpFoldResult> accSizes = {p.batch, p.heads, qLen, p.v[3]};
  Value negInf = negInfinity(builder, loc, element);
  Value one = floatConstant(builder, loc, element, 1.0);
  Value rowMax0 =
      linalg::FillOp::create(builder, loc, negInf,
                             emptyTensor(builder, loc, rowSizes, element))
          .getResult(0);
  Value rowSum0 = filledTensor(builder, loc, rowSizes, element, 0.0);
  Value acc0 = filledTensor(builder, loc, accSizes, element, 0.0);

  // Whole blocks of static size run in one loop; the keys left over (a
  // dynamic Tk, or a static one the block does not divide) in a second loop
  // of at most one iteration. The first loop's ops then have static shapes:
  // unmasked vectors and fixed trip counts in the kernels.
  int64_t blockSize = p.blockSize;
  if (p.staticKeyLen && *p.staticKeyLen < blockSize)
    blockSize = std::max<int64_t>(*p.staticKeyLen, 1); // Tk = 0: no block
  Value lower = arith::ConstantIndexOp::create(builder, loc, 0);
  Value upper = getValueOrCreateConstantIndexOp(builder, loc, p.keyLen);
  Value step = arith::ConstantIndexOp::create(builder, loc, blockSize);
  bool ragged = !p.staticKeyLen || *p.staticKeyLen % blockSize != 0;
  Value wholeEnd = upper;
  if (p.staticKeyLen && ragged)
    wholeEnd = arith::ConstantIndexOp::create(
        builder, loc, *p.staticKeyLen / blockSize * blockSize);
  else if (ragged)
    wholeEnd = arith::SubIOp::create(
        builder, loc, upper, arith::RemUIOp::create(builder, loc, upper, step));
  // Set while the loop of the last, partial block is built.
  bool partialBlock = false;

  auto body = [&](OpBuilder &b, Location l, Value start, ValueRange state) {
    Value rowMax = state[0], rowSum = state[1], acc = state[2];
    OpFoldResult len = b.getIndexAttr(blockSize);
    if (partialBlock)
      len = getAsOpFoldResult(arith::SubIOp::create(b, l, upper, start));
    OpFoldResult zeroIdx = b.getIndexAttr(0), oneIdx = b.getIndexAttr(1);
    Value keys = p.keysTransposed
                     ? tensor::ExtractSliceOp::create(
                           b, l, p.keys, {zeroIdx, zeroIdx, start},
                           {p.flatBatch, p.k[3], len}, {oneIdx, oneIdx, oneIdx})
                           .getResult()
                     : sliceRows(b, l, p.keys, p.flatBatch, start, len, p.k[3]);
    Value values = sliceRows(b, l, p.values, p.flatBatch, start, len, p.v[3]);

    Value scores =
        batchMatmul(b, l, q3, keys,
                    filledTensor(b, l, {p.flatBatch, qLen, len}, element, 0.0),
                    /*transposeRhs=*/!p.keysTransposed);
    SmallVector<OpFoldResult> blockSizes = {p.batch, p.heads, qLen, len};
    scores = expandTo(b, l, scores, {{0, 1}, {2}, {3}}, blockSizes);
    Value maskBlock =
        p.mask ? sliceMask(b, l, p.mask, p.maskSizes, /*mapDim=*/3, start, len)
               : Value();
    Value logits = maskedLogits(b, l, scores, blockSizes, maskBlock, p.scale,
                                p.causal, start, queryOffset);

    // The state is updated in place (each generic writes into the value
    // it carries), so that bufferization keeps one m, l and acc buffer for
    // the whole loop.
    Value blockMax = softmaxRowMax(b, l, logits, rowSizes);
    // m' = max(m, blockMax) over m, and alpha = exp(m - m') that rescales
    // what earlier blocks summed (1 while the row has seen no key).
    auto update = linalg::GenericOp::create(
        b, l, TypeRange{rowMax.getType(), rowMax.getType()}, blockMax,
        ValueRange{rowMax, emptyTensor(b, l, rowSizes, element)},
        identityMaps(ctx, 3, 3), parallelIterators(3),
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value newMax = arith::MaxNumFOp::create(nb, nl, args[1], args[0]);
          Value shifted = arith::SubFOp::create(nb, nl, args[1], newMax);
          Value masked = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OEQ, newMax, negInf);
          Value alpha = arith::SelectOp::create(
              nb, nl, masked, one, math::ExpOp::create(nb, nl, shifted));
          linalg::YieldOp::create(nb, nl, ValueRange{newMax, alpha});
        });
    Value newMax = update.getResult(0), alpha = update.getResult(1);

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

    AffineMap id4 = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap rows4 = id4.dropResult(3);
    // p = exp(logit - m') (against 0 where m' = -inf) and l' = l * alpha +
    // rowsum(p).
    SoftmaxNumerators probs = softmaxNumerators(
        b, l, logits, newMax,
        rescale(rowSum, AffineMap::getMultiDimIdentityMap(3, ctx)), blockSizes,
        p.fuseRowSum);
    Value scaledAcc = rescale(acc, rows4);
    Value newAcc =
        batchMatmul(b, l, collapseHeads(b, l, probs.probs), values,
                    collapseHeads(b, l, scaledAcc), /*transposeRhs=*/false);
    newAcc = expandTo(b, l, newAcc, {{0, 1}, {2}, {3}}, accSizes);
    scf::YieldOp::create(b, l, ValueRange{newMax, probs.sums, newAcc});
  };
  auto whole = scf::ForOp::create(builder, loc, lower, wholeEnd, step,
                                  ValueRange{rowMax0, rowSum0, acc0}, body);
  ValueRange state = whole.getResults();
  if (ragged) {
    partialBlock = true;
    state = scf::ForOp::create(builder, loc, wholeEnd, upper, step, state, body)
                .getResults();
  }

  // acc / l; l is 0 only where every key was masked, and the output is 0.
  return divideRows(builder, loc, state[2], state[1], accSizes);
}

struct AttendLowering : OpConversionPattern<AttendOp> {
  AttendLowering(MLIRContext *ctx, int64_t blockSize, int64_t queryBlockSize)
      : OpConversionPattern(ctx), blockSize(blockSize),
        queryBlockSize(queryBlockSize) {}

  LogicalResult
  matchAndRewrite(AttendOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = resultType.getElementType();
    if (!hasInfinity(element))
      return rewriter.notifyMatchFailure(op, "element type has no infinity");

    SmallVector<OpFoldResult> q = sizesOf(rewriter, loc, adaptor.getQuery());
    FlashProblem p;
    p.k = sizesOf(rewriter, loc, adaptor.getKey());
    p.v = sizesOf(rewriter, loc, adaptor.getValue());
    p.batch = mergeSize(mergeSize(q[0], p.k[0]), p.v[0]);
    p.heads = mergeSize(mergeSize(q[1], p.k[1]), p.v[1]);
    p.keyLen = mergeSize(p.k[2], p.v[2]);
    p.mask = adaptor.getMask();
    if (p.mask)
      assertMaskBroadcasts(rewriter, loc, p.mask,
                           {p.batch, p.heads, q[2], p.keyLen});

    p.element = element;
    p.scale = op.getScaleValue();
    p.causal = op.getCausal();
    p.blockSize = blockSize;
    p.staticKeyLen = getConstantIntValue(p.keyLen);

    // Untiled: one loop over key blocks for every query at once. Also for
    // no keys at all (a static 0), which a block's key slices cannot take.
    if (queryBlockSize <= 0 || isConstantIntValue(p.keyLen, 0)) {
      Value q3 = collapseHeads(rewriter, loc, adaptor.getQuery());
      p.keys = collapseHeads(rewriter, loc, adaptor.getKey());
      p.values = collapseHeads(rewriter, loc, adaptor.getValue());
      p.flatBatch = sizeOf(rewriter, loc, q3, 0);
      if (p.mask)
        p.maskSizes = sizesOf(rewriter, loc, p.mask);
      p.keysTransposed = false;
      p.fuseRowSum = false;
      Value result = buildFlashLoop(rewriter, loc, p, q3, q[2], Value());
      rewriter.replaceOp(op, castTo(rewriter, loc, result, resultType));
      return success();
    }

    // Blocks of one head's queries, each with its own key loop, so that one
    // block's scores, m, l and acc stay in cache and the blocks of all heads
    // run in parallel. The keys are transposed once, for all blocks.
    Value keysT = transposeKeys(rewriter, loc, adaptor.getKey());
    p.keysTransposed = true;
    p.fuseRowSum = true;
    SmallVector<OpFoldResult> outSizes = {p.batch, p.heads, q[2], p.v[3]};
    p.batch = p.heads = p.flatBatch = rewriter.getIndexAttr(1);
    Value mask = p.mask;
    OpFoldResult zero = rewriter.getIndexAttr(0);
    Value out = forEachQueryBlock(
        rewriter, loc, outSizes, queryBlockSize, element,
        [&](OpBuilder &b, Location l, const QueryBlock &block) {
          Value qBlock = sliceHead(b, l, adaptor.getQuery(), block, block.start,
                                   block.len);
          p.keys = sliceHead(b, l, keysT, block, zero, p.k[3]);
          p.values = sliceHead(b, l, adaptor.getValue(), block, zero, p.keyLen);
          if (mask) {
            p.mask = sliceMaskToBlock(b, l, mask, block);
            p.maskSizes = sizesOf(b, l, p.mask);
          }
          return buildFlashLoop(b, l, p, qBlock, block.len, block.start);
        });
    rewriter.replaceOp(op, castTo(rewriter, loc, out, resultType));
    return success();
  }

private:
  int64_t blockSize;
  int64_t queryBlockSize;
};

} // namespace

void lowering::populateAttendPatterns(RewritePatternSet &patterns,
                                      int64_t blockSize,
                                      int64_t queryBlockSize) {
  patterns.add<AttendLowering>(patterns.getContext(), blockSize,
                               queryBlockSize);
}
