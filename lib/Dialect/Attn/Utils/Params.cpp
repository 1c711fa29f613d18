//===- Params.cpp - model parameters as ml_program globals ----------------===//

#include "attn/Dialect/Attn/Utils/Params.h"

#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::attn;

ml_program::GlobalOp mlir::attn::getParamGlobal(Value value) {
  auto load = value.getDefiningOp<ml_program::GlobalLoadConstOp>();
  if (!load)
    return nullptr;
  return SymbolTable::lookupNearestSymbolFrom<ml_program::GlobalOp>(
      load, load.getGlobalAttr());
}

std::optional<StringRef> mlir::attn::getParamName(Value value) {
  auto load = value.getDefiningOp<ml_program::GlobalLoadConstOp>();
  if (!load)
    return std::nullopt;
  return load.getGlobal().getLeafReference().getValue();
}

StringRef mlir::attn::getParamPrefix(StringRef name) {
  size_t dot = name.rfind('.');
  return dot == StringRef::npos ? StringRef() : name.take_front(dot + 1);
}

std::optional<int64_t> mlir::attn::getLayerIndex(StringRef name) {
  if (!name.consume_front("layers."))
    return std::nullopt;
  int64_t index;
  if (name.take_until([](char c) { return c == '.'; })
          .getAsInteger(10, index))
    return std::nullopt;
  return index;
}

ml_program::GlobalOp mlir::attn::createParam(ModuleOp module, Location loc,
                                             StringRef name,
                                             RankedTensorType type,
                                             StringRef init) {
  assert(isValidInitKind(init) && "unknown attn.init kind");
  if (SymbolTable::lookupSymbolIn(module, name)) {
    emitError(loc) << "cannot create parameter '" << name
                   << "': the name is taken";
    return nullptr;
  }
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  // Keep globals together: after the last existing global, if any.
  for (auto global : module.getOps<ml_program::GlobalOp>())
    builder.setInsertionPointAfter(global);
  MLIRContext *ctx = module.getContext();
  auto global = ml_program::GlobalOp::create(
      builder, loc, StringAttr::get(ctx, name), TypeAttr::get(type),
      /*is_mutable=*/nullptr, ml_program::ExternAttr::get(ctx, type),
      StringAttr::get(ctx, "private"));
  global->setAttr(kInitAttrName, StringAttr::get(ctx, init));
  return global;
}

Value mlir::attn::loadParam(OpBuilder &builder, Location loc,
                            ml_program::GlobalOp global) {
  return ml_program::GlobalLoadConstOp::create(
      builder, loc, global.getType(),
      SymbolRefAttr::get(global.getSymNameAttr()));
}

SmallVector<std::string> mlir::attn::eraseUnusedParams(ModuleOp module) {
  SmallVector<ml_program::GlobalLoadConstOp> deadLoads;
  module.walk([&](ml_program::GlobalLoadConstOp load) {
    if (load->use_empty())
      deadLoads.push_back(load);
  });
  for (auto load : deadLoads)
    load->erase();

  SmallVector<std::string> erased;
  SmallVector<ml_program::GlobalOp> deadGlobals;
  for (auto global : module.getOps<ml_program::GlobalOp>()) {
    if (!global.isPrivate() ||
        !isa_and_nonnull<ml_program::ExternAttr>(global.getValueAttr()))
      continue;
    if (SymbolTable::symbolKnownUseEmpty(global, module))
      deadGlobals.push_back(global);
  }
  for (auto global : deadGlobals) {
    erased.push_back(global.getSymName().str());
    global->erase();
  }
  return erased;
}

std::optional<std::string> mlir::attn::deriveInit(ml_program::GlobalOp source,
                                                  StringRef kind) {
  auto init = source->getAttrOfType<StringAttr>(kInitAttrName);
  if (!init)
    return (kind + ":" + source.getSymName()).str();
  StringRef origin = init.getValue();
  if (kind == "copy")
    return origin.str();
  // Constant and to-be-trained values stay what they are under a mean or a
  // slice; a copy's origin takes the derivation instead.
  auto [sourceKind, sourceName] = origin.split(':');
  if (!origin.contains(':'))
    return origin.str();
  if (sourceKind == "copy")
    return (kind + ":" + sourceName).str();
  return std::nullopt;
}

FailureOr<ml_program::GlobalOp>
ParamCreator::getOrCreate(Location loc, StringRef name, RankedTensorType type,
                          StringRef init) {
  auto it = created.find(name);
  if (it == created.end()) {
    ml_program::GlobalOp global = createParam(module, loc, name, type, init);
    if (!global)
      return failure();
    created[name] = global;
    return global;
  }
  ml_program::GlobalOp global = it->second;
  auto existing = global->getAttrOfType<StringAttr>(kInitAttrName);
  if (global.getType() != type || !existing || existing.getValue() != init)
    return emitError(loc) << "cannot create parameter '" << name << "' as "
                          << type << " (attn.init = \"" << init
                          << "\"): it was just created as " << global.getType()
                          << " from " << global->getAttr(kInitAttrName);
  return global;
}
