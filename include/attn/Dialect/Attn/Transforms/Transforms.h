//===- Transforms.h - attn rewrite patterns ---------------------*- C++ -*-===//
//
// The reusable pieces behind the attn passes. Pass drivers stay thin: they
// collect these patterns and apply them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
#define ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Operation;
class RewritePatternSet;
class RewriterBase;
namespace attn {
class MhaOp;

/// attn.mha -> attn.project x3, attn.scores, attn.apply, attn.merge.
void populateDecomposeMhaPatterns(RewritePatternSet &patterns);

/// Rewrites one attn.mha as populateDecomposeMhaPatterns does.
void decomposeMha(RewriterBase &rewriter, MhaOp op);

/// Decomposes every attn.mha under `root`; the rewrite passes call it first
/// so that they all work on the decomposed vocabulary.
LogicalResult decomposeMhaOps(Operation *root);

//===----------------------------------------------------------------------===//
// attn-fuse-attend
//===----------------------------------------------------------------------===//

/// attn.scores whose map has exactly one use, an attn.apply, and that apply
/// -> attn.attend (mask, causal and scale carried over). Shared maps and
/// attn.mgk_scores maps are left materialised.
void populateFuseAttendPatterns(RewritePatternSet &patterns);

//===----------------------------------------------------------------------===//
// attn-tie-kv
//===----------------------------------------------------------------------===//

/// Key-value tying (Irie et al.) of every attention layer under `root` that
/// can be tied: its values become its key heads and its value projection is
/// erased. Layers that cannot be tied are left alone with a remark saying
/// why (see the pass description). Does not touch parameter globals: call
/// eraseUnusedParams afterwards. Returns the number of layers tied.
int64_t tieKeysAndValues(Operation *root);

//===----------------------------------------------------------------------===//
// attn-substitute-ff
//===----------------------------------------------------------------------===//

/// What attn-substitute-ff replaces by a feed-forward network: Bozic et al.'s
/// ALR, ALRR, ASLR and ELR, or Irie et al.'s deeper feed-forward (deep-ff).
enum class FFSubstitution { ALR, ALRR, ASLR, ELR, DeepFF };

/// `alr`, `alrr`, `aslr`, `elr` or `deep-ff`; failure for anything else.
FailureOr<FFSubstitution> parseFFSubstitution(StringRef name);

struct SubstituteFFOptions {
  FFSubstitution variant = FFSubstitution::ALR;
  /// N, the longest sequence an attn.seq_mlp accepts (seq_mlp variants).
  int64_t maxLen = 50;
  /// Hidden width; 0 picks N*D/4 (seq_mlp variants) or 4*D (deep-ff).
  int64_t hidden = 0;
  /// Linear layers of the deepened feed-forward network (deep-ff).
  int64_t depth = 3;
  /// Indices `i` of `layers.{i}` to replace; empty: every attention layer.
  SmallVector<int64_t> layers;
};

/// Replaces the selected attention layers of `module` (a ModuleOp) as
/// `options` says; attn.mha must be decomposed first (decomposeMhaOps).
/// Checks the options and every selected layer before changing anything and
/// emits an error naming the layer for whatever cannot be replaced. Creates
/// the new parameters (`layers.{i}.<variant>.*`, `attn.init`) and erases
/// the ops and parameters nothing reads any more.
LogicalResult substituteFeedForward(Operation *module,
                                    const SubstituteFFOptions &options);

//===----------------------------------------------------------------------===//
// attn-to-mhe
//===----------------------------------------------------------------------===//

/// How an MHE head embedding combines with the shared projection (the
/// dialect's enum, declared in AttnEnums.h).
enum class EmbedMode : uint32_t;

struct MheOptions {
  /// add (the enum's zero) unless set.
  EmbedMode mode{};
  /// true: shared weights are the mean of the per-head slices and the
  /// embeddings the identity of `mode` (zeros / ones); false: all "train".
  bool meanHeadsInit = true;
};

/// Multiple head embeddings (Xue & Aletras) for every attention layer of
/// `module` (a ModuleOp) whose own query, key and value heads are plain
/// attn.project ops: each becomes `attn.project heads(1)` to width d,
/// collapsed to [B, T, d], then `attn.head_embed` with a per-head embedding
/// [H, d]. Layers that apply another layer's map convert their values only;
/// tied keys/values stay tied. Other layers are left alone with a remark.
/// Creates `{w,b}{q,k,v}_shared` and `e{q,k,v}` next to the original
/// parameters and erases the parameters nothing reads any more.
LogicalResult convertToMultiHeadEmbeddings(Operation *module,
                                           const MheOptions &options);

//===----------------------------------------------------------------------===//
// attn-to-mgk
//===----------------------------------------------------------------------===//

struct MgkOptions {
  /// Key components per head (R), at least 1.
  int64_t numKeys = 2;
  /// Head count of the rewritten layers; 0 keeps each layer's own.
  int64_t numHeads = 0;
  /// sMGK: one key projection plus a learned offset per component.
  bool shifted = false;
  /// Variance of the Gaussians; 0 matches each layer's softmax (1/scale).
  double sigmaSq = 0.0;
};

/// Transformer-MGK (Nguyen et al.) for every attention layer of `module` (a
/// ModuleOp) that computes its own map from plain attn.project queries and
/// keys: the map becomes attn.mgk_scores over R key components (see the
/// pass description for the parameters and their initialisation). Layers that
/// cannot be rewritten are left alone with a remark; a head count that
/// does not fit a layer is an error. Erases the parameters nothing reads.
LogicalResult convertToMixtureOfGaussianKeys(Operation *module,
                                             const MgkOptions &options);

//===----------------------------------------------------------------------===//
// attn-reuse-map
//===----------------------------------------------------------------------===//

/// Layers `first` to `last` of a model (indices i of `layers.{i}`, both
/// included).
struct LayerRange {
  int64_t first = 0;
  int64_t last = 0;
};

struct ReuseMapOptions {
  /// M, the number of consecutive attention layers that share one map.
  unsigned groupSize = 2;
  /// E, the width factor of the reuse layers' values (1: unchanged).
  unsigned valueExpansion = 1;
  /// Explicit groups, ascending and disjoint; when given they replace
  /// groupSize, and layers outside every range keep their own map.
  SmallVector<LayerRange> groups;
};

/// Attention-map reuse (Shim et al.) in every function of `module` (a
/// ModuleOp); decomposes attn.mha first. In each group the first layer keeps
/// its map (a fused attn.attend is split so the map exists) and every later
/// layer applies it to its own values; their query/key projections, maps and
/// parameters are erased. With valueExpansion > 1 the later layers' value
/// and output projections widen to new parameters `wv_e{E}`, `bv_e{E}`,
/// `wo_e{E}` (attn.init = "train"). A layer that cannot share the open
/// group's map starts a new group, with a remark saying why; layers that
/// already apply another layer's map are left alone. Bad options are an
/// error at the module.
LogicalResult reuseAttentionMaps(Operation *module,
                                 const ReuseMapOptions &options);

} // namespace attn
} // namespace mlir

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_TRANSFORMS_H
