//===- CostModel.cpp - parameters, state, FLOPs and bytes of a model ------===//
//
// The formulas and approximations are documented in CostModel.h; this file
// only applies them. Counting is done once per op; layers then sum the ops
// they own.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Analysis/CostModel.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Utils/AttentionLayers.h"
#include "attn/Dialect/Attn/Utils/Params.h"
#include "attn/Support/ModelDims.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <initializer_list>
#include <optional>

using namespace mlir;
using namespace mlir::attn;

namespace {
struct OpCost {
  int64_t flops = 0;
  int64_t bytes = 0;
  int64_t mapBytes = 0;
};

/// Counts in int64_t and remembers whether anything overflowed, so that a
/// huge seq-len gives an error instead of a wrong number.
class Counter {
public:
  int64_t mul(std::initializer_list<int64_t> factors) {
    int64_t result = 1;
    for (int64_t factor : factors)
      overflowed |=
          static_cast<bool>(llvm::MulOverflow(result, factor, result));
    return result;
  }
  int64_t add(std::initializer_list<int64_t> terms) {
    int64_t result = 0;
    for (int64_t term : terms)
      overflowed |= static_cast<bool>(llvm::AddOverflow(result, term, result));
    return result;
  }
  bool overflowed = false;
};

/// Resolves shapes (dynamic leading dim = batch = 1, any other dynamic dim =
/// T) and applies the per-op formulas.
class OpCounter {
public:
  OpCounter(int64_t seqLen, Counter &counter)
      : seqLen(seqLen), counter(counter) {}

  static int64_t resolveDim(int64_t dim, unsigned position, int64_t seqLen) {
    if (!ShapedType::isDynamic(dim))
      return dim;
    return position == 0 ? 1 : seqLen;
  }

  int64_t dim(Value value, unsigned position) const {
    auto type = cast<ShapedType>(value.getType());
    return resolveDim(type.getDimSize(position), position, seqLen);
  }

  int64_t elementBytes(Value value) const {
    Type element = getElementTypeOrSelf(value.getType());
    if (element.isIntOrFloat())
      return std::max<int64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
    return 8; // index and the like
  }

  int64_t elements(Value value) const {
    auto type = dyn_cast<ShapedType>(value.getType());
    if (!type || !type.hasRank())
      return 0;
    int64_t count = 1;
    for (unsigned i = 0, e = type.getRank(); i < e; ++i)
      count = counter.mul({count, dim(value, i)});
    return count;
  }

  /// Bytes of a tensor value (0 for scalars and absent operands).
  int64_t bytes(Value value) const {
    if (!value || !isa<ShapedType>(value.getType()))
      return 0;
    return counter.mul({elements(value), elementBytes(value)});
  }

  /// Bytes of a mask: its dynamic dimensions take the size of the map
  /// dimension [B, H, Tq, Tk] they broadcast against (right-aligned).
  int64_t maskBytes(Value mask, ArrayRef<int64_t> map) const {
    if (!mask)
      return 0;
    auto type = cast<ShapedType>(mask.getType());
    int64_t count = 1;
    int64_t offset = static_cast<int64_t>(map.size()) - type.getRank();
    for (int64_t i = 0, e = type.getRank(); i < e; ++i) {
      int64_t size = type.getDimSize(i);
      if (ShapedType::isDynamic(size))
        size = i + offset >= 0 ? map[i + offset] : seqLen;
      count = counter.mul({count, size});
    }
    return counter.mul({count, elementBytes(mask)});
  }

  int64_t sumBytes(ValueRange values) const {
    int64_t total = 0;
    for (Value value : values)
      total = counter.add({total, bytes(value)});
    return total;
  }

  /// Reads of all operands plus writes of all results.
  int64_t operandAndResultBytes(Operation *op) const {
    return counter.add(
        {sumBytes(op->getOperands()), sumBytes(op->getResults())});
  }

  /// The cost of `op`, or failure after an error (seq_mlp length limit).
  FailureOr<OpCost> cost(Operation *op);

private:
  OpCost mha(MhaOp op);
  OpCost scoresLike(Value query, Value key, Value mask, Value map,
                    int64_t components);
  FailureOr<OpCost> seqMlp(Operation *op, Value input, Value w0, Value w1,
                           int64_t maxLen, bool perHead);

  int64_t seqLen;
  Counter &counter;
};

OpCost OpCounter::scoresLike(Value query, Value key, Value mask, Value map,
                             int64_t components) {
  int64_t b = dim(map, 0), h = dim(map, 1), tq = dim(map, 2), tk = dim(map, 3);
  int64_t dk = dim(query, 3);
  int64_t keys = counter.mul({components, tk});
  OpCost cost;
  cost.flops =
      counter.add({counter.mul({2, b, h, tq, keys, dk}),
                   counter.mul({kSoftmaxFlopsPerElement, b, h, tq, keys})});
  cost.mapBytes = bytes(map);
  cost.bytes = counter.add(
      {bytes(query), bytes(key), maskBytes(mask, {b, h, tq, tk}), bytes(map)});
  return cost;
}

OpCost OpCounter::mha(MhaOp op) {
  Value query = op.getQuery(), kv = op.getKeyValue();
  int64_t b = dim(query, 0), tq = dim(query, 1), d = dim(query, 2);
  int64_t tk = dim(kv, 1);
  int64_t h = op.getNumHeads();
  int64_t qkWidth = dim(op.getWq(), 1), vWidth = dim(op.getWv(), 1);
  int64_t dk = qkWidth / h, dv = vWidth / h;
  int64_t out = dim(op.getWo(), 1);
  int64_t elem = elementBytes(query);
  auto activation = [&](std::initializer_list<int64_t> dims) {
    int64_t count = counter.mul(dims);
    return counter.mul({count, elem});
  };

  OpCost cost;
  cost.flops = counter.add({
      counter.mul({2, b, tq, d, qkWidth}), // Q projection
      counter.mul({2, b, tk, d, qkWidth}), // K projection
      counter.mul({2, b, tk, d, vWidth}),  // V projection
      counter.mul({2, b, h, tq, tk, dk}),  // q k^T
      counter.mul({kSoftmaxFlopsPerElement, b, h, tq, tk}),
      counter.mul({2, b, h, tq, tk, dv}),  // map x values
      counter.mul({2, b, tq, h, dv, out}), // merge
  });
  int64_t q = activation({b, tq, qkWidth}), k = activation({b, tk, qkWidth});
  int64_t v = activation({b, tk, vWidth}), map = activation({b, h, tq, tk});
  int64_t heads = activation({b, tq, vWidth});
  cost.mapBytes = map;
  int64_t projections =
      counter.add({bytes(query), bytes(op.getWq()), bytes(op.getBq()), q, //
                   bytes(kv), bytes(op.getWk()), bytes(op.getBk()), k,    //
                   bytes(kv), bytes(op.getWv()), bytes(op.getBv()), v});
  int64_t scores =
      counter.add({q, k, maskBytes(op.getMask(), {b, h, tq, tk}), map});
  int64_t apply = counter.add({map, v, heads});
  int64_t merge = counter.add(
      {heads, bytes(op.getWo()), bytes(op.getBo()), bytes(op.getResult())});
  cost.bytes = counter.add({projections, scores, apply, merge});
  return cost;
}

FailureOr<OpCost> OpCounter::seqMlp(Operation *op, Value input, Value w0,
                                    Value w1, int64_t maxLen, bool perHead) {
  int64_t b = dim(input, 0), t = dim(input, 1);
  if (t > maxLen)
    return op->emitError() << "sequence length " << t << " exceeds max_len "
                           << maxLen << ": the layer cannot process it";
  unsigned lead = perHead ? 1 : 0;
  int64_t h = perHead ? dim(w0, 0) : 1;
  int64_t flatIn = dim(w0, lead), hidden = dim(w0, lead + 1);
  int64_t flatOut = dim(w1, lead + 1);
  OpCost cost;
  cost.flops = counter.mul({2, b, h,
                            counter.add({counter.mul({flatIn, hidden}),
                                         counter.mul({hidden, flatOut})})});
  int64_t hiddenBytes = counter.mul({2, b, h, hidden, elementBytes(input)});
  cost.bytes = counter.add({operandAndResultBytes(op), hiddenBytes});
  return cost;
}

FailureOr<OpCost> OpCounter::cost(Operation *op) {
  return llvm::TypeSwitch<Operation *, FailureOr<OpCost>>(op)
      .Case([&](MhaOp mhaOp) -> FailureOr<OpCost> { return mha(mhaOp); })
      .Case([&](ProjectOp project) -> FailureOr<OpCost> {
        Value x = project.getInput();
        OpCost cost;
        cost.flops = counter.mul(
            {2, dim(x, 0), dim(x, 1), dim(x, 2), dim(project.getWeight(), 1)});
        cost.bytes = operandAndResultBytes(op);
        return cost;
      })
      .Case([&](HeadEmbedOp embed) -> FailureOr<OpCost> {
        OpCost cost;
        cost.flops = elements(embed.getResult());
        cost.bytes = operandAndResultBytes(op);
        return cost;
      })
      .Case([&](ScoresOp scores) -> FailureOr<OpCost> {
        return scoresLike(scores.getQuery(), scores.getKey(), scores.getMask(),
                          scores.getResult(), 1);
      })
      .Case([&](MgkScoresOp mgk) -> FailureOr<OpCost> {
        OpCost cost = scoresLike(mgk.getQuery(), mgk.getKeys(), mgk.getMask(),
                                 mgk.getResult(), dim(mgk.getKeys(), 2));
        cost.bytes = counter.add({cost.bytes, bytes(mgk.getMixtureWeights())});
        return cost;
      })
      .Case([&](ApplyOp apply) -> FailureOr<OpCost> {
        Value map = apply.getMap();
        OpCost cost;
        cost.flops = counter.mul({2, dim(map, 0), dim(map, 1), dim(map, 2),
                                  dim(map, 3), dim(apply.getValues(), 3)});
        cost.bytes = operandAndResultBytes(op);
        return cost;
      })
      .Case([&](AttendOp attend) -> FailureOr<OpCost> {
        Value q = attend.getQuery(), v = attend.getValue();
        int64_t b = dim(q, 0), h = dim(q, 1), tq = dim(q, 2);
        int64_t tk = dim(attend.getKey(), 2);
        OpCost cost;
        cost.flops =
            counter.add({counter.mul({2, b, h, tq, tk, dim(q, 3)}),
                         counter.mul({kSoftmaxFlopsPerElement, b, h, tq, tk}),
                         counter.mul({2, b, h, tq, tk, dim(v, 3)})});
        cost.bytes = counter.add({bytes(q), bytes(attend.getKey()), bytes(v),
                                  maskBytes(attend.getMask(), {b, h, tq, tk}),
                                  bytes(attend.getResult())});
        return cost;
      })
      .Case([&](MergeOp merge) -> FailureOr<OpCost> {
        Value heads = merge.getHeads();
        OpCost cost;
        cost.flops =
            counter.mul({2, dim(heads, 0), dim(heads, 2), dim(heads, 1),
                         dim(heads, 3), dim(merge.getWeight(), 1)});
        cost.bytes = operandAndResultBytes(op);
        return cost;
      })
      .Case([&](LayerNormOp norm) -> FailureOr<OpCost> {
        OpCost cost;
        cost.flops =
            counter.mul({kLayerNormFlopsPerElement, elements(norm.getInput())});
        cost.bytes = operandAndResultBytes(op);
        return cost;
      })
      .Case([&](FfnOp ffn) -> FailureOr<OpCost> {
        Value x = ffn.getInput();
        int64_t rows = counter.mul({dim(x, 0), dim(x, 1)});
        OpCost cost;
        cost.bytes = operandAndResultBytes(op);
        ValueRange weights = ffn.getWeights();
        for (auto [i, weight] : llvm::enumerate(weights)) {
          int64_t in = dim(weight, 0), out = dim(weight, 1);
          cost.flops =
              counter.add({cost.flops, counter.mul({2, rows, in, out})});
          // Hidden activations between layers: written, then read.
          if (i + 1 < weights.size())
            cost.bytes = counter.add(
                {cost.bytes, counter.mul({2, rows, out, elementBytes(x)})});
        }
        return cost;
      })
      .Case([&](SeqMlpOp mlp) {
        return seqMlp(op, mlp.getInput(), mlp.getW0(), mlp.getW1(),
                      mlp.getMaxLen(), /*perHead=*/false);
      })
      .Case([&](HeadSeqMlpOp mlp) {
        return seqMlp(op, mlp.getInput(), mlp.getW0(), mlp.getW1(),
                      mlp.getMaxLen(), /*perHead=*/true);
      })
      .Default([&](Operation *other) -> FailureOr<OpCost> {
        // Residual additions and other elementwise tensor ops: one FLOP per
        // element of each result.
        OpCost cost;
        if (!other->hasTrait<OpTrait::Elementwise>() ||
            other->getNumOperands() == 0)
          return cost;
        for (Value result : other->getResults())
          if (isa<ShapedType>(result.getType()))
            cost.flops = counter.add({cost.flops, elements(result)});
        if (cost.flops)
          cost.bytes = operandAndResultBytes(other);
        return cost;
      });
}

//===----------------------------------------------------------------------===//
// Attention layers: which ops each one owns
//===----------------------------------------------------------------------===//

struct LayerOps {
  std::string kind;
  /// The op whose parameter name gives `layers.{i}`.
  Value namedWeight;
  SmallVector<Operation *> ops;
  int64_t statePerPosition = 0;
};

/// Adds the ops computing heads `value` to `ops`: the projection, and for
/// per-head embeddings or reshaped projections (MHE, MGK) the ops behind
/// them. Stops at attn.project, whose input is the layer input.
void collectHeadProducers(Value value, llvm::SetVector<Operation *> &ops) {
  Operation *def = value ? value.getDefiningOp() : nullptr;
  if (!def || ops.contains(def))
    return;
  if (isa<ProjectOp>(def)) {
    ops.insert(def);
    return;
  }
  if (isa<HeadEmbedOp>(def) || def->getDialect()->getNamespace() == "tensor") {
    ops.insert(def);
    for (Value operand : def->getOperands())
      collectHeadProducers(operand, ops);
  }
}

LayerOps describeLayer(AttentionLayer &layer, const OpCounter &shapes) {
  LayerOps result;
  result.namedWeight = layer.merge.getWeight();
  bool ownMap = layer.computesOwnMap();
  bool tied = layer.key && layer.value == layer.key;
  auto mgk = dyn_cast_or_null<MgkScoresOp>(layer.mapOp);

  auto isEmbedded = [](Value heads) {
    return heads && heads.getDefiningOp<HeadEmbedOp>();
  };
  if (!ownMap)
    result.kind = "reuse";
  else if (mgk)
    result.kind = "mgk";
  else if (tied)
    result.kind = "tied";
  else if (isEmbedded(layer.query) || isEmbedded(layer.key) ||
           isEmbedded(layer.value))
    result.kind = "mhe";
  else
    result.kind = "mha";

  llvm::SetVector<Operation *> ops;
  if (ownMap) {
    collectHeadProducers(layer.query, ops);
    if (mgk)
      collectHeadProducers(mgk.getKeys(), ops);
    else
      collectHeadProducers(layer.key, ops);
    if (layer.mapOp)
      ops.insert(layer.mapOp);
  }
  collectHeadProducers(layer.value, ops);
  ops.insert(layer.apply ? layer.apply.getOperation()
                         : layer.attend.getOperation());
  ops.insert(layer.merge);
  result.ops.assign(ops.begin(), ops.end());

  // State: the keys this layer keeps (if it computes its map), then its
  // values unless they are the keys.
  int64_t state = 0;
  if (ownMap && mgk)
    state += shapes.dim(mgk.getKeys(), 1) * shapes.dim(mgk.getKeys(), 2) *
             shapes.dim(mgk.getKeys(), 4);
  else if (ownMap && layer.key)
    state += shapes.dim(layer.key, 1) * shapes.dim(layer.key, 3);
  if (!tied)
    state += shapes.dim(layer.value, 1) * shapes.dim(layer.value, 3);
  result.statePerPosition = state;
  return result;
}

/// Attention layers (and their feed-forward replacements) in program order.
SmallVector<LayerOps> collectLayers(ModuleOp module, const OpCounter &shapes) {
  llvm::DenseMap<Operation *, AttentionLayer> decomposed;
  for (AttentionLayer &layer : collectAttentionLayers(module))
    decomposed[layer.merge] = layer;

  SmallVector<LayerOps> layers;
  module.walk([&](Operation *op) {
    if (auto mha = dyn_cast<MhaOp>(op)) {
      LayerOps layer{"mha", mha.getWo(), {op}, 0};
      layer.statePerPosition =
          shapes.dim(mha.getWk(), 1) + shapes.dim(mha.getWv(), 1);
      layers.push_back(std::move(layer));
    } else if (auto mlp = dyn_cast<SeqMlpOp>(op)) {
      layers.push_back({"seq_mlp", mlp.getW0(), {op}, 0});
    } else if (auto merge = dyn_cast<MergeOp>(op)) {
      auto it = decomposed.find(op);
      if (it != decomposed.end())
        layers.push_back(describeLayer(it->second, shapes));
      else if (auto perHead = merge.getHeads().getDefiningOp<HeadSeqMlpOp>())
        layers.push_back({"head_seq_mlp", merge.getWeight(), {perHead, op}, 0});
    }
  });
  return layers;
}

/// Parameter elements of `global`, or failure if its shape is dynamic.
FailureOr<int64_t> paramElements(ml_program::GlobalOp global,
                                 Counter &counter) {
  auto type = dyn_cast<ShapedType>(global.getType());
  if (!type)
    return 1;
  if (!type.hasStaticShape())
    return global.emitError()
           << "parameter '" << global.getSymName()
           << "' has a dynamic shape; its size cannot be counted";
  int64_t count = 1;
  for (int64_t size : type.getShape())
    count = counter.mul({count, size});
  return count;
}
} // namespace

FailureOr<ModelCost> mlir::attn::computeModelCost(ModuleOp module,
                                                  int64_t seqLen) {
  if (seqLen < 0)
    return module.emitError()
           << "seq-len must be positive (or 0 for the model's own), not "
           << seqLen;

  // B and a static T from @forward's input ([B, T, D] or [B, H, T, d]:
  // ModelDims.h).
  ModelCost model;
  std::optional<int64_t> staticLen;
  auto forward = dyn_cast_or_null<FunctionOpInterface>(
      SymbolTable::lookupSymbolIn(module, "forward"));
  if (forward && forward.getNumArguments() > 0) {
    auto input = dyn_cast<RankedTensorType>(forward.getArgumentTypes()[0]);
    if (input && input.getRank() >= 2) {
      size_t seqDim = sequenceDim(input.getRank());
      if (!input.isDynamicDim(kBatchDim))
        model.batch = input.getDimSize(kBatchDim);
      if (!input.isDynamicDim(seqDim))
        staticLen = input.getDimSize(seqDim);
    }
  }
  if (seqLen > 0 && staticLen && seqLen != *staticLen)
    return forward.emitError()
           << "seq-len=" << seqLen << " contradicts the static sequence length "
           << *staticLen << " of @forward's input";
  model.seqLen = seqLen > 0 ? seqLen : staticLen.value_or(kDefaultSeqLen);

  Counter counter;
  OpCounter shapes(model.seqLen, counter);

  // Every op, once.
  llvm::DenseMap<Operation *, OpCost> costs;
  // Parameter globals read anywhere, with their element counts.
  llvm::MapVector<Operation *, int64_t> params;
  WalkResult walk = module.walk([&](Operation *op) -> WalkResult {
    if (auto load = dyn_cast<ml_program::GlobalLoadConstOp>(op)) {
      ml_program::GlobalOp global = getParamGlobal(load.getResult());
      if (global && !params.count(global)) {
        FailureOr<int64_t> count = paramElements(global, counter);
        if (failed(count))
          return WalkResult::interrupt();
        params[global] = *count;
      }
      return WalkResult::advance();
    }
    FailureOr<OpCost> cost = shapes.cost(op);
    if (failed(cost))
      return WalkResult::interrupt();
    costs[op] = *cost;
    model.flops = counter.add({model.flops, cost->flops});
    model.bytes = counter.add({model.bytes, cost->bytes});
    model.mapBytes = counter.add({model.mapBytes, cost->mapBytes});
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  for (auto &entry : params)
    model.params = counter.add({model.params, entry.second});

  // Per layer: the sum over the ops it owns.
  llvm::DenseSet<Operation *> attentionGlobals;
  SmallVector<LayerOps> layers = collectLayers(module, shapes);
  for (auto [position, layer] : llvm::enumerate(layers)) {
    LayerCost cost;
    cost.index = static_cast<int64_t>(position);
    if (std::optional<StringRef> name = getParamName(layer.namedWeight))
      if (std::optional<int64_t> index = getLayerIndex(*name))
        cost.index = *index;
    cost.kind = layer.kind;
    cost.statePerPosition = layer.statePerPosition;
    llvm::SetVector<Operation *> layerGlobals;
    for (Operation *op : layer.ops) {
      const OpCost &opCost = costs[op];
      cost.flops = counter.add({cost.flops, opCost.flops});
      cost.bytes = counter.add({cost.bytes, opCost.bytes});
      cost.mapBytes = counter.add({cost.mapBytes, opCost.mapBytes});
      for (Value operand : op->getOperands())
        if (ml_program::GlobalOp global = getParamGlobal(operand))
          layerGlobals.insert(global);
    }
    for (Operation *global : layerGlobals) {
      int64_t count = params.lookup(global);
      cost.params = counter.add({cost.params, count});
      if (attentionGlobals.insert(global).second)
        model.attentionParams = counter.add({model.attentionParams, count});
    }
    model.statePerPosition =
        counter.add({model.statePerPosition, cost.statePerPosition});
    model.layers.push_back(std::move(cost));
  }

  if (counter.overflowed)
    return module.emitError() << "the cost at seq-len=" << model.seqLen
                              << " does not fit in 64 bits";
  return model;
}
