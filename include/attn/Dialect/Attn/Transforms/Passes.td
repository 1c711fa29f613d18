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
    The mask, the causal flag and an explicit scale carry over. Maps with
    any other use, in particular maps shared by several `attn.apply` ops
    (attention-map reuse), and `attn.mgk_scores` maps stay as they are.
    `attn.mha` ops are decomposed first, so the pass fuses them directly.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect"];
}

def AttnReuseMap : Pass<"attn-reuse-map", "::mlir::ModuleOp"> {
  let summary = "Attention-map reuse across consecutive layers (Shim et al.)";
  let description = [{
    Groups the attention layers of each function, in program order, into runs
    of `group-size` consecutive layers (M), or into the explicit `groups`
    (layer index ranges `i-j` or single indices `i`, ascending and disjoint;
    layers outside every range keep their own map). The first layer of a
    group computes its attention map as usual; every later layer applies that
    map to its own values (`attn.apply %map_first, %v_i`), so its query and
    key projections, its map and their parameters (`wq`, `wk`, `bq`, `bk`) go
    away. A fused first layer (`attn.attend`) is split back into
    `attn.scores` + `attn.apply` so that its map exists; a fused later layer
    becomes an `attn.apply` of the shared map. `attn.mgk_scores` maps are
    shared like softmax maps.

    With `value-expansion=E > 1` the value and output projections of the
    reuse layers widen from `dv` to `E*dv` per head, so that parameters stay
    about equal (the paper uses E=2): new parameters `layers.{i}.attn.wv_eE`
    `[D, E*H*dv]`, `bv_eE` `[E*H*dv]` (if the layer had `bv`) and `wo_eE`
    `[E*H*dv, D]`, all with `attn.init = "train"`, replace `wv`, `bv` and
    `wo`; `bo` stays. The model must be trained again.

    A layer that cannot share the open group's map starts a new group, with
    a remark at the layer saying why: a different head count, map shape
    (batch, Tq, Tk), mask or causal flag, dynamic lengths that cannot be
    proven equal (the queries or keys come from different values), a map
    that does not dominate the layer or is in another block, or (with E > 1)
    values that cannot be widened. Layers that already apply another layer's map (the output of an
    earlier run) are left alone, so running the pass twice changes nothing.
    `attn.mha` ops are decomposed first. `group-size=0`, `value-expansion=0`
    and malformed, overlapping, unordered or out-of-range `groups` are
    errors.
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
    Every attention layer whose key and value projections read the same
    input uses its key heads as values (`V_h = K_h`), which halves the
    attention state kept per position (dk instead of dk + dv per head). The
    value projection and its parameters (`wv`, `bv`) are removed; masks, the
    causal flag and the scale are unchanged. Works on materialised maps
    (`attn.apply`) and fused ones (`attn.attend`); `attn.mha` ops are
    decomposed first.

    Layers that cannot be tied are left alone, each with a remark
    `layer i: cannot tie keys and values: <why>`:

    * `dv (x) != dk (y)`: the output projection `wo [H*dv, D]` would no
      longer fit (tying needs `dv == dk`, statically known);
    * keys and values computed from different inputs (cross attention);
    * keys or values that are not a plain `attn.project` (for example the
      mixture components of `attn.mgk_scores`, or MHE head embeddings).

    Skipped silently, as there is nothing to tie: layers whose values
    already are their keys, and layers that apply a map computed by an
    earlier layer (attention-map reuse). Such a reuse layer has no keys of
    its own, so it keeps its value projection; the first layer of its group
    is tied as any other layer.
  }];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::ml_program::MLProgramDialect"];
}

def AttnToMhe : Pass<"attn-to-mhe", "::mlir::ModuleOp"> {
  let summary = "Multiple head embeddings: one shared projection per role (Xue & Aletras)";
  let description = [{
    Replaces the per-head query, key and value projections of every
    attention layer by one shared projection per role plus a per-head
    embedding, combined by addition (`mode=add`, MHE-ADD) or multiplication
    (`mode=mul`, MHE-MUL):

    ```
    p = attn.project x, w{q,k,v}_shared [D, d] bias(b{q,k,v}_shared [d]) heads(1)
    p = tensor.collapse_shape p                  [B, 1, T, d] -> [B, T, d]
    h = attn.head_embed p, e{q,k,v} [H, d] mode(add|mul)      [B, H, T, d]
    ```

    The heads keep their shape, so scores, `attn.apply`/`attn.attend`, the
    output projection (`wo`, `bo`), masks, the causal flag and the scale are
    unchanged. The new parameters sit next to the old ones
    (`layers.{i}.attn.wq_shared`, `bq_shared` if the layer had `bq`, `eq`,
    and likewise for k and v); `wq`/`wk`/`wv` and their biases go.

    `init` says where their values come from: `mean-heads` sets each shared
    weight and bias to the mean of the original per-head slices
    (`attn.init = "mean-heads:<name>"`) and the embeddings to the identity
    of the mode (`"zeros"` for add, `"ones"` for mul), so that every head
    starts as the mean head; `train` marks them all `"train"`.

    Layers that apply a map computed by an earlier layer (attention-map
    reuse) convert only their values; layers whose values are their keys
    (key-value tying) stay tied. A layer whose own heads are not plain
    `attn.project` ops (already MHE, Transformer-MGK keys) or whose weights
    are not model parameters is left unchanged with a remark
    `layer i: ...; left unchanged`. `attn.mha` ops are decomposed first.
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
                           "::mlir::ml_program::MLProgramDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AttnSubstituteFF : Pass<"attn-substitute-ff", "::mlir::ModuleOp"> {
  let summary = "Replaces attention by feed-forward networks (Bozic et al.; Irie et al.)";
  let description = [{
    Attentionless Transformers (Bozic et al., METHODS.md section 4): the
    selected layers' attention is replaced by a shallow network that sees the
    whole padded sequence, `attn.seq_mlp` in the paper's configuration
    (LayerNorm, Linear(N*D -> K), LeakyReLU, LayerNorm, Linear(K -> N*E)).
    With `a` the attention's input (`x`, or `ln1(x)` in a pre-norm model):

    * `alr`: the attention output (the `attn.merge` result) becomes
      `seq_mlp(a)`; the residual add and the LayerNorm stay.
    * `alrr`: the attention, its residual add and its LayerNorm: post-norm
      `ln1(x + attn(x))` and pre-norm `x + attn(ln1(x))` both become
      `seq_mlp(x)`; ln1 goes.
    * `aslr`: one network per head, `attn.head_seq_mlp(a)` giving
      `[B, H, T, dv]`, merged by the layer's own `attn.merge` (wo, bo stay).
    * `elr`: the whole encoder layer (both sublayers with their residual adds
      and norms) becomes `seq_mlp(x)`.
    * `deep-ff` (Irie et al., METHODS.md section 2): the attention sublayer
      goes with its residual add and ln1 (post-norm `ln1(x + attn(x))` and
      pre-norm `x + attn(ln1(x))` both become `x`), and the layer's
      `attn.ffn` gets `depth` linear layers D -> hidden -> ... -> hidden -> D.

    The new parameters are `layers.{i}.<variant>.{norm_in_gamma, norm_in_beta,
    w0, b0, norm_hidden_gamma, norm_hidden_beta, w1, b1}` (`aslr`: with a
    leading H dimension; b0/b1 only where the replaced part has biases). The
    linear layers carry `attn.init = "train"` (distilled from the original
    layer), the LayerNorms `"ones"`/`"zeros"` and the layer's epsilon.
    `deep-ff` names its weights `layers.{i}.ffn.w{j}`/`b{j}`: an old weight
    whose shape and place (first, inner, last) are unchanged stays, the others
    are new with `attn.init = "train"`; with depth 2 and the old hidden width
    the network is unchanged. Ops and parameters nothing reads any more are
    erased. `attn.mha` is decomposed first.

    A sequence longer than `max-len` cannot be processed: a static T above it
    is an error here; a dynamic T is checked at run time by the compiled model
    (the contract of `attn.seq_mlp`).

    Errors name the layer and leave the module unchanged: masked or causal
    attention for the seq_mlp variants (the network sees every position,
    padding and future tokens included; Bozic et al. handle padding by length
    only), cross-attention, a residual add (alrr, elr, deep-ff) or
    feed-forward sublayer (elr, deep-ff) that is not found, a dynamic model
    width, a `layers` index that names no attention layer, an unknown
    variant, `max-len=0` (seq_mlp variants) and `depth` below 2 (deep-ff).
  }];
  let options = [
    Option<"variant", "variant", "std::string", "\"alr\"",
           "alr, alrr, aslr, elr or deep-ff">,
    Option<"maxLen", "max-len", "unsigned", "50",
           "longest sequence the seq_mlp variants accept (N)">,
    Option<"hidden", "hidden", "unsigned", "0",
           "hidden width (0: N*D/4 for seq_mlp, 4*D for deep-ff)">,
    ListOption<"layers", "layers", "unsigned",
               "indices i of layers.{i} to replace (default: all)">,
    Option<"depth", "depth", "unsigned", "3",
           "number of linear layers of the deepened FF (deep-ff, >= 2)">,
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::ml_program::MLProgramDialect"];
}

def AttnToMgk : Pass<"attn-to-mgk", "::mlir::ModuleOp"> {
  let summary = "Mixture of Gaussian keys (Transformer-MGK, Nguyen et al.)";
  let description = [{
    Rewrites the map of every attention layer to Transformer-MGK: `num-keys`
    (R) key components per head, mixture weights `pi [H', R]` and a variance
    `sigma-sq`, attended with `attn.mgk_scores` and applied with
    `attn.apply` (an MGK map is never fused into `attn.attend`). The mask and
    the causal flag carry over.

    Keys `[B, H', R, Tk, dk]`:

    * MGK (default): R key projections `layers.{i}.attn.wk_mgk{r}`
      `[D, H'*dk]` (and `bk_mgk{r}` when the layer has `bk`), each
      `attn.project`ed, expanded to `[B, H', 1, Tk, dk]` and concatenated
      (`tensor.concat`). Component 0 starts as a copy of `wk`/`bk`
      (`attn.init = "copy:..."`) when the head count is unchanged; the
      others are `"train"`: identical components would stay identical.
    * sMGK (`shifted`): the layer's key projection plus learned offsets
      `layers.{i}.attn.k_shift [R, H'*dk]`, `keys[.., r, ..] = k + shift[r]`
      (one `linalg.generic`). The offsets are `"train"`, not `"zeros"`:
      zero offsets make all components the same, and training cannot pull
      identical components apart.

    `layers.{i}.attn.mgk_pi [H', R]` starts as `"ones"`, which is exactly the
    uniform mixture: the map normalises over all components, so a common
    factor of pi cancels.

    `sigma-sq` = 0 keeps each layer's softmax temperature: `1/scale`, i.e.
    `sqrt(dk)` unless the layer has an explicit scale
    (`exp(-|q-k|^2 / (2 sigma^2))` carries `exp(q.k / sigma^2)`).

    `num-heads` = H' != H keeps the head width dk (and dv) and changes the
    number of heads, as in the paper's 4-head MGK against 8-head softmax
    attention: the query, value and output projections are rebuilt as
    `wq_mgk`/`bq_mgk [D, H'*dk]`, `wv_mgk`/`bv_mgk [D, H'*dv]` and
    `wo_mgk [H'*dv, D]` (`bo` is kept), all `"train"`. Layers that reuse the
    map (attention-map reuse) get new value and output projections too. A
    mask with a head dimension other than 1 does not fit a new head count:
    that is an error naming the layer and the sizes.

    Layers that already use `attn.mgk_scores`, whose queries or keys are
    not plain `attn.project` ops (for example MHE head embeddings), whose
    values are their keys (key-value tying) or whose weights are not model
    parameters are left unchanged with a remark. `attn.mha` ops are
    decomposed first; parameters nothing reads any more are erased.
  }];
  let options = [
    Option<"numKeys", "num-keys", "unsigned", "2",
           "key components per head (R >= 1)">,
    Option<"numHeads", "num-heads", "unsigned", "0",
           "head count of the rewritten layers (0: unchanged); dk stays">,
    Option<"shifted", "shifted", "bool", "false",
           "sMGK: shifted copies of one key projection">,
    Option<"sigmaSq", "sigma-sq", "double", "0.0",
           "variance of the Gaussians (0: 1/scale of the layer, sqrt(dk) by default)">,
  ];
  let dependentDialects = ["::mlir::attn::AttnDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::ml_program::MLProgramDialect",
                           "::mlir::tensor::TensorDialect"];
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

    Each layer row names its kind (`mha`, `reuse`, `tied`, `mhe`, `mgk`,
    `seq_mlp`, `head_seq_mlp`) and counts the parameters its ops read. The
    total row counts the whole model: every parameter global, and the FLOPs
    and bytes of every op (feed-forward, LayerNorm and residuals included).
    `format=table` prints aligned columns with K/M/G/T (powers of 1000)
    beyond 999; `format=json` prints exact integers. The formulas, and how
    bytes are approximated, are documented with the cost model
    (`attn/Dialect/Attn/Analysis/CostModel.h`); in short: a projection is
    `2*B*T*D*W` FLOPs, a map `2*B*H*Tq*Tk*dk` plus 5 per softmax element,
    an apply `2*B*H*Tq*Tk*dv`, and `attn.mha` costs its decomposition.

    A dynamic batch counts as 1; a dynamic sequence length takes `seq-len`.
    `seq-len=0` uses the static T of `@forward`'s input, or 1024 for a model
    without one; a `seq-len` that contradicts a static T, a negative one,
    an unknown format and an unwritable output file are errors.
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
