//===- EncoderBuilderTest.cpp - encoder builder and random parameters -----===//
//
// What the lit tests of attn-model cannot see: the builder's C++ API, config
// validation, and that random parameters cover a model and survive a trip
// through a safetensors file by name, shape and dtype.
//
//===----------------------------------------------------------------------===//

#include "attn/Model/EncoderBuilder.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Registration.h"
#include "attn/Runtime/SafeTensors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace mlir;
using namespace mlir::attn;
namespace rt = ::attn::rt;

namespace {

using Params = std::vector<std::pair<std::string, rt::Tensor>>;

/// Suite names start with AttnModel so that `ctest -R AttnModel` runs them.
class AttnModelTest : public ::testing::Test {
protected:
  AttnModelTest() {
    DialectRegistry registry;
    registerAttnDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// A small model: two layers, D = 8, 2 heads, ffn 16.
  static EncoderConfig small() {
    EncoderConfig config;
    config.layers = 2;
    config.dModel = 8;
    config.heads = 2;
    config.ffn = 16;
    return config;
  }

  OwningOpRef<ModuleOp> build(const EncoderConfig &config) {
    OwningOpRef<ModuleOp> module = buildEncoder(context, config);
    EXPECT_TRUE(module) << "buildEncoder failed";
    return module;
  }

  Params random(ModuleOp module, uint64_t seed) {
    auto params = randomParameters(module, seed);
    if (!params) {
      ADD_FAILURE() << llvm::toString(params.takeError());
      return {};
    }
    return std::move(*params);
  }

  /// Name -> shape of every parameter global, in module order.
  static std::vector<std::pair<std::string, std::vector<int64_t>>>
  globals(ModuleOp module) {
    std::vector<std::pair<std::string, std::vector<int64_t>>> result;
    for (auto global : module.getOps<ml_program::GlobalOp>()) {
      auto type = cast<RankedTensorType>(global.getType());
      result.emplace_back(
          global.getSymName().str(),
          std::vector<int64_t>(type.getShape().begin(), type.getShape().end()));
    }
    return result;
  }

  static func::FuncOp forward(ModuleOp module) {
    return module.lookupSymbol<func::FuncOp>("forward");
  }

  MLIRContext context;
};

template <typename OpTy>
size_t countOps(Operation *root) {
  size_t count = 0;
  root->walk([&](OpTy) { ++count; });
  return count;
}

TEST_F(AttnModelTest, DefaultConfigBuildsAVerifiedSixteenLayerModel) {
  OwningOpRef<ModuleOp> module = build(EncoderConfig());
  ASSERT_TRUE(module);
  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_TRUE((*module)->getAttrs().empty()) << "the module has attributes";
  EXPECT_EQ(countOps<MhaOp>(*module), 16u);
  EXPECT_EQ(countOps<FfnOp>(*module), 16u);
  EXPECT_EQ(countOps<LayerNormOp>(*module), 32u);
  EXPECT_EQ(countOps<arith::AddFOp>(*module), 32u);
  EXPECT_EQ(countOps<ml_program::GlobalOp>(*module), 16u * 16u);
  EXPECT_EQ(countOps<ml_program::GlobalLoadConstOp>(*module), 16u * 16u);

  func::FuncOp func = forward(*module);
  ASSERT_TRUE(func);
  Type x = RankedTensorType::get({1, ShapedType::kDynamic, 256},
                                 Float32Type::get(&context));
  FunctionType type = func.getFunctionType();
  ASSERT_EQ(type.getNumInputs(), 1u);
  ASSERT_EQ(type.getNumResults(), 1u);
  EXPECT_EQ(type.getInput(0), x);
  EXPECT_EQ(type.getResult(0), x);
  module->walk([](MhaOp op) {
    EXPECT_EQ(op.getNumHeads(), 4u);
    EXPECT_FALSE(op.getCausal());
  });
  module->walk(
      [](FfnOp op) { EXPECT_EQ(op.getActivation(), Activation::silu); });
}

TEST_F(AttnModelTest, GlobalsHaveTheContractNamesAndShapes) {
  OwningOpRef<ModuleOp> module = build(small());
  ASSERT_TRUE(module);
  std::vector<std::pair<std::string, std::vector<int64_t>>> expected;
  for (int layer = 0; layer < 2; ++layer) {
    auto add = [&](StringRef name, std::vector<int64_t> shape) {
      expected.emplace_back(llvm::formatv("layers.{0}.{1}", layer, name).str(),
                            shape);
    };
    for (StringRef w : {"wq", "wk", "wv", "wo"})
      add(("attn." + w).str(), {8, 8});
    for (StringRef b : {"bq", "bk", "bv", "bo"})
      add(("attn." + b).str(), {8});
    add("ln1.gamma", {8});
    add("ln1.beta", {8});
    add("ffn.w0", {8, 16});
    add("ffn.b0", {16});
    add("ffn.w1", {16, 8});
    add("ffn.b1", {8});
    add("ln2.gamma", {8});
    add("ln2.beta", {8});
  }
  EXPECT_EQ(globals(*module), expected);

  for (auto global : module->getOps<ml_program::GlobalOp>()) {
    EXPECT_TRUE(global.isPrivate()) << global.getSymName().str();
    EXPECT_FALSE(global.getIsMutable()) << global.getSymName().str();
    EXPECT_TRUE(isa_and_nonnull<ml_program::ExternAttr>(global.getValueAttr()))
        << global.getSymName().str();
  }
}

TEST_F(AttnModelTest, PostNormLayerMatchesPyTorch) {
  OwningOpRef<ModuleOp> module = build(small());
  ASSERT_TRUE(module);
  func::FuncOp func = forward(*module);
  Value x = func.getArgument(0);
  MhaOp mha = *func.getBody().getOps<MhaOp>().begin();
  // Layer 0: mha(x, x) -> addf(x, .) -> layer_norm(ln1) -> ffn -> addf -> ln2.
  EXPECT_EQ(mha.getQuery(), x);
  EXPECT_EQ(mha.getKeyValue(), x);
  EXPECT_TRUE(mha.getBq() && mha.getBk() && mha.getBv() && mha.getBo());
  auto residual = cast<arith::AddFOp>(*mha->getUsers().begin());
  EXPECT_EQ(residual.getLhs(), x);
  auto norm1 = cast<LayerNormOp>(*residual->getUsers().begin());
  auto gamma = norm1.getGamma().getDefiningOp<ml_program::GlobalLoadConstOp>();
  ASSERT_TRUE(gamma);
  EXPECT_EQ(gamma.getGlobal().getLeafReference().str(), "layers.0.ln1.gamma");
  auto ffn = cast<FfnOp>(*llvm::find_if(
      norm1->getUsers(), [](Operation *op) { return isa<FfnOp>(op); }));
  EXPECT_EQ(ffn.getWeights().size(), 2u);
  EXPECT_EQ(ffn.getBiases().size(), 2u);
}

TEST_F(AttnModelTest, PreNormNormalisesBeforeEachSublayer) {
  EncoderConfig config = small();
  config.preNorm = true;
  config.layers = 1;
  OwningOpRef<ModuleOp> module = build(config);
  ASSERT_TRUE(module);
  func::FuncOp func = forward(*module);
  Value x = func.getArgument(0);
  MhaOp mha = *func.getBody().getOps<MhaOp>().begin();
  auto norm1 = mha.getQuery().getDefiningOp<LayerNormOp>();
  ASSERT_TRUE(norm1);
  EXPECT_EQ(norm1.getInput(), x);
  auto residual = cast<arith::AddFOp>(*mha->getUsers().begin());
  EXPECT_EQ(residual.getLhs(), x);
  // No final norm: the function returns the second residual.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  EXPECT_TRUE(ret.getOperand(0).getDefiningOp<arith::AddFOp>());
  EXPECT_EQ(countOps<LayerNormOp>(*module), 2u);
}

TEST_F(AttnModelTest, VariantsReachTheOps) {
  EncoderConfig config = small();
  config.causal = true;
  config.bias = false;
  config.batch = 2;
  config.seqLen = 7;
  config.activation = Activation::gelu;
  config.layerNormEpsilon = 1e-6;
  OwningOpRef<ModuleOp> module = build(config);
  ASSERT_TRUE(module);
  EXPECT_EQ(countOps<ml_program::GlobalOp>(*module), 2u * 10u);
  for (const auto &global : globals(*module)) {
    StringRef leaf = StringRef(global.first).rsplit('.').second;
    EXPECT_FALSE(leaf.starts_with("b") && leaf != "beta") << global.first;
  }
  auto x = RankedTensorType::get({2, 7, 8}, Float32Type::get(&context));
  EXPECT_EQ(forward(*module).getFunctionType().getInput(0), x);
  module->walk([](MhaOp op) {
    EXPECT_TRUE(op.getCausal());
    EXPECT_FALSE(op.getBq() || op.getBk() || op.getBv() || op.getBo());
  });
  module->walk([](FfnOp op) {
    EXPECT_EQ(op.getActivation(), Activation::gelu);
    EXPECT_TRUE(op.getBiases().empty());
  });
  module->walk([](LayerNormOp op) {
    EXPECT_FLOAT_EQ(op.getEpsilon().convertToFloat(), 1e-6f);
  });
}

TEST_F(AttnModelTest, MaskInputsReachEveryLayer) {
  // The names round-trip; "padding" is accepted for key_padding.
  for (MaskInputs kind : {MaskInputs::None, MaskInputs::Additive,
                          MaskInputs::KeyPadding, MaskInputs::Both})
    EXPECT_EQ(symbolizeMaskInputs(stringifyMaskInputs(kind)), kind);
  EXPECT_EQ(symbolizeMaskInputs("padding"), MaskInputs::KeyPadding);
  EXPECT_FALSE(symbolizeMaskInputs("causal"));

  struct Case {
    MaskInputs kind;
    std::vector<std::string> names;
    std::vector<int64_t> maskShape; ///< What attn.mha reads; empty = none.
  };
  int64_t dyn = ShapedType::kDynamic;
  for (const Case &c :
       {Case{MaskInputs::None, {}, {}},
        Case{MaskInputs::Additive, {"x", "mask"}, {dyn, dyn}},
        Case{MaskInputs::KeyPadding, {"x", "key_padding_mask"}, {3, 1, 1, dyn}},
        Case{MaskInputs::Both, {"x", "mask", "key_padding_mask"},
             {3, 1, dyn, dyn}}}) {
    EncoderConfig config = small();
    config.batch = 3;
    config.mask = c.kind;
    OwningOpRef<ModuleOp> module = build(config);
    ASSERT_TRUE(module);
    func::FuncOp fn = forward(*module);
    ASSERT_EQ(fn.getNumArguments(), std::max<size_t>(c.names.size(), 1));
    for (auto [i, name] : llvm::enumerate(c.names)) {
      auto attr = fn.getArgAttrOfType<StringAttr>(i, kInputNameAttr);
      ASSERT_TRUE(attr);
      EXPECT_EQ(attr.getValue(), name);
      EXPECT_TRUE(fn.getArgAttr(i, kInputDimsAttr));
      EXPECT_EQ(bool(fn.getArgAttr(i, kInputMaskAttr)), i > 0);
    }
    if (c.names.empty())
      EXPECT_FALSE(fn.getArgAttrDict(0));
    Value shared;
    size_t layers = 0;
    module->walk([&](MhaOp op) {
      ++layers;
      if (c.maskShape.empty()) {
        EXPECT_FALSE(op.getMask());
        return;
      }
      ASSERT_TRUE(op.getMask());
      EXPECT_EQ(cast<RankedTensorType>(op.getMask().getType()).getShape(),
                ArrayRef<int64_t>(c.maskShape));
      // One mask value for every layer.
      if (!shared)
        shared = op.getMask();
      EXPECT_EQ(op.getMask(), shared);
    });
    EXPECT_EQ(layers, 2u);
  }
}

TEST_F(AttnModelTest, EveryLayerOpIsLocatedAtItsLayer) {
  OwningOpRef<ModuleOp> module = build(small());
  ASSERT_TRUE(module);
  auto layerOf = [](Operation *op) -> std::string {
    auto loc = dyn_cast<NameLoc>(op->getLoc());
    return loc ? loc.getName().str() : "";
  };
  for (auto global : module->getOps<ml_program::GlobalOp>())
    EXPECT_EQ(layerOf(global),
              global.getSymName().rsplit('.').first.rsplit('.').first.str());
  std::vector<std::string> mhaLayers;
  forward(*module).walk([&](Operation *op) {
    if (isa<func::ReturnOp>(op) || isa<func::FuncOp>(op))
      return;
    EXPECT_FALSE(layerOf(op).empty()) << op->getName().getStringRef().str();
    if (isa<MhaOp>(op))
      mhaLayers.push_back(layerOf(op));
  });
  EXPECT_EQ(mhaLayers, (std::vector<std::string>{"layers.0", "layers.1"}));
}

TEST_F(AttnModelTest, ValidateNamesTheBadField) {
  auto expectInvalid = [](EncoderConfig config, StringRef message) {
    llvm::Error err = config.validate();
    ASSERT_TRUE(static_cast<bool>(err)) << "accepted: " << message.str();
    std::string text = llvm::toString(std::move(err));
    EXPECT_NE(text.find(message.str()), std::string::npos) << text;
  };
  EncoderConfig config;
  EXPECT_FALSE(static_cast<bool>(config.validate()));

  config = {};
  config.heads = 3;
  expectInvalid(config, "heads (3) must divide d-model (256)");
  config = {};
  config.layers = 0;
  expectInvalid(config, "layers must be positive, got 0");
  config = {};
  config.dModel = -8;
  expectInvalid(config, "d-model must be positive, got -8");
  config = {};
  config.heads = 0;
  expectInvalid(config, "heads must be positive");
  config = {};
  config.ffn = 0;
  expectInvalid(config, "ffn must be positive");
  config = {};
  config.batch = -1;
  expectInvalid(config, "batch must be positive");
  config = {};
  config.seqLen = -1;
  expectInvalid(config, "seq-len must be non-negative");
  config = {};
  config.layerNormEpsilon = 0;
  expectInvalid(config, "epsilon must be a positive finite number");
  config = {};
  config.layerNormEpsilon = std::nan("");
  expectInvalid(config, "epsilon must be a positive finite number");
  config = {};
  config.dModel = int64_t(1) << 40;
  config.heads = 1;
  expectInvalid(config, "too large");
}

TEST_F(AttnModelTest, InvalidConfigGivesNullAndADiagnostic) {
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  EncoderConfig config;
  config.heads = 5;
  EXPECT_FALSE(buildEncoder(context, config));
  EXPECT_NE(message.find("heads (5) must divide d-model (256)"),
            std::string::npos)
      << message;
}

TEST_F(AttnModelTest, RandomParametersCoverEveryGlobal) {
  OwningOpRef<ModuleOp> module = build(small());
  ASSERT_TRUE(module);
  Params params = random(*module, 0);
  auto expected = globals(*module);
  ASSERT_EQ(params.size(), expected.size());
  for (auto [param, global] : llvm::zip_equal(params, expected)) {
    EXPECT_EQ(param.first, global.first);
    EXPECT_EQ(param.second.shape, global.second) << param.first;
    EXPECT_EQ(param.second.dtype, rt::DType::F32) << param.first;
    EXPECT_EQ(param.second.data.size(),
              size_t(param.second.numElements()) * sizeof(float));
  }
}

TEST_F(AttnModelTest, RandomParametersAreDeterministic) {
  OwningOpRef<ModuleOp> module = build(small());
  ASSERT_TRUE(module);
  Params a = random(*module, 7), b = random(*module, 7), c = random(*module, 8);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].second.data, b[i].second.data) << a[i].first;
    EXPECT_NE(a[i].second.data, c[i].second.data) << a[i].first;
  }
  // Each tensor has its own stream: same-shaped tensors differ.
  EXPECT_NE(a[0].second.data, a[1].second.data);

  // Values pinned from an independent (Python) splitmix64 implementation, so
  // that the stream cannot change unnoticed between versions or platforms.
  Params seed0 = random(*module, 0);
  ASSERT_EQ(seed0[0].first, "layers.0.attn.wq");
  const float *wq = seed0[0].second.f32();
  EXPECT_EQ(wq[0], 0x1.06a3a2p-2f);
  EXPECT_EQ(wq[1], 0x1.4cb198p-4f);
  EXPECT_EQ(wq[2], 0x1.69cf08p-4f);
  ASSERT_EQ(seed0[8].first, "layers.0.ln1.gamma");
  EXPECT_EQ(seed0[8].second.f32()[0], 0x1.174d7p+0f);
}

TEST_F(AttnModelTest, RandomParametersFollowTheDocumentedBounds) {
  EncoderConfig config = small();
  config.dModel = 64;
  config.heads = 4;
  config.ffn = 256;
  OwningOpRef<ModuleOp> module = build(config);
  ASSERT_TRUE(module);
  for (auto &[name, tensor] : random(*module, 3)) {
    StringRef leaf = StringRef(name).rsplit('.').second;
    double low, high;
    if (leaf == "gamma") {
      low = 0.9, high = 1.1;
    } else if (leaf == "beta") {
      low = -0.1, high = 0.1;
    } else {
      // wq..wo, w0, bq..bo, b0 read D inputs; w1 and b1 read ffn inputs.
      bool fromFfn = leaf == "w1" || leaf == "b1";
      high = 1.0 / std::sqrt(fromFfn ? 256.0 : 64.0);
      low = -high;
    }
    const float *data = tensor.f32();
    auto [min, max] = std::minmax_element(data, data + tensor.numElements());
    EXPECT_GE(*min, low) << name;
    EXPECT_LT(*max, high) << name;
    // The values use most of the range (they are not, say, all zero).
    EXPECT_LT(*min, low + 0.2 * (high - low)) << name;
    EXPECT_GT(*max, high - 0.2 * (high - low)) << name;
  }
}

TEST_F(AttnModelTest, RandomParametersHonourInitAndRejectOtherTypes) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
    ml_program.global private @a.zeros(#ml_program.extern : tensor<4xf32>)
        : tensor<4xf32> {attn.init = "zeros"}
    ml_program.global private @a.ones(#ml_program.extern : tensor<2x2xf32>)
        : tensor<2x2xf32> {attn.init = "ones"}
    ml_program.global private @a.w(#ml_program.extern : tensor<3x2xf32>)
        : tensor<3x2xf32> {attn.init = "train"}
    ml_program.global private @not_a_param(dense<1.0> : tensor<2xf32>)
        : tensor<2xf32>
  )mlir",
                                                             &context);
  ASSERT_TRUE(module);
  Params params = random(*module, 0);
  ASSERT_EQ(params.size(), 3u) << "only extern globals are parameters";
  EXPECT_EQ(params[0].first, "a.zeros");
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(params[0].second.f32()[i], 0.0f);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(params[1].second.f32()[i], 1.0f);
  EXPECT_NE(params[2].second.f32()[0], 0.0f);

  OwningOpRef<ModuleOp> bad = parseSourceString<ModuleOp>(R"mlir(
    ml_program.global private @h(#ml_program.extern : tensor<4xf16>)
        : tensor<4xf16>
  )mlir",
                                                          &context);
  ASSERT_TRUE(bad);
  auto result = randomParameters(*bad, 0);
  ASSERT_FALSE(static_cast<bool>(result));
  std::string text = llvm::toString(result.takeError());
  EXPECT_NE(text.find("parameter 'h' has type tensor<4xf16>"),
            std::string::npos)
      << text;
}

TEST_F(AttnModelTest, ParametersMatchTheSafeTensorsFile) {
  OwningOpRef<ModuleOp> module = build(small());
  ASSERT_TRUE(module);
  Params params = random(*module, 11);
  std::vector<rt::NamedTensor> named;
  for (const auto &[name, tensor] : params)
    named.push_back({name, &tensor});

  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("attn-model", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "params.safetensors");
  llvm::Error written = rt::writeSafeTensors(path, named);
  ASSERT_FALSE(static_cast<bool>(written))
      << llvm::toString(std::move(written));
  auto file = rt::SafeTensorsFile::open(path);
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());

  // The module's parameters match the file by name, shape and dtype.
  auto expected = globals(*module);
  ASSERT_EQ(file->tensors().size(), expected.size());
  for (auto [info, global] : llvm::zip_equal(file->tensors(), expected)) {
    EXPECT_EQ(info.name, global.first);
    EXPECT_EQ(info.shape, global.second) << info.name;
    EXPECT_EQ(info.dtype, rt::DType::F32) << info.name;
  }
  for (const auto &[name, tensor] : params) {
    auto loaded = file->load(name);
    ASSERT_TRUE(static_cast<bool>(loaded))
        << llvm::toString(loaded.takeError());
    EXPECT_EQ(loaded->data, tensor.data) << name;
  }
  llvm::sys::fs::remove_directories(dir);
}

} // namespace
