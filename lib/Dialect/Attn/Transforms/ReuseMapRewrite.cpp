//===- ReuseMapRewrite.cpp - attention-map reuse rewrites -----------------===//
//
// A later layer of a group applies the first layer's map to its own values:
// SA_h^i = A_h^first V_h^i (Shim et al.). It may do so only if that map has
// the shape its own map would have, was computed under the same mask and
// causal flag, and is available where the layer needs it.
//
//===----------------------------------------------------------------------===//

#include "ReuseMapRewrite.h"

#include "attn/Dialect/Attn/Utils/Params.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::reuse;

namespace {
/// What decides a map besides the query and key: its mask and causal flag.
struct MapTerms {
  Value mask;
  bool causal = false;
};

/// The mask and causal flag of the map `layer` computes, or nullopt if it
/// comes from an op that is not attn.scores / attn.mgk_scores / attn.attend.
std::optional<MapTerms> getMapTerms(AttentionLayer &layer) {
  if (layer.attend)
    return MapTerms{layer.attend.getMask(), layer.attend.getCausal()};
  if (auto scores = dyn_cast<ScoresOp>(layer.mapOp))
    return MapTerms{scores.getMask(), scores.getCausal()};
  if (auto mgk = dyn_cast<MgkScoresOp>(layer.mapOp))
    return MapTerms{mgk.getMask(), mgk.getCausal()};
  return std::nullopt;
}

/// The op producing the layer's heads: its attn.apply or attn.attend.
Operation *getHeadsOp(AttentionLayer &layer) {
  if (layer.apply)
    return layer.apply;
  return layer.attend;
}

/// The map [B, H, Tq, Tk] the layer computes (fused: would compute).
RankedTensorType getMapType(AttentionLayer &layer) {
  if (layer.apply)
    return cast<RankedTensorType>(layer.apply.getMap().getType());
  auto q = cast<RankedTensorType>(layer.attend.getQuery().getType());
  auto k = cast<RankedTensorType>(layer.attend.getKey().getType());
  auto known = [](int64_t a, int64_t b) {
    return ShapedType::isDynamic(a) ? b : a;
  };
  return RankedTensorType::get({known(q.getDimSize(0), k.getDimSize(0)),
                                known(q.getDimSize(1), k.getDimSize(1)),
                                q.getDimSize(2), k.getDimSize(2)},
                               q.getElementType());
}

/// The value whose batch and sequence extents `value` carries at run time:
/// walks back through ops that keep [B, T] (projections, norms, feed-forward,
/// elementwise residuals, whole attention sublayers). Two dynamic sizes are
/// provably equal when they trace back to the same value.
Value traceSequenceSource(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    Value next =
        TypeSwitch<Operation *, Value>(def)
            .Case<ProjectOp, HeadEmbedOp, LayerNormOp, FfnOp, SeqMlpOp,
                  HeadSeqMlpOp>([](auto op) -> Value { return op.getInput(); })
            .Case<ScoresOp, MgkScoresOp, AttendOp>(
                [](auto op) -> Value { return op.getQuery(); })
            .Case([](ApplyOp op) -> Value { return op.getMap(); })
            .Case([](MergeOp op) -> Value { return op.getHeads(); })
            .Default([](Operation *op) -> Value {
              // Elementwise ops on tensors need equal shapes at run time.
              if (op->hasTrait<OpTrait::Elementwise>() &&
                  op->getNumResults() == 1 && op->getNumOperands() > 0 &&
                  op->getOperand(0).getType() == op->getResult(0).getType())
                return op->getOperand(0);
              return nullptr;
            });
    if (!next)
      break;
    value = next;
  }
  return value;
}

std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

/// Why the layer's values cannot be widened, or "".
std::string whyCannotWiden(AttentionLayer &layer) {
  if (!layer.valueProj)
    return "its values are not an attn.project";
  if (!getParamGlobal(layer.valueProj.getWeight()))
    return "its value weight is not a parameter";
  if (layer.valueProj.getBias() && !getParamGlobal(layer.valueProj.getBias()))
    return "its value bias is not a parameter";
  if (!getParamGlobal(layer.merge.getWeight()))
    return "its output weight is not a parameter";
  if (!getHeadsOp(layer)->getResult(0).hasOneUse())
    return "its heads have other users than its output projection";
  return "";
}

/// `type` with dimension `dim` multiplied by `factor` (dynamic stays so).
RankedTensorType widenDim(Type type, unsigned dim, unsigned factor) {
  auto ranked = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(ranked.getShape());
  if (!ShapedType::isDynamic(shape[dim]))
    shape[dim] *= factor;
  return RankedTensorType::get(shape, ranked.getElementType());
}
} // namespace

bool reuse::readsForeignMap(AttentionLayer &layer) {
  return layer.apply && !layer.computesOwnMap();
}

std::string reuse::whyCannotShare(AttentionLayer &leader,
                                  AttentionLayer &follower,
                                  unsigned valueExpansion,
                                  DominanceInfo &domInfo) {
  std::string other = leader.describe();
  std::optional<MapTerms> leaderTerms = getMapTerms(leader);
  std::optional<MapTerms> terms = getMapTerms(follower);
  if (!leaderTerms)
    return other + "'s map is not computed by attn.scores or attn.mgk_scores";
  if (!terms)
    return "its map is not computed by attn.scores or attn.mgk_scores";
  if (follower.apply && !follower.apply.getMap().hasOneUse()) {
    bool applied =
        llvm::any_of(follower.apply.getMap().getUsers(), [&](Operation *user) {
          return isa<ApplyOp>(user) && user != follower.apply;
        });
    return applied ? "its own map is already applied by another layer"
                   : "its own map has other users";
  }

  RankedTensorType leaderType = getMapType(leader);
  RankedTensorType type = getMapType(follower);
  if (leaderType.getDimSize(1) != type.getDimSize(1))
    return llvm::formatv("it has {0} heads but {1} has {2}", type.getDimSize(1),
                         other, leaderType.getDimSize(1))
        .str();
  if (leaderType != type)
    return "its map " + typeToString(type) + " differs from " + other +
           "'s map " + typeToString(leaderType);
  if (terms->mask != leaderTerms->mask) {
    if (!terms->mask)
      return "it has no mask but " + other + " has one";
    if (!leaderTerms->mask)
      return "it has a mask but " + other + " has none";
    return "its mask differs from " + other + "'s";
  }
  if (terms->causal != leaderTerms->causal)
    return terms->causal ? "it is causal but " + other + " is not"
                         : "it is not causal but " + other + " is";

  // Equal dynamic types do not mean equal sizes: ask for a common source.
  if ((type.isDynamicDim(0) || type.isDynamicDim(2)) &&
      traceSequenceSource(getHeadsOp(follower)->getResult(0)) !=
          traceSequenceSource(getHeadsOp(leader)->getResult(0)))
    return "its dynamic query length or batch size may differ from " + other +
           "'s (the queries come from different values)";
  if (type.isDynamicDim(3) &&
      traceSequenceSource(follower.value) != traceSequenceSource(leader.value))
    return "its dynamic key length may differ from " + other +
           "'s (the keys come from different values)";

  Operation *leaderAnchor =
      leader.apply ? leader.mapOp : leader.attend.getOperation();
  if (!domInfo.properlyDominates(leaderAnchor, getHeadsOp(follower)))
    return other + "'s map does not dominate it";
  // Users of one map in several blocks cannot be ordered, and the order is
  // what tells the layer that owns a map from those that reuse it.
  if (leaderAnchor->getBlock() != getHeadsOp(follower)->getBlock())
    return "it is in another block than " + other + "'s map";

  if (valueExpansion > 1) {
    std::string why = whyCannotWiden(follower);
    if (!why.empty())
      return llvm::formatv("{0}, so value-expansion={1} cannot widen its "
                           "values",
                           why, valueExpansion)
          .str();
  }
  return "";
}

Value MapSharer::materializeMap(AttentionLayer &leader) {
  if (leader.apply)
    return leader.apply.getMap();
  AttendOp attend = leader.attend;
  OpBuilder builder(attend);
  auto scores =
      ScoresOp::create(builder, attend.getLoc(), getMapType(leader),
                       attend.getQuery(), attend.getKey(), attend.getMask(),
                       attend.getCausal(), attend.getScaleAttr());
  auto apply = ApplyOp::create(builder, attend.getLoc(), attend.getType(),
                               scores.getResult(), attend.getValue());
  attend.replaceAllUsesWith(apply.getResult());
  attend.erase();
  leader.attend = nullptr;
  leader.apply = apply;
  leader.mapOp = scores;
  return scores.getResult();
}

ml_program::GlobalOp MapSharer::getWidened(ml_program::GlobalOp old,
                                           StringRef role,
                                           RankedTensorType type,
                                           Location loc) {
  ml_program::GlobalOp &wide = widened[{old, role}];
  if (wide)
    return wide;
  // `layers.3.attn.wv` -> `layers.3.attn.wv_e2`; a tied layer's values come
  // from its `wk`, the new parameter is still its value weight.
  StringRef name = old.getSymName();
  std::string prefix = getParamPrefix(name).str();
  if (prefix.empty())
    prefix = (name + ".").str();
  std::string wideName =
      llvm::formatv("{0}{1}_e{2}", prefix, role, valueExpansion).str();
  wide = createParam(module, loc, wideName, type, "train");
  return wide;
}

LogicalResult MapSharer::share(AttentionLayer &follower, Value map) {
  Operation *headsOp = getHeadsOp(follower);
  Location loc = headsOp->getLoc();
  OpBuilder builder(headsOp);
  if (valueExpansion == 1) {
    if (follower.apply) {
      maybeDead.push_back(follower.mapOp);
      follower.apply.getMapMutable().set(map);
    } else {
      auto apply = ApplyOp::create(builder, loc, follower.attend.getType(), map,
                                   follower.attend.getValue());
      follower.attend.replaceAllUsesWith(apply.getResult());
      maybeDead.push_back(follower.attend);
      follower.attend = nullptr;
      follower.apply = apply;
    }
    follower.mapOp = map.getDefiningOp();
    follower.query = follower.key = nullptr;
    follower.queryProj = follower.keyProj = nullptr;
    return success();
  }

  // Value expansion: new value projection [D, E*H*dv] (+ bias), wide heads,
  // and an output projection [E*H*dv, D] that reads them. bo stays.
  ProjectOp valueProj = follower.valueProj;
  MergeOp merge = follower.merge;
  Location mergeLoc = merge.getLoc();
  ml_program::GlobalOp wv = getWidened(
      getParamGlobal(valueProj.getWeight()), "wv",
      widenDim(valueProj.getWeight().getType(), 1, valueExpansion), mergeLoc);
  ml_program::GlobalOp bv;
  if (Value bias = valueProj.getBias())
    bv = getWidened(getParamGlobal(bias), "bv",
                    widenDim(bias.getType(), 0, valueExpansion), mergeLoc);
  ml_program::GlobalOp wo = getWidened(
      getParamGlobal(merge.getWeight()), "wo",
      widenDim(merge.getWeight().getType(), 0, valueExpansion), mergeLoc);
  if (!wv || (valueProj.getBias() && !bv) || !wo)
    return failure();

  OpBuilder valueBuilder(valueProj);
  Value wvLoad = loadParam(valueBuilder, valueProj.getLoc(), wv);
  Value bvLoad = bv ? loadParam(valueBuilder, valueProj.getLoc(), bv) : Value();
  auto values = ProjectOp::create(
      valueBuilder, valueProj.getLoc(),
      widenDim(valueProj.getType(), 3, valueExpansion), valueProj.getInput(),
      wvLoad, bvLoad, valueProj.getNumHeads());
  auto apply = ApplyOp::create(
      builder, loc,
      widenDim(headsOp->getResult(0).getType(), 3, valueExpansion), map,
      values.getResult());
  builder.setInsertionPoint(merge);
  Value woLoad = loadParam(builder, mergeLoc, wo);
  auto wideMerge = MergeOp::create(builder, mergeLoc, merge.getType(),
                                   apply.getResult(), woLoad, merge.getBias());
  merge.replaceAllUsesWith(wideMerge.getResult());
  maybeDead.push_back(merge);

  follower.merge = wideMerge;
  follower.apply = apply;
  follower.attend = nullptr;
  follower.mapOp = map.getDefiningOp();
  follower.value = values.getResult();
  follower.valueProj = values;
  follower.query = follower.key = nullptr;
  follower.queryProj = follower.keyProj = nullptr;
  return success();
}

void MapSharer::eraseDeadOps() {
  // Only popped ops are erased, and an erased op has no users that could add
  // it back, so no op is visited after its erasure.
  llvm::SetVector<Operation *> worklist(maybeDead.begin(), maybeDead.end());
  maybeDead.clear();
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        worklist.insert(producer);
    op->erase();
  }
}
