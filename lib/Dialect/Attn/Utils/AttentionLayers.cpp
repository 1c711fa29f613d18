//===- AttentionLayers.cpp - attention sublayers in decomposed form -------===//

#include "attn/Dialect/Attn/Utils/AttentionLayers.h"
#include "attn/Dialect/Attn/Utils/Params.h"

using namespace mlir;
using namespace mlir::attn;

bool AttentionLayer::computesOwnMap() {
  if (attend)
    return true;
  // A shared map is read by applies of several layers; the layer that owns
  // it is the one whose apply comes first in the map's block. Users in other
  // blocks cannot be ordered against it and never own the map.
  Block *block = mapOp->getBlock();
  Operation *first = nullptr;
  for (Operation *user : mapOp->getResult(0).getUsers())
    if (user->getBlock() == block && (!first || user->isBeforeInBlock(first)))
      first = user;
  return first == apply.getOperation();
}

std::string AttentionLayer::describe() const {
  return "layer " + std::to_string(index);
}

SmallVector<AttentionLayer> mlir::attn::collectAttentionLayers(Operation *root) {
  SmallVector<AttentionLayer> layers;
  root->walk([&](MergeOp merge) {
    AttentionLayer layer;
    layer.merge = merge;
    Operation *producer = merge.getHeads().getDefiningOp();
    if (auto apply = dyn_cast_or_null<ApplyOp>(producer)) {
      layer.apply = apply;
      layer.mapOp = apply.getMap().getDefiningOp();
      layer.value = apply.getValues();
      if (auto scores = dyn_cast_or_null<ScoresOp>(layer.mapOp)) {
        layer.query = scores.getQuery();
        layer.key = scores.getKey();
      } else if (auto mgk = dyn_cast_or_null<MgkScoresOp>(layer.mapOp)) {
        layer.query = mgk.getQuery();
      }
      if (!layer.mapOp)
        return; // A map from outside the function: not a layer we rewrite.
    } else if (auto attend = dyn_cast_or_null<AttendOp>(producer)) {
      layer.attend = attend;
      layer.query = attend.getQuery();
      layer.key = attend.getKey();
      layer.value = attend.getValue();
    } else {
      return;
    }
    if (layer.query)
      layer.queryProj = layer.query.getDefiningOp<ProjectOp>();
    if (layer.key)
      layer.keyProj = layer.key.getDefiningOp<ProjectOp>();
    layer.valueProj = layer.value.getDefiningOp<ProjectOp>();
    layer.index = static_cast<int64_t>(layers.size());
    if (std::optional<StringRef> name = getParamName(merge.getWeight()))
      if (std::optional<int64_t> index = getLayerIndex(*name))
        layer.index = *index;
    layers.push_back(layer);
  });
  return layers;
}
