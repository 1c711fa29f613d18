//===- OutlineLayers.cpp - one function per distinct layer ----------------===//
//
// Cuts the bound entry function into per-layer runs of ops and outlines each
// into a private function that slices its parameters from the packed buffer
// at a base offset; structurally equal layers share one function. See
// Passes.td.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNOUTLINELAYERS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// A parameter as the entry function reads it: a static slice of the packed
/// argument, possibly reshaped.
struct ParamView {
  int64_t offset;
  tensor::ExtractSliceOp slice;
  Operation *reshape = nullptr; ///< expand_shape / collapse_shape, or null.
};

/// The layer index in `layers.{i}.<...>`, or -1.
int64_t layerOf(StringRef name) {
  if (!name.consume_front("layers."))
    return -1;
  int64_t index;
  if (name.consumeInteger(10, index) || !name.starts_with("."))
    return -1;
  return index;
}

using Run = std::pair<int64_t, SmallVector<Operation *>>;

/// Joins the runs from a layer whose attention map later layers apply
/// (attn.apply of an earlier run's value) up to the last of those layers:
/// a reuse group becomes one function, and its map never crosses a call.
/// The lowering can then hand the map from its scores to its applies in
/// any form it likes (unnormalised, with its row sums), and the group's
/// functions are still shared by all groups of the same structure.
SmallVector<Run> joinReuseGroups(SmallVector<Run> runs) {
  llvm::DenseMap<Operation *, unsigned> runOf;
  for (auto [index, run] : llvm::enumerate(runs))
    for (Operation *op : run.second)
      runOf[op] = index;
  // lastUser[i]: the last run that applies a map of run i.
  SmallVector<unsigned> lastUser(runs.size());
  for (unsigned index = 0; index < runs.size(); ++index) {
    lastUser[index] = index;
    for (Operation *op : runs[index].second)
      op->walk([&](attn::ApplyOp apply) {
        Operation *def = apply.getMap().getDefiningOp();
        auto it = def ? runOf.find(def) : runOf.end();
        if (it != runOf.end() && it->second < index)
          lastUser[it->second] = std::max(lastUser[it->second], index);
      });
  }
  SmallVector<Run> joined;
  for (unsigned i = 0; i < runs.size();) {
    Run group = std::move(runs[i]);
    unsigned end = lastUser[i];
    for (unsigned j = i + 1; j <= end; ++j) {
      end = std::max(end, lastUser[j]);
      group.second.append(runs[j].second);
    }
    joined.push_back(std::move(group));
    i = end + 1;
  }
  return joined;
}

struct OutlineLayersPass
    : public mlir::attn::impl::AttnOutlineLayersBase<OutlineLayersPass> {
  using AttnOutlineLayersBase::AttnOutlineLayersBase;
  void runOnOperation() override;
};

void OutlineLayersPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto manifest = module->getAttrOfType<DictionaryAttr>("attn_model.manifest");
  auto entryFn = module.lookupSymbol<func::FuncOp>(entry);
  if (!manifest || !entryFn || entryFn.isExternal() ||
      !entryFn.getBody().hasOneBlock() || entryFn.getNumArguments() == 0) {
    module.emitError() << "attn-outline-layers needs an entry function @"
                       << entry << " bound by attn-bind-params";
    return signalPassFailure();
  }

  // Parameter offset -> layer, from the manifest.
  llvm::DenseMap<int64_t, int64_t> layerAt;
  if (auto params = manifest.getAs<ArrayAttr>("params"))
    for (Attribute a : params) {
      auto d = cast<DictionaryAttr>(a);
      layerAt[d.getAs<IntegerAttr>("offset").getInt()] =
          layerOf(d.getAs<StringAttr>("name").getValue());
    }

  Block &body = entryFn.getBody().front();
  Value packed = entryFn.getArgument(0);
  auto packedType = cast<RankedTensorType>(packed.getType());

  // Parameter views by the value they define.
  llvm::DenseMap<Value, ParamView> views;
  for (Operation &op : body) {
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
      if (slice.getSource() == packed && slice.getStaticOffsets().size() == 1 &&
          !ShapedType::isDynamic(slice.getStaticOffsets()[0]))
        views[slice.getResult()] = {slice.getStaticOffsets()[0], slice};
      continue;
    }
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op)) {
      auto it = views.find(op.getOperand(0));
      if (it != views.end() && it->second.reshape == nullptr)
        views[op.getResult(0)] = {it->second.offset, it->second.slice, &op};
    }
  }
  auto isView = [&](Operation *op) {
    return op->getNumResults() == 1 && views.count(op->getResult(0));
  };

  // Runs of consecutive ops of one layer.
  SmallVector<Run> runs;
  int64_t current = -1;
  for (Operation &op : body.without_terminator()) {
    if (isView(&op))
      continue;
    for (Value operand : op.getOperands()) {
      auto it = views.find(operand);
      if (it != views.end()) {
        current = layerAt.lookup_or(it->second.offset, -1);
        break;
      }
    }
    if (current < 0)
      continue;
    if (runs.empty() || runs.back().first != current ||
        runs.back().second.back()->getNextNode() != &op) {
      // A run continues only over ops (or parameter views) of its layer.
      bool contiguous = !runs.empty() && runs.back().first == current;
      if (contiguous)
        for (Operation *o = runs.back().second.back()->getNextNode(); o != &op;
             o = o->getNextNode())
          contiguous &= isView(o);
      if (!contiguous)
        runs.push_back({current, {}});
    }
    runs.back().second.push_back(&op);
  }

  runs = joinReuseGroups(runs);

  OpBuilder b(&getContext());
  SymbolTable symbols(module);
  llvm::StringMap<func::FuncOp> byBody;
  Operation *lastFunction = entryFn;
  for (auto &[layer, ops] : runs) {
    llvm::SmallPtrSet<Operation *, 32> inRun(ops.begin(), ops.end());
    // Values from outside: parameter views (re-sliced inside) and others
    // (arguments), in order of first use.
    llvm::SetVector<Value> used;
    for (Operation *op : ops) {
      for (Value v : op->getOperands())
        used.insert(v);
      for (Region &region : op->getRegions()) {
        llvm::SetVector<Value> above;
        getUsedValuesDefinedAbove(region, above);
        used.insert(above.begin(), above.end());
      }
    }
    SmallVector<Value> paramValues, externals;
    int64_t base = std::numeric_limits<int64_t>::max();
    for (Value v : used) {
      Operation *def = v.getDefiningOp();
      if (def && inRun.contains(def))
        continue;
      auto it = views.find(v);
      if (it != views.end()) {
        paramValues.push_back(v);
        base = std::min(base, it->second.offset);
      } else if (v != packed) {
        externals.push_back(v);
      }
    }
    if (paramValues.empty())
      continue;
    SmallVector<Value> results;
    for (Operation *op : ops)
      for (Value r : op->getResults())
        if (llvm::any_of(r.getUsers(), [&](Operation *user) {
              return !inRun.contains(
                  body.findAncestorOpInBlock(*user));
            }))
          results.push_back(r);

    // The function: (params, base, externals...) -> results.
    SmallVector<Type> argTypes = {packedType, b.getIndexType()};
    for (Value v : externals)
      argTypes.push_back(v.getType());
    auto fnType = b.getFunctionType(argTypes, ValueRange(results).getTypes());
    Location loc = ops.front()->getLoc();
    auto fn = func::FuncOp::create(loc, "__attn_layer_candidate", fnType);
    fn.setPrivate();
    Block *fnBody = fn.addEntryBlock();
    b.setInsertionPointToStart(fnBody);
    IRMapping mapping;
    for (auto [v, arg] : llvm::zip(externals, fnBody->getArguments().drop_front(2)))
      mapping.map(v, arg);
    mapping.map(packed, fnBody->getArgument(0));
    for (Value v : paramValues) {
      ParamView view = views[v];
      Value offset = arith::AddIOp::create(
          b, loc, fnBody->getArgument(1),
          arith::ConstantIndexOp::create(b, loc, view.offset - base));
      auto sliceType = view.slice.getType();
      Value slice = tensor::ExtractSliceOp::create(
          b, loc, sliceType, fnBody->getArgument(0),
          ArrayRef<OpFoldResult>{offset}, view.slice.getMixedSizes(),
          view.slice.getMixedStrides());
      Value viewValue = slice;
      if (view.reshape) {
        IRMapping reshapeMap;
        reshapeMap.map(view.slice.getResult(), slice);
        viewValue = b.clone(*view.reshape, reshapeMap)->getResult(0);
      }
      mapping.map(v, viewValue);
    }
    for (Operation *op : ops)
      b.clone(*op, mapping);
    func::ReturnOp::create(b, loc, llvm::map_to_vector(results, [&](Value r) {
                             return mapping.lookup(r);
                           }));

    // Reuse an equal function of an earlier layer.
    std::string key;
    {
      llvm::raw_string_ostream os(key);
      fn.print(os, OpPrintingFlags().printGenericOpForm());
    }
    func::FuncOp callee = byBody.lookup(key);
    if (callee) {
      fn.erase();
    } else {
      fn.setName((entry + "_layer" + Twine(layer)).str());
      fn->setAttr("no_inline", b.getUnitAttr());
      symbols.insert(fn, std::next(Block::iterator(lastFunction)));
      lastFunction = fn;
      byBody[key] = fn;
      callee = fn;
    }

    // The call replaces the run.
    b.setInsertionPoint(ops.front());
    SmallVector<Value> operands = {packed,
                                   arith::ConstantIndexOp::create(b, loc, base)};
    operands.append(externals.begin(), externals.end());
    auto call = func::CallOp::create(b, loc, callee, operands);
    for (auto [r, newR] : llvm::zip(results, call.getResults()))
      r.replaceAllUsesWith(newR);
    for (Operation *op : llvm::reverse(ops)) {
      op->dropAllUses();
      op->erase();
    }
  }

  // Parameter views nothing reads any more.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (isView(&op) && op.use_empty())
      op.erase();
}
} // namespace
