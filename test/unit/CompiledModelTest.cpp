//===- CompiledModelTest.cpp - loading and running model libraries --------===//
//
// attn::rt::CompiledModel on libraries with several inputs (attn-model
// --mask): the manifest's inputs with dim symbols and mask kinds, run() and
// runInto() with every input, forward() refusing a model that needs more
// than x, and errors for the wrong number of inputs, a dtype other than F32
// and dims that disagree across inputs (from the library, never a crash).
// Also the manifest's "dims" and "mask" fields (parse, print, validation).
//
//===----------------------------------------------------------------------===//

#include "attn/Model/EncoderBuilder.h"
#include "attn/Pipelines/Compile.h"
#include "attn/Registration.h"
#include "attn/Runtime/CompiledModel.h"
#include "attn/Runtime/Manifest.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::attn;
namespace rt = ::attn::rt;

namespace {

/// A library with masks, compiled once for the suite.
class CompiledModelTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    registerAllPasses();
    registerAllAttnPasses();
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("attn-compiled", dir));
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerAttnDialects(registry);
    MLIRContext context(registry);
    for (auto [name, mask] : {std::pair{"both.so", MaskInputs::Both},
                              std::pair{"plain.so", MaskInputs::None}}) {
      EncoderConfig config;
      config.layers = 1;
      config.dModel = 8;
      config.heads = 2;
      config.ffn = 16;
      config.batch = 2;
      config.mask = mask;
      OwningOpRef<ModuleOp> module = buildEncoder(context, config);
      ASSERT_TRUE(module);
      auto params = randomParameters(*module, 7);
      ASSERT_TRUE(bool(params)) << llvm::toString(params.takeError());
      if (mask == MaskInputs::Both)
        bothParams = std::move(*params);
      else
        plainParams = std::move(*params);
      CompileOptions options;
      llvm::Error err = compileModule(*module, path(name), options);
      ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
    }
  }

  static void TearDownTestSuite() {
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }

  static std::string path(llvm::StringRef name) {
    SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }

  static std::unique_ptr<rt::CompiledModel>
  load(llvm::StringRef name,
       const std::vector<std::pair<std::string, rt::Tensor>> &params) {
    auto model = rt::CompiledModel::load(path(name));
    EXPECT_TRUE(bool(model)) << llvm::toString(model.takeError());
    if (!model)
      return nullptr;
    for (const auto &[param, value] : params)
      EXPECT_FALSE(bool((*model)->setParam(param, value)));
    return std::move(*model);
  }

  static rt::Tensor filled(std::vector<int64_t> shape, float step) {
    rt::Tensor t = rt::Tensor::zeros(rt::DType::F32, std::move(shape));
    for (int64_t i = 0, e = t.numElements(); i < e; ++i)
      t.f32()[i] = std::sin(step * float(i));
    return t;
  }

  static inline SmallString<128> dir;
  static inline std::vector<std::pair<std::string, rt::Tensor>> bothParams,
      plainParams;
};

TEST_F(CompiledModelTest, ManifestListsEveryInput) {
  auto model = load("both.so", bothParams);
  ASSERT_TRUE(model);
  const rt::Manifest &m = model->manifest();
  ASSERT_EQ(m.inputs.size(), 3u);
  EXPECT_EQ(m.abiVersion, ATTN_MODEL_ABI_VERSION);
  EXPECT_EQ(m.inputs[0].name, "x");
  EXPECT_EQ(m.inputs[0].dims, (std::vector<std::string>{"B", "T", "D"}));
  EXPECT_EQ(m.inputs[0].mask, "");
  EXPECT_EQ(m.inputs[1].name, "mask");
  EXPECT_EQ(m.inputs[1].shape, (std::vector<int64_t>{-1, -1}));
  EXPECT_EQ(m.inputs[1].mask, "additive");
  EXPECT_EQ(m.inputs[2].name, "key_padding_mask");
  EXPECT_EQ(m.inputs[2].shape, (std::vector<int64_t>{2, -1}));
  EXPECT_EQ(m.inputs[2].mask, "key_padding");
  EXPECT_NE(m.lookupInput("mask"), nullptr);
  EXPECT_EQ(m.lookupInput("src_mask"), nullptr);
}

TEST_F(CompiledModelTest, ZeroMasksEqualTheUnmaskedModel) {
  auto both = load("both.so", bothParams);
  auto plain = load("plain.so", plainParams);
  ASSERT_TRUE(both && plain);
  rt::Tensor x = filled({2, 5, 8}, 0.37f);
  rt::Tensor mask = rt::Tensor::zeros(rt::DType::F32, {5, 5});
  rt::Tensor pad = rt::Tensor::zeros(rt::DType::F32, {2, 5});
  auto masked = both->run({&x, &mask, &pad});
  ASSERT_TRUE(bool(masked)) << llvm::toString(masked.takeError());
  auto expected = plain->forward(x);
  ASSERT_TRUE(bool(expected)) << llvm::toString(expected.takeError());
  ASSERT_EQ(masked->shape, expected->shape);
  for (int64_t i = 0; i < expected->numElements(); ++i)
    EXPECT_NEAR(masked->f32()[i], expected->f32()[i], 1e-5) << i;

  // A padded key changes the output; runInto reuses the output buffer.
  pad.f32()[4] = -std::numeric_limits<float>::infinity();
  rt::Tensor out = *masked;
  ASSERT_FALSE(bool(both->runInto({&x, &mask, &pad}, out)));
  bool changed = false;
  for (int64_t i = 0; i < 5 * 8; ++i)
    changed |= out.f32()[i] != masked->f32()[i];
  EXPECT_TRUE(changed);
  // Batch row 1 has no padding: unchanged.
  for (int64_t i = 5 * 8; i < 2 * 5 * 8; ++i)
    EXPECT_EQ(out.f32()[i], masked->f32()[i]) << i;
}

TEST_F(CompiledModelTest, BadInputsAreErrors) {
  auto model = load("both.so", bothParams);
  ASSERT_TRUE(model);
  rt::Tensor x = filled({2, 5, 8}, 0.1f);
  rt::Tensor mask = rt::Tensor::zeros(rt::DType::F32, {5, 5});
  rt::Tensor pad = rt::Tensor::zeros(rt::DType::F32, {2, 5});
  auto message = [](llvm::Error err) { return llvm::toString(std::move(err)); };

  auto few = model->run({&x, &mask});
  ASSERT_FALSE(bool(few));
  EXPECT_NE(message(few.takeError())
                .find("the model takes 3 input(s) (x, mask, "
                      "key_padding_mask), got 2"),
            std::string::npos);

  auto single = model->forward(x);
  ASSERT_FALSE(bool(single));
  EXPECT_NE(message(single.takeError()).find("takes 3 input(s)"),
            std::string::npos);

  rt::Tensor boolMask = rt::Tensor::zeros(rt::DType::Bool, {5, 5});
  auto dtype = model->run({&x, &boolMask, &pad});
  ASSERT_FALSE(bool(dtype));
  EXPECT_NE(message(dtype.takeError()).find("input 'mask' must be F32, got BOOL"),
            std::string::npos);

  rt::Tensor shortMask = rt::Tensor::zeros(rt::DType::F32, {4, 4});
  auto mismatch = model->run({&x, &shortMask, &pad});
  ASSERT_FALSE(bool(mismatch));
  EXPECT_NE(message(mismatch.takeError())
                .find("input 'mask' dim 0 (T) is 4, but input 'x' dim 1 (T) "
                      "is 5; they must be equal (ATTN_ERR_SHAPE_MISMATCH)"),
            std::string::npos);

  auto missing = model->run({&x, nullptr, &pad});
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(message(missing.takeError()).find("input 'mask' is null"),
            std::string::npos);
}

TEST(ManifestInputs, DimsAndMaskRoundTripAndAreValidated) {
  rt::Manifest m;
  m.inputs = {{"x", "f32", {1, -1, 4}, {"B", "T", "D"}, ""},
              {"mask", "f32", {-1, -1}, {"T", "T"}, "additive"}};
  m.outputs = {{"y", "f32", {1, -1, 4}, {}, ""}};
  std::string json;
  llvm::raw_string_ostream(json) << m.toJSON();
  auto parsed = rt::Manifest::parse(json, "test");
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->inputs[1].dims, m.inputs[1].dims);
  EXPECT_EQ(parsed->inputs[1].mask, "additive");
  EXPECT_TRUE(parsed->outputs[0].dims.empty());

  auto reject = [&](llvm::StringRef from, llvm::StringRef to,
                    llvm::StringRef expected) {
    std::string bad = json;
    size_t at = bad.find(from.str());
    ASSERT_NE(at, std::string::npos) << from.str();
    bad.replace(at, from.size(), to.str());
    auto result = rt::Manifest::parse(bad, "test");
    ASSERT_FALSE(bool(result)) << bad;
    EXPECT_NE(llvm::toString(result.takeError()).find(expected.str()),
              std::string::npos);
  };
  reject("\"additive\"", "\"causal\"",
         "inputs[1].mask: 'causal', expected additive or key_padding");
  reject("[\"T\",\"T\"]", "[\"T\"]",
         "inputs[1].dims: not an array of one string per dim");
  reject("\"name\":\"mask\"", "\"name\":\"x\"",
         "inputs[1]: duplicate name 'x'");
}

} // namespace
