//===- ToMhe.cpp - multiple head embeddings (Xue & Aletras) ---------------===//
//
// Every per-head projection `x * W [D, H*d] (+ b [H*d])` of an attention
// layer becomes one shared projection to the head width plus a per-head
// embedding (METHODS.md section 3):
//
//   p     = attn.project x, W_shared [D, d] bias(b_shared [d]) heads(1)
//   p     = tensor.collapse_shape p           [B, 1, T, d] -> [B, T, d]
//   heads = attn.head_embed p, e [H, d] mode(add|mul)       [B, H, T, d]
//
// The heads keep their type, so scores, apply/attend and the output
// projection are untouched.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Dialect/Attn/Utils/AttentionLayers.h"
#include "attn/Dialect/Attn/Utils/Params.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTOMHE
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// A projection role of an attention layer: names its new parameters
/// (`wq_shared`, `eq`) and its heads in remarks.
struct Role {
  StringRef letter;
  StringRef noun;
};
constexpr Role kQuery{"q", "query"};
constexpr Role kKey{"k", "key"};
constexpr Role kValue{"v", "value"};

/// Heads of one role of a layer and the op that reads them (for remarks).
struct RoleHeads {
  Role role;
  Value heads;
  Operation *user;
};

class MheRewriter {
public:
  MheRewriter(ModuleOp module, const MheOptions &options)
      : module(module), options(options), params(module) {}

  /// Rewrites the projections `layer` owns, or leaves the layer alone with a
  /// remark. Fails only on errors (already emitted).
  LogicalResult rewriteLayer(AttentionLayer &layer);

  /// Erases the replaced projections and the parameters nothing reads.
  void finish();

private:
  /// Why `heads` cannot be rewritten, or "" if it can (or already was).
  std::string whyNot(const RoleHeads &role);

  /// Replaces `proj` by a shared projection and a head embedding.
  LogicalResult rewriteProjection(ProjectOp proj, Role role);

  /// The init of a parameter derived from `source` (null: not a parameter)
  /// as the mean of its head slices, or "train".
  std::string sharedInit(ml_program::GlobalOp source, Location loc);

  ModuleOp module;
  MheOptions options;
  /// Projections already replaced (tied keys/values, shared weights); they
  /// are erased only at the end so that no pointer here dangles.
  llvm::SmallPtrSet<Operation *, 16> replaced;
  SmallVector<Operation *> toErase;
  ParamCreator params;
};

} // namespace

std::string MheRewriter::whyNot(const RoleHeads &role) {
  std::string why;
  llvm::raw_string_ostream os(why);
  StringRef noun = role.role.noun;
  if (!role.heads) {
    os << "it has no " << noun << " heads of its own (its map is '"
       << role.user->getName() << "')";
    return why;
  }
  Operation *producer = role.heads.getDefiningOp();
  auto proj = dyn_cast_or_null<ProjectOp>(producer);
  if (proj && replaced.contains(proj))
    return why;
  if (!proj) {
    os << "its " << noun << " heads do not come from attn.project but from ";
    if (producer)
      os << "'" << producer->getName() << "'";
    else
      os << "a block argument";
    return why;
  }
  ml_program::GlobalOp weight = getParamGlobal(proj.getWeight());
  if (!weight) {
    os << "its " << noun << " weight is not a model parameter";
    return why;
  }
  auto type = dyn_cast<RankedTensorType>(weight.getType());
  if (!type || !type.hasStaticShape()) {
    os << "its " << noun << " weight '" << weight.getSymName()
       << "' has no static shape";
    return why;
  }
  if (options.meanHeadsInit && proj.getBias() &&
      !getParamGlobal(proj.getBias()))
    os << "its " << noun
       << " bias is not a model parameter, so init=mean-heads cannot name "
          "its origin";
  return why;
}

std::string MheRewriter::sharedInit(ml_program::GlobalOp source, Location loc) {
  if (!options.meanHeadsInit || !source)
    return "train";
  if (std::optional<std::string> init = deriveInit(source, "mean-heads"))
    return *init;
  emitRemark(loc) << "the mean of the heads of '" << source.getSymName()
                  << "' (attn.init = " << source->getAttr(kInitAttrName)
                  << ") has no name; its shared form is marked \"train\"";
  return "train";
}

LogicalResult MheRewriter::rewriteProjection(ProjectOp proj, Role role) {
  Location loc = proj.getLoc();
  ml_program::GlobalOp weight = getParamGlobal(proj.getWeight());
  auto weightType = cast<RankedTensorType>(weight.getType());
  int64_t heads = proj.getNumHeads();
  int64_t model = weightType.getDimSize(0);
  int64_t headDim = weightType.getDimSize(1) / heads;
  Type element = weightType.getElementType();
  StringRef prefix = getParamPrefix(weight.getSymName());

  FailureOr<ml_program::GlobalOp> sharedWeight =
      params.getOrCreate(loc, (prefix + "w" + role.letter + "_shared").str(),
                         RankedTensorType::get({model, headDim}, element),
                         sharedInit(weight, loc));
  if (failed(sharedWeight))
    return failure();

  // The bias keeps its own prefix: layers that share a weight may not share
  // their biases.
  ml_program::GlobalOp sharedBias;
  if (Value bias = proj.getBias()) {
    ml_program::GlobalOp source = getParamGlobal(bias);
    StringRef biasPrefix =
        source ? getParamPrefix(source.getSymName()) : prefix;
    auto biasType = cast<RankedTensorType>(bias.getType());
    FailureOr<ml_program::GlobalOp> created = params.getOrCreate(
        loc, (biasPrefix + "b" + role.letter + "_shared").str(),
        RankedTensorType::get({headDim}, biasType.getElementType()),
        sharedInit(source, loc));
    if (failed(created))
      return failure();
    sharedBias = *created;
  }

  // At init, add + zeros and mul + ones give every head the mean projection.
  StringRef embeddingInit = !options.meanHeadsInit           ? "train"
                            : options.mode == EmbedMode::add ? "zeros"
                                                             : "ones";
  FailureOr<ml_program::GlobalOp> embedding = params.getOrCreate(
      loc, (prefix + "e" + role.letter).str(),
      RankedTensorType::get({heads, headDim}, element), embeddingInit);
  if (failed(embedding))
    return failure();

  OpBuilder builder(proj);
  Value weightValue = loadParam(builder, loc, *sharedWeight);
  Value biasValue = sharedBias ? loadParam(builder, loc, sharedBias) : Value();
  Value embeddingValue = loadParam(builder, loc, *embedding);
  auto headsType = cast<RankedTensorType>(proj.getType());
  int64_t batch = headsType.getDimSize(0), length = headsType.getDimSize(2);
  Value shared = ProjectOp::create(
      builder, loc,
      RankedTensorType::get({batch, 1, length, headDim},
                            headsType.getElementType()),
      proj.getInput(), weightValue, biasValue, /*num_heads=*/1);
  Value flat = tensor::CollapseShapeOp::create(
      builder, loc,
      RankedTensorType::get({batch, length, headDim},
                            headsType.getElementType()),
      shared, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
  Value result = HeadEmbedOp::create(builder, loc, headsType, flat,
                                     embeddingValue, options.mode);
  proj.getResult().replaceAllUsesWith(result);
  replaced.insert(proj);
  toErase.push_back(proj);
  return success();
}

LogicalResult MheRewriter::rewriteLayer(AttentionLayer &layer) {
  SmallVector<RoleHeads, 3> roles;
  // A layer that applies an earlier layer's map has only values of its own.
  if (layer.computesOwnMap()) {
    Operation *mapUser =
        layer.attend ? layer.attend.getOperation() : layer.mapOp;
    roles.push_back({kQuery, layer.query, mapUser});
    roles.push_back({kKey, layer.key, mapUser});
  }
  Operation *valueUser =
      layer.attend ? layer.attend.getOperation() : layer.apply.getOperation();
  roles.push_back({kValue, layer.value, valueUser});

  for (const RoleHeads &role : roles) {
    std::string why = whyNot(role);
    if (!why.empty()) {
      role.user->emitRemark()
          << layer.describe() << ": " << why << "; left unchanged";
      return success();
    }
  }
  for (const RoleHeads &role : roles) {
    auto proj = role.heads.getDefiningOp<ProjectOp>();
    // Tied values are the keys, rewritten a moment ago.
    if (replaced.contains(proj))
      continue;
    if (failed(rewriteProjection(proj, role.role)))
      return failure();
  }
  return success();
}

void MheRewriter::finish() {
  for (Operation *op : toErase)
    op->erase();
  eraseUnusedParams(module);
}

LogicalResult
mlir::attn::convertToMultiHeadEmbeddings(Operation *root,
                                         const MheOptions &options) {
  auto module = cast<ModuleOp>(root);
  MheRewriter rewriter(module, options);
  for (AttentionLayer &layer : collectAttentionLayers(module))
    if (failed(rewriter.rewriteLayer(layer)))
      return failure();
  rewriter.finish();
  return success();
}

namespace {
struct AttnToMhePass : public attn::impl::AttnToMheBase<AttnToMhePass> {
  using AttnToMheBase::AttnToMheBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MheOptions options;
    options.mode = mode;
    if (init == "train") {
      options.meanHeadsInit = false;
    } else if (init != "mean-heads") {
      module.emitError() << "attn-to-mhe: unknown init '" << init
                         << "'; expected 'mean-heads' or 'train'";
      return signalPassFailure();
    }
    if (failed(decomposeMhaOps(module)) ||
        failed(convertToMultiHeadEmbeddings(module, options)))
      signalPassFailure();
  }
};
} // namespace
