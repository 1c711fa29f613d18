//===- LoweringUtils.cpp - helpers shared by the attn lowerings -----------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::lowering;

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

/// Sizes whose value is a known constant as attributes: the conversion
/// driver folds the tensor.dim of a static dim into a constant, and types
/// built from the sizes must agree with the ops' static size lists.
static SmallVector<OpFoldResult> foldSizes(OpBuilder &b,
                                           ArrayRef<OpFoldResult> sizes) {
  return llvm::map_to_vector(sizes, [&](OpFoldResult size) -> OpFoldResult {
    if (std::optional<int64_t> value = getConstantIntValue(size))
      return b.getIndexAttr(*value);
    return size;
  });
}

SmallVector<OpFoldResult> lowering::sizesOf(OpBuilder &b, Location loc,
                                            Value value) {
  return foldSizes(b, tensor::getMixedSizes(b, loc, value));
}

OpFoldResult lowering::sizeOf(OpBuilder &b, Location loc, Value value,
                              int64_t dim) {
  return foldSizes(b, tensor::getMixedSize(b, loc, value, dim)).front();
}

OpFoldResult lowering::mergeSize(OpFoldResult a, OpFoldResult b) {
  return !getConstantIntValue(a) && getConstantIntValue(b) ? b : a;
}

RankedTensorType lowering::tensorType(ArrayRef<OpFoldResult> sizes,
                                      Type elementType) {
  SmallVector<int64_t> shape = llvm::map_to_vector(sizes, [](OpFoldResult s) {
    return getConstantIntValue(s).value_or(ShapedType::kDynamic);
  });
  return RankedTensorType::get(shape, elementType);
}

Value lowering::emptyTensor(OpBuilder &b, Location loc,
                            ArrayRef<OpFoldResult> sizes, Type elementType) {
  return tensor::EmptyOp::create(b, loc, foldSizes(b, sizes), elementType);
}

Value lowering::filledTensor(OpBuilder &b, Location loc,
                             ArrayRef<OpFoldResult> sizes, Type elementType,
                             double value) {
  Value empty = emptyTensor(b, loc, sizes, elementType);
  Value scalar = floatConstant(b, loc, elementType, value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value lowering::expandTo(OpBuilder &b, Location loc, Value value,
                         ArrayRef<ReassociationIndices> reassociation,
                         ArrayRef<OpFoldResult> sizes) {
  auto type = cast<RankedTensorType>(value.getType());
  RankedTensorType expanded = tensorType(sizes, type.getElementType());
  // A group of static sizes needs a static source dim: the sizes may know
  // more than the source type (a dim the verifier merged from another
  // operand).
  SmallVector<int64_t> source(type.getShape());
  for (auto [index, group] : llvm::enumerate(reassociation)) {
    int64_t product = 1;
    for (int64_t dim : group) {
      if (expanded.isDynamicDim(dim)) {
        product = ShapedType::kDynamic;
        break;
      }
      product *= expanded.getDimSize(dim);
    }
    if (!ShapedType::isDynamic(product))
      source[index] = product;
  }
  auto sourceType = RankedTensorType::get(source, type.getElementType());
  if (sourceType != type)
    value = tensor::CastOp::create(b, loc, sourceType, value);
  return tensor::ExpandShapeOp::create(b, loc, expanded, value, reassociation,
                                       foldSizes(b, sizes));
}

Value lowering::castTo(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

Value lowering::castToSizes(OpBuilder &b, Location loc, Value value,
                            ArrayRef<OpFoldResult> sizes) {
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  return castTo(b, loc, value, tensorType(sizes, element));
}

Value lowering::transpose(OpBuilder &b, Location loc, Value value,
                          ArrayRef<OpFoldResult> sizes,
                          ArrayRef<int64_t> permutation) {
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  SmallVector<OpFoldResult> permuted =
      llvm::map_to_vector(permutation, [&](int64_t dim) { return sizes[dim]; });
  Value init = emptyTensor(b, loc, permuted, element);
  return linalg::TransposeOp::create(b, loc, castToSizes(b, loc, value, sizes),
                                     init, permutation)
      .getResult()[0];
}

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

Value lowering::floatConstant(OpBuilder &b, Location loc, Type type,
                              double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value lowering::negInfinity(OpBuilder &b, Location loc, Type type) {
  auto floatType = cast<FloatType>(type);
  APFloat inf = APFloat::getInf(floatType.getFloatSemantics(),
                                /*Negative=*/true);
  return arith::ConstantOp::create(b, loc, FloatAttr::get(floatType, inf));
}

bool lowering::hasInfinity(Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  return floatType && APFloat::semanticsHasInf(floatType.getFloatSemantics());
}

Value lowering::applyActivation(OpBuilder &b, Location loc, Value x,
                                Activation activation) {
  Type type = x.getType();
  switch (activation) {
  case Activation::relu:
    // maximumf keeps NaN, as torch.relu does.
    return arith::MaximumFOp::create(b, loc, x,
                                     floatConstant(b, loc, type, 0.0));
  case Activation::gelu: {
    // The exact form 0.5 x (1 + erf(x / sqrt(2))).
    Value scaled = arith::MulFOp::create(
        b, loc, x, floatConstant(b, loc, type, M_SQRT1_2));
    Value erf = math::ErfOp::create(b, loc, scaled);
    Value onePlus =
        arith::AddFOp::create(b, loc, floatConstant(b, loc, type, 1.0), erf);
    Value half =
        arith::MulFOp::create(b, loc, x, floatConstant(b, loc, type, 0.5));
    return arith::MulFOp::create(b, loc, half, onePlus);
  }
  case Activation::silu: {
    // x * sigmoid(x) = x / (1 + exp(-x)); exp overflowing to inf gives -0.
    Value negated = arith::NegFOp::create(b, loc, x);
    Value exp = math::ExpOp::create(b, loc, negated);
    Value denominator =
        arith::AddFOp::create(b, loc, floatConstant(b, loc, type, 1.0), exp);
    return arith::DivFOp::create(b, loc, x, denominator);
  }
  case Activation::leaky_relu: {
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           floatConstant(b, loc, type, 0.0));
    Value leaked =
        arith::MulFOp::create(b, loc, x, floatConstant(b, loc, type, 0.01));
    return arith::SelectOp::create(b, loc, positive, x, leaked);
  }
  }
  llvm_unreachable("unknown activation");
}

//===----------------------------------------------------------------------===//
// Linalg building blocks
//===----------------------------------------------------------------------===//

SmallVector<AffineMap> lowering::identityMaps(MLIRContext *ctx, unsigned rank,
                                              unsigned count) {
  return SmallVector<AffineMap>(count,
                                AffineMap::getMultiDimIdentityMap(rank, ctx));
}

SmallVector<utils::IteratorType> lowering::parallelIterators(unsigned rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

Value lowering::elementwise(
    OpBuilder &b, Location loc, ValueRange inputs, Type elementType,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  unsigned rank = cast<RankedTensorType>(inputs.front().getType()).getRank();
  Value init =
      emptyTensor(b, loc, sizesOf(b, loc, inputs.front()), elementType);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, init,
      identityMaps(b.getContext(), rank, inputs.size() + 1),
      parallelIterators(rank),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value result = body(nb, nl, args.drop_back());
        linalg::YieldOp::create(nb, nl, result);
      });
  return generic.getResult(0);
}

Value lowering::biasInit(OpBuilder &b, Location loc, Value bias,
                         ArrayRef<OpFoldResult> sizes,
                         ArrayRef<int64_t> biasDims, Type elementType) {
  if (!bias)
    return filledTensor(b, loc, sizes, elementType, 0.0);
  Value empty = emptyTensor(b, loc, sizes, elementType);
  // linalg.broadcast names the dims it adds, i.e. those the bias lacks.
  SmallVector<int64_t> added;
  for (int64_t dim = 0, e = sizes.size(); dim < e; ++dim)
    if (!llvm::is_contained(biasDims, dim))
      added.push_back(dim);
  SmallVector<OpFoldResult> biasSizes =
      llvm::map_to_vector(biasDims, [&](int64_t dim) { return sizes[dim]; });
  return linalg::BroadcastOp::create(
             b, loc, castToSizes(b, loc, bias, biasSizes), empty, added)
      .getResult()[0];
}

Value lowering::matmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value init) {
  return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

Value lowering::batchMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                            Value init, bool transposeRhs) {
  MLIRContext *ctx = b.getContext();
  AffineExpr batch, m, n, k;
  bindDims(ctx, batch, m, n, k);
  bool sharedLhs = cast<RankedTensorType>(lhs.getType()).getRank() == 2;
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(4, 0, exprs, ctx);
  };
  SmallVector<AffineMap> maps = {sharedLhs ? map({m, k}) : map({batch, m, k}),
                                 transposeRhs ? map({batch, n, k})
                                              : map({batch, k, n}),
                                 map({batch, m, n})};
  NamedAttribute indexingMaps(b.getStringAttr("indexing_maps"),
                              b.getAffineMapArrayAttr(maps));
  return linalg::BatchMatmulOp::create(b, loc, TypeRange{init.getType()},
                                       ValueRange{lhs, rhs}, ValueRange{init},
                                       {indexingMaps})
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Layer normalisation
//===----------------------------------------------------------------------===//

LayerNormStats lowering::layerNormStats(OpBuilder &b, Location loc, Value x,
                                        const APFloat &epsilon) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  Type element = type.getElementType();
  unsigned rank = type.getRank();
  SmallVector<OpFoldResult> sizes = sizesOf(b, loc, x);
  SmallVector<OpFoldResult> reduced(sizes.begin(), sizes.end() - 1);

  // N as a float of the element type.
  Value count;
  if (std::optional<int64_t> n = getConstantIntValue(sizes.back())) {
    count = floatConstant(b, loc, element, static_cast<double>(*n));
  } else {
    Value index = getValueOrCreateConstantIndexOp(b, loc, sizes.back());
    Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
    count = arith::UIToFPOp::create(b, loc, element, i64);
  }

  AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap rows = full.dropResult(rank - 1);
  SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
  iterators.back() = utils::IteratorType::reduction;

  Value sum =
      reduceLastDim(b, loc, x, filledTensor(b, loc, reduced, element, 0.0),
                    RowReduction::Sum);
  RankedTensorType rowType = tensorType(reduced, element);
  Value mean = elementwise(
      b, loc, sum, element, [&](OpBuilder &nb, Location nl, ValueRange args) {
        return arith::DivFOp::create(nb, nl, args[0], count);
      });
  // Two passes (mean, then squared deviations): the biased variance without
  // the cancellation of E[x^2] - E[x]^2.
  Value squares =
      linalg::GenericOp::create(
          b, loc, rowType, ValueRange{x, mean},
          filledTensor(b, loc, reduced, element, 0.0),
          SmallVector<AffineMap>{full, rows, rows}, iterators,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value centered = arith::SubFOp::create(nb, nl, args[0], args[1]);
            Value square = arith::MulFOp::create(nb, nl, centered, centered);
            linalg::YieldOp::create(
                nb, nl,
                arith::AddFOp::create(nb, nl, args[2], square).getResult());
          })
          .getResult(0);
  Value eps = arith::ConstantOp::create(
      b, loc, b.getFloatAttr(element, epsilon.convertToDouble()));
  Value invStd = elementwise(
      b, loc, squares, element,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value variance = arith::DivFOp::create(nb, nl, args[0], count);
        Value shifted = arith::AddFOp::create(nb, nl, variance, eps);
        return math::RsqrtOp::create(nb, nl, shifted);
      });
  return {mean, invStd};
}

Value lowering::layerNormApply(OpBuilder &b, Location loc, Value x,
                               AffineMap xMap, const LayerNormStats &stats,
                               AffineMap statsMap, Value gamma, Value beta,
                               AffineMap paramMap,
                               ArrayRef<OpFoldResult> sizes) {
  Type element = cast<RankedTensorType>(x.getType()).getElementType();
  Value init = emptyTensor(b, loc, sizes, element);
  AffineMap out =
      AffineMap::getMultiDimIdentityMap(sizes.size(), b.getContext());
  return linalg::GenericOp::create(
             b, loc, init.getType(),
             ValueRange{x, stats.mean, stats.invStd, gamma, beta}, init,
             SmallVector<AffineMap>{xMap, statsMap, statsMap, paramMap,
                                    paramMap, out},
             parallelIterators(sizes.size()),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value centered = arith::SubFOp::create(nb, nl, args[0], args[1]);
               Value normed = arith::MulFOp::create(nb, nl, centered, args[2]);
               Value scaled = arith::MulFOp::create(nb, nl, normed, args[3]);
               linalg::YieldOp::create(
                   nb, nl,
                   arith::AddFOp::create(nb, nl, scaled, args[4]).getResult());
             })
      .getResult(0);
}

Value lowering::layerNorm(OpBuilder &b, Location loc, Value x, Value gamma,
                          Value beta, const APFloat &epsilon,
                          AffineMap paramMap) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = cast<RankedTensorType>(x.getType()).getRank();
  LayerNormStats stats = layerNormStats(b, loc, x, epsilon);
  AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
  if (!paramMap)
    paramMap = full.getSubMap({rank - 1});
  return layerNormApply(b, loc, x, full, stats, full.dropResult(rank - 1),
                        gamma, beta, paramMap, sizesOf(b, loc, x));
}

//===----------------------------------------------------------------------===//
// Attention building blocks
//===----------------------------------------------------------------------===//

Value lowering::collapseHeads(OpBuilder &b, Location loc, Value heads) {
  return tensor::CollapseShapeOp::create(
      b, loc, heads, SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}});
}

Value lowering::maskedLogits(OpBuilder &b, Location loc, Value scores,
                             ArrayRef<OpFoldResult> sizes, Value mask,
                             double scale, bool causal, Value keyOffset,
                             Value queryOffset) {
  MLIRContext *ctx = b.getContext();
  Type element = cast<RankedTensorType>(scores.getType()).getElementType();
  SmallVector<Value> inputs = {scores};
  SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(4, ctx)};
  if (mask) {
    inputs.push_back(mask);
    maps.push_back(
        maskMap(ctx, cast<RankedTensorType>(mask.getType()), 4, {0, 1, 2, 3}));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(4, ctx));
  Value init = emptyTensor(b, loc, sizes, element);
  Value scaleValue = floatConstant(b, loc, element, scale);
  Value negInf = mask || causal ? negInfinity(b, loc, element) : Value();
  return linalg::GenericOp::create(
             b, loc, init.getType(), inputs, init, maps, parallelIterators(4),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value logit = arith::MulFOp::create(nb, nl, args[0], scaleValue);
               if (mask)
                 logit = applyMask(nb, nl, logit, args[1], negInf);
               if (causal) {
                 Value query = linalg::IndexOp::create(nb, nl, 2);
                 Value key = linalg::IndexOp::create(nb, nl, 3);
                 if (queryOffset)
                   query = arith::AddIOp::create(nb, nl, query, queryOffset);
                 if (keyOffset)
                   key = arith::AddIOp::create(nb, nl, key, keyOffset);
                 logit = applyCausal(nb, nl, logit, query, key, negInf);
               }
               linalg::YieldOp::create(nb, nl, logit);
             })
      .getResult(0);
}

Value lowering::sliceRows(OpBuilder &b, Location loc, Value source,
                          OpFoldResult batch, Value offset, OpFoldResult len,
                          OpFoldResult width) {
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  return tensor::ExtractSliceOp::create(b, loc, source, {zero, offset, zero},
                                        {batch, len, width}, {one, one, one});
}

Value lowering::transposeKeys(OpBuilder &b, Location loc, Value keys) {
  int64_t rank = cast<RankedTensorType>(keys.getType()).getRank();
  SmallVector<int64_t> permutation =
      llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(permutation[rank - 2], permutation[rank - 1]);
  // The keys' own sizes: linalg.transpose wants them to match its operand's
  // type exactly (merged sizes may know more).
  return transpose(b, loc, keys, sizesOf(b, loc, keys), permutation);
}

SmallVector<Value> lowering::forEachQueryBlock(
    OpBuilder &b, Location loc, ArrayRef<SmallVector<OpFoldResult>> resultSizes,
    int64_t blockSize, Type elementType, QueryBlockBodies body) {
  MLIRContext *ctx = b.getContext();
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  ArrayRef<OpFoldResult> first = resultSizes.front();
  OpFoldResult queries = first[2];
  SmallVector<Value> inits = llvm::map_to_vector(
      resultSizes, [&](const SmallVector<OpFoldResult> &sizes) {
        return emptyTensor(b, loc, sizes, elementType);
      });
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{zero, zero, zero},
      ArrayRef<OpFoldResult>{first[0], first[1], queries},
      ArrayRef<OpFoldResult>{one, one, b.getIndexAttr(blockSize)}, inits,
      std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  SmallVector<Value> ivs = forall.getInductionVars();
  QueryBlock block{ivs[0], ivs[1], ivs[2], OpFoldResult(), {}};
  AffineExpr i = getAffineDimExpr(0, ctx);
  AffineExpr total = getAffineSymbolExpr(0, ctx);
  block.len = affine::makeComposedFoldedAffineMin(
      b, loc,
      AffineMap::get(1, 1, {getAffineConstantExpr(blockSize, ctx), total - i},
                     ctx),
      {block.start, queries});
  SmallVector<OpFoldResult> offsets = {block.batch, block.head, block.start,
                                       zero};
  SmallVector<OpFoldResult> strides(4, one);
  auto blockSizesOf = [&](ArrayRef<OpFoldResult> sizes) {
    return SmallVector<OpFoldResult>{one, one, block.len, sizes[3]};
  };
  for (auto [sizes, out] : llvm::zip(resultSizes, forall.getRegionIterArgs()))
    block.dests.push_back(tensor::ExtractSliceOp::create(
        b, loc, out, offsets, blockSizesOf(sizes), strides));
  SmallVector<Value> results = body(b, loc, block);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  for (auto [result, sizes, out] :
       llvm::zip(results, resultSizes, forall.getRegionIterArgs()))
    tensor::ParallelInsertSliceOp::create(b, loc, result, out, offsets,
                                          blockSizesOf(sizes), strides);
  return SmallVector<Value>(forall.getResults());
}

Value lowering::forEachQueryBlock(OpBuilder &b, Location loc,
                                  ArrayRef<OpFoldResult> resultSizes,
                                  int64_t blockSize, Type elementType,
                                  QueryBlockBody body) {
  SmallVector<OpFoldResult> sizes(resultSizes);
  return forEachQueryBlock(b, loc, ArrayRef<SmallVector<OpFoldResult>>{sizes},
                           blockSize, elementType,
                           [&](OpBuilder &nb, Location nl,
                               const QueryBlock &block) -> SmallVector<Value> {
                             return {body(nb, nl, block)};
                           })
      .front();
}

Value lowering::sliceHead(OpBuilder &b, Location loc, Value x,
                          const QueryBlock &block, OpFoldResult rowOffset,
                          OpFoldResult rowLen) {
  OpFoldResult one = b.getIndexAttr(1);
  Value slice = tensor::ExtractSliceOp::create(
      b, loc, x, {block.batch, block.head, rowOffset, b.getIndexAttr(0)},
      {one, one, rowLen, sizeOf(b, loc, x, 3)}, {one, one, one, one});
  return collapseHeads(b, loc, slice);
}

Value lowering::reduceLastDim(OpBuilder &b, Location loc, Value x, Value init,
                              RowReduction kind) {
  MLIRContext *ctx = b.getContext();
  unsigned rank = cast<RankedTensorType>(x.getType()).getRank();
  AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
  iterators.back() = utils::IteratorType::reduction;
  return linalg::GenericOp::create(
             b, loc, init.getType(), x, init,
             SmallVector<AffineMap>{full, full.dropResult(rank - 1)}, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value reduced;
               switch (kind) {
               case RowReduction::Sum:
                 reduced = arith::AddFOp::create(nb, nl, args[1], args[0]);
                 break;
               case RowReduction::MaxIgnoringNaN:
                 reduced = arith::MaxNumFOp::create(nb, nl, args[1], args[0]);
                 break;
               }
               linalg::YieldOp::create(nb, nl, reduced);
             })
      .getResult(0);
}

Value lowering::softmaxRowMax(OpBuilder &b, Location loc, Value logits,
                              ArrayRef<OpFoldResult> rowSizes) {
  Type element = cast<RankedTensorType>(logits.getType()).getElementType();
  Value init = linalg::FillOp::create(b, loc, negInfinity(b, loc, element),
                                      emptyTensor(b, loc, rowSizes, element))
                   .getResult(0);
  return reduceLastDim(b, loc, logits, init, RowReduction::MaxIgnoringNaN);
}

SoftmaxNumerators lowering::softmaxNumerators(OpBuilder &b, Location loc,
                                              Value logits, Value rowMax,
                                              Value sumInit,
                                              ArrayRef<OpFoldResult> sizes,
                                              bool fused) {
  MLIRContext *ctx = b.getContext();
  Type element = cast<RankedTensorType>(logits.getType()).getElementType();
  Value negInf = negInfinity(b, loc, element);
  Value zero = floatConstant(b, loc, element, 0.0);
  auto expOf = [&](OpBuilder &nb, Location nl, Value logit, Value max) {
    Value noKey =
        arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, max, negInf);
    Value shift = arith::SelectOp::create(nb, nl, noKey, zero, max);
    return math::ExpOp::create(nb, nl,
                               arith::SubFOp::create(nb, nl, logit, shift))
        .getResult();
  };
  AffineMap full = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap rows = full.dropResult(3);
  Value init = emptyTensor(b, loc, sizes, element);
  if (fused) {
    SmallVector<utils::IteratorType> iterators = parallelIterators(4);
    iterators.back() = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{logits.getType(), sumInit.getType()},
        ValueRange{logits, rowMax}, ValueRange{init, sumInit},
        SmallVector<AffineMap>{full, rows, full, rows}, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value prob = expOf(nb, nl, args[0], args[1]);
          linalg::YieldOp::create(
              nb, nl,
              ValueRange{prob, arith::AddFOp::create(nb, nl, args[3], prob)});
        });
    return {generic.getResult(0), generic.getResult(1)};
  }
  Value probs =
      linalg::GenericOp::create(
          b, loc, logits.getType(), ValueRange{logits, rowMax}, init,
          SmallVector<AffineMap>{full, rows, full}, parallelIterators(4),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            linalg::YieldOp::create(nb, nl, expOf(nb, nl, args[0], args[1]));
          })
          .getResult(0);
  return {probs, reduceLastDim(b, loc, probs, sumInit, RowReduction::Sum)};
}

Value lowering::divideRows(OpBuilder &b, Location loc, Value x, Value totals,
                           ArrayRef<OpFoldResult> sizes) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(x.getType());
  Type element = type.getElementType();
  unsigned rank = type.getRank();
  AffineMap full = AffineMap::getMultiDimIdentityMap(rank, ctx);
  Value zero = floatConstant(b, loc, element, 0.0);
  Value one = floatConstant(b, loc, element, 1.0);
  // In place (x is the output): bufferization then keeps one buffer for x
  // and the result, which in a query block of the map is the map's rows.
  Value init = castToSizes(b, loc, x, sizes);
  return linalg::GenericOp::create(
             b, loc, init.getType(), totals, init,
             SmallVector<AffineMap>{full.dropResult(rank - 1), full},
             parallelIterators(rank),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               // x * (1 / total): the reciprocal depends on the row alone,
               // so attn-vectorize-rows computes it once per row and the
               // row takes a multiply per vector instead of a divide.
               Value empty = arith::CmpFOp::create(
                   nb, nl, arith::CmpFPredicate::OEQ, args[0], zero);
               Value reciprocal = arith::SelectOp::create(
                   nb, nl, empty, zero,
                   arith::DivFOp::create(nb, nl, one, args[0]));
               linalg::YieldOp::create(
                   nb, nl,
                   arith::MulFOp::create(nb, nl, args[1], reciprocal)
                       .getResult());
             })
      .getResult(0);
}
