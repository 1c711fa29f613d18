//===- EncoderBuilder.cpp - Transformer encoders as attn IR ---------------===//

#include "attn/Model/EncoderBuilder.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::attn;

//===----------------------------------------------------------------------===//
// EncoderConfig
//===----------------------------------------------------------------------===//

std::optional<MaskInputs> mlir::attn::symbolizeMaskInputs(StringRef name) {
  return llvm::StringSwitch<std::optional<MaskInputs>>(name)
      .Case("none", MaskInputs::None)
      .Case("additive", MaskInputs::Additive)
      .Case("key_padding", MaskInputs::KeyPadding)
      .Case("padding", MaskInputs::KeyPadding)
      .Case("both", MaskInputs::Both)
      .Default(std::nullopt);
}

StringRef mlir::attn::stringifyMaskInputs(MaskInputs mask) {
  switch (mask) {
  case MaskInputs::None:
    return "none";
  case MaskInputs::Additive:
    return "additive";
  case MaskInputs::KeyPadding:
    return "key_padding";
  case MaskInputs::Both:
    return "both";
  }
  llvm_unreachable("unknown MaskInputs");
}

llvm::Error EncoderConfig::validate() const {
  auto fail = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };
  auto positive = [&](StringRef name, int64_t value) -> llvm::Error {
    if (value > 0)
      return llvm::Error::success();
    return fail(llvm::formatv("{0} must be positive, got {1}", name, value));
  };
  if (llvm::Error err = positive("layers", layers))
    return err;
  if (layers > kMaxLayers)
    return fail(llvm::formatv("layers ({0}) exceeds the limit of {1}", layers,
                              kMaxLayers));
  if (llvm::Error err = positive("d-model", dModel))
    return err;
  if (llvm::Error err = positive("heads", heads))
    return err;
  if (llvm::Error err = positive("ffn", ffn))
    return err;
  if (llvm::Error err = positive("batch", batch))
    return err;
  if (seqLen < 0)
    return fail(llvm::formatv(
        "seq-len must be non-negative (0 = dynamic), got {0}", seqLen));
  if (dModel % heads != 0)
    return fail(
        llvm::formatv("heads ({0}) must divide d-model ({1})", heads, dModel));
  if (!std::isfinite(layerNormEpsilon) || layerNormEpsilon <= 0)
    return fail(
        llvm::formatv("epsilon must be a positive finite number, got {0:e}",
                      layerNormEpsilon));
  // Element counts of the largest weights must be representable.
  int64_t product;
  if (llvm::MulOverflow(dModel, dModel, product) ||
      llvm::MulOverflow(dModel, ffn, product))
    return fail(llvm::formatv("d-model ({0}) and ffn ({1}) are too large",
                              dModel, ffn));
  if (seqLen > 0 && (llvm::MulOverflow(batch, seqLen, product) ||
                     llvm::MulOverflow(product, dModel, product)))
    return fail(llvm::formatv(
        "batch ({0}) x seq-len ({1}) x d-model ({2}) is too large", batch,
        seqLen, dModel));
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// buildEncoder
//===----------------------------------------------------------------------===//

namespace {
/// The parameters of one layer, as loaded values. Biases are null without
/// bias.
struct LayerParams {
  Value wq, wk, wv, wo, bq, bk, bv, bo;
  Value ln1Gamma, ln1Beta;
  Value w0, b0, w1, b1;
  Value ln2Gamma, ln2Beta;
};

/// Emits the layers of an encoder into `forward`, declaring their parameter
/// globals before it.
class EncoderEmitter {
public:
  EncoderEmitter(const EncoderConfig &config, ForwardEntry entry)
      : config(config), globals(entry.forward), mask(entry.mask),
        body(ImplicitLocOpBuilder::atBlockEnd(
            entry.forward.getLoc(), &entry.forward.getBody().front())) {}

  /// Layer `index` applied to `x`; leaves the insertion point after it.
  Value emitLayer(int64_t index, Value x);

  ImplicitLocOpBuilder &builder() { return body; }

private:
  /// Declares the global `prefix + name` of `shape` and loads it.
  Value param(StringRef name, ArrayRef<int64_t> shape);
  LayerParams loadParams();
  Value attention(const LayerParams &p, Value x);
  Value feedForward(const LayerParams &p, Value x);
  Value layerNorm(Value x, Value gamma, Value beta);

  const EncoderConfig &config;
  /// Inserts before @forward, so globals come first in layer order.
  OpBuilder globals;
  /// The run-time mask every layer uses (null without one).
  Value mask;
  ImplicitLocOpBuilder body;
  std::string prefix;
};
} // namespace

Value EncoderEmitter::param(StringRef name, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, body.getF32Type());
  std::string symbol = prefix + name.str();
  MLIRContext *context = body.getContext();
  ml_program::GlobalOp::create(globals, body.getLoc(), symbol, type,
                               /*is_mutable=*/false,
                               ml_program::ExternAttr::get(context, type),
                               globals.getStringAttr("private"));
  return ml_program::GlobalLoadConstOp::create(
      body, type, FlatSymbolRefAttr::get(context, symbol));
}

LayerParams EncoderEmitter::loadParams() {
  int64_t d = config.dModel, f = config.ffn;
  bool bias = config.bias;
  LayerParams p;
  p.wq = param("attn.wq", {d, d});
  p.wk = param("attn.wk", {d, d});
  p.wv = param("attn.wv", {d, d});
  p.wo = param("attn.wo", {d, d});
  if (bias) {
    p.bq = param("attn.bq", {d});
    p.bk = param("attn.bk", {d});
    p.bv = param("attn.bv", {d});
    p.bo = param("attn.bo", {d});
  }
  p.ln1Gamma = param("ln1.gamma", {d});
  p.ln1Beta = param("ln1.beta", {d});
  p.w0 = param("ffn.w0", {d, f});
  if (bias)
    p.b0 = param("ffn.b0", {f});
  p.w1 = param("ffn.w1", {f, d});
  if (bias)
    p.b1 = param("ffn.b1", {d});
  p.ln2Gamma = param("ln2.gamma", {d});
  p.ln2Beta = param("ln2.beta", {d});
  return p;
}

Value EncoderEmitter::attention(const LayerParams &p, Value x) {
  return MhaOp::create(body, x.getType(), x, x, p.wq, p.wk, p.wv, p.wo, p.bq,
                       p.bk, p.bv, p.bo, mask, config.heads,
                       config.causal, /*scale=*/FloatAttr());
}

Value EncoderEmitter::feedForward(const LayerParams &p, Value x) {
  SmallVector<Value, 2> biases;
  if (config.bias)
    biases = {p.b0, p.b1};
  return FfnOp::create(body, x.getType(), x, ValueRange{p.w0, p.w1}, biases,
                       config.activation);
}

Value EncoderEmitter::layerNorm(Value x, Value gamma, Value beta) {
  return LayerNormOp::create(
      body, x.getType(), x, gamma, beta,
      body.getF32FloatAttr(static_cast<float>(config.layerNormEpsilon)));
}

Value EncoderEmitter::emitLayer(int64_t index, Value x) {
  prefix = llvm::formatv("layers.{0}.", index).str();
  // Diagnostics of any op of the layer then name it.
  body.setLoc(NameLoc::get(
      body.getStringAttr(llvm::formatv("layers.{0}", index).str())));
  LayerParams p = loadParams();
  if (config.preNorm) {
    Value h = arith::AddFOp::create(
        body, x, attention(p, layerNorm(x, p.ln1Gamma, p.ln1Beta)));
    return arith::AddFOp::create(
        body, h, feedForward(p, layerNorm(h, p.ln2Gamma, p.ln2Beta)));
  }
  Value h = layerNorm(arith::AddFOp::create(body, x, attention(p, x)),
                      p.ln1Gamma, p.ln1Beta);
  return layerNorm(arith::AddFOp::create(body, h, feedForward(p, h)),
                   p.ln2Gamma, p.ln2Beta);
}

namespace {
/// `{attn.name, attn.dims[, attn.mask]}` of an argument of @forward.
DictionaryAttr inputAttrs(Builder &b, StringRef name, ArrayRef<StringRef> dims,
                          StringRef mask = {}) {
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr(kInputNameAttr, b.getStringAttr(name)),
      b.getNamedAttr(kInputDimsAttr, b.getStrArrayAttr(dims)),
  };
  if (!mask.empty())
    attrs.push_back(b.getNamedAttr(kInputMaskAttr, b.getStringAttr(mask)));
  return b.getDictionaryAttr(attrs);
}

/// `[B, 1, Tq?, T]` from the key-padding mask `[B, T]` (plus the additive
/// mask `[T, T]` when there is one): a broadcast with linalg.generic, so
/// that every layer's attn.mha reads one mask of the rank the verifier
/// aligns as [B, H, Tq, Tk].
Value broadcastKeyPadding(OpBuilder &b, Location loc, Value padding,
                          Value additive) {
  MLIRContext *ctx = b.getContext();
  auto padType = cast<RankedTensorType>(padding.getType());
  int64_t batch = padType.getDimSize(0), seq = padType.getDimSize(1);
  int64_t rows = additive ? seq : 1;
  auto resultType =
      RankedTensorType::get({batch, 1, rows, seq}, padType.getElementType());
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(batch))
    dynamic.push_back(tensor::DimOp::create(b, loc, padding, 0));
  if (ShapedType::isDynamic(seq)) {
    Value length = tensor::DimOp::create(b, loc, padding, 1);
    dynamic.append(additive ? 2 : 1, length);
  }
  Value init = tensor::EmptyOp::create(b, loc, resultType, dynamic);
  // Iteration space (b, h = 0, i, j).
  AffineExpr d0 = getAffineDimExpr(0, ctx), d2 = getAffineDimExpr(2, ctx),
             d3 = getAffineDimExpr(3, ctx);
  SmallVector<Value> inputs = {padding};
  SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {d0, d3}, ctx)};
  if (additive) {
    inputs.push_back(additive);
    maps.push_back(AffineMap::get(4, 0, {d2, d3}, ctx));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(4, ctx));
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value v = args[0];
               if (additive)
                 v = arith::AddFOp::create(nb, nl, args[0], args[1]);
               linalg::YieldOp::create(nb, nl, v);
             })
      .getResult(0);
}
} // namespace

ForwardEntry mlir::attn::createForward(OpBuilder &builder, Location loc,
                                       const EncoderConfig &config) {
  int64_t seqLen = config.seqLen == 0 ? ShapedType::kDynamic : config.seqLen;
  Type f32 = builder.getF32Type();
  auto xType = RankedTensorType::get({config.batch, seqLen, config.dModel}, f32);
  bool additive = config.mask == MaskInputs::Additive ||
                  config.mask == MaskInputs::Both;
  bool padding = config.mask == MaskInputs::KeyPadding ||
                 config.mask == MaskInputs::Both;
  SmallVector<Type> argTypes = {xType};
  SmallVector<Attribute> argAttrs = {
      inputAttrs(builder, "x", {"B", "T", "D"})};
  if (additive) {
    argTypes.push_back(RankedTensorType::get({seqLen, seqLen}, f32));
    argAttrs.push_back(inputAttrs(builder, "mask", {"T", "T"}, "additive"));
  }
  if (padding) {
    argTypes.push_back(RankedTensorType::get({config.batch, seqLen}, f32));
    argAttrs.push_back(
        inputAttrs(builder, "key_padding_mask", {"B", "T"}, "key_padding"));
  }
  auto forward = func::FuncOp::create(
      builder, loc, "forward", builder.getFunctionType(argTypes, xType));
  // A model of x alone keeps a plain signature (its input is "x" anyway).
  if (config.mask != MaskInputs::None)
    forward.setAllArgAttrs(argAttrs);
  Block *block = forward.addEntryBlock();

  ForwardEntry entry{forward, block->getArgument(0), Value()};
  OpBuilder body = OpBuilder::atBlockBegin(block);
  Value additiveMask = additive ? block->getArgument(1) : Value();
  if (padding)
    entry.mask = broadcastKeyPadding(body, loc, block->getArguments().back(),
                                     additiveMask);
  else
    entry.mask = additiveMask;
  return entry;
}

OwningOpRef<ModuleOp> mlir::attn::buildEncoder(MLIRContext &context,
                                               const EncoderConfig &config) {
  Location loc = UnknownLoc::get(&context);
  if (llvm::Error err = config.validate()) {
    emitError(loc) << "invalid encoder config: "
                   << llvm::toString(std::move(err));
    return nullptr;
  }
  context.loadDialect<AttnDialect, arith::ArithDialect, func::FuncDialect,
                      linalg::LinalgDialect, ml_program::MLProgramDialect,
                      tensor::TensorDialect>();

  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder builder = OpBuilder::atBlockEnd(module->getBody());
  ForwardEntry entry = createForward(builder, loc, config);

  EncoderEmitter emitter(config, entry);
  Value x = entry.x;
  for (int64_t i = 0; i < config.layers; ++i)
    x = emitter.emitLayer(i, x);
  func::ReturnOp::create(emitter.builder(), loc, x);

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

//===----------------------------------------------------------------------===//
// randomParameters
//===----------------------------------------------------------------------===//

namespace {
/// splitmix64 (Steele, Lea and Flood): tiny, fast and defined bit for bit,
/// unlike the std distributions.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t state) : state(state) {}
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform on [-1, 1), exactly representable in f32.
  double symmetric() { return 2.0 * (next() >> 40) * 0x1.0p-24 - 1.0; }

private:
  uint64_t state;
};

/// FNV-1a over `name`, starting from a seed-dependent basis, so that every
/// (seed, parameter) pair gets its own stream.
uint64_t streamSeed(uint64_t seed, StringRef name) {
  uint64_t hash = SplitMix64(seed).next() ^ 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

/// `attn.init` (DESIGN.md section 2) marks where a rewritten parameter's
/// values come from; constant ones are honoured.
constexpr StringLiteral kInitAttrName = "attn.init";

/// Guards against a model whose random values could not be held in memory.
constexpr int64_t kMaxElements = int64_t(1) << 32;

/// Values are `offset + scale * s` with s uniform on [-1, 1).
struct Distribution {
  double offset;
  double scale;
};

/// The distribution of parameter `name` of `shape` (see the header).
Distribution distributionFor(StringRef name, ArrayRef<int64_t> shape,
                             const llvm::StringMap<int64_t> &fanIns) {
  StringRef leaf = name.rsplit('.').second;
  if (leaf.empty())
    leaf = name;
  if (leaf == "gamma")
    return {1.0, 0.1};
  if (leaf == "beta")
    return {0.0, 0.1};

  int64_t fanIn = shape.size() >= 2 ? shape[shape.size() - 2]
                                    : (shape.empty() ? 1 : shape[0]);
  // A bias takes the bound of its weight, as nn.Linear's does.
  if (shape.size() < 2 && leaf.starts_with("b")) {
    std::string weight =
        (name.drop_back(leaf.size()) + "w" + leaf.drop_front()).str();
    auto it = fanIns.find(weight);
    if (it != fanIns.end())
      fanIn = it->second;
  }
  return {0.0, 1.0 / std::sqrt(double(std::max<int64_t>(fanIn, 1)))};
}
} // namespace

llvm::Expected<std::vector<std::pair<std::string, ::attn::rt::Tensor>>>
mlir::attn::randomParameters(ModuleOp module, uint64_t seed) {
  auto fail = [](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
  };

  // Check every parameter before allocating anything.
  SmallVector<std::pair<ml_program::GlobalOp, RankedTensorType>> params;
  llvm::StringMap<int64_t> fanIns;
  int64_t total = 0;
  for (auto global : module.getOps<ml_program::GlobalOp>()) {
    if (!isa_and_nonnull<ml_program::ExternAttr>(global.getValueAttr()))
      continue;
    auto type = dyn_cast<RankedTensorType>(global.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return fail(llvm::formatv("parameter '{0}' has type {1}; only statically "
                                "shaped f32 tensors are supported",
                                global.getSymName(), global.getType()));
    int64_t count = 1;
    for (int64_t dim : type.getShape())
      if (llvm::MulOverflow(count, dim, count))
        return fail(
            llvm::formatv("parameter '{0}' is too large", global.getSymName()));
    if (llvm::AddOverflow(total, count, total) || total > kMaxElements)
      return fail(llvm::formatv("the parameters have more than {0} elements",
                                kMaxElements));
    if (type.getRank() >= 2)
      fanIns[global.getSymName()] = type.getDimSize(type.getRank() - 2);
    params.emplace_back(global, type);
  }

  std::vector<std::pair<std::string, ::attn::rt::Tensor>> result;
  result.reserve(params.size());
  for (auto [global, type] : params) {
    StringRef name = global.getSymName();
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    auto tensor = ::attn::rt::Tensor::zeros(::attn::rt::DType::F32, shape);
    float *data = tensor.f32();
    int64_t count = tensor.numElements();

    auto init = global->getAttrOfType<StringAttr>(kInitAttrName);
    if (init && init.getValue() == "ones") {
      std::fill(data, data + count, 1.0f);
    } else if (!init || init.getValue() != "zeros") {
      Distribution dist = distributionFor(name, type.getShape(), fanIns);
      SplitMix64 rng(streamSeed(seed, name));
      for (int64_t i = 0; i < count; ++i)
        data[i] =
            static_cast<float>(dist.offset + dist.scale * rng.symmetric());
    }
    result.emplace_back(name.str(), std::move(tensor));
  }
  return result;
}
