//===- AttentionLayers.h - attention sublayers in decomposed form -*- C++ -*-===//
//
// The rewrites work on attention sublayers in the decomposed vocabulary: a
// chain that ends in `attn.merge` and whose heads come from `attn.apply`
// (map materialised) or `attn.attend` (fused). This view finds them in
// program order so every pass matches layers the same way.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_UTILS_ATTENTIONLAYERS_H
#define ATTN_DIALECT_ATTN_UTILS_ATTENTIONLAYERS_H

#include "attn/Dialect/Attn/IR/AttnOps.h"

#include <optional>
#include <string>

namespace mlir::attn {

struct AttentionLayer {
  /// The output projection; every attention sublayer ends in one.
  MergeOp merge;
  /// Exactly one of these produces the merged heads.
  ApplyOp apply;
  AttendOp attend;
  /// The map `apply` reads (attn.scores or attn.mgk_scores); null for attend.
  Operation *mapOp = nullptr;
  /// Query, key and value heads [B, H, T, d] (query/key null when the map
  /// is not an attn.scores / attn.attend, e.g. MGK).
  Value query, key, value;
  /// The projections producing them, when they are plain attn.project ops.
  ProjectOp queryProj, keyProj, valueProj;
  /// Index i of `layers.{i}` taken from the output weight's parameter name,
  /// or the position in program order if it is not a named parameter.
  int64_t index = 0;

  /// Whether the map is computed by this layer (not shared from another).
  bool computesOwnMap();
  /// `layer 3` for remarks and errors.
  std::string describe() const;
};

/// Attention sublayers under `root`, in program order.
SmallVector<AttentionLayer> collectAttentionLayers(Operation *root);

} // namespace mlir::attn

#endif // ATTN_DIALECT_ATTN_UTILS_ATTENTIONLAYERS_H
