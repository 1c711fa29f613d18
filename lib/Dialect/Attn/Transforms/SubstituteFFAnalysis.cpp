//===- SubstituteFFAnalysis.cpp - what attn-substitute-ff replaces --------===//

#include "SubstituteFFAnalysis.h"

#include "attn/Dialect/Attn/Utils/Params.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::attn;

//===----------------------------------------------------------------------===//
// The encoder layer around an attention sublayer
//===----------------------------------------------------------------------===//

namespace {
/// The single user of `value` if it is an OpTy, else null.
template <typename OpTy>
OpTy getSingleUser(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  return dyn_cast<OpTy>(*value.getUsers().begin());
}

/// The operand of `add` other than `value`, or null if `value` is not exactly
/// one of its operands.
Value otherAddend(arith::AddFOp add, Value value) {
  if (!add || add.getLhs() == add.getRhs())
    return nullptr;
  if (add.getLhs() == value)
    return add.getRhs();
  if (add.getRhs() == value)
    return add.getLhs();
  return nullptr;
}

/// Sets the attention's input, or records that it reads several values or
/// some head of unknown origin.
void matchAttentionInput(AttentionLayer &layer, EncoderLayerMatch &match,
                         Value &queryInput) {
  // A layer reusing another layer's map only owns its value projection.
  SmallVector<Value, 3> heads;
  if (layer.computesOwnMap())
    heads.append({layer.query, layer.key});
  heads.push_back(layer.value);

  SmallVector<Value, 3> inputs;
  for (Value head : heads) {
    if (!head)
      continue;
    auto proj = head.getDefiningOp<ProjectOp>();
    if (!proj)
      return; // E.g. MHE head embeddings: the input is not known.
    inputs.push_back(proj.getInput());
    match.hasBias |= static_cast<bool>(proj.getBias());
  }
  if (inputs.empty())
    return;
  queryInput = inputs.front();
  if (llvm::all_equal(inputs))
    match.attentionInput = inputs.front();
  else
    match.crossAttention = true;
}

/// x + attn(...) and ln1, in post-norm, pre-norm or norm-less form.
void matchResidual(AttentionLayer &layer, Value queryInput,
                   EncoderLayerMatch &match) {
  Value attended = layer.merge.getResult();
  auto add = getSingleUser<arith::AddFOp>(attended);
  Value x = otherAddend(add, attended);
  if (!x || !queryInput)
    return;
  Value sum = add.getResult();
  if (x == queryInput) {
    match.residualAdd = add;
    match.layerInput = x;
    match.attentionOutput = sum;
    auto norm = getSingleUser<LayerNormOp>(sum);
    if (norm && norm.getInput() == sum) {
      match.norm = NormPlacement::Post;
      match.ln1 = norm;
      match.attentionOutput = norm.getResult();
    }
    return;
  }
  auto norm = queryInput.getDefiningOp<LayerNormOp>();
  if (norm && norm.getInput() == x) {
    match.residualAdd = add;
    match.layerInput = x;
    match.norm = NormPlacement::Pre;
    match.ln1 = norm;
    match.attentionOutput = sum;
  }
}

/// The feed-forward sublayer reading h = match.attentionOutput.
void matchFeedForward(EncoderLayerMatch &match) {
  Value h = match.attentionOutput;
  FfnOp ffn;
  LayerNormOp preNorm;
  for (Operation *user : h.getUsers()) {
    FfnOp candidate;
    LayerNormOp candidateNorm;
    if (match.norm == NormPlacement::Pre) {
      candidateNorm = dyn_cast<LayerNormOp>(user);
      if (!candidateNorm || candidateNorm.getInput() != h)
        continue;
      candidate = getSingleUser<FfnOp>(candidateNorm.getResult());
    } else {
      candidate = dyn_cast<FfnOp>(user);
      if (candidate && candidate.getInput() != h)
        candidate = nullptr;
    }
    if (!candidate)
      continue;
    if (ffn)
      return; // Two feed-forward networks read h: not an encoder layer.
    ffn = candidate;
    preNorm = candidateNorm;
  }
  if (!ffn)
    return;
  auto add = getSingleUser<arith::AddFOp>(ffn.getResult());
  if (otherAddend(add, ffn.getResult()) != h)
    return;
  match.ffn = ffn;
  match.ffnResidualAdd = add;
  match.ln2 = preNorm;
  match.layerOutput = add.getResult();
  if (match.norm != NormPlacement::Post)
    return;
  auto postNorm = getSingleUser<LayerNormOp>(add.getResult());
  if (postNorm && postNorm.getInput() == add.getResult()) {
    match.ln2 = postNorm;
    match.layerOutput = postNorm.getResult();
  }
}
} // namespace

EncoderLayerMatch mlir::attn::matchEncoderLayer(AttentionLayer &layer) {
  EncoderLayerMatch match;
  match.hasBias = static_cast<bool>(layer.merge.getBias());
  Value queryInput;
  matchAttentionInput(layer, match, queryInput);
  matchResidual(layer, queryInput, match);
  if (match.attentionOutput)
    matchFeedForward(match);
  return match;
}

//===----------------------------------------------------------------------===//
// Planning a replacement
//===----------------------------------------------------------------------===//

StringRef mlir::attn::getVariantName(FFSubstitution variant) {
  switch (variant) {
  case FFSubstitution::ALR:
    return "alr";
  case FFSubstitution::ALRR:
    return "alrr";
  case FFSubstitution::ASLR:
    return "aslr";
  case FFSubstitution::ELR:
    return "elr";
  case FFSubstitution::DeepFF:
    return "deep-ff";
  }
  llvm_unreachable("unknown FFSubstitution");
}

SmallVector<SeqMlpParam, 8> FFSubstitutionPlan::getSeqMlpParams() const {
  // The paper's network: LayerNorm, Linear(N*D -> K), LeakyReLU, LayerNorm,
  // Linear(K -> N*E). The LayerNorms start as the identity; the linear layers
  // are distilled from the original layer.
  auto shape = [&](std::initializer_list<int64_t> dims) {
    SmallVector<int64_t> result;
    if (heads)
      result.push_back(heads);
    result.append(dims.begin(), dims.end());
    return result;
  };
  return {{"norm_in_gamma", shape({flatIn}), "ones", true},
          {"norm_in_beta", shape({flatIn}), "zeros", true},
          {"w0", shape({flatIn, hidden}), "train", true},
          {"b0", shape({hidden}), "train", bias},
          {"norm_hidden_gamma", shape({hidden}), "ones", true},
          {"norm_hidden_beta", shape({hidden}), "zeros", true},
          {"w1", shape({hidden, flatOut}), "train", true},
          {"b1", shape({flatOut}), "train", bias}};
}

namespace {
/// `layer 3: ` errors at `loc`.
InFlightDiagnostic layerError(const AttentionLayer &layer, Location loc) {
  return emitError(loc) << layer.describe() << ": ";
}

int64_t dimOf(Value value, unsigned dim) {
  return cast<RankedTensorType>(value.getType()).getDimSize(dim);
}

/// The product of `factors`, or nullopt when it overflows int64.
std::optional<int64_t> product(ArrayRef<int64_t> factors) {
  int64_t result = 1;
  for (int64_t factor : factors)
    if (llvm::MulOverflow(result, factor, result))
      return std::nullopt;
  return result;
}

/// Whether every read of `global` is a load that only `user` reads.
bool onlyReadBy(ml_program::GlobalOp global, ModuleOp module, Operation *user) {
  std::optional<SymbolTable::UseRange> uses =
      SymbolTable::getSymbolUses(global, module);
  if (!uses)
    return false;
  for (const SymbolTable::SymbolUse &use : *uses) {
    auto load = dyn_cast<ml_program::GlobalLoadConstOp>(use.getUser());
    if (!load || llvm::any_of(load->getUsers(),
                              [&](Operation *op) { return op != user; }))
      return false;
  }
  return true;
}

/// Rejects attention that a whole-sequence network cannot stand in for.
LogicalResult checkUnmasked(AttentionLayer &layer) {
  Operation *mapOp = layer.attend ? layer.attend.getOperation() : layer.mapOp;
  Value mask;
  bool causal = false;
  if (auto attend = dyn_cast<AttendOp>(mapOp)) {
    mask = attend.getMask();
    causal = attend.getCausal();
  } else if (auto scores = dyn_cast<ScoresOp>(mapOp)) {
    mask = scores.getMask();
    causal = scores.getCausal();
  } else if (auto mgk = dyn_cast<MgkScoresOp>(mapOp)) {
    mask = mgk.getMask();
    causal = mgk.getCausal();
  }
  if (mask)
    return layerError(layer, mapOp->getLoc())
           << "attn-substitute-ff cannot replace masked attention: the "
              "seq_mlp sees the whole sequence";
  if (causal)
    return layerError(layer, mapOp->getLoc())
           << "attn-substitute-ff cannot replace causal attention: the "
              "seq_mlp sees the whole sequence, future tokens included";
  return success();
}

/// Sizes the attn.seq_mlp / attn.head_seq_mlp of a seq_mlp variant.
LogicalResult planSeqMlp(FFSubstitutionPlan &plan,
                         const SubstituteFFOptions &options, ModuleOp module) {
  AttentionLayer &layer = *plan.layer;
  EncoderLayerMatch &match = plan.match;
  Location loc = layer.merge.getLoc();
  if (failed(checkUnmasked(layer)))
    return failure();

  plan.bias = match.hasBias;
  StringRef variant = getVariantName(options.variant);
  auto needResidual = [&]() -> LogicalResult {
    if (match.residualAdd)
      return success();
    return layerError(layer, loc)
           << variant << " needs the residual add after attention";
  };
  switch (options.variant) {
  case FFSubstitution::ALR:
    plan.input = match.attentionInput;
    plan.replaced = layer.merge.getResult();
    break;
  case FFSubstitution::ALRR:
    if (failed(needResidual()))
      return failure();
    plan.input = match.layerInput;
    plan.replaced = match.attentionOutput;
    break;
  case FFSubstitution::ASLR:
    plan.input = match.attentionInput;
    plan.replaced = layer.merge.getHeads();
    plan.heads = dimOf(plan.replaced, 1);
    break;
  case FFSubstitution::ELR:
    if (failed(needResidual()))
      return failure();
    if (!match.layerOutput)
      return layerError(layer, loc)
             << "elr needs the layer's feed-forward sublayer after "
                "attention (an attn.ffn and its residual add)";
    plan.input = match.layerInput;
    plan.replaced = match.layerOutput;
    plan.bias |= !match.ffn.getBiases().empty();
    break;
  case FFSubstitution::DeepFF:
    llvm_unreachable("deep-ff has no seq_mlp");
  }

  int64_t maxLen = options.maxLen;
  int64_t seqLen = dimOf(plan.input, 1);
  if (!ShapedType::isDynamic(seqLen) && seqLen > maxLen)
    return layerError(layer, loc)
           << "sequence length " << seqLen << " exceeds max-len " << maxLen;
  int64_t width = dimOf(plan.input, 2);
  int64_t outWidth = dimOf(plan.replaced, plan.heads ? 3 : 2);
  if (ShapedType::isDynamic(width) || ShapedType::isDynamic(outWidth) ||
      ShapedType::isDynamic(plan.heads))
    return layerError(layer, loc)
           << "the model width" << (plan.heads ? " and head width" : "")
           << " must be static to size the new parameters";

  // Element counts of the new weights must fit int64.
  auto tooLarge = [&]() -> LogicalResult {
    return layerError(layer, loc)
           << "the new weights are too large for max-len " << maxLen
           << " and width " << width;
  };
  std::optional<int64_t> flatIn = product({maxLen, width});
  std::optional<int64_t> flatOut = product({maxLen, outWidth});
  if (!flatIn || !flatOut)
    return tooLarge();
  int64_t hidden = options.hidden ? options.hidden : *flatIn / 4;
  if (hidden == 0)
    return layerError(layer, loc)
           << "the default hidden width max-len*D/4 = " << maxLen << "*"
           << width << "/4 is 0; set hidden";
  int64_t lead = plan.heads ? plan.heads : 1;
  if (!product({lead, *flatIn, hidden}) || !product({lead, hidden, *flatOut}))
    return tooLarge();
  plan.flatIn = *flatIn;
  plan.hidden = hidden;
  plan.flatOut = *flatOut;
  plan.elementType =
      cast<RankedTensorType>(plan.input.getType()).getElementType();
  LayerNormOp norm = match.ln1 ? match.ln1 : match.ln2;
  plan.epsilon = norm ? norm.getEpsilonAttr() : FloatAttr();

  plan.prefix = llvm::formatv("layers.{0}.{1}.", layer.index, variant).str();
  for (const SeqMlpParam &param : plan.getSeqMlpParams()) {
    std::string name = plan.prefix + param.name.str();
    if (param.present && SymbolTable::lookupSymbolIn(module, name))
      return layerError(layer, loc)
             << "cannot create parameter '" << name << "': the name is taken";
  }
  return success();
}

/// Sizes the deepened feed-forward network of deep-ff.
LogicalResult planDeepFF(FFSubstitutionPlan &plan,
                         const SubstituteFFOptions &options, ModuleOp module) {
  AttentionLayer &layer = *plan.layer;
  EncoderLayerMatch &match = plan.match;
  Location loc = layer.merge.getLoc();
  if (!match.residualAdd)
    return layerError(layer, loc)
           << "deep-ff needs the residual add after attention";
  FfnOp ffn = match.ffn;
  if (!ffn)
    return layerError(layer, loc)
           << "deep-ff needs the layer's feed-forward sublayer after "
              "attention (an attn.ffn and its residual add)";
  int64_t width = dimOf(ffn.getInput(), 2);
  int64_t outWidth = dimOf(ffn.getResult(), 2);
  if (ShapedType::isDynamic(width) || ShapedType::isDynamic(outWidth))
    return layerError(layer, ffn.getLoc())
           << "the model width must be static to size the new parameters";
  std::optional<int64_t> hidden =
      options.hidden ? options.hidden : product({4, width});
  if (!hidden || !product({*hidden, *hidden}) || !product({width, *hidden}) ||
      !product({*hidden, outWidth}))
    return layerError(layer, ffn.getLoc())
           << "the new weights are too large: width " << width;

  int64_t depth = options.depth;
  auto oldWeights = ffn.getWeights();
  int64_t oldDepth = oldWeights.size();
  plan.bias = !ffn.getBiases().empty();
  std::optional<StringRef> w0Name = getParamName(oldWeights.front());
  plan.prefix = w0Name ? getParamPrefix(*w0Name).str()
                       : llvm::formatv("layers.{0}.ffn.", layer.index).str();
  for (int64_t j = 0; j < depth; ++j) {
    std::pair<int64_t, int64_t> shape = {j == 0 ? width : *hidden,
                                         j == depth - 1 ? outWidth : *hidden};
    plan.ffnShapes.push_back(shape);
    // An old weight stays where it has the same shape and role (first, inner
    // or last layer): with depth 2 and the old width nothing changes.
    bool keep = false;
    if (j < oldDepth) {
      ArrayRef<int64_t> old =
          cast<RankedTensorType>(oldWeights[j].getType()).getShape();
      keep = old[0] == shape.first && old[1] == shape.second &&
             (j == oldDepth - 1) == (j == depth - 1);
    }
    plan.keep.push_back(keep);
    if (keep)
      continue;
    for (StringRef kind : {"w", "b"}) {
      if (kind == "b" && !plan.bias)
        continue;
      std::string name = llvm::formatv("{0}{1}{2}", plan.prefix, kind, j);
      Operation *symbol = SymbolTable::lookupSymbolIn(module, name);
      if (!symbol)
        continue;
      auto global = dyn_cast<ml_program::GlobalOp>(symbol);
      if (!global || !onlyReadBy(global, module, ffn))
        return layerError(layer, ffn.getLoc())
               << "cannot create parameter '" << name
               << "': the name is taken by a symbol that the layer's "
                  "feed-forward network is not the only reader of";
      plan.displaced.push_back(global);
    }
  }
  return success();
}

} // namespace

FailureOr<FFSubstitutionPlan>
mlir::attn::planFFSubstitution(AttentionLayer &layer,
                               const SubstituteFFOptions &options,
                               ModuleOp module) {
  FFSubstitutionPlan plan;
  plan.layer = &layer;
  plan.match = matchEncoderLayer(layer);
  Location loc = layer.merge.getLoc();
  if (plan.match.crossAttention)
    return layerError(layer, loc)
           << "attn-substitute-ff replaces self-attention only: the queries "
              "and the keys/values read different inputs";
  if (!plan.match.attentionInput)
    return layerError(layer, loc)
           << "cannot find the attention's input: its query, key and value "
              "heads are not all attn.project results";
  LogicalResult planned = options.variant == FFSubstitution::DeepFF
                              ? planDeepFF(plan, options, module)
                              : planSeqMlp(plan, options, module);
  if (failed(planned))
    return failure();
  return plan;
}
