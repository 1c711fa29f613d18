//===- CostModelTest.cpp - the attn cost model against hand counts --------===//
//
// Each formula of CostModel.h checked on small IR against values computed by
// hand (written as the formula with the sizes substituted), the layer
// classification (mha, reuse, tied, mhe, mgk, seq_mlp, head_seq_mlp), shape
// resolution (dynamic B and T, seq-len defaults), failures, and the table
// and JSON writers.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Analysis/CostModel.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Registration.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Suite names start with AttnAnalysis so that `ctest -R AttnAnalysis` runs
/// them. The fixture owns the context; diagnostics are collected, not
/// printed.
class AttnAnalysisCostModel : public ::testing::Test {
protected:
  AttnAnalysisCostModel()
      : handler(&context, [this](Diagnostic &diag) {
          diagnostics.push_back(diag.str());
          return success();
        }) {
    DialectRegistry registry;
    registerAttnDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  OwningOpRef<ModuleOp> parse(StringRef text) {
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
    EXPECT_TRUE(module) << "cannot parse:\n"
                        << text.str() << "\n"
                        << llvm::join(diagnostics, "\n");
    return module;
  }

  /// The cost of `text` at `seqLen`; fails the test if it cannot be computed.
  ModelCost cost(StringRef text, int64_t seqLen = 0) {
    OwningOpRef<ModuleOp> module = parse(text);
    if (!module)
      return {};
    return costOf(*module, seqLen);
  }

  ModelCost costOf(ModuleOp module, int64_t seqLen = 0) {
    FailureOr<ModelCost> result = computeModelCost(module, seqLen);
    EXPECT_TRUE(succeeded(result)) << llvm::join(diagnostics, "\n");
    return succeeded(result) ? *result : ModelCost();
  }

  MLIRContext context;
  ScopedDiagnosticHandler handler;
  std::vector<std::string> diagnostics;
};

// The tiny encoder layer of test/Transforms/attn-report.mlir: post-norm,
// D = 8, H = 2, dk = dv = 4, ffn = 16, B = 1, T = 4, every bias.
constexpr int64_t B = 1, T = 4, D = 8, H = 2, d = 4, F = 16, kF32 = 4;

constexpr const char *kEncoderLayer = R"mlir(
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.0.ffn.b0(#ml_program.extern : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @layers.0.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.0.ffn.b1(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %b1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %fb0 = ml_program.global_load_const @layers.0.ffn.b0 : tensor<16xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %fb1 = ml_program.global_load_const @layers.0.ffn.b1 : tensor<8xf32>
    %g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %b2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %r = arith.addf %x, %a : tensor<1x4x8xf32>
    %n = attn.layer_norm %r, %g1, %b1 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %f = attn.ffn %n weights(%w0, %w1) biases(%fb0, %fb1) activation(silu) : (tensor<1x4x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %r2 = arith.addf %n, %f : tensor<1x4x8xf32>
    %y = attn.layer_norm %r2, %g2, %b2 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }
}
)mlir";

// Per-op counts of that layer, as the header's formulas.
constexpr int64_t kProjectFlops = 2 * B * T * D * (H * d); // 512
constexpr int64_t kScoresFlops =
    2 * B * H * T * T * d + 5 * B * H * T * T;         // 416
constexpr int64_t kApplyFlops = 2 * B * H * T * T * d; // 256
constexpr int64_t kMergeFlops = 2 * B * T * H * d * D; // 512
constexpr int64_t kAttentionFlops =
    3 * kProjectFlops + kScoresFlops + kApplyFlops + kMergeFlops; // 2720
// Elements read and written: x + w + b + heads; q + k + map; map + v + out;
// heads + wo + bo + out.
constexpr int64_t kProjectBytes =
    (B * T * D + D * H * d + H * d + B * H * T * d) * kF32;
constexpr int64_t kScoresBytes = (2 * B * H * T * d + B * H * T * T) * kF32;
constexpr int64_t kApplyBytes = (B * H * T * T + 2 * B * H * T * d) * kF32;
constexpr int64_t kMergeBytes =
    (B * H * T * d + H * d * D + D + B * T * D) * kF32;
constexpr int64_t kMapBytes = B * H * T * T * kF32; // 128

TEST_F(AttnAnalysisCostModel, EncoderLayer) {
  ModelCost model = cost(kEncoderLayer);
  EXPECT_EQ(model.seqLen, T);
  EXPECT_EQ(model.batch, B);
  ASSERT_EQ(model.layers.size(), 1u);
  const LayerCost &layer = model.layers[0];
  EXPECT_EQ(layer.index, 0);
  EXPECT_EQ(layer.kind, "mha");
  EXPECT_EQ(layer.params, 4 * D * D + 4 * D);
  EXPECT_EQ(layer.statePerPosition, H * (d + d));
  EXPECT_EQ(layer.flops, kAttentionFlops);
  EXPECT_EQ(layer.flops, 2720);
  EXPECT_EQ(layer.bytes,
            3 * kProjectBytes + kScoresBytes + kApplyBytes + kMergeBytes);
  EXPECT_EQ(layer.bytes, 2944);
  EXPECT_EQ(layer.mapBytes, kMapBytes);

  // Everything: two residuals (1 FLOP per element), two LayerNorms (8 per
  // element), the FFN (2*B*T*d_i*d_i+1 per weight).
  int64_t elements = B * T * D;
  EXPECT_EQ(model.flops, kAttentionFlops + 2 * elements + 2 * 8 * elements +
                             2 * B * T * D * F + 2 * B * T * F * D);
  int64_t residualBytes = 3 * elements * kF32;
  int64_t normBytes = (2 * elements + 2 * D) * kF32;
  int64_t ffnBytes = (2 * elements + 2 * D * F + F + D + 2 * B * T * F) * kF32;
  EXPECT_EQ(model.bytes,
            layer.bytes + 2 * residualBytes + 2 * normBytes + ffnBytes);
  EXPECT_EQ(model.params, 288 + 2 * 2 * D + (D * F + F + F * D + D));
  EXPECT_EQ(model.attentionParams, 288);
  EXPECT_EQ(model.statePerPosition, 16);
  EXPECT_EQ(model.mapBytes, kMapBytes);
}

// attn.mha costs exactly what its decomposition costs, and fusing removes
// only the map traffic and map memory.
TEST_F(AttnAnalysisCostModel, MhaEqualsDecompositionAndFusionDropsTheMap) {
  OwningOpRef<ModuleOp> module = parse(kEncoderLayer);
  ASSERT_TRUE(module);
  ModelCost before = costOf(*module);
  ASSERT_TRUE(succeeded(decomposeMhaOps(*module)));
  ModelCost decomposed = costOf(*module);
  EXPECT_EQ(decomposed.layers[0].kind, "mha");
  EXPECT_EQ(decomposed.layers[0].flops, before.layers[0].flops);
  EXPECT_EQ(decomposed.layers[0].bytes, before.layers[0].bytes);
  EXPECT_EQ(decomposed.layers[0].params, before.layers[0].params);
  EXPECT_EQ(decomposed.layers[0].mapBytes, before.layers[0].mapBytes);
  EXPECT_EQ(decomposed.flops, before.flops);
  EXPECT_EQ(decomposed.bytes, before.bytes);

  PassManager pm(&context);
  pm.addPass(createAttnFuseAttend());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  ModelCost fused = costOf(*module);
  EXPECT_EQ(fused.layers[0].flops, before.layers[0].flops);
  EXPECT_EQ(fused.layers[0].bytes, before.layers[0].bytes - 2 * kMapBytes);
  EXPECT_EQ(fused.layers[0].mapBytes, 0);
  EXPECT_EQ(fused.mapBytes, 0);
}

// After attn-tie-kv: no value projection, no wv/bv, state H*dk.
TEST_F(AttnAnalysisCostModel, AfterTieKV) {
  OwningOpRef<ModuleOp> module = parse(kEncoderLayer);
  ASSERT_TRUE(module);
  ModelCost before = costOf(*module);
  PassManager pm(&context);
  pm.addPass(createAttnTieKV());
  ASSERT_TRUE(succeeded(pm.run(*module)));
  ModelCost tied = costOf(*module);
  ASSERT_EQ(tied.layers.size(), 1u);
  const LayerCost &layer = tied.layers[0];
  EXPECT_EQ(layer.kind, "tied");
  EXPECT_EQ(layer.statePerPosition, H * d);
  EXPECT_EQ(layer.params, before.layers[0].params - (D * H * d + H * d));
  EXPECT_EQ(layer.flops, kAttentionFlops - kProjectFlops);
  EXPECT_EQ(layer.bytes, before.layers[0].bytes - kProjectBytes);
  EXPECT_EQ(layer.mapBytes, kMapBytes);
  EXPECT_EQ(tied.params, before.params - (D * H * d + H * d));
  EXPECT_EQ(tied.statePerPosition, H * d);
}

// Hand-written map reuse: layer 1 applies layer 0's map to its own values.
TEST_F(AttnAnalysisCostModel, ReuseLayer) {
  ModelCost model = cost(R"mlir(
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q0 = attn.project %x, %wq0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %k0 = attn.project %x, %wk0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %map = attn.scores %q0, %k0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %o0 = attn.apply %map, %v0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %y0 = attn.merge %o0, %wo0 : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %v1 = attn.project %y0, %wv1 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %o1 = attn.apply %map, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %y1 = attn.merge %o1, %wo1 : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    return %y1 : tensor<1x4x8xf32>
  }
}
)mlir");
  ASSERT_EQ(model.layers.size(), 2u);
  const LayerCost &first = model.layers[0], &reuse = model.layers[1];
  // No biases here: projections and merge read x + w and write the result.
  int64_t projectBytes = (B * T * D + D * H * d + B * H * T * d) * kF32;
  int64_t mergeBytes = (B * H * T * d + H * d * D + B * T * D) * kF32;

  EXPECT_EQ(first.kind, "mha");
  EXPECT_EQ(first.params, 4 * D * D);
  EXPECT_EQ(first.statePerPosition, H * (d + d));
  EXPECT_EQ(first.flops, kAttentionFlops);
  EXPECT_EQ(first.bytes,
            3 * projectBytes + kScoresBytes + kApplyBytes + mergeBytes);
  EXPECT_EQ(first.mapBytes, kMapBytes);

  EXPECT_EQ(reuse.index, 1);
  EXPECT_EQ(reuse.kind, "reuse");
  EXPECT_EQ(reuse.params, 2 * D * D);
  EXPECT_EQ(reuse.statePerPosition, H * d); // values only: no keys
  EXPECT_EQ(reuse.flops, kProjectFlops + kApplyFlops + kMergeFlops);
  EXPECT_EQ(reuse.bytes, projectBytes + kApplyBytes + mergeBytes);
  EXPECT_EQ(reuse.mapBytes, 0); // the map is layer 0's

  EXPECT_EQ(model.params, 6 * D * D);
  EXPECT_EQ(model.attentionParams, 6 * D * D);
  EXPECT_EQ(model.statePerPosition, H * (d + d) + H * d);
  EXPECT_EQ(model.flops, first.flops + reuse.flops);
  EXPECT_EQ(model.mapBytes, kMapBytes);
}

// Transformer-MGK: R = 2 key components from one projection of width H*R*dk,
// reshaped to [B, H, R, Tk, dk]; the map is softmax attention over R*Tk keys.
TEST_F(AttnAnalysisCostModel, MgkLayer) {
  ModelCost model = cost(R"mlir(
func.func @forward(%x: tensor<1x4x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x16xf32>, %pi: tensor<2x2xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q = attn.project %x, %wq heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k = attn.project %x, %wk heads(4) : (tensor<1x4x8xf32>, tensor<8x16xf32>) -> tensor<1x4x4x4xf32>
  %ks = tensor.expand_shape %k [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 4, 4] : tensor<1x4x4x4xf32> into tensor<1x2x2x4x4xf32>
  %v = attn.project %x, %wv heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map = attn.mgk_scores %q, %ks, %pi sigma_sq(2.000000e+00) : (tensor<1x2x4x4xf32>, tensor<1x2x2x4x4xf32>, tensor<2x2xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
)mlir");
  constexpr int64_t R = 2;
  ASSERT_EQ(model.layers.size(), 1u);
  const LayerCost &layer = model.layers[0];
  EXPECT_EQ(layer.kind, "mgk");
  EXPECT_EQ(layer.statePerPosition, H * (R * d + d));
  int64_t mgkFlops = 2 * B * H * T * (R * T) * d + 5 * B * H * T * (R * T);
  EXPECT_EQ(layer.flops, kProjectFlops + 2 * B * T * D * (H * R * d) +
                             kProjectFlops + mgkFlops + kApplyFlops +
                             kMergeFlops);
  EXPECT_EQ(layer.mapBytes, kMapBytes);
  // mgk_scores reads q, the keys, pi and writes the map.
  int64_t projectBytes = (B * T * D + D * H * d + B * H * T * d) * kF32;
  int64_t keyBytes = (B * T * D + D * H * R * d + B * H * R * T * d) * kF32;
  int64_t mapOpBytes =
      (B * H * T * d + B * H * R * T * d + H * R + B * H * T * T) * kF32;
  int64_t mergeBytes = (B * H * T * d + H * d * D + B * T * D) * kF32;
  EXPECT_EQ(layer.bytes, 2 * projectBytes + keyBytes + mapOpBytes +
                             kApplyBytes + mergeBytes);
}

// MHE: heads from a shared projection plus per-head embeddings, fused.
TEST_F(AttnAnalysisCostModel, MheLayer) {
  ModelCost model = cost(R"mlir(
func.func @forward(%p: tensor<1x4x4xf32>, %eq: tensor<2x4xf32>, %ek: tensor<2x4xf32>, %ev: tensor<2x4xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q = attn.head_embed %p, %eq mode(add) : (tensor<1x4x4xf32>, tensor<2x4xf32>) -> tensor<1x2x4x4xf32>
  %k = attn.head_embed %p, %ek mode(add) : (tensor<1x4x4xf32>, tensor<2x4xf32>) -> tensor<1x2x4x4xf32>
  %v = attn.head_embed %p, %ev mode(mul) : (tensor<1x4x4xf32>, tensor<2x4xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.attend %q, %k, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
)mlir");
  ASSERT_EQ(model.layers.size(), 1u);
  const LayerCost &layer = model.layers[0];
  EXPECT_EQ(layer.kind, "mhe");
  EXPECT_EQ(layer.statePerPosition, H * (d + d));
  int64_t embedFlops = B * H * T * d; // one add or mul per element
  EXPECT_EQ(layer.flops,
            3 * embedFlops + kScoresFlops + kApplyFlops + kMergeFlops);
  EXPECT_EQ(layer.mapBytes, 0);
  int64_t embedBytes = (B * T * d + H * d + B * H * T * d) * kF32;
  int64_t attendBytes = 4 * B * H * T * d * kF32; // q, k, v in, heads out
  int64_t mergeBytes = (B * H * T * d + H * d * D + B * T * D) * kF32;
  EXPECT_EQ(layer.bytes, 3 * embedBytes + attendBytes + mergeBytes);
}

// attn.seq_mlp (ALR) and attn.head_seq_mlp + merge (ASLR): no state.
TEST_F(AttnAnalysisCostModel, SeqMlpLayers) {
  ModelCost model = cost(R"mlir(
func.func @forward(%x: tensor<1x?x8xf32>, %w0: tensor<64x16xf32>, %b0: tensor<16xf32>, %w1: tensor<16x64xf32>, %b1: tensor<64xf32>, %hw0: tensor<2x64x16xf32>, %hw1: tensor<2x16x32xf32>, %wo: tensor<8x8xf32>) -> tensor<1x?x8xf32> {
  %y = attn.seq_mlp %x w0(%w0) b0(%b0) w1(%w1) b1(%b1) max_len(8) activation(leaky_relu) : (tensor<1x?x8xf32>, tensor<64x16xf32>, tensor<16xf32>, tensor<16x64xf32>, tensor<64xf32>) -> tensor<1x?x8xf32>
  %h = attn.head_seq_mlp %y w0(%hw0) w1(%hw1) max_len(8) activation(leaky_relu) : (tensor<1x?x8xf32>, tensor<2x64x16xf32>, tensor<2x16x32xf32>) -> tensor<1x2x?x4xf32>
  %z = attn.merge %h, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
  return %z : tensor<1x?x8xf32>
}
)mlir",
                         /*seqLen=*/T);
  constexpr int64_t N = 8, K = 16, E = 8;
  ASSERT_EQ(model.layers.size(), 2u);
  const LayerCost &alr = model.layers[0], &aslr = model.layers[1];
  EXPECT_EQ(alr.kind, "seq_mlp");
  EXPECT_EQ(alr.statePerPosition, 0);
  EXPECT_EQ(alr.flops, 2 * B * (N * D * K + K * N * E));
  // Reads x, w0, b0, w1, b1; writes y; the hidden layer written and read.
  EXPECT_EQ(alr.bytes, (B * T * D + N * D * K + K + K * N * E + N * E +
                        B * T * E + 2 * B * K) *
                           kF32);
  EXPECT_EQ(aslr.kind, "head_seq_mlp");
  EXPECT_EQ(aslr.statePerPosition, 0);
  EXPECT_EQ(aslr.flops, 2 * B * H * (N * D * K + K * N * d) + kMergeFlops);
  EXPECT_EQ(aslr.mapBytes, 0);
  EXPECT_EQ(model.statePerPosition, 0);
}

// One op at a time, with Tq != Tk, dk != dv and B = 2 where it matters.
TEST_F(AttnAnalysisCostModel, OpFormulas) {
  struct Case {
    const char *name;
    const char *body;
    int64_t flops, bytes, mapBytes;
  };
  const Case cases[] = {
      {"project: 2*B*T*D*W; x + w + b + heads",
       "%r = attn.project %a, %b bias(%c) heads(3) : (tensor<2x4x8xf32>, "
       "tensor<8x12xf32>, tensor<12xf32>) -> tensor<2x3x4x4xf32>",
       2 * 2 * 4 * 8 * 12, (64 + 96 + 12 + 96) * 4, 0},
      {"scores with an i1 mask [Tq, Tk] (1 byte per element)",
       "%r = attn.scores %a, %b mask(%c) : (tensor<1x2x3x4xf32>, "
       "tensor<1x2x5x4xf32>, tensor<3x5xi1>) -> tensor<1x2x3x5xf32>",
       2 * 2 * 3 * 5 * 4 + 5 * 2 * 3 * 5, (24 + 40 + 30) * 4 + 15,
       2 * 3 * 5 * 4},
      {"apply: 2*B*H*Tq*Tk*dv",
       "%r = attn.apply %a, %b : (tensor<1x2x3x5xf32>, tensor<1x2x5x6xf32>) "
       "-> tensor<1x2x3x6xf32>",
       2 * 2 * 3 * 5 * 6, (30 + 60 + 36) * 4, 0},
      {"attend: scores + apply, no map",
       "%r = attn.attend %a, %b, %c : (tensor<1x2x3x4xf32>, "
       "tensor<1x2x5x4xf32>, tensor<1x2x5x6xf32>) -> tensor<1x2x3x6xf32>",
       2 * 2 * 3 * 5 * 4 + 5 * 2 * 3 * 5 + 2 * 2 * 3 * 5 * 6,
       (24 + 40 + 60 + 36) * 4, 0},
      {"merge: 2*B*T*H*dv*D",
       "%r = attn.merge %a, %b bias(%c) : (tensor<1x2x3x6xf32>, "
       "tensor<12x8xf32>, tensor<8xf32>) -> tensor<1x3x8xf32>",
       2 * 3 * 2 * 6 * 8, (36 + 96 + 8 + 24) * 4, 0},
      {"layer_norm: 8 per element",
       "%r = attn.layer_norm %a, %b, %c : (tensor<2x3x8xf32>, tensor<8xf32>, "
       "tensor<8xf32>) -> tensor<2x3x8xf32>",
       8 * 48, (48 + 8 + 8 + 48) * 4, 0},
      {"ffn of depth 3: sum 2*B*T*d_i*d_i+1, hidden written and read",
       "%r = attn.ffn %a weights(%b, %c, %d) activation(relu) : "
       "(tensor<1x4x8xf32>, tensor<8x16xf32>, tensor<16x32xf32>, "
       "tensor<32x8xf32>) -> tensor<1x4x8xf32>",
       2 * 4 * (8 * 16 + 16 * 32 + 32 * 8),
       (32 + 128 + 512 + 256 + 32 + 2 * (4 * 16 + 4 * 32)) * 4, 0},
      {"head_embed: one FLOP per result element",
       "%r = attn.head_embed %a, %b mode(mul) : (tensor<1x4x4xf32>, "
       "tensor<2x4xf32>) -> tensor<1x2x4x4xf32>",
       32, (16 + 8 + 32) * 4, 0},
      {"residual addf: one FLOP per element",
       "%r = arith.addf %a, %b : tensor<1x4x8xf32>", 32, 96 * 4, 0},
      {"f16: two bytes per element",
       "%r = arith.addf %a, %b : tensor<1x4x8xf16>", 32, 96 * 2, 0},
      {"mha, cross attention Tq=3 Tk=5, dk=4 dv=6: its decomposition",
       "%r = attn.mha %a, %b, %c, %d, %e, %f heads(2) : (tensor<1x3x8xf32>, "
       "tensor<1x5x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, "
       "tensor<8x12xf32>, tensor<12x8xf32>) -> tensor<1x3x8xf32>",
       2 * 3 * 8 * 8 + 2 * 5 * 8 * 8 + 2 * 5 * 8 * 12 + 2 * 2 * 3 * 5 * 4 +
           5 * 2 * 3 * 5 + 2 * 2 * 3 * 5 * 6 + 2 * 3 * 2 * 6 * 8,
       (24 + 64 + 24) * 4 + (40 + 64 + 40) * 4 + (40 + 96 + 60) * 4 +
           (24 + 40 + 30) * 4 + (30 + 60 + 36) * 4 + (36 + 96 + 24) * 4,
       2 * 3 * 5 * 4},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    // Operands become function arguments %a, %b, ... of the types the op's
    // functional type names (both operands of an elementwise op: its type).
    std::string body = c.body;
    size_t colon = body.rfind(" : ");
    std::string types = body.substr(colon + 3);
    std::string args, results;
    if (types.front() == '(') {
      size_t close = types.find(") -> ");
      args = types.substr(1, close - 1);
      results = types.substr(close + 5);
    } else {
      args = types + ", " + types;
      results = types;
    }
    std::string signature;
    char name = 'a';
    for (StringRef arg : llvm::split(StringRef(args), ", ")) {
      if (!signature.empty())
        signature += ", ";
      signature += std::string("%") + name++ + ": " + arg.str();
    }
    std::string text = "func.func @f(" + signature + ") -> " + results +
                       " {\n  " + body + "\n  return %r : " + results + "\n}\n";
    ModelCost model = cost(text, /*seqLen=*/4);
    EXPECT_EQ(model.flops, c.flops);
    EXPECT_EQ(model.bytes, c.bytes);
    EXPECT_EQ(model.mapBytes, c.mapBytes);
  }
}

// A dynamic mask takes the sizes of the map dimensions it lines up with
// (right-aligned), dynamic B counts as 1, dynamic T takes seq-len.
TEST_F(AttnAnalysisCostModel, DynamicShapes) {
  constexpr const char *kScores = R"mlir(
func.func @f(%q: tensor<?x2x?x4xf32>, %k: tensor<?x2x?x4xf32>, %m: tensor<?x?xf32>) -> tensor<?x2x?x?xf32> {
  %r = attn.scores %q, %k mask(%m) : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x?xf32>) -> tensor<?x2x?x?xf32>
  return %r : tensor<?x2x?x?xf32>
}
)mlir";
  constexpr int64_t t = 6;
  ModelCost model = cost(kScores, t);
  EXPECT_EQ(model.seqLen, t);
  EXPECT_EQ(model.batch, 1);
  EXPECT_EQ(model.flops, 2 * 1 * 2 * t * t * 4 + 5 * 1 * 2 * t * t);
  EXPECT_EQ(model.bytes, (2 * 2 * t * 4 + t * t + 2 * t * t) * kF32);
  EXPECT_EQ(model.mapBytes, 2 * t * t * kF32);
}

// seq-len 0: a static T, else 1024; a static B is reported.
TEST_F(AttnAnalysisCostModel, SequenceLengthDefaults) {
  constexpr const char *kDynamic = R"mlir(
func.func @forward(%x: tensor<2x?x8xf32>) -> tensor<2x?x8xf32> {
  %r = arith.addf %x, %x : tensor<2x?x8xf32>
  return %r : tensor<2x?x8xf32>
}
)mlir";
  ModelCost dynamic = cost(kDynamic);
  EXPECT_EQ(dynamic.seqLen, kDefaultSeqLen);
  EXPECT_EQ(dynamic.batch, 2);
  EXPECT_EQ(dynamic.flops, 2 * kDefaultSeqLen * 8);
  EXPECT_EQ(cost(kDynamic, 16).flops, 2 * 16 * 8);
  EXPECT_EQ(cost(kEncoderLayer).seqLen, T);
  EXPECT_EQ(cost(kEncoderLayer, T).seqLen, T);
}

TEST_F(AttnAnalysisCostModel, Failures) {
  OwningOpRef<ModuleOp> module = parse(kEncoderLayer);
  ASSERT_TRUE(module);
  diagnostics.clear();
  EXPECT_TRUE(failed(computeModelCost(*module, 8)));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0], "seq-len=8 contradicts the static sequence length "
                            "4 of @forward's input");
  diagnostics.clear();
  EXPECT_TRUE(failed(computeModelCost(*module, -1)));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics[0].find("seq-len must be positive"), std::string::npos);
}

// Counts beyond 999 in three significant digits; the total row carries the
// model's totals; JSON keeps exact integers beyond 2^53.
TEST_F(AttnAnalysisCostModel, TableAndJson) {
  ModelCost model;
  model.seqLen = 1024;
  model.layers.push_back({3, "reuse", 999, 1000, 999499, 999600, 12345678});
  model.params = 123456789012345678;
  model.attentionParams = 999;
  model.statePerPosition = 1000;
  model.flops = 999999;
  model.bytes = 1234;
  model.mapBytes = 0;

  std::string table;
  llvm::raw_string_ostream tableOs(table);
  printModelCostTable(model, tableOs);
  EXPECT_EQ(table,
            "attn-report: seq-len 1024, batch 1\n"
            "layer  kind   params  state/pos  FLOPs  bytes  map bytes\n"
            "    3  reuse     999      1.00K   999K  1.00M      12.3M\n"
            "total           123P      1.00K  1.00M  1.23K          0\n"
            "attention parameters: 999 of 123P\n"
            "total FLOPs and bytes count every op (attention, feed-forward, "
            "LayerNorm, residuals); K/M/G/T = 10^3/10^6/10^9/10^12\n");

  std::string json;
  llvm::raw_string_ostream jsonOs(json);
  printModelCostJson(model, jsonOs);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object *root = parsed->getAsObject();
  ASSERT_TRUE(root);
  EXPECT_EQ(root->getInteger("seq_len"), 1024);
  const llvm::json::Object *total = root->getObject("total");
  ASSERT_TRUE(total);
  EXPECT_EQ(total->getInteger("params"), 123456789012345678);
  EXPECT_EQ(total->getInteger("attention_params"), 999);
  const llvm::json::Array *layers = root->getArray("layers");
  ASSERT_TRUE(layers && layers->size() == 1);
  const llvm::json::Object *layer = (*layers)[0].getAsObject();
  EXPECT_EQ(layer->getString("kind"), "reuse");
  EXPECT_EQ(layer->getInteger("index"), 3);
  EXPECT_EQ(layer->getInteger("map_bytes"), 12345678);
}

} // namespace
