//===- Passes.td - attn transformation passes --------------*- tablegen -*-===//
//
// Every rewrite of the toolkit. Flags start with `attn-`; options are pass
// options, so pipelines in text and in Python configure them the same way.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
#define ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnDecompose : Pass<"attn-decompose"> {
  let summary = "Rewrites attn.mha into project/scores/apply/merge";
  let description = [{
    Writes every `attn.mha` in the decomposed vocabulary that the other
    rewrites work on:

    ```
    q   = attn.project query, wq (bq)       [B, H, Tq, dk]
    k   = attn.project key_value, wk (bk)   [B, H, Tk, dk]
    v   = attn.project key_value, wv (bv)   [B, H, Tk, dv]
    map = attn.scores q, k (mask, causal, scale)
    o   = attn.apply map, v
    out = attn.merge o, wo (bo)
    ```

    Masks, the causal flag, an explicit scale and every bias carry over
    unchanged; dynamic batch and sequence dimensions stay dynamic.
    Run `attn-fuse-attend` afterwards to fuse maps used once.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect"];
}

def AttnFuseAttend : Pass<"attn-fuse-attend"> {
  let summary = "Fuses attn.scores + attn.apply whose map has one use into attn.attend";
  let description = [{
    A map read by a single `attn.apply` need not be materialised: the pair
    becomes `attn.attend`, which lowers to an online-softmax (flash) loop.
    Maps shared by several `attn.apply` ops (attention-map reuse) and
    `attn.mgk_scores` maps stay as they are.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect"];
}

def AttnReuseMap : Pass<"attn-reuse-map", "::mlir::ModuleOp"> {
  let summary = "Attention-map reuse across consecutive layers (Shim et al.)";
  let description = [{
    Groups consecutive attention layers of `@forward` in runs of
    `group-size` (or the explicit `groups`). The first layer of a group
    computes its attention map as usual; every later layer applies that map
    to its own values, so its query and key projections, their parameters
    and its softmax go away.

    With `value-expansion=E > 1` the value and output projections of the
    reuse layers widen from `dv` to `E*dv` per head, so that parameters stay
    about equal (the paper uses E=2); the new, wider parameters carry
    `attn.init = "train"`: the model must be trained again.

    Layers that cannot share a map (different query/key lengths, head count,
    mask or causal flag) start a new group; the pass emits a remark saying
    why. `attn.mha` ops are decomposed first.
  }];
  let options = [
    Option<"groupSize", "group-size", "unsigned", "2",
           "number of consecutive layers that share one map (M)">,
    Option<"valueExpansion", "value-expansion", "unsigned", "1",
           "width factor E of the reuse layers' values (1 = unchanged)">,
    ListOption<"groups", "groups", "std::string",
               "explicit groups as layer ranges, e.g. 0-3,4-15 (overrides group-size)">,
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::ml_program::MLProgramDialect"];
}

def AttnTieKV : Pass<"attn-tie-kv", "::mlir::ModuleOp"> {
  let summary = "Key-value tying: the key projection also serves as values (Irie et al.)";
  let description = [{
    Every attention layer uses its key heads as values (`V_h = K_h`), which
    halves the attention state kept per position. The value projection and
    its parameters (`wv`, `bv`) are removed. Needs `dv == dk`. A layer whose
    keys and values come from different inputs is left alone, with a remark.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::ml_program::MLProgramDialect"];
}

def AttnToMhe : Pass<"attn-to-mhe", "::mlir::ModuleOp"> {
  let summary = "Multiple head embeddings: one shared projection per role (Xue & Aletras)";
  let description = [{
    Replaces the per-head query, key and value projections of every
    attention layer by one shared projection per role (`[D, d]`) plus a
    per-head embedding `[H, d]`, combined with `attn.head_embed` by addition
    (`mode=add`) or multiplication (`mode=mul`).

    `init` says how the new parameters are derived: `mean-heads` sets each
    shared weight to the mean of the original per-head slices and the
    embeddings to zeros (add) or ones (mul); `train` marks them all as
    to be trained.
  }];
  let options = [
    Option<"mode", "mode", "::mlir::attn::EmbedMode",
           "::mlir::attn::EmbedMode::add",
           "how embeddings combine with the shared projection",
           [{::llvm::cl::values(
             clEnumValN(::mlir::attn::EmbedMode::add, "add", "MHE-ADD"),
             clEnumValN(::mlir::attn::EmbedMode::mul, "mul", "MHE-MUL"))}]>,
    Option<"init", "init", "std::string", "\"mean-heads\"",
           "origin of the new parameters: mean-heads or train">,
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::ml_program::MLProgramDialect"];
}

def AttnSubstituteFF : Pass<"attn-substitute-ff", "::mlir::ModuleOp"> {
  let summary = "Replaces attention by feed-forward networks (Bozic et al.; Irie et al.)";
  let description = [{
    Attentionless Transformers: the selected layers' attention is replaced by
    a shallow network over the whole (padded) sequence, `attn.seq_mlp`:

    * `alr`: the multi-head attention only (residual and LayerNorm kept);
    * `alrr`: attention plus its residual connection and LayerNorm;
    * `aslr`: one network per head (`attn.head_seq_mlp`), merged with the
      layer's output projection;
    * `elr`: the whole encoder layer;
    * `deep-ff` (Irie et al.): the attention sublayer is removed and the
      layer's feed-forward network deepened to `depth` linear layers.

    New parameters carry `attn.init = "train"` (they are distilled from the
    original layer). A sequence longer than `max-len` cannot be processed:
    the compiled model reports it as an error.
  }];
  let options = [
    Option<"variant", "variant", "std::string", "\"alr\"",
           "alr, alrr, aslr, elr or deep-ff">,
    Option<"maxLen", "max-len", "unsigned", "50",
           "longest sequence the replacement accepts (N)">,
    Option<"hidden", "hidden", "unsigned", "0",
           "hidden width (0: N*D/4 for seq_mlp, 4*D for deep-ff)">,
    ListOption<"layers", "layers", "unsigned",
               "indices of the layers to replace (default: all)">,
    Option<"depth", "depth", "unsigned", "3",
           "number of linear layers of the deepened FF (deep-ff)">,
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::ml_program::MLProgramDialect"];
}

def AttnToMgk : Pass<"attn-to-mgk", "::mlir::ModuleOp"> {
  let summary = "Mixture of Gaussian keys (Transformer-MGK, Nguyen et al.)";
  let description = [{
    Rewrites every attention layer to Transformer-MGK: `num-keys` (R) key
    components per head, with mixture weights and variance `sigma-sq`,
    attended with `attn.mgk_scores`; `num-heads` sets the new head count
    (the paper's 4-head MGK against 8-head softmax attention). `shifted`
    selects sMGK (one key projection shifted by a learned per-component
    offset) instead of a projection per component.
  }];
  let options = [
    Option<"numKeys", "num-keys", "unsigned", "2",
           "key components per head (R)">,
    Option<"numHeads", "num-heads", "unsigned", "0",
           "head count of the rewritten layers (0: unchanged)">,
    Option<"shifted", "shifted", "bool", "false",
           "sMGK: shifted copies of one key projection">,
    Option<"sigmaSq", "sigma-sq", "double", "0.0",
           "variance of the Gaussians (0: sqrt(dk), which matches softmax scaling)">,
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::ml_program::MLProgramDialect"];
}

def AttnReport : Pass<"attn-report", "::mlir::ModuleOp"> {
  let summary = "Reports parameters, attention state, FLOPs, bytes and map memory";
  let description = [{
    Prints, per attention layer and in total: parameters, attention state per
    position (Irie et al.: what is kept per position at evaluation time,
    dk + dv per attention layer and head), FLOPs and bytes moved at sequence
    length `seq-len`, and the memory of materialised attention maps. Run it
    before and after a rewrite to see what the rewrite saves. The IR is not
    changed.
  }];
  let options = [
    Option<"seqLen", "seq-len", "int64_t", "0",
           "sequence length T (0: the model's static T, else 1024)">,
    Option<"format", "format", "std::string", "\"table\"",
           "table or json">,
    Option<"output", "output", "std::string", "\"-\"",
           "file to write the report to ('-': stdout)">,
  ];
}

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
