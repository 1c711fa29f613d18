//===- LoweringUtils.h - helpers shared by the attn lowerings ---*- C++ -*-===//
//
// Small builders that every op family of convert-attn-to-linalg uses: shapes
// as OpFoldResults (static where known, tensor.dim otherwise), constants,
// matmuls into a bias, masks and activations. Private to this library.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_CONVERSION_ATTNTOLINALG_LOWERINGUTILS_H
#define ATTN_LIB_CONVERSION_ATTNTOLINALG_LOWERINGUTILS_H

#include "attn/Dialect/Attn/IR/AttnEnums.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir {
class RewritePatternSet;
namespace attn::lowering {

//===----------------------------------------------------------------------===//
// Pattern sets of each op family
//===----------------------------------------------------------------------===//

/// attn.project, attn.head_embed, attn.merge.
void populateProjectionPatterns(RewritePatternSet &patterns);
/// attn.scores, attn.mgk_scores, attn.apply, attn.mha. With
/// `scoresQueryBlockSize` > 0, attn.scores computes its map in query blocks.
void populateAttentionPatterns(RewritePatternSet &patterns,
                               int64_t scoresQueryBlockSize = 0);
/// attn.attend (the online-softmax loop).
void populateAttendPatterns(RewritePatternSet &patterns, int64_t blockSize,
                            int64_t queryBlockSize = 0);
/// attn.layer_norm, attn.ffn, attn.seq_mlp, attn.head_seq_mlp.
void populateFeedForwardPatterns(RewritePatternSet &patterns);

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

/// Every size of `value`: an attribute where static, a tensor.dim otherwise.
SmallVector<OpFoldResult> sizesOf(OpBuilder &b, Location loc, Value value);
/// Size `dim` of `value`, likewise.
OpFoldResult sizeOf(OpBuilder &b, Location loc, Value value, int64_t dim);

/// `b` if only it is static, else `a`: two sizes the verifier proved equal.
OpFoldResult mergeSize(OpFoldResult a, OpFoldResult b);

/// The ranked tensor type of `sizes` (dynamic where a size is an SSA value).
RankedTensorType tensorType(ArrayRef<OpFoldResult> sizes, Type elementType);

/// tensor.empty of `sizes`.
Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                  Type elementType);

/// tensor.empty of `sizes` filled with `value` (linalg.fill).
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
                   Type elementType, double value);

/// tensor.expand_shape of `value` into `sizes`.
Value expandTo(OpBuilder &b, Location loc, Value value,
               ArrayRef<ReassociationIndices> reassociation,
               ArrayRef<OpFoldResult> sizes);

/// tensor.cast of `value` to `type` when the types differ (a result type the
/// verifier knows more static sizes of than the operands do).
Value castTo(OpBuilder &b, Location loc, Value value, Type type);

/// `value` cast to the type of `sizes`, for ops whose verifiers want the
/// static sizes of operand and init to agree (transpose, broadcast).
Value castToSizes(OpBuilder &b, Location loc, Value value,
                  ArrayRef<OpFoldResult> sizes);

/// linalg.transpose of `value` (of `sizes`) by `permutation`.
Value transpose(OpBuilder &b, Location loc, Value value,
                ArrayRef<OpFoldResult> sizes, ArrayRef<int64_t> permutation);

//===----------------------------------------------------------------------===//
// Scalars (inside and outside generic bodies)
//===----------------------------------------------------------------------===//

Value floatConstant(OpBuilder &b, Location loc, Type type, double value);
Value negInfinity(OpBuilder &b, Location loc, Type type);

/// Whether `type` is a float type with an infinity to mask with.
bool hasInfinity(Type type);

/// `x` after `activation` (relu, exact gelu, silu, leaky_relu with 0.01).
Value applyActivation(OpBuilder &b, Location loc, Value x,
                      Activation activation);

//===----------------------------------------------------------------------===//
// Linalg building blocks
//===----------------------------------------------------------------------===//

/// `count` identity maps of `rank` dims; `rank` parallel iterators.
SmallVector<AffineMap> identityMaps(MLIRContext *ctx, unsigned rank,
                                    unsigned count);
SmallVector<utils::IteratorType> parallelIterators(unsigned rank);

/// A generic that applies `body` element-wise to `inputs` (identity maps,
/// all of the first input's shape) into a new tensor of `elementType`.
Value elementwise(OpBuilder &b, Location loc, ValueRange inputs,
                  Type elementType,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// The destination of `x * W + bias`, a tensor of `sizes`: the bias
/// broadcast along the dims it lacks (`biasDims` are those it covers), or
/// zeros when `bias` is null.
Value biasInit(OpBuilder &b, Location loc, Value bias,
               ArrayRef<OpFoldResult> sizes, ArrayRef<int64_t> biasDims,
               Type elementType);

/// `lhs [M, K] x rhs [K, N]` accumulated into `init [M, N]`.
Value matmul(OpBuilder &b, Location loc, Value lhs, Value rhs, Value init);

/// `lhs [Z, M, K] x rhs [Z, K, N]` (or `rhs [Z, N, K]` transposed, or
/// `lhs [M, K]` shared by every batch) accumulated into `init [Z, M, N]`.
Value batchMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs, Value init,
                  bool transposeRhs);

//===----------------------------------------------------------------------===//
// Masks
//===----------------------------------------------------------------------===//

/// The indexing map from an iteration space of `numDims` dims into a mask
/// broadcasting to [B, H, Tq, Tk] (numpy rules, aligned on the right);
/// `mapDims` are the iteration dims of B, H, Tq and Tk. Static unit mask dims
/// broadcast.
AffineMap maskMap(MLIRContext *ctx, RankedTensorType maskType, unsigned numDims,
                  ArrayRef<unsigned> mapDims);

/// `mask` (of `maskSizes`, broadcasting to [B, H, Tq, Tk]) restricted to
/// positions [offset, offset + len) of map dim `mapDim` (2 = queries,
/// 3 = keys); unchanged where the mask broadcasts along that dim.
Value sliceMask(OpBuilder &b, Location loc, Value mask,
                ArrayRef<OpFoldResult> maskSizes, unsigned mapDim, Value offset,
                OpFoldResult len);
/// Asserts at run time that every mask dim that is not a static 1 equals the
/// [B, H, Tq, Tk] size it is matched with, when either one is dynamic.
void assertMaskBroadcasts(OpBuilder &b, Location loc, Value mask,
                          ArrayRef<OpFoldResult> mapSizes);

/// A logit after an element of the mask: added (float mask) or replaced by
/// `negInf` where the mask is false (i1 mask).
Value applyMask(OpBuilder &b, Location loc, Value logit, Value maskElement,
                Value negInf);

/// `negInf` unless key position `key` <= query position `query` (top-left
/// causal).
Value applyCausal(OpBuilder &b, Location loc, Value logit, Value query,
                  Value key, Value negInf);

//===----------------------------------------------------------------------===//
// Attention building blocks
//===----------------------------------------------------------------------===//

/// [B, H, T, d] -> [B*H, T, d], the batch of a batch matmul.
Value collapseHeads(OpBuilder &b, Location loc, Value heads);

/// `scale * scores (+ mask)`, -inf where causal forbids, over scores
/// [B, H, Tq, n] of `sizes` whose key positions start at `keyOffset` (an
/// index value; null for 0) and whose query positions start at
/// `queryOffset` (null for 0). `mask` (may be null) broadcasts to the scores.
Value maskedLogits(OpBuilder &b, Location loc, Value scores,
                   ArrayRef<OpFoldResult> sizes, Value mask, double scale,
                   bool causal, Value keyOffset, Value queryOffset = Value());

/// Rows [offset, offset + len) of `source` [Z, T, width].
Value sliceRows(OpBuilder &b, Location loc, Value source, OpFoldResult batch,
                Value offset, OpFoldResult len, OpFoldResult width);
/// Keys [.., Tk, dk] transposed to [.., dk, Tk], so that `q k^T` is a plain
/// matmul whose columns (the keys) are contiguous, the form
/// attn-vectorize-contractions register-tiles.
Value transposeKeys(OpBuilder &b, Location loc, Value keys);
/// One block of queries of one head: the queries [start, start + len) of
/// head `head` of batch row `batch`.
struct QueryBlock {
  Value batch, head, start;
  OpFoldResult len;
  /// The block's rows [1, 1, len, X] of each result's destination. A body
  /// that computes into them (rather than into new tensors) is bufferized
  /// in place even through reshapes, which the elimination of empty
  /// tensors does not follow.
  SmallVector<Value> dests;
};
/// The body of one query block: the block's rows of the result,
/// [1, 1, len, X].
using QueryBlockBody =
    function_ref<Value(OpBuilder &, Location, const QueryBlock &)>;
/// An scf.forall over (batch, head, block of `blockSize` queries) that
/// assembles a tensor of `resultSizes` [B, H, Tq, X] from what `body` returns
/// for each block. Blocks are independent: the CPU pipeline runs them on its
/// threads (B * H * blocks share the threads evenly where blocks alone would
/// not), and one block's temporaries stay in cache.
Value forEachQueryBlock(OpBuilder &b, Location loc,
                        ArrayRef<OpFoldResult> resultSizes, int64_t blockSize,
                        Type elementType, QueryBlockBody body);
/// The same for several results, each [B, H, Tq, X_i] (B, H and Tq those of
/// the first): `body` returns the block's rows of each.
using QueryBlockBodies = function_ref<SmallVector<Value>(
    OpBuilder &, Location, const QueryBlock &)>;
SmallVector<Value>
forEachQueryBlock(OpBuilder &b, Location loc,
                  ArrayRef<SmallVector<OpFoldResult>> resultSizes,
                  int64_t blockSize, Type elementType, QueryBlockBodies body);
/// `x` [B, H, R, C] at the block's (batch, head), rows [rowOffset,
/// rowOffset + rowLen), as [1, rowLen, C]: the batch of a batch matmul.
Value sliceHead(OpBuilder &b, Location loc, Value x, const QueryBlock &block,
                OpFoldResult rowOffset, OpFoldResult rowLen);
/// What of `mask` (which broadcasts to the map [B, H, Tq, Tk]) applies to
/// the block's queries.
Value sliceMaskToBlock(OpBuilder &b, Location loc, Value mask,
                       const QueryBlock &block);
/// How reduceLastDim combines a row.
enum class RowReduction {
  Sum,
  /// arith.maxnumf: NaN loses. A softmax row maximum needs no more: a NaN
  /// logit still makes its row NaN through exp, and x86 needs no signed-zero
  /// ordering for it (one vmaxps, a compare and a blend instead of the six
  /// instructions a vector of arith.maximumf takes).
  MaxIgnoringNaN,
};
/// Reduces the last dim of `x` into `init` (the shape of `x` minus it).
Value reduceLastDim(OpBuilder &b, Location loc, Value x, Value init,
                    RowReduction kind);

/// The row maxima of softmax logits [B, H, Tq, Tk] into [B, H, Tq] (of
/// `rowSizes`), from -inf, NaN ignored (RowReduction::MaxIgnoringNaN).
Value softmaxRowMax(OpBuilder &b, Location loc, Value logits,
                    ArrayRef<OpFoldResult> rowSizes);

/// The softmax numerators of `logits` [B, H, Tq, Tk] (of `sizes`) against
/// their row maxima `rowMax` [B, H, Tq]: p = exp(logit - m), with m replaced
/// by 0 where it is -inf (every key masked: p = 0, not NaN), and their row
/// sums added to `sumInit`. The select is on the row's m alone, so
/// attn-vectorize-rows computes it once per row. With `fused`, one generic
/// yields p and the sums (one exp per logit; what the CPU's query blocks
/// take); otherwise the sums are a reduction of their own (the GPU's
/// kernels map each output of a generic over all its loops).
struct SoftmaxNumerators {
  Value probs, sums;
};
SoftmaxNumerators softmaxNumerators(OpBuilder &b, Location loc, Value logits,
                                    Value rowMax, Value sumInit,
                                    ArrayRef<OpFoldResult> sizes, bool fused);

/// `x / totals` along the last dim of x (of `sizes`), with 0 where the total
/// is 0 (a row whose keys are all masked).
Value divideRows(OpBuilder &b, Location loc, Value x, Value totals,
                 ArrayRef<OpFoldResult> sizes);

//===----------------------------------------------------------------------===//
// Layer normalisation
//===----------------------------------------------------------------------===//

/// Mean and 1/sqrt(var + eps) over the last dim of `x` (shape of x minus it).
struct LayerNormStats {
  Value mean;
  Value invStd;
};
LayerNormStats layerNormStats(OpBuilder &b, Location loc, Value x,
                              const APFloat &epsilon);

/// `(x - mean) * invStd * gamma + beta` over an iteration space of `sizes`;
/// `xMap` reads x, `statsMap` the statistics and `paramMap` gamma and beta.
Value layerNormApply(OpBuilder &b, Location loc, Value x, AffineMap xMap,
                     const LayerNormStats &stats, AffineMap statsMap,
                     Value gamma, Value beta, AffineMap paramMap,
                     ArrayRef<OpFoldResult> sizes);

/// Layer norm of `x` over its last dim. `paramMap` reads gamma and beta in
/// the iteration space of x; null reads them as `[N]`.
Value layerNorm(OpBuilder &b, Location loc, Value x, Value gamma, Value beta,
                const APFloat &epsilon, AffineMap paramMap = {});

} // namespace attn::lowering
} // namespace mlir

#endif // ATTN_LIB_CONVERSION_ATTNTOLINALG_LOWERINGUTILS_H
