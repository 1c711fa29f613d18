//===- Params.h - model parameters as ml_program globals --------*- C++ -*-===//
//
// Model parameters are `ml_program.global` symbols with an extern initial
// value, read with `ml_program.global_load_const` and named by model path
// (`layers.{i}.attn.wq`, DESIGN.md section 2). Rewrites that change a model's
// structure create new parameters through these helpers, so that every new
// global says where its values come from (`attn.init`), and drop the ones
// nothing reads any more.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_UTILS_PARAMS_H
#define ATTN_DIALECT_ATTN_UTILS_PARAMS_H

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace mlir::attn {

/// Name of the discardable attribute that records a parameter's origin
/// (see isValidInitKind in AttnDialect.h for the values).
constexpr llvm::StringLiteral kInitAttrName = AttnDialect::kInitAttrName;

/// The global's symbol name if `value` is a parameter load, else nullopt.
std::optional<StringRef> getParamName(Value value);

/// The global that `value` loads, or null.
ml_program::GlobalOp getParamGlobal(Value value);

/// `layers.3.attn.` for `layers.3.attn.wq`: everything up to and including
/// the last '.', or "" if the name has none.
StringRef getParamPrefix(StringRef name);

/// The layer index in `layers.{i}....`, or nullopt.
std::optional<int64_t> getLayerIndex(StringRef name);

/// Creates a private extern parameter `name` of `type` at the start of
/// `module`, marked with `attn.init = init`. Fails (returns null and emits an
/// error at `loc`) if the name is taken.
ml_program::GlobalOp createParam(ModuleOp module, Location loc, StringRef name,
                                 RankedTensorType type, StringRef init);

/// Reads `global` at the builder's insertion point.
Value loadParam(OpBuilder &builder, Location loc, ml_program::GlobalOp global);

/// Erases parameter loads without uses, then private extern globals that
/// nothing references. Returns the names of the erased globals.
SmallVector<std::string> eraseUnusedParams(ModuleOp module);

/// The `attn.init` of a new parameter derived from `source` by `kind`
/// ("copy", "mean-heads" or "slice"): `kind:<source>` when `source` is an
/// original parameter, else the composition with the source's own origin
/// (a copy keeps it; the mean or a slice of "zeros" is "zeros", of
/// "copy:X" is "kind:X"). Nullopt when the composition has no name, e.g.
/// the mean of a slice.
std::optional<std::string> deriveInit(ml_program::GlobalOp source,
                                      StringRef kind);

/// Creates the new parameters of one rewrite. Layers that share a source
/// parameter derive new ones of the same name: they get the same global, so
/// that they keep sharing it, provided type and origin agree.
class ParamCreator {
public:
  explicit ParamCreator(ModuleOp module) : module(module) {}

  /// The parameter `name` this rewrite created before, or a new one
  /// (createParam). Fails with an error at `loc` on a clash.
  FailureOr<ml_program::GlobalOp> getOrCreate(Location loc, StringRef name,
                                              RankedTensorType type,
                                              StringRef init);

private:
  ModuleOp module;
  llvm::StringMap<ml_program::GlobalOp> created;
};

} // namespace mlir::attn

#endif // ATTN_DIALECT_ATTN_UTILS_PARAMS_H
