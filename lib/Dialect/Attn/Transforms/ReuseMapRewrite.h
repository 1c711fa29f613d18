//===- ReuseMapRewrite.h - attention-map reuse rewrites ---------*- C++ -*-===//
//
// The checks and rewrites behind attn-reuse-map: whether a layer may apply
// another layer's attention map, and the IR changes that make it do so.
// The grouping itself is in ReuseMap.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_DIALECT_ATTN_TRANSFORMS_REUSEMAPREWRITE_H
#define ATTN_LIB_DIALECT_ATTN_TRANSFORMS_REUSEMAPREWRITE_H

#include "attn/Dialect/Attn/Utils/AttentionLayers.h"

#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dominance.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace mlir::attn::reuse {

/// Whether `layer` already applies a map that another layer computes (the
/// output of an earlier attn-reuse-map run).
bool readsForeignMap(AttentionLayer &layer);

/// Why `follower` cannot apply `leader`'s map, or "" if it can. With
/// `valueExpansion > 1` the follower's values must also be widenable.
std::string whyCannotShare(AttentionLayer &leader, AttentionLayer &follower,
                           unsigned valueExpansion, DominanceInfo &domInfo);

/// Performs the rewrites of one run of the pass over a module. New wide
/// parameters are cached per old parameter, so layers that shared a weight
/// keep sharing its widened form.
class MapSharer {
public:
  MapSharer(ModuleOp module, unsigned valueExpansion)
      : module(module), valueExpansion(valueExpansion) {}

  /// The map `leader` computes; a fused leader (attn.attend) is first split
  /// into attn.scores + attn.apply so that its map exists. Updates `leader`.
  Value materializeMap(AttentionLayer &leader);

  /// Rewrites `follower` to apply `map` instead of computing its own. With
  /// value expansion its value and output projections widen to new
  /// parameters (attn.init = "train"). The follower's old ops stay in place,
  /// unused, until eraseDeadOps. Fails (with an error) only if the name of a
  /// new parameter is taken. Updates `follower`.
  LogicalResult share(AttentionLayer &follower, Value map);

  /// Erases the ops the rewrites left unused, then the producers of their
  /// operands that become unused in turn (projections, parameter loads).
  void eraseDeadOps();

private:
  /// The widened copy of parameter `old` in the role `role` (`wv`, `bv`,
  /// `wo`), created on first use.
  ml_program::GlobalOp getWidened(ml_program::GlobalOp old, StringRef role,
                                  RankedTensorType type, Location loc);

  ModuleOp module;
  unsigned valueExpansion;
  /// (old parameter, role) -> its widened copy.
  DenseMap<std::pair<Operation *, StringRef>, ml_program::GlobalOp> widened;
  SmallVector<Operation *> maybeDead;
};

} // namespace mlir::attn::reuse

#endif // ATTN_LIB_DIALECT_ATTN_TRANSFORMS_REUSEMAPREWRITE_H
