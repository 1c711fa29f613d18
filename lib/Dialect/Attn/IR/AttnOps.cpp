//===- AttnOps.cpp - attn op verifiers and helpers -------------------------===//
//
// Every verifier checks ranks first, then each shape relation in operand
// order, so the first message names the first operand that disagrees.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "ShapeChecks.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>
#include <type_traits>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::detail;

//===----------------------------------------------------------------------===//
// custom<EnumKeyword>: an enum attribute as a bare keyword, `activation(gelu)`
//===----------------------------------------------------------------------===//

/// Parses the keyword of an attn enum attribute (`gelu`, `add`). The
/// attribute's own parser expects its dialect form `#attn<activation gelu>`
/// and its printer a leading space, which reads badly inside parentheses.
template <typename AttrT>
static ParseResult parseEnumKeyword(OpAsmParser &parser, AttrT &attr) {
  using EnumT = std::decay_t<decltype(std::declval<AttrT>().getValue())>;
  FailureOr<EnumT> value = FieldParser<EnumT>::parse(parser);
  if (failed(value))
    return failure();
  attr = AttrT::get(parser.getContext(), *value);
  return success();
}

template <typename AttrT>
static void printEnumKeyword(OpAsmPrinter &printer, Operation *, AttrT attr) {
  printer << stringifyEnum(attr.getValue());
}

#define GET_OP_CLASSES
#include "attn/Dialect/Attn/IR/AttnOps.cpp.inc"

namespace {
Type elementTypeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

/// The default softmax scale 1/sqrt(dk), or an explicit one.
double scaleOrDefault(FloatAttr scale, int64_t headDim) {
  if (scale)
    return scale.getValueAsDouble();
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}

/// A LayerNorm epsilon must be positive and finite.
LogicalResult checkEpsilon(Operation *op, const APFloat &epsilon) {
  double value = epsilon.convertToDouble();
  if (!(value > 0.0) || !std::isfinite(value))
    return op->emitOpError()
           << "'epsilon' must be positive and finite but is "
           << formatFloat(value);
  return success();
}

/// An explicit scale must be finite; a default one needs a static dk.
LogicalResult checkScale(Operation *op, FloatAttr scale, int64_t headDim) {
  if (scale && !std::isfinite(scale.getValueAsDouble()))
    return op->emitOpError() << "'scale' must be finite but is "
                             << formatFloat(scale.getValueAsDouble());
  if (!scale && ShapedType::isDynamic(headDim))
    return op->emitOpError()
           << "needs an explicit 'scale' when the head width dk is dynamic";
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// MhaOp
//===----------------------------------------------------------------------===//

int64_t MhaOp::getHeadDimQK() {
  int64_t width = mergeDim(shapeOf(getWq())[1], shapeOf(getWk())[1]);
  return ShapedType::isDynamic(width) ? kAny : width / getNumHeads();
}

int64_t MhaOp::getHeadDimV() {
  int64_t width = mergeDim(shapeOf(getWv())[1], shapeOf(getWo())[0]);
  return ShapedType::isDynamic(width) ? kAny : width / getNumHeads();
}

double MhaOp::getScaleValue() {
  return scaleOrDefault(getScaleAttr(), getHeadDimQK());
}

LogicalResult MhaOp::verify() {
  Operation *op = getOperation();
  int64_t heads = getNumHeads();
  if (failed(checkElementType(
          op,
          {getKeyValue(), getWq(), getWk(), getWv(), getWo(), getBq(), getBk(),
           getBv(), getBo(), getResult()},
          {"operand 'key_value'", "operand 'wq'", "operand 'wk'",
           "operand 'wv'", "operand 'wo'", "operand 'bq'", "operand 'bk'",
           "operand 'bv'", "operand 'bo'", "result"},
          elementTypeOf(getQuery()))))
    return failure();

  if (failed(checkShape(op, "operand 'query'", getQuery(), {kAny, kAny, kAny},
                        "[B, Tq, D]")))
    return failure();
  ArrayRef<int64_t> query = shapeOf(getQuery());
  if (failed(checkShape(op, "operand 'key_value'", getKeyValue(),
                        {query[0], kAny, query[2]}, "[B, Tk, D]")))
    return failure();
  ArrayRef<int64_t> kv = shapeOf(getKeyValue());
  int64_t batch = mergeDim(query[0], kv[0]);
  int64_t model = mergeDim(query[2], kv[2]);

  if (failed(checkShape(op, "operand 'wq'", getWq(), {model, kAny},
                        "[D, H*dk]")))
    return failure();
  int64_t qkWidth = shapeOf(getWq())[1];
  if (failed(checkShape(op, "operand 'wk'", getWk(), {model, qkWidth},
                        "[D, H*dk]")))
    return failure();
  qkWidth = mergeDim(qkWidth, shapeOf(getWk())[1]);
  if (failed(checkShape(op, "operand 'wv'", getWv(), {model, kAny},
                        "[D, H*dv]")))
    return failure();
  int64_t vWidth = shapeOf(getWv())[1];
  if (failed(checkShape(op, "operand 'wo'", getWo(), {vWidth, model},
                        "[H*dv, D]")))
    return failure();
  vWidth = mergeDim(vWidth, shapeOf(getWo())[0]);
  // Each width on its own, so that the message names the operand that is off
  // when the other one of the pair is dynamic.
  if (failed(checkHeadsDivide(op, "operand 'wq'", shapeOf(getWq())[1], heads,
                              "(H*dk)")) ||
      failed(checkHeadsDivide(op, "operand 'wk'", shapeOf(getWk())[1], heads,
                              "(H*dk)")) ||
      failed(checkHeadsDivide(op, "operand 'wv'", shapeOf(getWv())[1], heads,
                              "(H*dv)")) ||
      failed(checkHeadsDivide(op, "operand 'wo'", shapeOf(getWo())[0], heads,
                              "(H*dv)")))
    return failure();

  if (getBq() && failed(checkShape(op, "operand 'bq'", getBq(), {qkWidth},
                                   "[H*dk]")))
    return failure();
  if (getBk() && failed(checkShape(op, "operand 'bk'", getBk(), {qkWidth},
                                   "[H*dk]")))
    return failure();
  if (getBv() && failed(checkShape(op, "operand 'bv'", getBv(), {vWidth},
                                   "[H*dv]")))
    return failure();
  if (getBo() &&
      failed(checkShape(op, "operand 'bo'", getBo(), {model}, "[D]")))
    return failure();
  if (getMask() && failed(checkMask(op, getMask(), elementTypeOf(getQuery()),
                                    {batch, heads, query[1], kv[1]})))
    return failure();
  if (failed(checkShape(op, "result", getResult(), {batch, query[1], model},
                        "[B, Tq, D]")))
    return failure();
  return checkScale(op, getScaleAttr(), getHeadDimQK());
}

//===----------------------------------------------------------------------===//
// ProjectOp
//===----------------------------------------------------------------------===//

LogicalResult ProjectOp::verify() {
  Operation *op = getOperation();
  int64_t heads = getNumHeads();
  if (failed(checkElementType(op, {getWeight(), getBias(), getResult()},
                              {"operand 'weight'", "operand 'bias'", "result"},
                              elementTypeOf(getInput()))))
    return failure();
  if (failed(checkShape(op, "operand 'input'", getInput(), {kAny, kAny, kAny},
                        "[B, T, D]")))
    return failure();
  ArrayRef<int64_t> input = shapeOf(getInput());
  if (failed(checkShape(op, "operand 'weight'", getWeight(), {input[2], kAny},
                        "[D, H*d]")))
    return failure();
  int64_t width = shapeOf(getWeight())[1];
  if (failed(checkHeadsDivide(op, "operand 'weight'", width, heads, "(H*d)")))
    return failure();
  int64_t headDim = ShapedType::isDynamic(width) ? kAny : width / heads;
  if (failed(checkShape(op, "result", getResult(),
                        {input[0], heads, input[1], headDim}, "[B, H, T, d]")))
    return failure();
  width = mergeDim(width, mulDim(heads, shapeOf(getResult())[3]));
  if (getBias() &&
      failed(checkShape(op, "operand 'bias'", getBias(), {width}, "[H*d]")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// HeadEmbedOp
//===----------------------------------------------------------------------===//

LogicalResult HeadEmbedOp::verify() {
  Operation *op = getOperation();
  if (failed(checkElementType(op, {getEmbedding(), getResult()},
                              {"operand 'embedding'", "result"},
                              elementTypeOf(getInput()))))
    return failure();
  if (failed(checkShape(op, "operand 'input'", getInput(), {kAny, kAny, kAny},
                        "[B, T, d]")))
    return failure();
  ArrayRef<int64_t> input = shapeOf(getInput());
  if (failed(checkShape(op, "operand 'embedding'", getEmbedding(),
                        {kAny, input[2]}, "[H, d]")))
    return failure();
  ArrayRef<int64_t> embedding = shapeOf(getEmbedding());
  return checkShape(op, "result", getResult(),
                    {input[0], embedding[0], input[1],
                     mergeDim(input[2], embedding[1])},
                    "[B, H, T, d]");
}

//===----------------------------------------------------------------------===//
// ScoresOp, MgkScoresOp, ApplyOp, AttendOp
//===----------------------------------------------------------------------===//

double ScoresOp::getScaleValue() {
  return scaleOrDefault(getScaleAttr(),
                        mergeDim(shapeOf(getQuery())[3], shapeOf(getKey())[3]));
}

LogicalResult ScoresOp::verify() {
  Operation *op = getOperation();
  Type element = elementTypeOf(getQuery());
  if (failed(checkElementType(op, {getKey(), getResult()},
                              {"operand 'key'", "result"}, element)))
    return failure();
  if (failed(checkShape(op, "operand 'query'", getQuery(),
                        {kAny, kAny, kAny, kAny}, "[B, H, Tq, dk]")))
    return failure();
  ArrayRef<int64_t> q = shapeOf(getQuery());
  if (failed(checkShape(op, "operand 'key'", getKey(), {q[0], q[1], kAny, q[3]},
                        "[B, H, Tk, dk]")))
    return failure();
  ArrayRef<int64_t> k = shapeOf(getKey());
  SmallVector<int64_t> map = {mergeDim(q[0], k[0]), mergeDim(q[1], k[1]), q[2],
                              k[2]};
  if (getMask() && failed(checkMask(op, getMask(), element, map)))
    return failure();
  if (failed(checkShape(op, "result", getResult(), map, "[B, H, Tq, Tk]")))
    return failure();
  return checkScale(op, getScaleAttr(), mergeDim(q[3], k[3]));
}

LogicalResult MgkScoresOp::verify() {
  Operation *op = getOperation();
  Type element = elementTypeOf(getQuery());
  if (failed(checkElementType(
          op, {getKeys(), getMixtureWeights(), getResult()},
          {"operand 'keys'", "operand 'mixture_weights'", "result"}, element)))
    return failure();
  if (failed(checkShape(op, "operand 'query'", getQuery(),
                        {kAny, kAny, kAny, kAny}, "[B, H, Tq, dk]")))
    return failure();
  ArrayRef<int64_t> q = shapeOf(getQuery());
  if (failed(checkShape(op, "operand 'keys'", getKeys(),
                        {q[0], q[1], kAny, kAny, q[3]}, "[B, H, R, Tk, dk]")))
    return failure();
  ArrayRef<int64_t> k = shapeOf(getKeys());
  int64_t heads = mergeDim(q[1], k[1]);
  if (failed(checkShape(op, "operand 'mixture_weights'", getMixtureWeights(),
                        {heads, k[2]}, "[H, R]")))
    return failure();
  SmallVector<int64_t> map = {mergeDim(q[0], k[0]), heads, q[2], k[3]};
  if (getMask() && failed(checkMask(op, getMask(), element, map)))
    return failure();
  if (failed(checkShape(op, "result", getResult(), map, "[B, H, Tq, Tk]")))
    return failure();
  double sigmaSq = getSigmaSq().convertToDouble();
  if (!(sigmaSq > 0.0) || !std::isfinite(sigmaSq))
    return emitOpError() << "'sigma_sq' must be positive and finite but is "
                         << formatFloat(sigmaSq);
  return success();
}

LogicalResult ApplyOp::verify() {
  Operation *op = getOperation();
  if (failed(checkElementType(op, {getValues(), getResult()},
                              {"operand 'values'", "result"},
                              elementTypeOf(getMap()))))
    return failure();
  if (failed(checkShape(op, "operand 'map'", getMap(), {kAny, kAny, kAny, kAny},
                        "[B, H, Tq, Tk]")))
    return failure();
  ArrayRef<int64_t> map = shapeOf(getMap());
  if (failed(checkShape(op, "operand 'values'", getValues(),
                        {map[0], map[1], map[3], kAny}, "[B, H, Tk, dv]")))
    return failure();
  ArrayRef<int64_t> v = shapeOf(getValues());
  return checkShape(op, "result", getResult(),
                    {mergeDim(map[0], v[0]), mergeDim(map[1], v[1]), map[2],
                     v[3]},
                    "[B, H, Tq, dv]");
}

double AttendOp::getScaleValue() {
  return scaleOrDefault(getScaleAttr(),
                        mergeDim(shapeOf(getQuery())[3], shapeOf(getKey())[3]));
}

LogicalResult AttendOp::verify() {
  Operation *op = getOperation();
  Type element = elementTypeOf(getQuery());
  if (failed(checkElementType(op, {getKey(), getValue(), getResult()},
                              {"operand 'key'", "operand 'value'", "result"},
                              element)))
    return failure();
  if (failed(checkShape(op, "operand 'query'", getQuery(),
                        {kAny, kAny, kAny, kAny}, "[B, H, Tq, dk]")))
    return failure();
  ArrayRef<int64_t> q = shapeOf(getQuery());
  if (failed(checkShape(op, "operand 'key'", getKey(), {q[0], q[1], kAny, q[3]},
                        "[B, H, Tk, dk]")))
    return failure();
  ArrayRef<int64_t> k = shapeOf(getKey());
  int64_t batch = mergeDim(q[0], k[0]), heads = mergeDim(q[1], k[1]);
  if (failed(checkShape(op, "operand 'value'", getValue(),
                        {batch, heads, k[2], kAny}, "[B, H, Tk, dv]")))
    return failure();
  ArrayRef<int64_t> v = shapeOf(getValue());
  batch = mergeDim(batch, v[0]);
  heads = mergeDim(heads, v[1]);
  if (getMask() &&
      failed(checkMask(op, getMask(), element,
                       {batch, heads, q[2], mergeDim(k[2], v[2])})))
    return failure();
  if (failed(checkShape(op, "result", getResult(), {batch, heads, q[2], v[3]},
                        "[B, H, Tq, dv]")))
    return failure();
  return checkScale(op, getScaleAttr(), mergeDim(q[3], k[3]));
}

//===----------------------------------------------------------------------===//
// MergeOp
//===----------------------------------------------------------------------===//

LogicalResult MergeOp::verify() {
  Operation *op = getOperation();
  if (failed(checkElementType(op, {getWeight(), getBias(), getResult()},
                              {"operand 'weight'", "operand 'bias'", "result"},
                              elementTypeOf(getHeads()))))
    return failure();
  if (failed(checkShape(op, "operand 'heads'", getHeads(),
                        {kAny, kAny, kAny, kAny}, "[B, H, T, dv]")))
    return failure();
  ArrayRef<int64_t> heads = shapeOf(getHeads());
  if (failed(checkShape(op, "operand 'weight'", getWeight(),
                        {mulDim(heads[1], heads[3]), kAny}, "[H*dv, D]")))
    return failure();
  int64_t model = shapeOf(getWeight())[1];
  if (getBias() &&
      failed(checkShape(op, "operand 'bias'", getBias(), {model}, "[D]")))
    return failure();
  if (getBias())
    model = mergeDim(model, shapeOf(getBias())[0]);
  return checkShape(op, "result", getResult(), {heads[0], heads[2], model},
                    "[B, T, D]");
}

//===----------------------------------------------------------------------===//
// LayerNormOp, FfnOp
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::verify() {
  Operation *op = getOperation();
  if (failed(checkElementType(op, {getGamma(), getBeta(), getResult()},
                              {"operand 'gamma'", "operand 'beta'", "result"},
                              elementTypeOf(getInput()))))
    return failure();
  ArrayRef<int64_t> input = shapeOf(getInput());
  if (input.empty())
    return emitOpError() << "operand 'input' must have rank >= 1";
  if (failed(checkShape(op, "operand 'gamma'", getGamma(), {input.back()},
                        "[N]")))
    return failure();
  int64_t width = mergeDim(input.back(), shapeOf(getGamma())[0]);
  if (failed(checkShape(op, "operand 'beta'", getBeta(), {width}, "[N]")))
    return failure();
  SmallVector<int64_t> expected(input);
  expected.back() = mergeDim(width, shapeOf(getBeta())[0]);
  if (failed(checkShape(op, "result", getResult(), expected, "(as 'input')")))
    return failure();
  return checkEpsilon(op, getEpsilon());
}

LogicalResult FfnOp::verify() {
  Operation *op = getOperation();
  Type element = elementTypeOf(getInput());
  if (getWeights().empty())
    return emitOpError() << "needs at least one weight";
  if (!getBiases().empty() && getBiases().size() != getWeights().size())
    return emitOpError() << "has " << getWeights().size() << " weights but "
                         << getBiases().size()
                         << " biases; give one bias per weight or none";
  if (failed(checkShape(op, "operand 'input'", getInput(), {kAny, kAny, kAny},
                        "[B, T, D]")))
    return failure();
  ArrayRef<int64_t> input = shapeOf(getInput());
  int64_t width = input[2];
  for (auto [index, weight] : llvm::enumerate(getWeights())) {
    std::string name = "operand 'weights[" + std::to_string(index) + "]'";
    if (failed(checkElementType(op, {weight}, {name}, element)) ||
        failed(checkShape(op, name, weight, {width, kAny}, "[d_i, d_i+1]")))
      return failure();
    width = shapeOf(weight)[1];
    if (getBiases().empty())
      continue;
    Value bias = getBiases()[index];
    std::string biasName = "operand 'biases[" + std::to_string(index) + "]'";
    if (failed(checkElementType(op, {bias}, {biasName}, element)) ||
        failed(checkShape(op, biasName, bias, {width}, "[d_i+1]")))
      return failure();
  }
  if (failed(checkElementType(op, {getResult()}, {"result"}, element)))
    return failure();
  return checkShape(op, "result", getResult(), {input[0], input[1], width},
                    "[B, T, d_L]");
}

//===----------------------------------------------------------------------===//
// SeqMlpOp, HeadSeqMlpOp
//===----------------------------------------------------------------------===//

namespace {
/// Shared verifier of the whole-sequence and per-head feed-forward forms.
/// `perHead` adds a leading head dimension to every parameter and to the
/// result's layout.
template <typename OpTy>
LogicalResult verifySeqMlpLike(OpTy mlp, bool perHead) {
  Operation *op = mlp.getOperation();
  Type element = elementTypeOf(mlp.getInput());
  if (failed(checkElementType(
          op,
          {mlp.getNormInGamma(), mlp.getNormInBeta(), mlp.getW0(), mlp.getB0(),
           mlp.getNormHiddenGamma(), mlp.getNormHiddenBeta(), mlp.getW1(),
           mlp.getB1(), mlp.getResult()},
          {"operand 'norm_in_gamma'", "operand 'norm_in_beta'", "operand 'w0'",
           "operand 'b0'", "operand 'norm_hidden_gamma'",
           "operand 'norm_hidden_beta'", "operand 'w1'", "operand 'b1'",
           "result"},
          element)))
    return failure();
  if (static_cast<bool>(mlp.getNormInGamma()) !=
      static_cast<bool>(mlp.getNormInBeta()))
    return mlp.emitOpError() << "needs both 'norm_in_gamma' and "
                                "'norm_in_beta' of a LayerNorm, or neither";
  if (static_cast<bool>(mlp.getNormHiddenGamma()) !=
      static_cast<bool>(mlp.getNormHiddenBeta()))
    return mlp.emitOpError() << "needs both 'norm_hidden_gamma' and "
                                "'norm_hidden_beta' of a LayerNorm, or neither";
  if (failed(checkShape(op, "operand 'input'", mlp.getInput(),
                        {kAny, kAny, kAny}, "[B, T, D]")))
    return failure();
  ArrayRef<int64_t> input = shapeOf(mlp.getInput());
  int64_t maxLen = mlp.getMaxLen();
  if (!ShapedType::isDynamic(input[1]) && input[1] > maxLen)
    return mlp.emitOpError() << "sequence length " << input[1]
                             << " exceeds max_len " << maxLen;

  // Leading head dimension of every parameter in the per-head form.
  SmallVector<int64_t> lead;
  if (perHead)
    lead.push_back(shapeOf(mlp.getW0()).empty() ? kAny
                                                : shapeOf(mlp.getW0())[0]);
  auto expected = [&](std::initializer_list<int64_t> dims) {
    SmallVector<int64_t> shape(lead);
    shape.append(dims.begin(), dims.end());
    return shape;
  };
  StringRef hp = perHead ? "[H, " : "[";
  int64_t flat = mulDim(maxLen, input[2]);
  if (mlp.getNormInGamma() &&
      (failed(checkShape(op, "operand 'norm_in_gamma'", mlp.getNormInGamma(),
                         expected({flat}), (hp + "N*D]").str())) ||
       failed(checkShape(op, "operand 'norm_in_beta'", mlp.getNormInBeta(),
                         expected({flat}), (hp + "N*D]").str()))))
    return failure();
  if (failed(checkShape(op, "operand 'w0'", mlp.getW0(), expected({flat, kAny}),
                        (hp + "N*D, K]").str())))
    return failure();
  int64_t hidden = shapeOf(mlp.getW0()).back();
  if (mlp.getB0() && failed(checkShape(op, "operand 'b0'", mlp.getB0(),
                                       expected({hidden}), (hp + "K]").str())))
    return failure();
  if (mlp.getNormHiddenGamma() &&
      (failed(checkShape(op, "operand 'norm_hidden_gamma'",
                         mlp.getNormHiddenGamma(), expected({hidden}),
                         (hp + "K]").str())) ||
       failed(checkShape(op, "operand 'norm_hidden_beta'",
                         mlp.getNormHiddenBeta(), expected({hidden}),
                         (hp + "K]").str()))))
    return failure();
  if (failed(checkShape(op, "operand 'w1'", mlp.getW1(),
                        expected({hidden, kAny}), (hp + "K, N*E]").str())))
    return failure();
  if (perHead)
    lead[0] = mergeDim(lead[0], shapeOf(mlp.getW1())[0]);
  int64_t outFlat = shapeOf(mlp.getW1()).back();
  if (!ShapedType::isDynamic(outFlat) && outFlat % maxLen != 0)
    return mlp.emitOpError() << "operand 'w1' output width " << outFlat
                             << " is not a multiple of max_len " << maxLen;
  if (mlp.getB1() && failed(checkShape(op, "operand 'b1'", mlp.getB1(),
                                       expected({outFlat}),
                                       (hp + "N*E]").str())))
    return failure();
  int64_t out = ShapedType::isDynamic(outFlat) ? kAny : outFlat / maxLen;
  if (perHead) {
    if (failed(checkShape(op, "result", mlp.getResult(),
                          {input[0], lead[0], input[1], out}, "[B, H, T, E]")))
      return failure();
  } else if (failed(checkShape(op, "result", mlp.getResult(),
                               {input[0], input[1], out}, "[B, T, E]"))) {
    return failure();
  }
  return checkEpsilon(op, mlp.getEpsilon());
}
} // namespace

LogicalResult SeqMlpOp::verify() {
  return verifySeqMlpLike(*this, /*perHead=*/false);
}

LogicalResult HeadSeqMlpOp::verify() {
  if (failed(checkShape(getOperation(), "operand 'w0'", getW0(),
                        {kAny, kAny, kAny}, "[H, N*D, K]")))
    return failure();
  return verifySeqMlpLike(*this, /*perHead=*/true);
}
