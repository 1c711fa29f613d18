//===- Passes.td - attn conversion passes ------------------*- tablegen -*-===//
//
// Lowerings out of the attn dialect. Flags follow `convert-attn-to-<x>`.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_CONVERSION_ATTNTOLINALG_PASSES_TD
#define ATTN_CONVERSION_ATTNTOLINALG_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAttnToLinalg : Pass<"convert-attn-to-linalg"> {
  let summary = "Lowers every attn op to linalg on tensors";
  let description = [{
    Rewrites every attn op into linalg named ops (`linalg.matmul`,
    `linalg.batch_matmul`, `linalg.transpose`, `linalg.broadcast`,
    `linalg.fill`) and `linalg.generic` ops on tensors,
    with `tensor`, `arith`, `math`, `scf` and `cf` ops around them. Dynamic
    batch and sequence dimensions stay dynamic (`tensor.dim` feeds every
    `tensor.empty`). The pass fails with an error on the op if an attn op
    cannot be lowered.

    | op | lowering |
    |----|----------|
    | `attn.mha` | `attn.project` x3, `attn.attend`, `attn.merge`, then as below: the map is used once, so it is never materialised |
    | `attn.project` | `[B*T, D] x [D, H*d]` matmul into the broadcast bias, expand to `[B, T, H, d]`, transpose to `[B, H, T, d]` |
    | `attn.head_embed` | one generic adding or multiplying the per-head embedding |
    | `attn.scores` | `q k^T` batch matmul, one generic for scale, mask and causal, then the softmax over the key axis as generics: the row maximum (NaN ignored), `p = exp(logit - max)` (against 0 in a row with every key masked, which comes out 0), its row sum, `p * (1 / sum)`. With `scores-query-block-size` > 0: keys transposed once to `[B, H, dk, Tk]`, then an `scf.forall` over (batch, head, block of that many queries), each computing its rows of the map that way (one block's scores stay in cache; blocks can run in parallel), with `p` and its row sum in one generic. The forall also computes the map's first `attn.apply` in the same block, when that apply's values are defined before the scores: it multiplies the block's rows of the map by its head's values while they are in cache, writing the block's rows of the apply's result in place, and the apply reads no map. When every use of the map is an `attn.apply`, the map is left unnormalised: the blocks write `p` and its row sums `l` (a third result), and each apply divides its `[Tq, dv]` product by `l` instead of the scores dividing the `[Tq, Tk]` map |
    | `attn.mgk_scores` | `q k^T` batch matmul over all `R*Tk` key components, generics for the logits, their maximum, the exponentials summed over components, and the normalisation |
    | `attn.apply` | batch matmul |
    | `attn.attend` | online-softmax (flash) `scf.for` loop over blocks of `attend-block-size` keys; no tensor holds more than one block of the map. With `attend-query-block-size` > 0: keys transposed once to `[B, H, dk, Tk]`, then an `scf.forall` over (batch, head, block of that many queries), each running its own loop over its head's keys (one block's scores and state stay in cache; blocks can run in parallel), with `p` and its row sum in one generic |
    | `attn.merge` | transpose to `[B, T, H, dv]`, collapse, matmul with `wo` into the broadcast bias, expand |
    | `attn.layer_norm` | generics: mean, biased variance, normalisation with `gamma`, `beta` |
    | `attn.ffn` | matmuls into the broadcast biases, activation generics between them |
    | `attn.seq_mlp`, `attn.head_seq_mlp` | `tensor.pad` to `max_len`, collapse, optional layer norms, matmuls (batched over heads), expand, slice back to `T` (which drops the padded outputs the paper zeroes) |

    Conventions the lowering fixes:

    - `causal` is top-left aligned, as PyTorch's `is_causal`: query `i`
      attends to key `j` iff `j <= i`, also when `Tq != Tk`.
    - A query whose keys are all masked gets an all-zero map row
      (`attn.scores`, `attn.mgk_scores`) and a zero output (`attn.attend`),
      not NaN, so that `attn.apply(attn.scores)` and `attn.attend` agree.
    - Masks broadcast on static unit dimensions; a dynamic mask dimension
      must equal the dimension it is matched with, which compiled code
      checks at run time (`cf.assert`).
    - A dynamic sequence longer than `max_len` fails a run-time check
      (`cf.assert` with "sequence length exceeds max_len N").
    - Arithmetic happens in the element type of the op. Ops that mask with
      `-inf` (`attn.scores`, `attn.mgk_scores`, `attn.attend`, `attn.mha`)
      need a float type that has an infinity.
  }];
  let options = [
    Option<"attendBlockSize", "attend-block-size", "int64_t",
           /*default=*/"64",
           "key positions per step of the attn.attend online-softmax loop">,
    Option<"attendQueryBlockSize", "attend-query-block-size", "int64_t",
           /*default=*/"0",
           "queries per (batch, head) block of the scf.forall around the "
           "attn.attend loop (0 = one loop for all queries)">,
    Option<"scoresQueryBlockSize", "scores-query-block-size", "int64_t",
           /*default=*/"0",
           "queries per (batch, head) block of the scf.forall of the "
           "attn.scores map and its first apply (0 = the whole map at once)">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // ATTN_CONVERSION_ATTNTOLINALG_PASSES_TD
