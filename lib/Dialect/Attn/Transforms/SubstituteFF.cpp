//===- SubstituteFF.cpp - attention replaced by feed-forward networks -----===//
//
// Bozic et al.'s attentionless Transformers (ALR, ALRR, ASLR, ELR; METHODS.md
// section 4) and Irie et al.'s deeper feed-forward networks in place of
// attention (deep-ff; METHODS.md section 2). SubstituteFFAnalysis plans and
// checks every selected layer before the IR changes, so a rejected layer
// leaves the model as it was; this file does the rewrites.
//
//===----------------------------------------------------------------------===//

#include "SubstituteFFAnalysis.h"

#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "attn/Dialect/Attn/Transforms/Transforms.h"
#include "attn/Dialect/Attn/Utils/Params.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNSUBSTITUTEFF
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {
constexpr StringLiteral kVariantList = "alr, alrr, aslr, elr or deep-ff";

/// Erases `op` if it is unused and side-effect free, then the producers of its
/// operands that this leaves unused.
void eraseDeadOps(RewriterBase &rewriter, Operation *op) {
  llvm::SetVector<Operation *> worklist;
  worklist.insert(op);
  while (!worklist.empty()) {
    Operation *current = worklist.pop_back_val();
    if (!isOpTriviallyDead(current))
      continue;
    for (Value operand : current->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        worklist.insert(producer);
    rewriter.eraseOp(current);
  }
}

/// Creates and loads parameter `name` of `shape`, prefixed with the plan's
/// prefix.
FailureOr<Value> createAndLoad(RewriterBase &rewriter, ModuleOp module,
                               Location loc, const FFSubstitutionPlan &plan,
                               StringRef name, ArrayRef<int64_t> shape,
                               Type elementType, StringRef init) {
  auto global = createParam(module, loc, plan.prefix + name.str(),
                            RankedTensorType::get(shape, elementType), init);
  if (!global)
    return failure();
  return loadParam(rewriter, loc, global);
}

LogicalResult rewriteSeqMlp(RewriterBase &rewriter, ModuleOp module,
                            const FFSubstitutionPlan &plan,
                            const SubstituteFFOptions &options) {
  Operation *anchor = plan.replaced.getDefiningOp();
  Location loc = plan.layer->merge.getLoc();
  rewriter.setInsertionPoint(anchor);

  SmallVector<Value, 8> params;
  for (const SeqMlpParam &param : plan.getSeqMlpParams()) {
    if (!param.present) {
      params.push_back(nullptr);
      continue;
    }
    FailureOr<Value> value =
        createAndLoad(rewriter, module, loc, plan, param.name, param.shape,
                      plan.elementType, param.init);
    if (failed(value))
      return failure();
    params.push_back(*value);
  }

  MLIRContext *ctx = rewriter.getContext();
  IntegerAttr maxLen = rewriter.getI64IntegerAttr(options.maxLen);
  auto activation = ActivationAttr::get(ctx, Activation::leaky_relu);
  FloatAttr epsilon =
      plan.epsilon ? plan.epsilon : rewriter.getF32FloatAttr(1.0e-5f);
  if (plan.heads) {
    auto mlp = HeadSeqMlpOp::create(rewriter, loc, plan.replaced.getType(),
                                    plan.input, params[0], params[1], params[2],
                                    params[3], params[4], params[5], params[6],
                                    params[7], maxLen, activation, epsilon);
    MergeOp merge = plan.layer->merge;
    rewriter.modifyOpInPlace(
        merge, [&] { merge.getHeadsMutable().assign(mlp.getResult()); });
  } else {
    auto mlp = SeqMlpOp::create(rewriter, loc, plan.replaced.getType(),
                                plan.input, params[0], params[1], params[2],
                                params[3], params[4], params[5], params[6],
                                params[7], maxLen, activation, epsilon);
    rewriter.replaceAllUsesWith(plan.replaced, mlp.getResult());
  }
  eraseDeadOps(rewriter, anchor);
  return success();
}

LogicalResult rewriteDeepFF(RewriterBase &rewriter, ModuleOp module,
                            FFSubstitutionPlan &plan) {
  // The attention sublayer goes: its output becomes its input x.
  const EncoderLayerMatch &match = plan.match;
  Operation *sublayerEnd = match.attentionOutput.getDefiningOp();
  rewriter.replaceAllUsesWith(match.attentionOutput, match.layerInput);
  eraseDeadOps(rewriter, sublayerEnd);

  FfnOp ffn = match.ffn;
  if (llvm::all_of(plan.keep, [](bool keep) { return keep; }) &&
      plan.keep.size() == ffn.getWeights().size())
    return success();

  // Move the old parameters that the new ones replace out of their names;
  // nothing reads them once the old network is gone.
  for (ml_program::GlobalOp global : plan.displaced) {
    SymbolTable symbols(module);
    if (failed(symbols.renameToUnique(global, {})))
      return global.emitError("cannot rename a replaced parameter");
  }

  rewriter.setInsertionPoint(ffn);
  Location loc = ffn.getLoc();
  Type elementType = cast<RankedTensorType>(ffn.getType()).getElementType();
  SmallVector<Value> weights, biases;
  for (auto [j, shape] : llvm::enumerate(plan.ffnShapes)) {
    if (plan.keep[j]) {
      weights.push_back(ffn.getWeights()[j]);
      if (plan.bias)
        biases.push_back(ffn.getBiases()[j]);
      continue;
    }
    FailureOr<Value> weight = createAndLoad(
        rewriter, module, loc, plan, llvm::formatv("w{0}", j).str(),
        {shape.first, shape.second}, elementType, "train");
    if (failed(weight))
      return failure();
    weights.push_back(*weight);
    if (!plan.bias)
      continue;
    FailureOr<Value> bias = createAndLoad(rewriter, module, loc, plan,
                                          llvm::formatv("b{0}", j).str(),
                                          {shape.second}, elementType, "train");
    if (failed(bias))
      return failure();
    biases.push_back(*bias);
  }
  auto deeper = FfnOp::create(rewriter, loc, ffn.getType(), ffn.getInput(),
                              weights, biases, ffn.getActivationAttr());
  rewriter.replaceAllUsesWith(ffn.getResult(), deeper.getResult());
  eraseDeadOps(rewriter, ffn);
  return success();
}

/// The layers `options.layers` names, in program order; all without a list.
FailureOr<SmallVector<AttentionLayer *>>
selectLayers(ModuleOp module, MutableArrayRef<AttentionLayer> layers,
             ArrayRef<int64_t> indices) {
  SmallVector<AttentionLayer *> selected;
  for (int64_t index : indices) {
    if (llvm::any_of(layers, [&](const AttentionLayer &layer) {
          return layer.index == index;
        }))
      continue;
    InFlightDiagnostic diag = module.emitError() << "layer index " << index
                                                 << " is out of range: ";
    if (layers.empty()) {
      diag << "the module has no attention layer";
    } else {
      diag << "the attention layers are ";
      llvm::interleaveComma(layers, diag, [&](const AttentionLayer &layer) {
        diag << layer.index;
      });
    }
    return failure();
  }
  for (AttentionLayer &layer : layers)
    if (indices.empty() || llvm::is_contained(indices, layer.index))
      selected.push_back(&layer);
  return selected;
}

LogicalResult checkOptions(ModuleOp module,
                           const SubstituteFFOptions &options) {
  if (options.variant == FFSubstitution::DeepFF) {
    if (options.depth < 2)
      return module.emitError()
             << "depth must be at least 2 (deep-ff), got " << options.depth;
  } else if (options.maxLen <= 0) {
    return module.emitError()
           << "max-len must be positive, got " << options.maxLen;
  }
  if (options.hidden < 0)
    return module.emitError()
           << "hidden must be non-negative, got " << options.hidden;
  return success();
}

struct AttnSubstituteFFPass
    : public attn::impl::AttnSubstituteFFBase<AttnSubstituteFFPass> {
  using AttnSubstituteFFBase::AttnSubstituteFFBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<FFSubstitution> kind = parseFFSubstitution(variant);
    if (failed(kind)) {
      module.emitError() << "unknown variant '" << variant << "': expected "
                         << kVariantList;
      return signalPassFailure();
    }
    SubstituteFFOptions options;
    options.variant = *kind;
    options.maxLen = maxLen;
    options.hidden = hidden;
    options.depth = depth;
    options.layers.assign(layers.begin(), layers.end());
    if (failed(decomposeMhaOps(module)) ||
        failed(substituteFeedForward(module, options)))
      signalPassFailure();
  }
};
} // namespace

FailureOr<FFSubstitution> mlir::attn::parseFFSubstitution(StringRef name) {
  return llvm::StringSwitch<FailureOr<FFSubstitution>>(name)
      .Case("alr", FFSubstitution::ALR)
      .Case("alrr", FFSubstitution::ALRR)
      .Case("aslr", FFSubstitution::ASLR)
      .Case("elr", FFSubstitution::ELR)
      .Case("deep-ff", FFSubstitution::DeepFF)
      .Default(failure());
}

LogicalResult
mlir::attn::substituteFeedForward(Operation *root,
                                  const SubstituteFFOptions &options) {
  auto module = dyn_cast<ModuleOp>(root);
  if (!module)
    return root->emitError()
           << "attn-substitute-ff runs on a module: it creates parameters";
  if (failed(checkOptions(module, options)))
    return failure();
  SmallVector<AttentionLayer> layers = collectAttentionLayers(module);
  FailureOr<SmallVector<AttentionLayer *>> selected =
      selectLayers(module, layers, options.layers);
  if (failed(selected))
    return failure();

  // Check every layer (reporting all errors) before changing anything.
  bool valid = true;
  for (AttentionLayer *layer : *selected)
    valid &= succeeded(planFFSubstitution(*layer, options, module));
  if (!valid)
    return failure();

  // Plan again just before each rewrite: earlier rewrites replace the values
  // a layer reads (its input is the previous layer's output).
  IRRewriter rewriter(module.getContext());
  for (AttentionLayer *layer : *selected) {
    FailureOr<FFSubstitutionPlan> plan =
        planFFSubstitution(*layer, options, module);
    if (failed(plan))
      return failure();
    LogicalResult rewritten =
        options.variant == FFSubstitution::DeepFF
            ? rewriteDeepFF(rewriter, module, *plan)
            : rewriteSeqMlp(rewriter, module, *plan, options);
    if (failed(rewritten))
      return failure();
  }
  eraseUnusedParams(module);
  return success();
}
