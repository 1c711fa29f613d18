//===- ToMgk.cpp - mixture of Gaussian keys (Transformer-MGK) -------------===//
//
// Rewrites attention maps to Transformer-MGK (Nguyen et al., METHODS.md
// section 5): each head gets R key components and the map becomes
//
//   keys = [B, H', R, Tk, dk]   (R projections, or one shifted R times)
//   map  = attn.mgk_scores q, keys, pi [H', R] mask(..) sigma_sq(..) causal
//   out  = attn.apply map, v
//
// With a new head count H' != H the query, value and output projections are
// rebuilt with H' heads of the same width (the paper's 4-head MGK against
// 8-head softmax attention keeps dk and drops heads).
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Dialect/Attn/Utils/AttentionLayers.h"
#include "attn/Dialect/Attn/Utils/Params.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTOMGK
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// `type` with dimension `dim` set to `size`.
RankedTensorType withDim(RankedTensorType type, unsigned dim, int64_t size) {
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] = size;
  return type.clone(shape);
}

/// Heads [B, H, T, d] -> keys [B, H, R, T, d].
RankedTensorType insertComponentAxis(RankedTensorType heads, int64_t numKeys) {
  SmallVector<int64_t> shape(heads.getShape());
  shape.insert(shape.begin() + 2, numKeys);
  return heads.clone(shape);
}

/// Whether `value` loads a parameter of static shape (so that new ones can
/// be named after it and shaped like it).
bool isStaticParam(Value value) {
  ml_program::GlobalOp global = getParamGlobal(value);
  auto type = global ? dyn_cast<RankedTensorType>(global.getType()) : nullptr;
  return type && type.hasStaticShape();
}

/// What the new map keeps of the old one, and its variance.
struct MapFlags {
  Value mask;
  bool causal;
  double scale;
  float sigmaSq;
};

MapFlags getMapFlags(AttentionLayer &owner, const MgkOptions &options) {
  MapFlags flags;
  if (owner.attend) {
    flags.scale = owner.attend.getScaleValue();
    flags.mask = owner.attend.getMask();
    flags.causal = owner.attend.getCausal();
  } else {
    auto scores = cast<ScoresOp>(owner.mapOp);
    flags.scale = scores.getScaleValue();
    flags.mask = scores.getMask();
    flags.causal = scores.getCausal();
  }
  // exp(-|q - k|^2 / (2 sigma^2)) carries exp(q.k / sigma^2): sigma^2 =
  // 1/scale keeps the layer's softmax temperature (sqrt(dk) by default).
  flags.sigmaSq = static_cast<float>(options.sigmaSq > 0.0 ? options.sigmaSq
                                                           : 1.0 / flags.scale);
  return flags;
}

/// One attention map and the layers that apply it: the layer that computes
/// it first, then the layers reusing it (attention-map reuse).
struct MapGroup {
  AttentionLayer *owner;
  SmallVector<AttentionLayer *> readers;

  /// attn.scores or attn.attend.
  Operation *mapOp() const {
    return owner->attend ? owner->attend.getOperation() : owner->mapOp;
  }
};

class MgkRewriter {
public:
  MgkRewriter(ModuleOp module, const MgkOptions &options)
      : module(module), options(options), params(module) {}

  /// Rewrites the map of `group`, or leaves it with a remark. Fails only on
  /// errors (already emitted).
  LogicalResult rewriteGroup(const MapGroup &group);

  /// Erases what the rewrites replaced and the parameters nothing reads.
  void finish();

private:
  /// "" if `group` can be rewritten, else why not (for a remark). Emits an
  /// error and fails when the options do not fit the layer.
  FailureOr<std::string> check(const MapGroup &group);

  /// A new "train"-or-derived parameter named `prefix + leaf`, loaded at the
  /// builder's insertion point.
  FailureOr<Value> newParam(OpBuilder &builder, Location loc, StringRef prefix,
                            StringRef leaf, RankedTensorType type,
                            StringRef init);

  /// A new projection of `input` to `heads` heads as wide as `like`'s, with
  /// parameters `w<role>_mgk<suffix>` (and `b<role>_mgk<suffix>` if `like`
  /// has a bias): copies of `like`'s when `copyOriginal`, else "train".
  FailureOr<Value> newProjection(OpBuilder &builder, Location loc, Value input,
                                 ProjectOp like, StringRef role,
                                 StringRef suffix, int64_t heads,
                                 bool copyOriginal);

  /// keys [B, H', R, Tk, dk] for the owner of `group`.
  FailureOr<Value> buildKeys(OpBuilder &builder, const MapGroup &group,
                             int64_t heads);

  ModuleOp module;
  MgkOptions options;
  ParamCreator params;
  /// Replaced ops, erased at the end once nothing uses them.
  SmallVector<Operation *> dead;
};

} // namespace

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//

FailureOr<std::string> MgkRewriter::check(const MapGroup &group) {
  AttentionLayer &owner = *group.owner;
  std::string why;
  llvm::raw_string_ostream os(why);
  if (isa_and_nonnull<MgkScoresOp>(owner.mapOp)) {
    os << "its map already is a mixture of Gaussian keys (attn.mgk_scores)";
    return why;
  }
  if (!owner.attend && !isa<ScoresOp>(owner.mapOp)) {
    os << "its map comes from '" << owner.mapOp->getName()
       << "', not from attn.scores or attn.attend";
    return why;
  }
  for (auto [heads, noun] :
       {std::pair(owner.query, "query"), std::pair(owner.key, "key")}) {
    if (heads.getDefiningOp<ProjectOp>())
      continue;
    os << "its " << noun << " heads do not come from attn.project but from ";
    if (Operation *producer = heads.getDefiningOp())
      os << "'" << producer->getName() << "'";
    else
      os << "a block argument";
    return why;
  }
  if (owner.value == owner.key) {
    os << "its values are its keys (key-value tying); with R key components "
          "there is no single key projection to tie them to";
    return why;
  }
  ProjectOp keyProj = owner.keyProj;
  if (!isStaticParam(keyProj.getWeight())) {
    os << "its key weight is not a statically shaped model parameter";
    return why;
  }

  MapFlags flags = getMapFlags(owner, options);
  if (!(flags.sigmaSq > 0.0f) || !std::isfinite(flags.sigmaSq)) {
    os << "its softmax scale " << flags.scale
       << " gives no positive, finite variance 1/scale; set sigma-sq";
    return why;
  }
  // New biases are derived from the old ones, which must have a name.
  if (keyProj.getBias() && !getParamName(keyProj.getBias())) {
    os << "its key bias is not a model parameter";
    return why;
  }

  int64_t heads = keyProj.getNumHeads();
  int64_t newHeads = options.numHeads ? options.numHeads : heads;
  if (newHeads == heads)
    return why;

  // A new head count rebuilds every projection of every layer reading the
  // map; a mask must not depend on the head.
  if (Value mask = owner.attend ? owner.attend.getMask()
                                : cast<ScoresOp>(owner.mapOp).getMask()) {
    ArrayRef<int64_t> shape = tensorType(mask).getShape();
    if (shape.size() >= 3 && shape[shape.size() - 3] != 1)
      return group.mapOp()->emitError()
             << owner.describe() << ": num-heads=" << newHeads
             << " does not fit: the layer has " << heads
             << " heads and its mask " << mask.getType()
             << " has a head dimension of size "
             << (ShapedType::isDynamic(shape[shape.size() - 3])
                     ? std::string("?")
                     : std::to_string(shape[shape.size() - 3]))
             << "; only a mask that broadcasts over heads (size 1) fits any "
                "head count";
  }
  if (!owner.attend) {
    for (Operation *user : owner.mapOp->getResult(0).getUsers()) {
      if (llvm::none_of(group.readers, [&](AttentionLayer *layer) {
            return layer->apply.getOperation() == user;
          })) {
        os << "its map is also read by '" << user->getName()
           << "', which would not see the new head count";
        return why;
      }
    }
  }
  for (AttentionLayer *layer : group.readers) {
    std::string who = layer == group.owner
                          ? std::string("it")
                          : layer->describe() + ", which reuses its map,";
    if (!layer->valueProj) {
      os << who << " has value heads that do not come from attn.project";
      return why;
    }
    auto isParamOrNull = [](Value value) {
      return !value || getParamName(value);
    };
    if (!isStaticParam(layer->valueProj.getWeight()) ||
        !isStaticParam(layer->merge.getWeight()) ||
        !isStaticParam(owner.queryProj.getWeight()) ||
        !isParamOrNull(layer->valueProj.getBias()) ||
        !isParamOrNull(owner.queryProj.getBias())) {
      os << who
         << " has query, value or output weights or biases that are not "
            "statically shaped model parameters";
      return why;
    }
  }
  return why;
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

FailureOr<Value> MgkRewriter::newParam(OpBuilder &builder, Location loc,
                                       StringRef prefix, StringRef leaf,
                                       RankedTensorType type, StringRef init) {
  FailureOr<ml_program::GlobalOp> global =
      params.getOrCreate(loc, (prefix + leaf).str(), type, init);
  if (failed(global))
    return failure();
  return loadParam(builder, loc, *global);
}

FailureOr<Value> MgkRewriter::newProjection(OpBuilder &builder, Location loc,
                                            Value input, ProjectOp like,
                                            StringRef role, StringRef suffix,
                                            int64_t heads, bool copyOriginal) {
  auto weightType = tensorType(like.getWeight());
  int64_t headDim =
      weightType.getDimSize(1) / static_cast<int64_t>(like.getNumHeads());
  int64_t width = heads * headDim;
  ml_program::GlobalOp weight = getParamGlobal(like.getWeight());
  StringRef prefix = getParamPrefix(weight.getSymName());
  std::string init =
      copyOriginal ? *deriveInit(weight, "copy") : std::string("train");
  FailureOr<Value> w =
      newParam(builder, loc, prefix, ("w" + role + "_mgk" + suffix).str(),
               RankedTensorType::get({weightType.getDimSize(0), width},
                                     weightType.getElementType()),
               init);
  if (failed(w))
    return failure();
  Value bias;
  if (Value oldBias = like.getBias()) {
    ml_program::GlobalOp source = getParamGlobal(oldBias);
    StringRef biasPrefix =
        source ? getParamPrefix(source.getSymName()) : prefix;
    std::string biasInit = copyOriginal && source ? *deriveInit(source, "copy")
                                                  : std::string("train");
    FailureOr<Value> b = newParam(
        builder, loc, biasPrefix, ("b" + role + "_mgk" + suffix).str(),
        RankedTensorType::get({width}, tensorType(oldBias).getElementType()),
        biasInit);
    if (failed(b))
      return failure();
    bias = *b;
  }
  RankedTensorType type = withDim(tensorType(like.getResult()), 1, heads);
  type = withDim(type, 2, tensorType(input).getDimSize(1));
  return ProjectOp::create(builder, loc, type, input, *w, bias, heads)
      .getResult();
}

FailureOr<Value> MgkRewriter::buildKeys(OpBuilder &builder,
                                        const MapGroup &group, int64_t heads) {
  AttentionLayer &owner = *group.owner;
  ProjectOp keyProj = owner.keyProj;
  Location loc = keyProj.getLoc();
  int64_t numKeys = options.numKeys;
  bool sameHeads = heads == static_cast<int64_t>(keyProj.getNumHeads());
  ml_program::GlobalOp wk = getParamGlobal(keyProj.getWeight());
  StringRef prefix = getParamPrefix(wk.getSymName());

  if (!options.shifted) {
    // MGK: one projection per component; component 0 starts as the
    // original keys, the others must be trained apart from it.
    SmallVector<Value> components;
    SmallVector<OpFoldResult> sizes;
    for (int64_t r = 0; r < numKeys; ++r) {
      FailureOr<Value> k = newProjection(builder, loc, keyProj.getInput(),
                                         keyProj, "k", std::to_string(r), heads,
                                         /*copyOriginal=*/sameHeads && r == 0);
      if (failed(k))
        return failure();
      // [B, H', Tk, dk] -> [B, H', 1, Tk, dk]; all components have the
      // sizes of the first.
      if (sizes.empty()) {
        sizes = tensor::getMixedSizes(builder, loc, *k);
        sizes.insert(sizes.begin() + 2, builder.getIndexAttr(1));
      }
      components.push_back(tensor::ExpandShapeOp::create(
          builder, loc, insertComponentAxis(tensorType(*k), 1), *k,
          ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}}, sizes));
    }
    if (components.size() == 1)
      return components.front();
    return tensor::ConcatOp::create(builder, loc, /*dim=*/2, components)
        .getResult();
  }

  // sMGK: keys_r = k + shift_r, one projection shifted per component.
  Value key = keyProj.getResult();
  if (!sameHeads) {
    FailureOr<Value> k =
        newProjection(builder, loc, keyProj.getInput(), keyProj, "k", "", heads,
                      /*copyOriginal=*/false);
    if (failed(k))
      return failure();
    key = *k;
  }
  RankedTensorType keyType = tensorType(key);
  int64_t headDim = keyType.getDimSize(3);
  Type element = keyType.getElementType();
  // Zero offsets would make the components identical, and gradient descent
  // keeps identical components identical: they must be trained apart.
  FailureOr<Value> shift = newParam(
      builder, loc, prefix, "k_shift",
      RankedTensorType::get({numKeys, heads * headDim}, element), "train");
  if (failed(shift))
    return failure();
  Value shift3 = tensor::ExpandShapeOp::create(
      builder, loc, RankedTensorType::get({numKeys, heads, headDim}, element),
      *shift, ArrayRef<ReassociationIndices>{{0}, {1, 2}});

  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(builder, loc, key);
  sizes.insert(sizes.begin() + 2, builder.getIndexAttr(numKeys));
  Value init = tensor::EmptyOp::create(builder, loc, sizes, element);
  MLIRContext *ctx = builder.getContext();
  AffineExpr b, h, r, t, d;
  bindDims(ctx, b, h, r, t, d);
  SmallVector<AffineMap> maps = {AffineMap::get(5, 0, {b, h, t, d}, ctx),
                                 AffineMap::get(5, 0, {r, h, d}, ctx),
                                 AffineMap::getMultiDimIdentityMap(5, ctx)};
  SmallVector<utils::IteratorType> iterators(5, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      builder, loc, TypeRange{init.getType()}, ValueRange{key, shift3},
      ValueRange{init}, maps, iterators,
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value sum = arith::AddFOp::create(nested, nestedLoc, args[0], args[1]);
        linalg::YieldOp::create(nested, nestedLoc, sum);
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Rewrite
//===----------------------------------------------------------------------===//

LogicalResult MgkRewriter::rewriteGroup(const MapGroup &group) {
  FailureOr<std::string> why = check(group);
  if (failed(why))
    return failure();
  AttentionLayer &owner = *group.owner;
  Operation *mapOp = group.mapOp();
  if (!why->empty()) {
    mapOp->emitRemark() << owner.describe() << ": " << *why
                        << "; left unchanged";
    return success();
  }

  int64_t heads = owner.keyProj.getNumHeads();
  int64_t newHeads = options.numHeads ? options.numHeads : heads;
  bool sameHeads = newHeads == heads;
  Location loc = mapOp->getLoc();
  OpBuilder builder(mapOp);

  Value query = owner.query;
  if (!sameHeads) {
    FailureOr<Value> q = newProjection(
        builder, owner.queryProj.getLoc(), owner.queryProj.getInput(),
        owner.queryProj, "q", "", newHeads, /*copyOriginal=*/false);
    if (failed(q))
      return failure();
    query = *q;
  }
  FailureOr<Value> keys = buildKeys(builder, group, newHeads);
  if (failed(keys))
    return failure();

  // Equal weights: pi only enters through the normalised ratio, so "ones"
  // is exactly the uniform mixture 1/R.
  ml_program::GlobalOp wk = getParamGlobal(owner.keyProj.getWeight());
  FailureOr<Value> pi =
      newParam(builder, loc, getParamPrefix(wk.getSymName()), "mgk_pi",
               RankedTensorType::get({newHeads, options.numKeys},
                                     tensorType(owner.key).getElementType()),
               "ones");
  if (failed(pi))
    return failure();

  MapFlags flags = getMapFlags(owner, options);
  RankedTensorType queryType = tensorType(query);
  auto mapType = RankedTensorType::get({queryType.getDimSize(0), newHeads,
                                        queryType.getDimSize(2),
                                        tensorType(*keys).getDimSize(3)},
                                       queryType.getElementType());
  Value map =
      MgkScoresOp::create(builder, loc, mapType, query, *keys, *pi, flags.mask,
                          builder.getF32FloatAttr(flags.sigmaSq),
                          flags.causal ? builder.getUnitAttr() : nullptr);
  dead.push_back(mapOp);

  if (sameHeads && !owner.attend) {
    // Every reader's attn.apply keeps its values and its type.
    owner.mapOp->getResult(0).replaceAllUsesWith(map);
    return success();
  }
  for (AttentionLayer *layer : group.readers) {
    Value value = layer->value;
    Operation *anchor = layer->attend ? layer->attend.getOperation()
                                      : layer->apply.getOperation();
    builder.setInsertionPoint(anchor);
    if (!sameHeads) {
      ProjectOp valueProj = layer->valueProj;
      FailureOr<Value> v =
          newProjection(builder, valueProj.getLoc(), valueProj.getInput(),
                        valueProj, "v", "", newHeads, /*copyOriginal=*/false);
      if (failed(v))
        return failure();
      value = *v;
    }
    RankedTensorType valueType = tensorType(value);
    auto outType =
        RankedTensorType::get({mapType.getDimSize(0), newHeads,
                               mapType.getDimSize(2), valueType.getDimSize(3)},
                              mapType.getElementType());
    Value out = ApplyOp::create(builder, anchor->getLoc(), outType, map, value);
    if (sameHeads) {
      anchor->getResult(0).replaceAllUsesWith(out);
      continue;
    }
    // H' heads of dv: the output projection becomes [H'*dv, D].
    MergeOp merge = layer->merge;
    builder.setInsertionPoint(merge);
    auto woType = tensorType(merge.getWeight());
    ml_program::GlobalOp wo = getParamGlobal(merge.getWeight());
    FailureOr<Value> newWo = newParam(
        builder, merge.getLoc(), getParamPrefix(wo.getSymName()), "wo_mgk",
        RankedTensorType::get(
            {newHeads * valueType.getDimSize(3), woType.getDimSize(1)},
            woType.getElementType()),
        "train");
    if (failed(newWo))
      return failure();
    Value merged = MergeOp::create(builder, merge.getLoc(), merge.getType(),
                                   out, *newWo, merge.getBias());
    merge.getResult().replaceAllUsesWith(merged);
    dead.push_back(merge);
    dead.push_back(anchor);
  }
  return success();
}

void MgkRewriter::finish() {
  // The replaced ops, then whatever fed only them (old projections).
  SmallVector<Operation *> worklist(dead.rbegin(), dead.rend());
  llvm::SmallPtrSet<Operation *, 16> erased;
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (erased.contains(op) || !op->use_empty())
      continue;
    SmallVector<Operation *> producers;
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        if (isa<ProjectOp, ScoresOp, AttendOp, ApplyOp, MergeOp>(producer))
          producers.push_back(producer);
    op->erase();
    erased.insert(op);
    worklist.append(producers.begin(), producers.end());
  }
  eraseUnusedParams(module);
}

LogicalResult
mlir::attn::convertToMixtureOfGaussianKeys(Operation *root,
                                           const MgkOptions &options) {
  auto module = cast<ModuleOp>(root);
  SmallVector<AttentionLayer> layers = collectAttentionLayers(module);
  SmallVector<MapGroup> groups;
  for (AttentionLayer &layer : layers) {
    if (!layer.computesOwnMap())
      continue;
    MapGroup group{&layer, {}};
    for (AttentionLayer &reader : layers)
      if (&reader == &layer || (!layer.attend && reader.mapOp == layer.mapOp))
        group.readers.push_back(&reader);
    groups.push_back(std::move(group));
  }
  MgkRewriter rewriter(module, options);
  for (const MapGroup &group : groups)
    if (failed(rewriter.rewriteGroup(group)))
      return failure();
  rewriter.finish();
  return success();
}

namespace {
struct AttnToMgkPass : public attn::impl::AttnToMgkBase<AttnToMgkPass> {
  using AttnToMgkBase::AttnToMgkBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (numKeys == 0) {
      module.emitError() << "attn-to-mgk: num-keys must be at least 1";
      return signalPassFailure();
    }
    float sigmaSqF32 = static_cast<float>(sigmaSq);
    if (sigmaSq < 0.0 || !std::isfinite(sigmaSqF32) ||
        (sigmaSq > 0.0 && sigmaSqF32 == 0.0f)) {
      module.emitError() << "attn-to-mgk: sigma-sq must be a positive, "
                            "finite f32 (or 0 for the layer's softmax "
                            "scale), got "
                         << sigmaSq;
      return signalPassFailure();
    }
    MgkOptions options;
    options.numKeys = numKeys;
    options.numHeads = numHeads;
    options.shifted = shifted;
    options.sigmaSq = sigmaSq;
    if (failed(decomposeMhaOps(module)) ||
        failed(convertToMixtureOfGaussianKeys(module, options)))
      signalPassFailure();
  }
};
} // namespace
