//===- TieKV.cpp - key-value tying (Irie et al.) --------------------------===//
//
// V_h = K_h: a layer's key heads also serve as its values. The value
// projection and its parameters go, and the state a layer keeps per position
// halves (dk instead of dk + dv per head).
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Dialect/Attn/Utils/AttentionLayers.h"
#include "attn/Dialect/Attn/Utils/Params.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTIEKV
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {
/// Prints a head width, `?` when dynamic.
std::string dimToString(int64_t dim) {
  return ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
}

/// Ties `layer` if it can be tied; otherwise says why with a remark at the
/// op that reads the values. Returns whether the IR changed.
bool tieLayer(AttentionLayer &layer) {
  Operation *reader =
      layer.apply ? layer.apply.getOperation() : layer.attend.getOperation();
  // A layer that applies another layer's map has no keys of its own: its
  // values are all it keeps, so there is nothing to tie (not a failure).
  if (layer.apply && !layer.computesOwnMap())
    return false;
  // Already tied.
  if (layer.key && layer.value == layer.key)
    return false;

  auto remark = [&]() {
    return reader->emitRemark()
           << layer.describe() << ": cannot tie keys and values: ";
  };
  if (!layer.keyProj) {
    if (isa_and_nonnull<MgkScoresOp>(layer.mapOp))
      remark() << "its keys are mixture components of attn.mgk_scores, not "
                  "a plain attn.project";
    else
      remark() << "its keys are not a plain attn.project";
    return false;
  }
  if (!layer.valueProj) {
    remark() << "its values are not a plain attn.project";
    return false;
  }
  if (layer.keyProj.getInput() != layer.valueProj.getInput()) {
    remark() << "keys and values are computed from different inputs "
                "(cross attention)";
    return false;
  }
  auto keyType = cast<RankedTensorType>(layer.key.getType());
  auto valueType = cast<RankedTensorType>(layer.value.getType());
  int64_t dk = keyType.getDimSize(3), dv = valueType.getDimSize(3);
  if (ShapedType::isDynamic(dk) || ShapedType::isDynamic(dv)) {
    remark() << "dv (" << dimToString(dv) << ") and dk (" << dimToString(dk)
             << ") are not known to be equal";
    return false;
  }
  if (dv != dk) {
    remark() << "dv (" << dv << ") != dk (" << dk << ")";
    return false;
  }
  // The key heads have the value heads' type up to dynamic dimensions, which
  // the readers' verifiers accept in either form.
  if (layer.apply)
    layer.apply.getValuesMutable().assign(layer.key);
  else
    layer.attend.getValueMutable().assign(layer.key);
  // Another reader (rare) keeps the projection alive; this layer is tied.
  if (layer.valueProj->use_empty())
    layer.valueProj->erase();
  return true;
}

struct AttnTieKVPass : public attn::impl::AttnTieKVBase<AttnTieKVPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(decomposeMhaOps(module)))
      return signalPassFailure();
    // Only a tied layer leaves parameters unread.
    if (tieKeysAndValues(module) != 0)
      eraseUnusedParams(module);
  }
};
} // namespace

int64_t mlir::attn::tieKeysAndValues(Operation *root) {
  int64_t tied = 0;
  for (AttentionLayer &layer : collectAttentionLayers(root))
    tied += tieLayer(layer);
  return tied;
}
