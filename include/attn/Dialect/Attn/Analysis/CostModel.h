//===- CostModel.h - parameters, state, FLOPs and bytes -------*- C++ -*-===//
//
// The analytic cost model behind `attn-report` (and the Python `report`):
// per attention layer and in total, the parameters, the attention state kept
// per position (Irie et al.), the FLOPs and bytes moved at a sequence length
// T, and the memory of materialised attention maps. It reads the IR only.
//
// Shapes. Every count is taken from the op's tensor types. A dynamic leading
// dimension is the batch and counts as 1; every other dynamic dimension is a
// sequence length and takes T. T is `seqLen`, or, when `seqLen` is 0, the
// static T of `@forward`'s input [B, T, D] if it has one, else 1024. A
// `seqLen` that contradicts a static T is an error.
//
// FLOPs (one multiply-add = 2 FLOPs; B, H, T, d from the op's types):
//   attn.project     2*B*T*D*W                       W = H*d, the weight width
//                                                   (bias adds not counted)
//   attn.head_embed  B*H*T*d
//   attn.scores      2*B*H*Tq*Tk*dk + 5*B*H*Tq*Tk    softmax: 5 FLOPs per map
//                                                   element (scale/mask add,
//                                                   max, subtract + exp, sum,
//                                                   divide)
//   attn.mgk_scores  as attn.scores over R*Tk keys (METHODS.md section 5: soft
//                    MGK is softmax attention over the R*Tk concatenated keys):
//                    2*B*H*Tq*(R*Tk)*dk + 5*B*H*Tq*(R*Tk)
//   attn.apply       2*B*H*Tq*Tk*dv
//   attn.attend      scores + apply (same FLOPs, but no map is materialised)
//   attn.merge       2*B*T*H*dv*D                    (bias add not counted)
//   attn.mha         its decomposition: three projections, scores, apply,
//                    merge (METHODS.md: 2*T*D*(2*H*dk + 2*H*dv) for the
//                    projections, 2*T^2*H*dk map, 2*T^2*H*dv apply)
//   attn.ffn         sum_i 2*B*T*d_i*d_(i+1)         (activations not counted)
//   attn.layer_norm  8 * elements                    kLayerNormFlopsPerElement
//   attn.seq_mlp     2*B*(N*D*K + K*N*E)             N = max_len
//   attn.head_seq_mlp  2*B*H*(N*D*K + K*N*dv)
//   elementwise ops on tensors (arith.addf of residuals, ...): 1 per element
//   everything else (parameter loads, reshapes, return): 0
//
// Bytes (an approximation of memory traffic, not a cache model): every op
// reads each tensor operand once (parameters included) and writes each
// result once, at the element type's size (i1 counts one byte). Ops that
// stand for several steps count the intermediates those steps would
// materialise, written once and read once: attn.mha its q/k/v heads, map and
// attended heads; attn.ffn its hidden activations; attn.seq_mlp and
// attn.head_seq_mlp their hidden layer. attn.attend materialises nothing.
//
// Map memory: the bytes of each materialised attention map [B, H, Tq, Tk]
// (attn.scores, attn.mgk_scores and the map inside attn.mha), 0 for
// attn.attend. A map shared by several layers (map reuse) is counted once,
// at the layer that computes it. The total is the sum over maps, not a peak.
//
// State per position (Irie et al.: what must be kept per position at
// evaluation time, the KV cache of autoregressive decoding), per layer:
//   own keys and values        H*(dk + dv)
//   tied keys and values       H*dk      (the keys serve as values)
//   map reuse (no own keys)    H*dv      (only the values are kept)
//   MGK (R key components)     H*(R*dk + dv)
//   MHE                        H*(dk + dv) (the per-head keys and values)
//   seq_mlp, head_seq_mlp      0: no per-position cache; these layers need
//                              the whole padded sequence instead (max_len).
//
// Layers: attn.mha, attn.seq_mlp, attn.head_seq_mlp + attn.merge, and every
// decomposed sublayer (attn.merge of attn.apply or attn.attend). A decomposed
// layer owns its merge, its apply or attend, and, when it computes its own
// map, the map op and the ops producing its queries and keys; it always owns
// the ops producing its values. Producing ops are attn.project, and the
// attn.head_embed and tensor reshapes between a projection and the heads
// (MHE, MGK). A reuse layer thus owns neither the map nor Q/K projections.
//
// Parameters: elements of the parameter globals (`ml_program.global` read
// with `ml_program.global_load_const`). A layer's parameters are those read
// by its ops; the model's are every global read anywhere in the module.
//
// Every op of the module is counted (normally the one entry `@forward`).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_ANALYSIS_COSTMODEL_H
#define ATTN_DIALECT_ATTN_ANALYSIS_COSTMODEL_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::attn {

/// FLOPs per map element of a softmax (scale/mask add, max, subtract + exp,
/// sum, divide).
constexpr int64_t kSoftmaxFlopsPerElement = 5;
/// FLOPs per element of a LayerNorm (mean, centre, square, variance sum,
/// rsqrt-scale, gamma, beta, rounding up).
constexpr int64_t kLayerNormFlopsPerElement = 8;
/// Sequence length of a model with a dynamic T when none is given.
constexpr int64_t kDefaultSeqLen = 1024;

/// The cost of one attention sublayer (or its feed-forward replacement).
struct LayerCost {
  /// i of `layers.{i}` (from the parameter names), else the position among
  /// the attention layers.
  int64_t index = 0;
  /// "mha" (own queries, keys and values), "reuse" (applies an earlier
  /// layer's map), "tied" (keys serve as values), "mhe", "mgk", "seq_mlp"
  /// or "head_seq_mlp".
  std::string kind;
  /// Parameter elements read by the layer's ops.
  int64_t params = 0;
  int64_t statePerPosition = 0;
  int64_t flops = 0;
  int64_t bytes = 0;
  /// Bytes of the map this layer materialises (0 for fused or reused maps).
  int64_t mapBytes = 0;
};

/// The cost of a whole model at one sequence length.
struct ModelCost {
  /// The T the counts are for, and the B (1 when dynamic).
  int64_t seqLen = 0;
  int64_t batch = 1;
  /// Attention layers in program order.
  std::vector<LayerCost> layers;
  /// Every parameter element of the model.
  int64_t params = 0;
  /// Parameter elements of the attention layers (each global counted once).
  int64_t attentionParams = 0;
  int64_t statePerPosition = 0;
  /// Every op: attention, feed-forward, LayerNorm, residuals.
  int64_t flops = 0;
  int64_t bytes = 0;
  int64_t mapBytes = 0;
};

/// Computes the cost of `module` at sequence length `seqLen` (0: the model's
/// static T, else kDefaultSeqLen). Fails, after emitting an error, when
/// `seqLen` is negative or contradicts the model's static T, when a
/// parameter global has a dynamic shape, when T exceeds an attn.seq_mlp's
/// max_len, or when a count does not fit in 64 bits.
FailureOr<ModelCost> computeModelCost(ModuleOp module, int64_t seqLen);

/// Writes `cost` as a table: one row per attention layer and a total row,
/// columns aligned, counts in K/M/G/T (powers of 1000) beyond 999.
void printModelCostTable(const ModelCost &cost, llvm::raw_ostream &os);

/// Writes `cost` as JSON with exact integers:
/// {"seq_len", "batch", "layers": [{"index", "kind", "params",
///  "state_per_position", "flops", "bytes", "map_bytes"}, ...],
///  "total": {"params", "attention_params", "state_per_position", "flops",
///  "bytes", "map_bytes"}}.
void printModelCostJson(const ModelCost &cost, llvm::raw_ostream &os);

} // namespace mlir::attn

#endif // ATTN_DIALECT_ATTN_ANALYSIS_COSTMODEL_H
