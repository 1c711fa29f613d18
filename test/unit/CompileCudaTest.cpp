//===- CompileCudaTest.cpp - GPU model libraries
//---------------------------===//
//
// compileCudaModule (attn-compile --target=cuda): a GPU model library has
// the CPU models' C API and manifest, loads on a machine without a GPU, and
// there reports from attn_model_forward why it cannot run (no crash, no
// abort). Where a GPU answers, its output matches the CPU library's within
// f32 tolerance. Also: PTX output. Skipped without the CUDA toolkit.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/CompileCuda.h"
#include "attn/GPU/Toolkit.h"
#include "attn/Model/EncoderBuilder.h"
#include "attn/Registration.h"
#include "attn/Runtime/CompiledModel.h"
#include "attn/Runtime/CudaRuntime.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace mlir::attn;
namespace rt = ::attn::rt;

namespace {

class CompileCudaTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    registerAllPasses();
    registerAllAttnPasses();
  }

  CompileCudaTest() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerAttnDialects(registry);
    context.appendDialectRegistry(registry);
  }

  void SetUp() override {
    if (resolveCudaToolkit().empty())
      GTEST_SKIP() << "no CUDA toolkit (ptxas, libdevice) here";
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("attn-cuda", dir));
  }

  void TearDown() override {
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }

  /// A causal encoder layer, D = 128, 2 heads of 64, dynamic T.
  OwningOpRef<ModuleOp> model() {
    EncoderConfig config;
    config.layers = 1;
    config.dModel = 128;
    config.heads = 2;
    config.ffn = 256;
    config.causal = true;
    return buildEncoder(context, config);
  }

  std::string path(llvm::StringRef name) {
    SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  }

  /// Compiles a fresh model for `target` to `name`.
  std::unique_ptr<rt::CompiledModel> compile(llvm::StringRef name, bool cuda) {
    OwningOpRef<ModuleOp> module = model();
    EXPECT_TRUE(module);
    if (!module)
      return nullptr;
    // Before compiling: the compiler lowers the module in place.
    auto params = randomParameters(*module, /*seed=*/7);
    EXPECT_TRUE(bool(params));
    if (!params)
      return nullptr;
    CompileOptions options;
    std::string out = path(name);
    llvm::Error err =
        cuda ? compileCudaModule(*module, out, CudaEmitKind::SharedLibrary,
                                 options, CudaCompileOptions())
             : compileModule(*module, out, options);
    EXPECT_FALSE(err) << llvm::toString(std::move(err));
    auto loaded = rt::CompiledModel::load(out);
    if (!loaded) {
      ADD_FAILURE() << llvm::toString(loaded.takeError());
      return nullptr;
    }
    for (auto &[pname, tensor] : *params)
      EXPECT_FALSE((*loaded)->setParam(pname, tensor));
    return std::move(*loaded);
  }

  static rt::Tensor input() {
    rt::Tensor x = rt::Tensor::zeros(rt::DType::F32, {1, 70, 128});
    for (int64_t i = 0; i < 70 * 128; ++i)
      x.f32()[i] = std::sin(0.37 * static_cast<double>(i));
    return x;
  }

  MLIRContext context;
  SmallString<256> dir;
};

TEST_F(CompileCudaTest, LibraryLoadsAndReportsWhyItCannotRun) {
  std::unique_ptr<rt::CompiledModel> gpu = compile("gpu.so", /*cuda=*/true);
  ASSERT_TRUE(gpu);
  // The manifest written next to the library, and the copy embedded in it
  // (what attn_model_manifest() returns), name the GPU target.
  EXPECT_EQ(gpu->manifest().target.kind, "cuda");
  EXPECT_EQ(gpu->manifest().target.cpu, "sm_90");
  EXPECT_EQ(gpu->manifest().target.triple, "nvptx64-nvidia-cuda");
  EXPECT_TRUE(llvm::sys::fs::exists(path("gpu.h")));
  auto json = llvm::MemoryBuffer::getFile(path("gpu.json"));
  ASSERT_TRUE(bool(json));
  auto manifest = rt::Manifest::parse((*json)->getBuffer(), "gpu.json");
  ASSERT_TRUE(bool(manifest)) << llvm::toString(manifest.takeError());
  EXPECT_EQ(manifest->target.kind, "cuda");
  EXPECT_EQ(manifest->target.cpu, "sm_90");
  EXPECT_EQ(manifest->inputs.size(), 1u);

  char err[512];
  bool hasGpu = attn_cuda_init(err, sizeof(err)) == 0;
  llvm::Expected<rt::Tensor> y = gpu->forward(input());
  if (!hasGpu) {
    // The driver is opened at run time: the first CUDA call, the upload of
    // the parameters the library keeps on the device, fails with CUDA's
    // reason.
    ASSERT_FALSE(bool(y));
    std::string message = llvm::toString(y.takeError());
    EXPECT_NE(message.find("copying the parameters to the GPU"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("CUDA is not available"), std::string::npos)
        << message;
    // The failed upload leaves the model usable (no lock held, no device
    // copy taken for current): the next call fails the same way.
    llvm::Expected<rt::Tensor> again = gpu->forward(input());
    ASSERT_FALSE(bool(again));
    EXPECT_EQ(llvm::toString(again.takeError()), message);
    GTEST_SKIP() << "no GPU here (" << err << "): checked the error path";
  }
  ASSERT_TRUE(bool(y)) << llvm::toString(y.takeError());
  std::unique_ptr<rt::CompiledModel> cpu = compile("cpu.so", /*cuda=*/false);
  ASSERT_TRUE(cpu);
  auto expectSameOutputs = [&](const char *when) {
    llvm::Expected<rt::Tensor> got = gpu->forward(input());
    llvm::Expected<rt::Tensor> want = cpu->forward(input());
    ASSERT_TRUE(bool(got)) << llvm::toString(got.takeError());
    ASSERT_TRUE(bool(want)) << llvm::toString(want.takeError());
    ASSERT_EQ(got->shape, want->shape);
    for (size_t i = 0; i < 70 * 128; ++i)
      ASSERT_NEAR(got->f32()[i], want->f32()[i],
                  1e-5 + 1e-4 * std::fabs(want->f32()[i]))
          << when << ", at " << i;
  };
  expectSameOutputs("first call");
  // set_param invalidates the device copy of the parameters: the next call
  // sees the new value.
  const rt::ManifestParam &param = gpu->manifest().params.front();
  rt::Tensor changed = rt::Tensor::zeros(rt::DType::F32, param.shape);
  for (int64_t i = 0; i < param.numElements(); ++i)
    changed.f32()[i] = 0.01f * static_cast<float>(i % 7);
  ASSERT_FALSE(gpu->setParam(param.name, changed));
  ASSERT_FALSE(cpu->setParam(param.name, changed));
  expectSameOutputs("after set_param");
}

TEST_F(CompileCudaTest, WritesPtx) {
  OwningOpRef<ModuleOp> module = model();
  ASSERT_TRUE(module);
  CudaCompileOptions cuda;
  cuda.chip = "sm_80";
  std::string out = path("model.ptx");
  llvm::Error err = compileCudaModule(*module, out, CudaEmitKind::Ptx,
                                      CompileOptions(), cuda);
  ASSERT_FALSE(err) << llvm::toString(std::move(err));
  auto ptx = llvm::MemoryBuffer::getFile(out);
  ASSERT_TRUE(bool(ptx));
  llvm::StringRef text = (*ptx)->getBuffer();
  EXPECT_NE(text.find(".target sm_80"), llvm::StringRef::npos);
  EXPECT_NE(text.find(".entry attn_attend_kernel("), llvm::StringRef::npos);
  // The projections' contraction kernels, named after what their
  // epilogues absorbed (attn_contraction_broadcast_transpose_kernel, ...).
  EXPECT_NE(text.find(".entry attn_contraction_"), llvm::StringRef::npos);
  EXPECT_NE(text.find("shfl.sync.bfly"), llvm::StringRef::npos);
  EXPECT_EQ(text.find("mma.sync"), llvm::StringRef::npos);

  // mma=f16: the contractions on tensor cores.
  cuda.mma = "f16";
  std::string mmaOut = path("model-f16.ptx");
  err = compileCudaModule(*model(), mmaOut, CudaEmitKind::Ptx,
                          CompileOptions(), cuda);
  ASSERT_FALSE(err) << llvm::toString(std::move(err));
  auto mmaPtx = llvm::MemoryBuffer::getFile(mmaOut);
  ASSERT_TRUE(bool(mmaPtx));
  EXPECT_NE((*mmaPtx)->getBuffer().find(
                "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32"),
            llvm::StringRef::npos);
}

TEST(CompileCudaEmit, Names) {
  EXPECT_EQ(parseCudaEmitKind("ptx"), CudaEmitKind::Ptx);
  EXPECT_EQ(parseCudaEmitKind("mlir"), CudaEmitKind::LLVMDialect);
  EXPECT_EQ(parseCudaEmitKind("kernels"), CudaEmitKind::Kernels);
  EXPECT_EQ(parseCudaEmitKind("loops"), std::nullopt);
}

} // namespace
