//===- BindParams.cpp - parameters as slices of one packed argument -------===//
//
// Rewrites the entry function so that its parameters come from one packed
// f32 buffer, its first argument, and records the parameter table and the
// entry signature on the module (`attn.manifest`). See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "attn/Dialect/Attn/Analysis/CostModel.h"
#include "attn/Model/EncoderBuilder.h"
#include "attn/Pipelines/Passes.h"
#include "attn/Support/ModelAttributes.h"
#include "attn/Support/ModelDims.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNBINDPARAMS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// A parameter global and its place in the packed buffer.
struct Param {
  ml_program::GlobalOp global;
  RankedTensorType type;
  int64_t offset = 0;
};

/// `{name, dtype, shape[, dims][, mask]}` of an entry argument or result;
/// `dims` and `mask` come from the argument's `attn.dims` and `attn.mask`
/// (attn/Model/EncoderBuilder.h).
DictionaryAttr tensorSpec(Builder &b, StringRef name, RankedTensorType type,
                          DictionaryAttr argAttrs = {}) {
  SmallVector<NamedAttribute> attrs = {
      b.getNamedAttr("name", b.getStringAttr(name)),
      b.getNamedAttr("dtype", b.getStringAttr("f32")),
      b.getNamedAttr("shape", b.getDenseI64ArrayAttr(llvm::to_vector(
                                  llvm::map_range(type.getShape(), [](int64_t d) {
                                    return ShapedType::isDynamic(d) ? int64_t(-1)
                                                                    : d;
                                  })))),
  };
  if (argAttrs) {
    if (auto dims = argAttrs.getAs<ArrayAttr>(kInputDimsAttr))
      attrs.push_back(b.getNamedAttr("dims", dims));
    if (auto mask = argAttrs.getAs<StringAttr>(kInputMaskAttr))
      attrs.push_back(b.getNamedAttr("mask", mask));
  }
  return b.getDictionaryAttr(attrs);
}

/// Checks the `attn.*` attributes of the entry's arguments: names unique
/// and not empty, `attn.dims` one string per dim, `attn.mask` additive or
/// key_padding.
LogicalResult checkInputAttrs(func::FuncOp entry) {
  llvm::StringSet<> names;
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
    auto type = cast<RankedTensorType>(entry.getArgumentTypes()[i]);
    Attribute name = entry.getArgAttr(i, kInputNameAttr);
    if (name && (!isa<StringAttr>(name) || cast<StringAttr>(name).empty()))
      return entry.emitError() << "entry argument #" << i << ": '"
                               << kInputNameAttr
                               << "' must be a non-empty string";
    if (auto s = dyn_cast_or_null<StringAttr>(name))
      if (!names.insert(s.getValue()).second)
        return entry.emitError() << "entry argument #" << i
                                 << ": duplicate input name '" << s.getValue()
                                 << "'";
    if (Attribute dims = entry.getArgAttr(i, kInputDimsAttr)) {
      auto list = dyn_cast<ArrayAttr>(dims);
      if (!list || static_cast<int64_t>(list.size()) != type.getRank() ||
          !llvm::all_of(list, [](Attribute a) { return isa<StringAttr>(a); }))
        return entry.emitError()
               << "entry argument #" << i << ": '" << kInputDimsAttr
               << "' must be an array of " << type.getRank() << " strings";
    }
    if (Attribute mask = entry.getArgAttr(i, kInputMaskAttr)) {
      auto s = dyn_cast<StringAttr>(mask);
      if (!s || (s.getValue() != "additive" && s.getValue() != "key_padding"))
        return entry.emitError() << "entry argument #" << i << ": '"
                                 << kInputMaskAttr
                                 << "' must be \"additive\" or "
                                    "\"key_padding\"";
    }
  }
  return success();
}

/// Checks that every type in `types` is a ranked f32 tensor; `what` names
/// them in the error.
LogicalResult checkEntryTypes(func::FuncOp entry, TypeRange types,
                              StringRef what) {
  for (auto [i, type] : llvm::enumerate(types)) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.getElementType().isF32())
      return entry.emitError() << "entry " << what << " #" << i
                               << " must be a ranked f32 tensor, got " << type;
  }
  return success();
}

/// One term `coeff * B^b * T^t` of the FLOP count.
struct FlopTerm {
  double coeff;
  int64_t b, t;
};

/// The FLOPs of one call of `module` as a polynomial in the batch size B
/// (when dim 0 of the first input is dynamic) and the sequence length T
/// (when its sequenceDim is, ModelDims.h; other inputs, such as masks,
/// share them): the cost model at T = 1, 2, 3 determines the quadratic
/// exactly
/// (every count is a polynomial of degree <= 2 in T and linear in B; the
/// cost model counts a dynamic B as 1), checked at T = 4. Empty when the
/// cost model cannot count the module.
SmallVector<FlopTerm> flopPolynomial(ModuleOp module, func::FuncOp entry) {
  if (entry.getNumArguments() == 0)
    return {};
  auto input = cast<RankedTensorType>(entry.getArgumentTypes()[0]);
  bool dynBatch = input.getRank() >= 1 && input.isDynamicDim(kBatchDim);
  bool dynSeq =
      input.getRank() >= 2 && input.isDynamicDim(sequenceDim(input.getRank()));
  // Errors of the cost model are not errors of binding: drop them.
  ScopedDiagnosticHandler silence(module.getContext(),
                                  [](Diagnostic &) { return success(); });
  auto at = [&](int64_t t) -> std::optional<double> {
    FailureOr<ModelCost> cost = computeModelCost(module, t);
    if (failed(cost))
      return std::nullopt;
    return static_cast<double>(cost->flops);
  };
  int64_t b = dynBatch ? 1 : 0;
  if (!dynSeq) {
    std::optional<double> f = at(0);
    if (!f || *f == 0)
      return {};
    return {FlopTerm{*f, b, 0}};
  }
  std::optional<double> f1 = at(1), f2 = at(2), f3 = at(3), f4 = at(4);
  if (!f1 || !f2 || !f3 || !f4)
    return {};
  double c2 = (*f3 - 2 * *f2 + *f1) / 2;
  double c1 = *f2 - *f1 - 3 * c2;
  double c0 = *f1 - c1 - c2;
  if (c0 + 4 * c1 + 16 * c2 != *f4)
    return {};
  SmallVector<FlopTerm> terms;
  // A named array: an ArrayRef of a braced list would dangle in the loop
  // (AddressSanitizer: stack-use-after-scope, docs/robustness.md).
  double coeffs[] = {c0, c1, c2};
  for (auto [t, c] : llvm::enumerate(coeffs))
    if (c != 0)
      terms.push_back({c, b, static_cast<int64_t>(t)});
  return terms;
}

struct BindParamsPass
    : public mlir::attn::impl::AttnBindParamsBase<BindParamsPass> {
  using AttnBindParamsBase::AttnBindParamsBase;

  void runOnOperation() override {
    if (failed(bind()))
      signalPassFailure();
  }

  LogicalResult bind();
};

LogicalResult BindParamsPass::bind() {
  ModuleOp module = getOperation();
  if (module->hasAttr(kManifestAttrName))
    return module.emitError() << "parameters are already bound (the module "
                                 "has an '"
                              << kManifestAttrName << "' attribute)";
  if (alignment == 0)
    return module.emitError() << "alignment must be positive";

  auto entryFn = module.lookupSymbol<func::FuncOp>(entry);
  if (!entryFn || entryFn.isExternal())
    return module.emitError() << "no entry function @" << entry
                              << " with a body";
  if (failed(checkEntryTypes(entryFn, entryFn.getArgumentTypes(), "argument")) ||
      failed(checkEntryTypes(entryFn, entryFn.getResultTypes(), "result")) ||
      failed(checkInputAttrs(entryFn)))
    return failure();

  // The FLOP polynomial, from the cost model, while the attn ops and the
  // globals are still there.
  SmallVector<FlopTerm> flopTerms = flopPolynomial(module, entryFn);

  // Arguments (the inputs, and the parameters added below) are read-only:
  // bufferization copies instead of writing into the caller's buffers.
  for (unsigned i = 0, e = entryFn.getNumArguments(); i < e; ++i)
    entryFn.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                       BoolAttr::get(module.getContext(), false));

  // Parameters: the extern globals that something loads, in module order.
  // Loads of globals with an initial value become constants.
  SmallVector<Param> params;
  llvm::DenseMap<Operation *, size_t> paramIndex;
  SymbolTableCollection symbols;
  SmallVector<ml_program::GlobalLoadConstOp> loads;
  SmallVector<Operation *> otherLoads;
  module.walk([&](Operation *op) {
    if (auto load = dyn_cast<ml_program::GlobalLoadConstOp>(op))
      loads.push_back(load);
    else if (isa<ml_program::GlobalLoadOp, ml_program::GlobalStoreOp>(op))
      otherLoads.push_back(op);
  });
  if (!otherLoads.empty())
    return otherLoads.front()->emitError()
           << "mutable globals cannot be bound as parameters";

  for (ml_program::GlobalLoadConstOp load : loads) {
    auto global = symbols.lookupNearestSymbolFrom<ml_program::GlobalOp>(
        load, load.getGlobalAttr());
    if (!global)
      return load.emitError() << "loads an unknown global " << load.getGlobal();
    if (load->getParentOfType<func::FuncOp>() != entryFn)
      return load.emitError()
             << "parameter '" << global.getSymName()
             << "' is read outside the entry function @" << entry;
    if (global.getIsMutable())
      return load.emitError() << "parameter '" << global.getSymName()
                              << "' is a mutable global";
    if (paramIndex.count(global))
      continue;
    auto type = dyn_cast<RankedTensorType>(global.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
      return global.emitError()
             << "parameter '" << global.getSymName()
             << "' must be a statically shaped f32 tensor to be bound, got "
             << global.getType();
    if (global.getValue() && !isa<ml_program::ExternAttr>(*global.getValue()) &&
        !isa<ElementsAttr>(*global.getValue()))
      return global.emitError() << "parameter '" << global.getSymName()
                                << "' has an unsupported initial value";
    paramIndex[global] = params.size();
    params.push_back({global, type, 0});
  }
  // Module order, not first-use order.
  llvm::sort(params, [](const Param &a, const Param &b) {
    return a.global->isBeforeInBlock(b.global);
  });
  for (auto [i, param] : llvm::enumerate(params))
    paramIndex[param.global] = i;

  // Offsets. Parameters with an initial value (not extern) are constants
  // and take no room in the buffer.
  int64_t size = 0;
  for (Param &param : params) {
    if (!isa_and_nonnull<ml_program::ExternAttr>(param.global.getValueAttr()) &&
        param.global.getValue())
      continue;
    param.offset = size;
    int64_t numel = param.type.getNumElements();
    if (numel > std::numeric_limits<int64_t>::max() / 4 - size)
      return param.global.emitError() << "parameters are too large to pack";
    size = llvm::alignTo(size + numel, alignment);
  }

  // The packed argument, first.
  OpBuilder b(module.getContext());
  auto packedType = RankedTensorType::get({size}, b.getF32Type());
  // Marked, so that attn-gpu-device-buffers can keep it on the device.
  if (failed(entryFn.insertArgument(
          0, packedType,
          b.getDictionaryAttr(
              {b.getNamedAttr(
                   bufferization::BufferizationDialect::kWritableAttrName,
                   b.getBoolAttr(false)),
               b.getNamedAttr(kPackedParamsAttrName, b.getUnitAttr())}),
          entryFn.getLoc())))
    return entryFn.emitError() << "cannot add the parameter argument";
  Value packed = entryFn.getArgument(0);

  for (ml_program::GlobalLoadConstOp load : loads) {
    auto global = symbols.lookupNearestSymbolFrom<ml_program::GlobalOp>(
        load, load.getGlobalAttr());
    Param &param = params[paramIndex.lookup(global)];
    b.setInsertionPoint(load);
    Location loc = load.getLoc();
    Value value;
    if (auto init = dyn_cast_or_null<ElementsAttr>(global.getValueAttr())) {
      value = arith::ConstantOp::create(b, loc, param.type,
                                        cast<TypedAttr>(init));
    } else {
      int64_t numel = param.type.getNumElements();
      auto flatType = RankedTensorType::get({numel}, b.getF32Type());
      Value slice = tensor::ExtractSliceOp::create(
          b, loc, flatType, packed,
          ArrayRef<OpFoldResult>{b.getIndexAttr(param.offset)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(numel)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
      int64_t rank = param.type.getRank();
      if (rank == 0) {
        value = tensor::CollapseShapeOp::create(
            b, loc, param.type, slice, ArrayRef<ReassociationIndices>{});
      } else if (rank == 1) {
        value = slice;
      } else {
        ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
        value = tensor::ExpandShapeOp::create(
            b, loc, param.type, slice, ArrayRef<ReassociationIndices>{all});
      }
    }
    load.getResult().replaceAllUsesWith(value);
    load.erase();
  }

  // The table, then the globals go.
  SmallVector<Attribute> table;
  for (Param &param : params) {
    if (param.global.getValue() &&
        !isa<ml_program::ExternAttr>(*param.global.getValue()))
      continue;
    SmallVector<NamedAttribute> entryAttrs = {
        b.getNamedAttr("name", param.global.getSymNameAttr()),
        b.getNamedAttr("dtype", b.getStringAttr("f32")),
        b.getNamedAttr("shape", b.getDenseI64ArrayAttr(param.type.getShape())),
        b.getNamedAttr("offset", b.getI64IntegerAttr(param.offset)),
    };
    if (auto init = param.global->getAttrOfType<StringAttr>("attn.init"))
      entryAttrs.push_back(b.getNamedAttr("init", init));
    table.push_back(b.getDictionaryAttr(entryAttrs));
  }
  for (Param &param : params)
    param.global.erase();
  // Parameters that nothing reads are not part of the compiled model.
  for (auto global : llvm::make_early_inc_range(
           module.getOps<ml_program::GlobalOp>()))
    if (isa_and_nonnull<ml_program::ExternAttr>(global.getValueAttr()) &&
        SymbolTable::symbolKnownUseEmpty(global, module))
      global.erase();

  SmallVector<Attribute> inputs, outputs;
  size_t numInputs = entryFn.getNumArguments() - 1;
  for (size_t i = 0; i < numInputs; ++i) {
    auto name = entryFn.getArgAttrOfType<StringAttr>(i + 1, kInputNameAttr);
    std::string fallback =
        numInputs == 1 ? std::string("x") : "x" + std::to_string(i);
    inputs.push_back(tensorSpec(
        b, name ? name.getValue() : StringRef(fallback),
        cast<RankedTensorType>(entryFn.getArgumentTypes()[i + 1]),
        entryFn.getArgAttrDict(i + 1)));
  }
  // Recorded in the manifest; LLVM translation would warn about them.
  for (size_t i = 0; i < numInputs; ++i)
    for (StringRef attr : {kInputNameAttr, kInputDimsAttr, kInputMaskAttr})
      entryFn.removeArgAttr(i + 1, attr);
  size_t numResults = entryFn.getNumResults();
  for (size_t i = 0; i < numResults; ++i)
    outputs.push_back(tensorSpec(
        b, numResults == 1 ? std::string("y") : "y" + std::to_string(i),
        cast<RankedTensorType>(entryFn.getResultTypes()[i])));

  SmallVector<Attribute> flops;
  for (const FlopTerm &term : flopTerms)
    flops.push_back(b.getDictionaryAttr({
        b.getNamedAttr("coeff", b.getF64FloatAttr(term.coeff)),
        b.getNamedAttr("b", b.getI64IntegerAttr(term.b)),
        b.getNamedAttr("t", b.getI64IntegerAttr(term.t)),
    }));

  module->setAttr(
      kManifestAttrName,
      b.getDictionaryAttr({
          b.getNamedAttr("entry", b.getStringAttr(entry)),
          b.getNamedAttr("param_size", b.getI64IntegerAttr(size)),
          b.getNamedAttr("param_alignment", b.getI64IntegerAttr(alignment)),
          b.getNamedAttr("params", b.getArrayAttr(table)),
          b.getNamedAttr("inputs", b.getArrayAttr(inputs)),
          b.getNamedAttr("outputs", b.getArrayAttr(outputs)),
          b.getNamedAttr("flops", b.getArrayAttr(flops)),
      }));
  entryFn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), b.getUnitAttr());
  return success();
}
} // namespace
