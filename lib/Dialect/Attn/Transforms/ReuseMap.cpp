//===- ReuseMap.cpp - attention-map reuse (Shim, Choi, Sung) --------------===//
//
// Groups consecutive attention layers so that the first layer of a group
// computes the attention map and the later ones apply it to their own values
// (METHODS.md section 1). This file forms the groups; the checks and IR
// rewrites are in ReuseMapRewrite.cpp.
//
//===----------------------------------------------------------------------===//

#include "ReuseMapRewrite.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Dialect/Attn/Utils/Params.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNREUSEMAP
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {
/// `0-3`, or `5` for a group of one.
std::string formatRange(const LayerRange &range) {
  if (range.first == range.last)
    return std::to_string(range.first);
  return llvm::formatv("{0}-{1}", range.first, range.last).str();
}

/// Parses the `groups` option: each entry is `N` or `N-M` with N <= M.
LogicalResult parseLayerRanges(ArrayRef<std::string> texts, Location loc,
                               SmallVectorImpl<LayerRange> &ranges) {
  for (StringRef text : texts) {
    StringRef firstText = text, lastText = text;
    if (text.contains('-'))
      std::tie(firstText, lastText) = text.split('-');
    uint64_t first, last;
    if (firstText.trim().getAsInteger(10, first) ||
        lastText.trim().getAsInteger(10, last) || last > INT64_MAX)
      return emitError(loc) << "attn-reuse-map: cannot parse the 'groups' "
                               "entry '"
                            << text
                            << "': expected a layer index 'N' or a range "
                               "'N-M'";
    if (first > last)
      return emitError(loc) << "attn-reuse-map: the 'groups' range '" << text
                            << "' ends before it starts";
    ranges.push_back({static_cast<int64_t>(first), static_cast<int64_t>(last)});
  }
  return success();
}

/// Checks the options that do not depend on the model.
LogicalResult verifyOptions(Location loc, const ReuseMapOptions &options) {
  if (options.groupSize == 0)
    return emitError(loc) << "attn-reuse-map: 'group-size' must be at least 1";
  if (options.valueExpansion == 0)
    return emitError(loc)
           << "attn-reuse-map: 'value-expansion' must be at least 1";
  for (size_t i = 1; i < options.groups.size(); ++i) {
    const LayerRange &prev = options.groups[i - 1];
    const LayerRange &range = options.groups[i];
    if (range.first > prev.last)
      continue;
    if (range.first >= prev.first)
      return emitError(loc)
             << "attn-reuse-map: the 'groups' range '" << formatRange(range)
             << "' overlaps '" << formatRange(prev) << "'";
    return emitError(loc) << "attn-reuse-map: the 'groups' range '"
                          << formatRange(range) << "' comes after '"
                          << formatRange(prev)
                          << "'; list the ranges in ascending order";
  }
  return success();
}

/// Every explicit range must name existing layers.
LogicalResult
verifyRangesInBounds(Location loc, ArrayRef<LayerRange> ranges,
                     ArrayRef<SmallVector<AttentionLayer>> layersPerFunction) {
  int64_t lastIndex = -1;
  for (ArrayRef<AttentionLayer> layers : layersPerFunction)
    for (const AttentionLayer &layer : layers)
      lastIndex = std::max(lastIndex, layer.index);
  for (const LayerRange &range : ranges) {
    if (range.last <= lastIndex)
      continue;
    InFlightDiagnostic diag = emitError(loc)
                              << "attn-reuse-map: the 'groups' range '"
                              << formatRange(range) << "' is out of bounds: ";
    if (lastIndex < 0)
      return diag << "the module has no attention layers";
    return diag << "the attention layers are numbered 0 to " << lastIndex;
  }
  return success();
}

/// The runs of consecutive layers (positions in `layers`) that the options
/// ask to share a map, before checking whether they can.
SmallVector<SmallVector<unsigned>>
formCandidateGroups(ArrayRef<AttentionLayer> layers,
                    const ReuseMapOptions &options) {
  SmallVector<SmallVector<unsigned>> groups;
  if (options.groups.empty()) {
    for (unsigned pos = 0; pos < layers.size(); ++pos) {
      if (pos % options.groupSize == 0)
        groups.emplace_back();
      groups.back().push_back(pos);
    }
    return groups;
  }
  const LayerRange *open = nullptr;
  for (unsigned pos = 0; pos < layers.size(); ++pos) {
    const LayerRange *range = llvm::find_if(options.groups, [&](auto &r) {
      return r.first <= layers[pos].index && layers[pos].index <= r.last;
    });
    if (range == options.groups.end()) {
      groups.push_back({pos}); // Outside every range: keeps its own map.
      open = nullptr;
      continue;
    }
    if (range != open)
      groups.emplace_back();
    groups.back().push_back(pos);
    open = range;
  }
  return groups;
}

/// `layer 2`: the layer that computes `map`, for remarks.
std::string describeMapOwner(MutableArrayRef<AttentionLayer> layers,
                             Value map) {
  for (AttentionLayer &layer : layers)
    if (layer.apply && layer.apply.getMap() == map && layer.computesOwnMap())
      return layer.describe();
  return "another layer";
}

/// Makes the later layers of one candidate group apply the map of its first
/// layer; a layer that cannot starts a new group (remark).
LogicalResult reuseInGroup(MutableArrayRef<AttentionLayer> layers,
                           ArrayRef<unsigned> group, reuse::MapSharer &sharer,
                           unsigned valueExpansion, DominanceInfo &domInfo) {
  AttentionLayer *leader = nullptr;
  for (unsigned pos : group) {
    AttentionLayer &layer = layers[pos];
    if (reuse::readsForeignMap(layer)) {
      // Made to share by an earlier run: left alone. It continues the open
      // group only if it reads that group's map.
      Value map = layer.apply.getMap();
      if (leader && leader->apply && leader->apply.getMap() == map)
        continue;
      if (leader)
        emitRemark(layer.merge.getLoc())
            << layer.describe() << " ends the group of " << leader->describe()
            << ": it already applies the map of "
            << describeMapOwner(layers, map) << " and is left alone";
      leader = nullptr;
      continue;
    }
    if (!leader) {
      leader = &layer;
      continue;
    }
    std::string why =
        reuse::whyCannotShare(*leader, layer, valueExpansion, domInfo);
    if (!why.empty()) {
      emitRemark(layer.merge.getLoc())
          << layer.describe() << " starts a new group: " << why;
      leader = &layer;
      continue;
    }
    if (failed(sharer.share(layer, sharer.materializeMap(*leader))))
      return failure();
  }
  return success();
}

struct AttnReuseMapPass
    : public attn::impl::AttnReuseMapBase<AttnReuseMapPass> {
  using AttnReuseMapBase::AttnReuseMapBase;

  void runOnOperation() override {
    ReuseMapOptions options;
    options.groupSize = groupSize;
    options.valueExpansion = valueExpansion;
    if (failed(parseLayerRanges(groups, getOperation().getLoc(),
                                options.groups)) ||
        failed(reuseAttentionMaps(getOperation(), options)))
      signalPassFailure();
  }
};
} // namespace

LogicalResult mlir::attn::reuseAttentionMaps(Operation *root,
                                             const ReuseMapOptions &options) {
  auto module = dyn_cast<ModuleOp>(root);
  if (!module)
    return root->emitError("attn-reuse-map: expected a builtin.module");
  if (failed(verifyOptions(module.getLoc(), options)) ||
      failed(decomposeMhaOps(module)))
    return failure();

  SmallVector<SmallVector<AttentionLayer>> layersPerFunction;
  for (auto function : module.getOps<FunctionOpInterface>())
    layersPerFunction.push_back(collectAttentionLayers(function));
  if (failed(verifyRangesInBounds(module.getLoc(), options.groups,
                                  layersPerFunction)))
    return failure();

  // Rewrites only add and remove ops inside existing blocks, so dominance
  // computed once stays valid.
  DominanceInfo domInfo(module);
  reuse::MapSharer sharer(module, options.valueExpansion);
  for (MutableArrayRef<AttentionLayer> layers : layersPerFunction)
    for (ArrayRef<unsigned> group : formCandidateGroups(layers, options))
      if (failed(reuseInGroup(layers, group, sharer, options.valueExpansion,
                              domInfo)))
        return failure();
  sharer.eraseDeadOps();
  eraseUnusedParams(module);
  return success();
}
