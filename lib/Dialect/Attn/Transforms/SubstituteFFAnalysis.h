//===- SubstituteFFAnalysis.h - attn-substitute-ff analysis -----*- C++ -*-===//
//
// The analysis half of attn-substitute-ff: it recognises the encoder layer
// around an attention sublayer and plans (checks and sizes) its replacement,
// without changing the IR. The pass checks every selected layer this way
// before it rewrites any.
//
// attn-substitute-ff replaces more than the attention itself: its residual add
// and LayerNorm (ALRR), the whole encoder layer (ELR), or the attention
// sublayer in front of a deeper feed-forward network (deep-ff). The layer
// forms recognised are PyTorch's (DESIGN.md section 2):
//
//   post-norm: h = ln1(x + attn(x));   y = ln2(h + ffn(h))
//   pre-norm:  h = x + attn(ln1(x));   y = h + ffn(ln2(h))
//   no norm:   h = x + attn(x);        y = h + ffn(h)
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_DIALECT_ATTN_TRANSFORMS_SUBSTITUTEFFANALYSIS_H
#define ATTN_LIB_DIALECT_ATTN_TRANSFORMS_SUBSTITUTEFFANALYSIS_H

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Dialect/Attn/Utils/AttentionLayers.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::attn {

enum class NormPlacement { None, Post, Pre };

struct EncoderLayerMatch {
  /// What every projection of the layer reads (x, or ln1(x) for pre-norm);
  /// null for cross-attention or when the heads are not attn.project ops.
  Value attentionInput;
  /// Queries and keys/values read different values.
  bool crossAttention = false;
  /// Whether the attention has a bias anywhere (projections or output).
  bool hasBias = false;

  /// The residual sum x + attn(...), null if the attention output is not
  /// (only) added to the value the sublayer started from.
  arith::AddFOp residualAdd;
  /// x, the residual stream the layer reads; set with residualAdd.
  Value layerInput;
  NormPlacement norm = NormPlacement::None;
  /// Post-norm: the norm of the residual sum; pre-norm: the norm producing
  /// attentionInput.
  LayerNormOp ln1;
  /// h, what the feed-forward sublayer reads: ln1's result (post-norm) or the
  /// residual sum; set with residualAdd.
  Value attentionOutput;

  /// The feed-forward sublayer reading h; null when not recognised.
  FfnOp ffn;
  /// h + ffn(...), and the post-norm ln2 on it or the pre-norm ln2 feeding
  /// ffn (null without norm).
  arith::AddFOp ffnResidualAdd;
  LayerNormOp ln2;
  /// y, what the next layer reads; set with ffnResidualAdd.
  Value layerOutput;
};

/// Recognises the encoder layer around `layer`. Parts it does not find stay
/// null; the caller decides which it needs.
EncoderLayerMatch matchEncoderLayer(AttentionLayer &layer);

/// `alr`, `alrr`, `aslr`, `elr` or `deep-ff`.
StringRef getVariantName(FFSubstitution variant);

/// One parameter of a new attn.seq_mlp / attn.head_seq_mlp.
struct SeqMlpParam {
  /// Name after the plan's prefix, e.g. `w0`.
  StringRef name;
  SmallVector<int64_t> shape;
  /// Its `attn.init`.
  StringRef init;
  /// False for b0/b1 of a replacement without biases.
  bool present;
};

/// One layer's replacement, checked and sized.
struct FFSubstitutionPlan {
  AttentionLayer *layer = nullptr;
  EncoderLayerMatch match;
  /// Prefix of the new parameters' names, e.g. `layers.3.alr.`.
  std::string prefix;
  bool bias = false;

  // seq_mlp variants: the network reads `input` and its result takes the
  // place of `replaced` (for ASLR, the heads the merge reads).
  Value input, replaced;
  Type elementType;
  /// H for ASLR (a leading dimension of every parameter), else 0.
  int64_t heads = 0;
  /// N*D -> K -> N*E.
  int64_t flatIn = 0, hidden = 0, flatOut = 0;
  /// The LayerNorms' epsilon: the layer's, or null for the default.
  FloatAttr epsilon;

  // deep-ff: the new network's weight shapes [in, out], and whether position
  // j keeps the old network's weight and bias.
  SmallVector<std::pair<int64_t, int64_t>> ffnShapes;
  SmallVector<bool> keep;
  /// Existing globals whose names the new parameters take; only the old
  /// network reads them, and it goes.
  SmallVector<ml_program::GlobalOp> displaced;

  /// The eight operands of the new network in operand order (seq_mlp
  /// variants).
  SmallVector<SeqMlpParam, 8> getSeqMlpParams() const;
};

/// Checks that `layer` can be replaced as `options` says and sizes the
/// replacement; emits an error naming the layer if not. Changes nothing.
FailureOr<FFSubstitutionPlan>
planFFSubstitution(AttentionLayer &layer, const SubstituteFFOptions &options,
                   ModuleOp module);

} // namespace mlir::attn

#endif // ATTN_LIB_DIALECT_ATTN_TRANSFORMS_SUBSTITUTEFFANALYSIS_H
