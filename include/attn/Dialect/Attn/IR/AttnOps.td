//===- AttnOps.td - attn dialect operations ----------------*- tablegen -*-===//
//
// Umbrella of the attn dialect: the dialect, its enums and its ops. Shapes are
// written [B, T, D] (activations), [B, H, T, d] (heads) and [in, out] (weights).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNOPS_TD

include "attn/Dialect/Attn/IR/AttnDialect.td"
include "attn/Dialect/Attn/IR/AttnEnums.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"

def Attn_Tensor : RankedTensorOf<[AnyFloat]>;
def Attn_MaskTensor : RankedTensorOf<[AnyFloat, I1]>;
def Attn_PositiveI64 : ConfinedAttr<I64Attr, [IntPositive]>;

//===----------------------------------------------------------------------===//
// Whole attention
//===----------------------------------------------------------------------===//

def Attn_MhaOp : Attn_Op<"mha", [Pure, AttrSizedOperandSegments]> {
  let summary = "standard multi-head attention (the form models arrive in)";
  let description = [{
    Multi-head attention of a query input `[B, Tq, D]` over a key/value input
    `[B, Tk, D]` (the same value for self-attention):

    ```
    Q_h = query * wq_h + bq_h     wq: [D, H*dk]
    K_h = kv * wk_h + bk_h        wk: [D, H*dk]
    V_h = kv * wv_h + bv_h        wv: [D, H*dv]
    A_h = softmax(scale * Q_h K_h^T + mask)   (causal: -inf above the diagonal)
    out = concat_h(A_h V_h) * wo + bo         wo: [H*dv, D]
    ```

    `wq_h` are the columns `h*dk .. (h+1)*dk` of `wq`. Every bias is optional.
    The optional mask is additive (float) or boolean (`i1`, true = attend) and
    broadcasts to `[B, H, Tq, Tk]` (numpy rules, aligned on the right).
    `scale` defaults to `1/sqrt(dk)`.

    Example:
    ```mlir
    %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bo(%bo) heads(4) causal
        : (tensor<1x?x256xf32>, tensor<1x?x256xf32>, tensor<256x256xf32>,
           tensor<256x256xf32>, tensor<256x256xf32>, tensor<256x256xf32>,
           tensor<256xf32>, tensor<256xf32>) -> tensor<1x?x256xf32>
    ```
  }];
  let arguments = (ins Attn_Tensor:$query, Attn_Tensor:$key_value,
      Attn_Tensor:$wq, Attn_Tensor:$wk, Attn_Tensor:$wv, Attn_Tensor:$wo,
      Optional<Attn_Tensor>:$bq, Optional<Attn_Tensor>:$bk,
      Optional<Attn_Tensor>:$bv, Optional<Attn_Tensor>:$bo,
      Optional<Attn_MaskTensor>:$mask,
      Attn_PositiveI64:$num_heads, UnitAttr:$causal,
      OptionalAttr<F32Attr>:$scale);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $query `,` $key_value `,` $wq `,` $wk `,` $wv `,` $wo
    (`bq` `(` $bq^ `)`)? (`bk` `(` $bk^ `)`)? (`bv` `(` $bv^ `)`)?
    (`bo` `(` $bo^ `)`)? (`mask` `(` $mask^ `)`)?
    `heads` `(` $num_heads `)` (`causal` $causal^)? (`scale` `(` $scale^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// Query/key width per head (dk); dynamic if neither wq's nor wk's
    /// width is static.
    int64_t getHeadDimQK();
    /// Value width per head (dv); dynamic if neither wv's width nor wo's
    /// height is static.
    int64_t getHeadDimV();
    /// The explicit scale, or 1/sqrt(dk).
    double getScaleValue();
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Decomposed vocabulary
//===----------------------------------------------------------------------===//

def Attn_ProjectOp : Attn_Op<"project", [Pure]> {
  let summary = "projects activations into per-head slices";
  let description = [{
    `x [B, T, D] * w [D, H*d] (+ b [H*d])`, split into heads: the result
    `[B, H, T, d]` holds `x * w[:, h*d:(h+1)*d] + b[h*d:(h+1)*d]` at head `h`.

    ```mlir
    %q = attn.project %x, %wq bias(%bq) heads(4)
        : (tensor<1x?x256xf32>, tensor<256x256xf32>, tensor<256xf32>)
        -> tensor<1x4x?x64xf32>
    ```
  }];
  let arguments = (ins Attn_Tensor:$input, Attn_Tensor:$weight,
      Optional<Attn_Tensor>:$bias, Attn_PositiveI64:$num_heads);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? `heads` `(` $num_heads `)`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_HeadEmbedOp : Attn_Op<"head_embed", [Pure]> {
  let summary = "per-head embedding of a shared projection (MHE)";
  let description = [{
    Multiple head embeddings (Xue & Aletras): a shared projection
    `p [B, T, d]` combined with one embedding per head `e [H, d]`:
    `mode = add` gives `p + e[h]`, `mode = mul` gives `p * e[h]`, broadcast
    over positions. The result is `[B, H, T, d]`.

    ```mlir
    %q = attn.head_embed %p, %e mode(add)
        : (tensor<1x?x64xf32>, tensor<4x64xf32>) -> tensor<1x4x?x64xf32>
    ```
  }];
  let arguments = (ins Attn_Tensor:$input, Attn_Tensor:$embedding,
      Attn_EmbedModeAttr:$mode);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $embedding `mode` `(` custom<EnumKeyword>($mode) `)`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_ScoresOp : Attn_Op<"scores", [Pure]> {
  let summary = "attention map softmax(scale * q k^T + mask)";
  let description = [{
    Computes the attention map `[B, H, Tq, Tk]` of queries `[B, H, Tq, dk]`
    over keys `[B, H, Tk, dk]`: `softmax(scale * q k^T + mask)` with the
    softmax over the key axis. The mask is as for `attn.mha`; `causal` masks
    key positions after the query position. `scale` defaults to
    `1/sqrt(dk)`. The map is materialised: use it when several `attn.apply`
    read it (attention-map reuse); a map used once fuses into `attn.attend`.
  }];
  let arguments = (ins Attn_Tensor:$query, Attn_Tensor:$key,
      Optional<Attn_MaskTensor>:$mask, UnitAttr:$causal,
      OptionalAttr<F32Attr>:$scale);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $query `,` $key (`mask` `(` $mask^ `)`)? (`causal` $causal^)?
    (`scale` `(` $scale^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The explicit scale, or 1/sqrt(dk).
    double getScaleValue();
  }];
  let hasVerifier = 1;
}

def Attn_MgkScoresOp : Attn_Op<"mgk_scores", [Pure]> {
  let summary = "attention map of a mixture of Gaussian keys (Transformer-MGK)";
  let description = [{
    Transformer-MGK (Nguyen et al.): each key position `j` has `R` components
    `k [B, H, R, Tk, dk]` with mixture weights `pi [H, R]` (non-negative) and
    a shared variance `sigma_sq`:

    ```
    a_ij = sum_r pi_r exp(-|q_i - k_jr|^2 / (2 sigma_sq))
           / sum_{j', r'} pi_r' exp(-|q_i - k_j'r'|^2 / (2 sigma_sq))
    ```

    The result is a map `[B, H, Tq, Tk]` read by `attn.apply`. Mask and
    `causal` act on key positions as for `attn.scores`.
  }];
  let arguments = (ins Attn_Tensor:$query, Attn_Tensor:$keys,
      Attn_Tensor:$mixture_weights, Optional<Attn_MaskTensor>:$mask,
      F32Attr:$sigma_sq, UnitAttr:$causal);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $query `,` $keys `,` $mixture_weights (`mask` `(` $mask^ `)`)?
    `sigma_sq` `(` $sigma_sq `)` (`causal` $causal^)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_ApplyOp : Attn_Op<"apply", [Pure]> {
  let summary = "applies an attention map to values";
  let description = [{
    `map [B, H, Tq, Tk] x values [B, H, Tk, dv] -> [B, H, Tq, dv]`, per
    batch and head.
  }];
  let arguments = (ins Attn_Tensor:$map, Attn_Tensor:$values);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $map `,` $values attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_AttendOp : Attn_Op<"attend", [Pure]> {
  let summary = "fused scores + apply for a map used once";
  let description = [{
    `softmax(scale * q k^T + mask) v` for queries `[B, H, Tq, dk]`, keys
    `[B, H, Tk, dk]` and values `[B, H, Tk, dv]`, giving `[B, H, Tq, dv]`.
    Equal to `attn.apply(attn.scores(q, k), v)` but never materialises the
    map: it lowers to an online-softmax (flash) loop.
  }];
  let arguments = (ins Attn_Tensor:$query, Attn_Tensor:$key,
      Attn_Tensor:$value, Optional<Attn_MaskTensor>:$mask, UnitAttr:$causal,
      OptionalAttr<F32Attr>:$scale);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `)`)? (`causal` $causal^)?
    (`scale` `(` $scale^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The explicit scale, or 1/sqrt(dk).
    double getScaleValue();
  }];
  let hasVerifier = 1;
}

def Attn_MergeOp : Attn_Op<"merge", [Pure]> {
  let summary = "concatenates heads and applies the output projection";
  let description = [{
    `concat_h(heads [B, H, T, dv]) * wo [H*dv, D] (+ b [D]) -> [B, T, D]`.
  }];
  let arguments = (ins Attn_Tensor:$heads, Attn_Tensor:$weight,
      Optional<Attn_Tensor>:$bias);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $heads `,` $weight (`bias` `(` $bias^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Feed-forward substitution and supporting ops
//===----------------------------------------------------------------------===//

def Attn_LayerNormOp : Attn_Op<"layer_norm", [Pure]> {
  let summary = "layer normalisation over the last dimension";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * gamma + beta` over the last
    dimension `N` of `x` (any rank >= 1); `gamma` and `beta` are `[N]`.
    The variance is the biased one, as in PyTorch. `epsilon` defaults to 1e-5.
  }];
  let arguments = (ins Attn_Tensor:$input, Attn_Tensor:$gamma,
      Attn_Tensor:$beta, DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_FfnOp : Attn_Op<"ffn", [Pure, AttrSizedOperandSegments]> {
  let summary = "position-wise feed-forward network of any depth";
  let description = [{
    `x [B, T, d0]` through `L` linear layers `w_i [d_i, d_(i+1)]` with optional
    biases `b_i [d_(i+1)]` (all or none), the activation between consecutive
    layers (not after the last). Depth 2 is the standard Transformer
    feed-forward block; deeper networks are Irie et al.'s trade of attention
    layers for feed-forward depth. `leaky_relu` has slope 0.01; `gelu` is the
    exact erf form.

    ```mlir
    %y = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(gelu)
        : (tensor<1x?x256xf32>, tensor<256x1024xf32>, tensor<1024x256xf32>,
           tensor<1024xf32>, tensor<256xf32>) -> tensor<1x?x256xf32>
    ```
  }];
  let arguments = (ins Attn_Tensor:$input, Variadic<Attn_Tensor>:$weights,
      Variadic<Attn_Tensor>:$biases, Attn_ActivationAttr:$activation);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $input `weights` `(` $weights `)` (`biases` `(` $biases^ `)`)?
    `activation` `(` custom<EnumKeyword>($activation) `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_SeqMlpOp : Attn_Op<"seq_mlp", [Pure, AttrSizedOperandSegments]> {
  let summary = "whole-sequence feed-forward replacement of attention";
  let description = [{
    The attentionless Transformer block (Bozic et al.). With `N = max_len`:
    pad `x [B, T, D]` to `[B, N, D]` with zeros, flatten to `[B, N*D]`,
    optionally LayerNorm (`norm_in_gamma/beta [N*D]`), apply
    `w0 [N*D, K]` (+ `b0 [K]`), the activation, optionally LayerNorm
    (`norm_hidden_gamma/beta [K]`), then `w1 [K, N*E]` (+ `b1 [N*E]`), zero
    the padded positions, reshape to `[B, N, E]` and drop the padding:
    the result is `[B, T, E]`.

    A sequence longer than `max_len` cannot be processed: the verifier rejects
    a static `T > max_len`, and compiled code reports a dynamic one as an
    error at run time. `epsilon` is the LayerNorms' epsilon.
  }];
  let arguments = (ins Attn_Tensor:$input,
      Optional<Attn_Tensor>:$norm_in_gamma, Optional<Attn_Tensor>:$norm_in_beta,
      Attn_Tensor:$w0, Optional<Attn_Tensor>:$b0,
      Optional<Attn_Tensor>:$norm_hidden_gamma,
      Optional<Attn_Tensor>:$norm_hidden_beta,
      Attn_Tensor:$w1, Optional<Attn_Tensor>:$b1,
      Attn_PositiveI64:$max_len, Attn_ActivationAttr:$activation,
      DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $input (`norm_in` `(` $norm_in_gamma^ `,` $norm_in_beta `)`)?
    `w0` `(` $w0 `)` (`b0` `(` $b0^ `)`)?
    (`norm_hidden` `(` $norm_hidden_gamma^ `,` $norm_hidden_beta `)`)?
    `w1` `(` $w1 `)` (`b1` `(` $b1^ `)`)?
    `max_len` `(` $max_len `)`
    `activation` `(` custom<EnumKeyword>($activation) `)`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Attn_HeadSeqMlpOp : Attn_Op<"head_seq_mlp",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "per-head whole-sequence feed-forward (ASLR variant)";
  let description = [{
    One `attn.seq_mlp` network per head (Bozic et al.'s ASLR): every head `h`
    reads the whole layer input `x [B, T, D]` and produces `[B, T, dv]`, so
    the result is `[B, H, T, dv]`, to be merged with `attn.merge`. The
    operands are those of `attn.seq_mlp` with a leading head dimension:
    `w0 [H, N*D, K]`, `b0 [H, K]`, `w1 [H, K, N*dv]`, `b1 [H, N*dv]`,
    `norm_in_* [H, N*D]`, `norm_hidden_* [H, K]`.
  }];
  let arguments = (ins Attn_Tensor:$input,
      Optional<Attn_Tensor>:$norm_in_gamma, Optional<Attn_Tensor>:$norm_in_beta,
      Attn_Tensor:$w0, Optional<Attn_Tensor>:$b0,
      Optional<Attn_Tensor>:$norm_hidden_gamma,
      Optional<Attn_Tensor>:$norm_hidden_beta,
      Attn_Tensor:$w1, Optional<Attn_Tensor>:$b1,
      Attn_PositiveI64:$max_len, Attn_ActivationAttr:$activation,
      DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Attn_Tensor:$result);
  let assemblyFormat = [{
    $input (`norm_in` `(` $norm_in_gamma^ `,` $norm_in_beta `)`)?
    `w0` `(` $w0 `)` (`b0` `(` $b0^ `)`)?
    (`norm_hidden` `(` $norm_hidden_gamma^ `,` $norm_hidden_beta `)`)?
    `w1` `(` $w1 `)` (`b1` `(` $b1^ `)`)?
    `max_len` `(` $max_len `)`
    `activation` `(` custom<EnumKeyword>($activation) `)`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // ATTN_DIALECT_ATTN_IR_ATTNOPS_TD
