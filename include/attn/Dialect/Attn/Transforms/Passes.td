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

#endif // ATTN_DIALECT_ATTN_TRANSFORMS_PASSES_TD
