// One case per distinct diagnostic of the attn dialect: every verifier error of
// AttnOps.cpp and ShapeChecks.cpp (for every operand of every op), the ODS
// attribute and type constraints, and the parse errors of the custom syntax.
//
// RUN: attn-opt %s -split-input-file -verify-diagnostics

// A query that is not [B, Tq, D].
func.func @mha_query_rank(%x: tensor<8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'query' must have rank 3 [B, Tq, D], expected shape [?, ?, ?] but got [8, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A key/value input of the wrong rank.
func.func @mha_kv_rank(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'key_value' must have rank 3 [B, Tk, D], expected shape [2, ?, 64] but got [2, 8, 8, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// Query and key/value disagree on the batch.
func.func @mha_kv_batch(%x: tensor<2x8x64xf32>, %kv: tensor<3x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'key_value' [B, Tk, D] expected shape [2, ?, 64] but got [3, 8, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<3x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// Query and key/value disagree on the model width.
func.func @mha_kv_width(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x32xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'key_value' [B, Tk, D] expected shape [2, ?, 64] but got [2, 8, 32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x32xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// wq of the wrong rank.
func.func @mha_wq_rank(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wq' must have rank 2 [D, H*dk], expected shape [64, ?] but got [64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// wq whose input width is not D.
func.func @mha_wq_rows(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<32x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wq' [D, H*dk] expected shape [64, ?] but got [32, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<32x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// wk whose input width is not D.
func.func @mha_wk_rows(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<32x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wk' [D, H*dk] expected shape [64, 64] but got [32, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<32x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// wk whose output width differs from wq (H*dk).
func.func @mha_wk_cols(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wk' [D, H*dk] expected shape [64, 64] but got [64, 32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// wv whose input width is not D.
func.func @mha_wv_rows(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<48x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wv' [D, H*dv] expected shape [64, ?] but got [48, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<48x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// wo whose input width is not H*dv.
func.func @mha_wo_rows(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<32x64xf32>) {
  // expected-error @+1 {{operand 'wo' [H*dv, D] expected shape [64, 64] but got [32, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<32x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// wo whose output width is not D.
func.func @mha_wo_cols(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x32xf32>) {
  // expected-error @+1 {{operand 'wo' [H*dv, D] expected shape [64, 64] but got [64, 32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// H*dk not divisible by the head count.
func.func @mha_wq_heads(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x60xf32>, %wk: tensor<64x60xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wq' width 60 (H*dk) is not a multiple of the head count 8}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(8) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x60xf32>, tensor<64x60xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// The message names wk when wq is dynamic and wk does not divide.
func.func @mha_wk_heads(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x?xf32>, %wk: tensor<64x60xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wk' width 60 (H*dk) is not a multiple of the head count 8}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(8) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x?xf32>, tensor<64x60xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// H*dv not divisible by the head count.
func.func @mha_wv_heads(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x36xf32>, %wo: tensor<36x64xf32>) {
  // expected-error @+1 {{operand 'wv' width 36 (H*dv) is not a multiple of the head count 8}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(8) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x36xf32>, tensor<36x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// The message names wo when wv is dynamic and wo does not divide.
func.func @mha_wo_heads(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x?xf32>, %wo: tensor<36x64xf32>) {
  // expected-error @+1 {{operand 'wo' width 36 (H*dv) is not a multiple of the head count 8}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(8) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x?xf32>, tensor<36x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// bq of the wrong width.
func.func @mha_bq_width(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{operand 'bq' [H*dk] expected shape [64] but got [32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo bq(%b) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<32xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// bk of the wrong width.
func.func @mha_bk_width(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{operand 'bk' [H*dk] expected shape [64] but got [32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo bk(%b) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<32xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// bv of the wrong width.
func.func @mha_bv_width(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{operand 'bv' [H*dv] expected shape [64] but got [32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo bv(%b) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<32xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// bo of the wrong width.
func.func @mha_bo_width(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{operand 'bo' [D] expected shape [64] but got [32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo bo(%b) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<32xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A bias of the wrong rank.
func.func @mha_bias_rank(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %b: tensor<1x64xf32>) {
  // expected-error @+1 {{operand 'bq' must have rank 1 [H*dk], expected shape [64] but got [1, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo bq(%b) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<1x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A mask whose element type is neither i1 nor the input type.
func.func @mha_mask_type(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<8x8xf16>) {
  // expected-error @+1 {{operand 'mask' must be i1 (true = attend) or 'f32' (additive) but has element type 'f16'}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo mask(%m) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xf16>) -> tensor<2x8x64xf32>
  return
}

// -----

// A mask of rank 5.
func.func @mha_mask_rank(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<1x2x4x8x8xi1>) {
  // expected-error @+1 {{operand 'mask' of shape [1, 2, 4, 8, 8] has more dimensions than [B, H, Tq, Tk] = [2, 4, 8, 8]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo mask(%m) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<1x2x4x8x8xi1>) -> tensor<2x8x64xf32>
  return
}

// -----

// A mask whose key axis is not Tk (cross-attention, Tk = 12).
func.func @mha_mask_tk(%x: tensor<2x8x64xf32>, %kv: tensor<2x12x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<8x8xf32>) {
  // expected-error @+1 {{operand 'mask' of shape [8, 8] does not broadcast to [B, H, Tq, Tk] = [2, 4, 8, 12]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo mask(%m) heads(4) : (tensor<2x8x64xf32>, tensor<2x12x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A mask whose head axis is neither 1 nor H.
func.func @mha_mask_heads(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<2x8x8xi1>) {
  // expected-error @+1 {{operand 'mask' of shape [2, 8, 8] does not broadcast to [B, H, Tq, Tk] = [2, 4, 8, 8]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo mask(%m) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<2x8x8xi1>) -> tensor<2x8x64xf32>
  return
}

// -----

// A result that is not [B, Tq, D].
func.func @mha_result_width(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{result [B, Tq, D] expected shape [2, 8, 64] but got [2, 8, 32]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x32xf32>
  return
}

// -----

// A cross-attention result with Tk instead of Tq.
func.func @mha_result_tq(%x: tensor<2x8x64xf32>, %kv: tensor<2x12x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{result [B, Tq, D] expected shape [2, 8, 64] but got [2, 12, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x12x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x12x64xf32>
  return
}

// -----

// A result of the wrong rank.
func.func @mha_result_rank(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{result must have rank 3 [B, Tq, D], expected shape [2, 8, 64] but got [16, 64]}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<16x64xf32>
  return
}

// -----

// key_value of another element type.
func.func @mha_kv_type(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf16>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'key_value' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf16>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A weight of another element type.
func.func @mha_wv_type(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xbf16>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'wv' must have element type 'f32' like the input, but has 'bf16'}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xbf16>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A bias of another element type.
func.func @mha_bias_type(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %b: tensor<64xf16>) {
  // expected-error @+1 {{operand 'bo' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo bo(%b) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf16>) -> tensor<2x8x64xf32>
  return
}

// -----

// A result of another element type.
func.func @mha_result_type(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{result must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf16>
  return
}

// -----

// An infinite scale.
func.func @mha_scale_inf(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'scale' must be finite but is inf}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) scale(0x7F800000) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A NaN scale.
func.func @mha_scale_nan(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{'scale' must be finite but is nan}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) scale(0x7FC00000) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// No scale while dk is dynamic in both wq and wk.
func.func @mha_dynamic_dk(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x?xf32>, %wk: tensor<64x?xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{needs an explicit 'scale' when the head width dk is dynamic}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x?xf32>, tensor<64x?xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A head count of zero (ODS attribute constraint).
func.func @mha_heads_zero(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{attribute 'num_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(0) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A negative head count (ODS attribute constraint).
func.func @mha_heads_negative(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{attribute 'num_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(-4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// An integer activation (ODS type constraint).
func.func @mha_integer_input(%x: tensor<2x8x64xi32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<2x8x64xi32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A mask of an integer type other than i1 (ODS type constraint).
func.func @mha_mask_i8(%x: tensor<2x8x64xf32>, %kv: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %m: tensor<8x8xi8>) {
  // expected-error @+1 {{operand #6 must be ranked tensor of floating-point or 1-bit signless integer values}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo mask(%m) heads(4) : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xi8>) -> tensor<2x8x64xf32>
  return
}

// -----

// Rank-0 operands are diagnosed, not indexed.
func.func @mha_rank0(%x: tensor<f32>, %kv: tensor<f32>, %wq: tensor<f32>, %wk: tensor<f32>, %wv: tensor<f32>, %wo: tensor<f32>) {
  // expected-error @+1 {{operand 'query' must have rank 3 [B, Tq, D], expected shape [?, ?, ?] but got []}}
  %r = attn.mha %x, %kv, %wq, %wk, %wv, %wo heads(4) : (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<f32>
  return
}

// -----

// An input that is not [B, T, D].
func.func @project_input_rank(%x: tensor<2x4x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'input' must have rank 3 [B, T, D], expected shape [?, ?, ?] but got [2, 4, 8, 64]}}
  %r = attn.project %x, %w heads(4) : (tensor<2x4x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A weight of the wrong rank.
func.func @project_weight_rank(%x: tensor<2x8x64xf32>, %w: tensor<4x64x16xf32>) {
  // expected-error @+1 {{operand 'weight' must have rank 2 [D, H*d], expected shape [64, ?] but got [4, 64, 16]}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<4x64x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A weight whose input width is not D.
func.func @project_weight_rows(%x: tensor<2x8x64xf32>, %w: tensor<128x64xf32>) {
  // expected-error @+1 {{operand 'weight' [D, H*d] expected shape [64, ?] but got [128, 64]}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<128x64xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// H*d not divisible by the head count.
func.func @project_heads(%x: tensor<2x8x64xf32>, %w: tensor<64x66xf32>) {
  // expected-error @+1 {{operand 'weight' width 66 (H*d) is not a multiple of the head count 4}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<64x66xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A result with the wrong head count.
func.func @project_result_heads(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{result [B, H, T, d] expected shape [2, 4, 8, 16] but got [2, 8, 8, 8]}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x8x8x8xf32>
  return
}

// -----

// A result with the wrong head width.
func.func @project_result_width(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{result [B, H, T, d] expected shape [2, 4, 8, 16] but got [2, 4, 8, 32]}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x32xf32>
  return
}

// -----

// A result with the wrong sequence length.
func.func @project_result_t(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{result [B, H, T, d] expected shape [2, 4, 8, 16] but got [2, 4, 9, 16]}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x9x16xf32>
  return
}

// -----

// A result of the wrong rank.
func.func @project_result_rank(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{result must have rank 4 [B, H, T, d], expected shape [2, 4, 8, 16] but got [2, 8, 64]}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A bias of the wrong width.
func.func @project_bias_width(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{operand 'bias' [H*d] expected shape [64] but got [16]}}
  %r = attn.project %x, %w bias(%b) heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// With a dynamic weight width the bias is checked against H * the result head width.
func.func @project_bias_vs_result(%x: tensor<2x8x64xf32>, %w: tensor<64x?xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{operand 'bias' [H*d] expected shape [64] but got [32]}}
  %r = attn.project %x, %w bias(%b) heads(4) : (tensor<2x8x64xf32>, tensor<64x?xf32>, tensor<32xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A weight of another element type.
func.func @project_weight_type(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf16>) {
  // expected-error @+1 {{operand 'weight' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf16>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A bias of another element type.
func.func @project_bias_type(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>, %b: tensor<64xbf16>) {
  // expected-error @+1 {{operand 'bias' must have element type 'f32' like the input, but has 'bf16'}}
  %r = attn.project %x, %w bias(%b) heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xbf16>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A result of another element type.
func.func @project_result_type(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{result must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.project %x, %w heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf16>
  return
}

// -----

// A head count of zero (ODS attribute constraint).
func.func @project_heads_zero(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{attribute 'num_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %r = attn.project %x, %w heads(0) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A shared projection that is not [B, T, d].
func.func @head_embed_input_rank(%p: tensor<8x16xf32>, %e: tensor<4x16xf32>) {
  // expected-error @+1 {{operand 'input' must have rank 3 [B, T, d], expected shape [?, ?, ?] but got [8, 16]}}
  %r = attn.head_embed %p, %e mode(add) : (tensor<8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Embeddings that are not [H, d].
func.func @head_embed_embedding_rank(%p: tensor<2x8x16xf32>, %e: tensor<16xf32>) {
  // expected-error @+1 {{operand 'embedding' must have rank 2 [H, d], expected shape [?, 16] but got [16]}}
  %r = attn.head_embed %p, %e mode(add) : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Embeddings of another width than the projection.
func.func @head_embed_embedding_width(%p: tensor<2x8x16xf32>, %e: tensor<4x8xf32>) {
  // expected-error @+1 {{operand 'embedding' [H, d] expected shape [?, 16] but got [4, 8]}}
  %r = attn.head_embed %p, %e mode(add) : (tensor<2x8x16xf32>, tensor<4x8xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A result whose head count is not that of the embeddings.
func.func @head_embed_result_heads(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf32>) {
  // expected-error @+1 {{result [B, H, T, d] expected shape [2, 4, 8, 16] but got [2, 2, 8, 16]}}
  %r = attn.head_embed %p, %e mode(add) : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x2x8x16xf32>
  return
}

// -----

// A result of the wrong rank.
func.func @head_embed_result_rank(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf32>) {
  // expected-error @+1 {{result must have rank 4 [B, H, T, d], expected shape [2, 4, 8, 16] but got [2, 8, 16]}}
  %r = attn.head_embed %p, %e mode(add) : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Embeddings of another element type.
func.func @head_embed_type(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf16>) {
  // expected-error @+1 {{operand 'embedding' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.head_embed %p, %e mode(add) : (tensor<2x8x16xf32>, tensor<4x16xf16>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A result of another element type.
func.func @head_embed_result_type(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf32>) {
  // expected-error @+1 {{result must have element type 'f32' like the input, but has 'bf16'}}
  %r = attn.head_embed %p, %e mode(add) : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xbf16>
  return
}

// -----

// A query that is not [B, H, Tq, dk].
func.func @scores_query_rank(%q: tensor<2x8x64xf32>, %k: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{operand 'query' must have rank 4 [B, H, Tq, dk], expected shape [?, ?, ?, ?] but got [2, 8, 64]}}
  %r = attn.scores %q, %k : (tensor<2x8x64xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A key of the wrong rank.
func.func @scores_key_rank(%q: tensor<2x4x8x16xf32>, %k: tensor<2x8x64xf32>) {
  // expected-error @+1 {{operand 'key' must have rank 4 [B, H, Tk, dk], expected shape [2, 4, ?, 16] but got [2, 8, 64]}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x8x64xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A key with another batch.
func.func @scores_key_batch(%q: tensor<2x4x8x16xf32>, %k: tensor<1x4x8x16xf32>) {
  // expected-error @+1 {{operand 'key' [B, H, Tk, dk] expected shape [2, 4, ?, 16] but got [1, 4, 8, 16]}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A key with another head count.
func.func @scores_key_heads(%q: tensor<2x4x8x16xf32>, %k: tensor<2x2x8x16xf32>) {
  // expected-error @+1 {{operand 'key' [B, H, Tk, dk] expected shape [2, 4, ?, 16] but got [2, 2, 8, 16]}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x2x8x16xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A key with another head width.
func.func @scores_key_dk(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x32xf32>) {
  // expected-error @+1 {{operand 'key' [B, H, Tk, dk] expected shape [2, 4, ?, 16] but got [2, 4, 8, 32]}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A mask of another float type.
func.func @scores_mask_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %m: tensor<8x8xbf16>) {
  // expected-error @+1 {{operand 'mask' must be i1 (true = attend) or 'f32' (additive) but has element type 'bf16'}}
  %r = attn.scores %q, %k mask(%m) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<8x8xbf16>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A mask of rank 5.
func.func @scores_mask_rank(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %m: tensor<1x1x1x8x8xf32>) {
  // expected-error @+1 {{operand 'mask' of shape [1, 1, 1, 8, 8] has more dimensions than [B, H, Tq, Tk] = [2, 4, 8, 8]}}
  %r = attn.scores %q, %k mask(%m) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<1x1x1x8x8xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A mask whose query axis is neither 1 nor Tq.
func.func @scores_mask_tq(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %m: tensor<2x1x4x8xi1>) {
  // expected-error @+1 {{operand 'mask' of shape [2, 1, 4, 8] does not broadcast to [B, H, Tq, Tk] = [2, 4, 8, 8]}}
  %r = attn.scores %q, %k mask(%m) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x4x8xi1>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A map whose key axis is not Tk.
func.func @scores_result_tk(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x12x16xf32>) {
  // expected-error @+1 {{result [B, H, Tq, Tk] expected shape [2, 4, 8, 12] but got [2, 4, 8, 8]}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x12x16xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A map of the wrong rank.
func.func @scores_result_rank(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{result must have rank 4 [B, H, Tq, Tk], expected shape [2, 4, 8, 8] but got [8, 8, 8]}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<8x8x8xf32>
  return
}

// -----

// A key of another element type.
func.func @scores_key_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf16>) {
  // expected-error @+1 {{operand 'key' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf16>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A map of another element type.
func.func @scores_result_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{result must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf16>
  return
}

// -----

// A negative infinite scale.
func.func @scores_scale_inf(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{'scale' must be finite but is -inf}}
  %r = attn.scores %q, %k scale(0xFF800000) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// No scale while dk is dynamic in both query and key.
func.func @scores_dynamic_dk(%q: tensor<2x4x8x?xf32>, %k: tensor<2x4x8x?xf32>) {
  // expected-error @+1 {{needs an explicit 'scale' when the head width dk is dynamic}}
  %r = attn.scores %q, %k : (tensor<2x4x8x?xf32>, tensor<2x4x8x?xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A query that is not [B, H, Tq, dk].
func.func @mgk_query_rank(%q: tensor<2x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>) {
  // expected-error @+1 {{operand 'query' must have rank 4 [B, H, Tq, dk], expected shape [?, ?, ?, ?] but got [2, 8, 16]}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// Keys without the component axis.
func.func @mgk_keys_rank(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %pi: tensor<4x2xf32>) {
  // expected-error @+1 {{operand 'keys' must have rank 5 [B, H, R, Tk, dk], expected shape [2, 4, ?, ?, 16] but got [2, 4, 8, 16]}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// Keys with another head width.
func.func @mgk_keys_dk(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x8xf32>, %pi: tensor<4x2xf32>) {
  // expected-error @+1 {{operand 'keys' [B, H, R, Tk, dk] expected shape [2, 4, ?, ?, 16] but got [2, 4, 2, 8, 8]}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x8xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// Mixture weights with another head count.
func.func @mgk_pi_heads(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<2x2xf32>) {
  // expected-error @+1 {{operand 'mixture_weights' [H, R] expected shape [4, 2] but got [2, 2]}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<2x2xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// Mixture weights with another component count.
func.func @mgk_pi_components(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x3xf32>) {
  // expected-error @+1 {{operand 'mixture_weights' [H, R] expected shape [4, 2] but got [4, 3]}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x3xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// Mixture weights of the wrong rank.
func.func @mgk_pi_rank(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<8xf32>) {
  // expected-error @+1 {{operand 'mixture_weights' must have rank 2 [H, R], expected shape [4, 2] but got [8]}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<8xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A mask that does not broadcast.
func.func @mgk_mask(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>, %m: tensor<8x4xi1>) {
  // expected-error @+1 {{operand 'mask' of shape [8, 4] does not broadcast to [B, H, Tq, Tk] = [2, 4, 8, 8]}}
  %r = attn.mgk_scores %q, %k, %pi mask(%m) sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>, tensor<8x4xi1>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A result whose key axis is not Tk.
func.func @mgk_result(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>) {
  // expected-error @+1 {{result [B, H, Tq, Tk] expected shape [2, 4, 8, 8] but got [2, 4, 8, 16]}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Mixture weights of another element type.
func.func @mgk_pi_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf16>) {
  // expected-error @+1 {{operand 'mixture_weights' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf16>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A zero variance.
func.func @mgk_sigma_zero(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>) {
  // expected-error @+1 {{'sigma_sq' must be positive and finite but is 0}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(0.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A negative variance.
func.func @mgk_sigma_negative(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>) {
  // expected-error @+1 {{'sigma_sq' must be positive and finite but is -1}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(-1.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// An infinite variance.
func.func @mgk_sigma_inf(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>) {
  // expected-error @+1 {{'sigma_sq' must be positive and finite but is inf}}
  %r = attn.mgk_scores %q, %k, %pi sigma_sq(0x7F800000) : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A map that is not [B, H, Tq, Tk].
func.func @apply_map_rank(%m: tensor<4x8x8xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{operand 'map' must have rank 4 [B, H, Tq, Tk], expected shape [?, ?, ?, ?] but got [4, 8, 8]}}
  %r = attn.apply %m, %v : (tensor<4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Values of the wrong rank.
func.func @apply_values_rank(%m: tensor<2x4x8x8xf32>, %v: tensor<2x8x64xf32>) {
  // expected-error @+1 {{operand 'values' must have rank 4 [B, H, Tk, dv], expected shape [2, 4, 8, ?] but got [2, 8, 64]}}
  %r = attn.apply %m, %v : (tensor<2x4x8x8xf32>, tensor<2x8x64xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Values whose sequence is not the map's key axis.
func.func @apply_values_tk(%m: tensor<2x4x8x8xf32>, %v: tensor<2x4x12x16xf32>) {
  // expected-error @+1 {{operand 'values' [B, H, Tk, dv] expected shape [2, 4, 8, ?] but got [2, 4, 12, 16]}}
  %r = attn.apply %m, %v : (tensor<2x4x8x8xf32>, tensor<2x4x12x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Values with another head count.
func.func @apply_values_heads(%m: tensor<2x4x8x8xf32>, %v: tensor<2x1x8x16xf32>) {
  // expected-error @+1 {{operand 'values' [B, H, Tk, dv] expected shape [2, 4, 8, ?] but got [2, 1, 8, 16]}}
  %r = attn.apply %m, %v : (tensor<2x4x8x8xf32>, tensor<2x1x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A result whose width is not dv.
func.func @apply_result_dv(%m: tensor<2x4x8x8xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{result [B, H, Tq, dv] expected shape [2, 4, 8, 16] but got [2, 4, 8, 8]}}
  %r = attn.apply %m, %v : (tensor<2x4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A result whose sequence is not Tq.
func.func @apply_result_tq(%m: tensor<2x4x6x8xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{result [B, H, Tq, dv] expected shape [2, 4, 6, 16] but got [2, 4, 8, 16]}}
  %r = attn.apply %m, %v : (tensor<2x4x6x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Values of another element type.
func.func @apply_values_type(%m: tensor<2x4x8x8xf32>, %v: tensor<2x4x8x16xf16>) {
  // expected-error @+1 {{operand 'values' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.apply %m, %v : (tensor<2x4x8x8xf32>, tensor<2x4x8x16xf16>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A query that is not [B, H, Tq, dk].
func.func @attend_query_rank(%q: tensor<2x8x64xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{operand 'query' must have rank 4 [B, H, Tq, dk], expected shape [?, ?, ?, ?] but got [2, 8, 64]}}
  %r = attn.attend %q, %k, %v : (tensor<2x8x64xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A key with another head width.
func.func @attend_key_dk(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x8xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{operand 'key' [B, H, Tk, dk] expected shape [2, 4, ?, 16] but got [2, 4, 8, 8]}}
  %r = attn.attend %q, %k, %v : (tensor<2x4x8x16xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Values whose sequence is not Tk.
func.func @attend_value_tk(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x10x16xf32>) {
  // expected-error @+1 {{operand 'value' [B, H, Tk, dv] expected shape [2, 4, 8, ?] but got [2, 4, 10, 16]}}
  %r = attn.attend %q, %k, %v : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x10x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Values with another batch.
func.func @attend_value_batch(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<3x4x8x16xf32>) {
  // expected-error @+1 {{operand 'value' [B, H, Tk, dv] expected shape [2, 4, 8, ?] but got [3, 4, 8, 16]}}
  %r = attn.attend %q, %k, %v : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<3x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Values of the wrong rank.
func.func @attend_value_rank(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x8x64xf32>) {
  // expected-error @+1 {{operand 'value' must have rank 4 [B, H, Tk, dv], expected shape [2, 4, 8, ?] but got [2, 8, 64]}}
  %r = attn.attend %q, %k, %v : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x8x64xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A mask that does not broadcast.
func.func @attend_mask(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>, %m: tensor<3x8x8xi1>) {
  // expected-error @+1 {{operand 'mask' of shape [3, 8, 8] does not broadcast to [B, H, Tq, Tk] = [2, 4, 8, 8]}}
  %r = attn.attend %q, %k, %v mask(%m) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<3x8x8xi1>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A mask of another float type.
func.func @attend_mask_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>, %m: tensor<8x8xf16>) {
  // expected-error @+1 {{operand 'mask' must be i1 (true = attend) or 'f32' (additive) but has element type 'f16'}}
  %r = attn.attend %q, %k, %v mask(%m) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<8x8xf16>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A result whose width is not dv.
func.func @attend_result_dv(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x32xf32>) {
  // expected-error @+1 {{result [B, H, Tq, dv] expected shape [2, 4, 8, 32] but got [2, 4, 8, 16]}}
  %r = attn.attend %q, %k, %v : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A value of another element type.
func.func @attend_value_type(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xbf16>) {
  // expected-error @+1 {{operand 'value' must have element type 'f32' like the input, but has 'bf16'}}
  %r = attn.attend %q, %k, %v : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xbf16>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// A NaN scale.
func.func @attend_scale_nan(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{'scale' must be finite but is nan}}
  %r = attn.attend %q, %k, %v scale(0x7FC00000) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// No scale while dk is dynamic in both query and key.
func.func @attend_dynamic_dk(%q: tensor<2x4x8x?xf32>, %k: tensor<2x4x8x?xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{needs an explicit 'scale' when the head width dk is dynamic}}
  %r = attn.attend %q, %k, %v : (tensor<2x4x8x?xf32>, tensor<2x4x8x?xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Heads that are not [B, H, T, dv].
func.func @merge_heads_rank(%h: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{operand 'heads' must have rank 4 [B, H, T, dv], expected shape [?, ?, ?, ?] but got [2, 8, 64]}}
  %r = attn.merge %h, %w : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// An output projection whose input width is not H*dv.
func.func @merge_weight_rows(%h: tensor<2x4x8x16xf32>, %w: tensor<32x64xf32>) {
  // expected-error @+1 {{operand 'weight' [H*dv, D] expected shape [64, ?] but got [32, 64]}}
  %r = attn.merge %h, %w : (tensor<2x4x8x16xf32>, tensor<32x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// An output projection of the wrong rank.
func.func @merge_weight_rank(%h: tensor<2x4x8x16xf32>, %w: tensor<4x16x64xf32>) {
  // expected-error @+1 {{operand 'weight' must have rank 2 [H*dv, D], expected shape [64, ?] but got [4, 16, 64]}}
  %r = attn.merge %h, %w : (tensor<2x4x8x16xf32>, tensor<4x16x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A bias of the wrong width.
func.func @merge_bias_width(%h: tensor<2x4x8x16xf32>, %w: tensor<64x64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{operand 'bias' [D] expected shape [64] but got [32]}}
  %r = attn.merge %h, %w bias(%b) : (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<32xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A result whose width is not D.
func.func @merge_result_width(%h: tensor<2x4x8x16xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{result [B, T, D] expected shape [2, 8, 64] but got [2, 8, 32]}}
  %r = attn.merge %h, %w : (tensor<2x4x8x16xf32>, tensor<64x64xf32>) -> tensor<2x8x32xf32>
  return
}

// -----

// A result whose sequence is not T.
func.func @merge_result_t(%h: tensor<2x4x8x16xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{result [B, T, D] expected shape [2, 8, 64] but got [2, 4, 64]}}
  %r = attn.merge %h, %w : (tensor<2x4x8x16xf32>, tensor<64x64xf32>) -> tensor<2x4x64xf32>
  return
}

// -----

// With a dynamic output width the result is checked against the bias.
func.func @merge_result_vs_bias(%h: tensor<2x4x8x16xf32>, %w: tensor<64x?xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{result [B, T, D] expected shape [2, 8, 64] but got [2, 8, 32]}}
  %r = attn.merge %h, %w bias(%b) : (tensor<2x4x8x16xf32>, tensor<64x?xf32>, tensor<64xf32>) -> tensor<2x8x32xf32>
  return
}

// -----

// A bias of another element type.
func.func @merge_bias_type(%h: tensor<2x4x8x16xf32>, %w: tensor<64x64xf32>, %b: tensor<64xf16>) {
  // expected-error @+1 {{operand 'bias' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.merge %h, %w bias(%b) : (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<64xf16>) -> tensor<2x8x64xf32>
  return
}

// -----

// A rank-0 input has no dimension to normalise.
func.func @layer_norm_rank0(%x: tensor<f32>, %g: tensor<1xf32>, %b: tensor<1xf32>) {
  // expected-error @+1 {{operand 'input' must have rank >= 1}}
  %r = attn.layer_norm %x, %g, %b : (tensor<f32>, tensor<1xf32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

// gamma of the wrong width.
func.func @layer_norm_gamma(%x: tensor<2x8x64xf32>, %g: tensor<32xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{operand 'gamma' [N] expected shape [64] but got [32]}}
  %r = attn.layer_norm %x, %g, %b : (tensor<2x8x64xf32>, tensor<32xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// gamma of the wrong rank.
func.func @layer_norm_gamma_rank(%x: tensor<2x8x64xf32>, %g: tensor<1x64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{operand 'gamma' must have rank 1 [N], expected shape [64] but got [1, 64]}}
  %r = attn.layer_norm %x, %g, %b : (tensor<2x8x64xf32>, tensor<1x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// beta of the wrong width.
func.func @layer_norm_beta(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{operand 'beta' [N] expected shape [64] but got [16]}}
  %r = attn.layer_norm %x, %g, %b : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<16xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// With a dynamic last dimension, beta must still match gamma.
func.func @layer_norm_beta_vs_gamma(%x: tensor<2x8x?xf32>, %g: tensor<64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{operand 'beta' [N] expected shape [64] but got [32]}}
  %r = attn.layer_norm %x, %g, %b : (tensor<2x8x?xf32>, tensor<64xf32>, tensor<32xf32>) -> tensor<2x8x?xf32>
  return
}

// -----

// A result whose shape is not the input's.
func.func @layer_norm_result(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{result (as 'input') expected shape [2, 8, 64] but got [2, 4, 64]}}
  %r = attn.layer_norm %x, %g, %b : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x4x64xf32>
  return
}

// -----

// gamma of another element type.
func.func @layer_norm_gamma_type(%x: tensor<2x8x64xf32>, %g: tensor<64xf16>, %b: tensor<64xf32>) {
  // expected-error @+1 {{operand 'gamma' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.layer_norm %x, %g, %b : (tensor<2x8x64xf32>, tensor<64xf16>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A zero epsilon.
func.func @layer_norm_epsilon_zero(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'epsilon' must be positive and finite but is 0}}
  %r = attn.layer_norm %x, %g, %b {epsilon = 0.0 : f32} : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A negative epsilon.
func.func @layer_norm_epsilon_negative(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'epsilon' must be positive and finite but is -1}}
  %r = attn.layer_norm %x, %g, %b {epsilon = -1.0 : f32} : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A NaN epsilon.
func.func @layer_norm_epsilon_nan(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) {
  // expected-error @+1 {{'epsilon' must be positive and finite but is nan}}
  %r = attn.layer_norm %x, %g, %b {epsilon = 0x7FC00000 : f32} : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// No weight at all.
func.func @ffn_no_weights(%x: tensor<2x8x64xf32>) {
  // expected-error @+1 {{needs at least one weight}}
  %r = attn.ffn %x weights() activation(relu) : (tensor<2x8x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// Fewer biases than weights.
func.func @ffn_bias_count(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>, %b0: tensor<128xf32>) {
  // expected-error @+1 {{has 2 weights but 1 biases; give one bias per weight or none}}
  %r = attn.ffn %x weights(%w0, %w1) biases(%b0) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// More biases than weights.
func.func @ffn_bias_count_more(%x: tensor<2x8x64xf32>, %w0: tensor<64x64xf32>, %b0: tensor<64xf32>, %b1: tensor<64xf32>) {
  // expected-error @+1 {{has 1 weights but 2 biases; give one bias per weight or none}}
  %r = attn.ffn %x weights(%w0) biases(%b0, %b1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// An input that is not [B, T, D].
func.func @ffn_input_rank(%x: tensor<8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>) {
  // expected-error @+1 {{operand 'input' must have rank 3 [B, T, D], expected shape [?, ?, ?] but got [8, 64]}}
  %r = attn.ffn %x weights(%w0, %w1) activation(relu) : (tensor<8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<8x64xf32>
  return
}

// -----

// A first weight whose input width is not D.
func.func @ffn_w0_rows(%x: tensor<2x8x64xf32>, %w0: tensor<32x128xf32>, %w1: tensor<128x64xf32>) {
  // expected-error @+1 {{operand 'weights[0]' [d_i, d_i+1] expected shape [64, ?] but got [32, 128]}}
  %r = attn.ffn %x weights(%w0, %w1) activation(relu) : (tensor<2x8x64xf32>, tensor<32x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A weight of the wrong rank.
func.func @ffn_w1_rank(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128xf32>) {
  // expected-error @+1 {{operand 'weights[1]' must have rank 2 [d_i, d_i+1], expected shape [128, ?] but got [128]}}
  %r = attn.ffn %x weights(%w0, %w1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A broken chain: weights[1] does not read what weights[0] writes.
func.func @ffn_chain(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<256x64xf32>) {
  // expected-error @+1 {{operand 'weights[1]' [d_i, d_i+1] expected shape [128, ?] but got [256, 64]}}
  %r = attn.ffn %x weights(%w0, %w1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<256x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A broken chain in a depth-4 network.
func.func @ffn_chain_deep(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x128xf32>, %w2: tensor<128x32xf32>, %w3: tensor<128x64xf32>) {
  // expected-error @+1 {{operand 'weights[3]' [d_i, d_i+1] expected shape [32, ?] but got [128, 64]}}
  %r = attn.ffn %x weights(%w0, %w1, %w2, %w3) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x32xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A bias whose width is not its weight's output width.
func.func @ffn_bias_width(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>, %b0: tensor<128xf32>, %b1: tensor<128xf32>) {
  // expected-error @+1 {{operand 'biases[1]' [d_i+1] expected shape [64] but got [128]}}
  %r = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<128xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A result whose width is not the last weight's output width.
func.func @ffn_result(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>) {
  // expected-error @+1 {{result [B, T, d_L] expected shape [2, 8, 64] but got [2, 8, 128]}}
  %r = attn.ffn %x weights(%w0, %w1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<2x8x128xf32>
  return
}

// -----

// A weight of another element type.
func.func @ffn_weight_type(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf16>) {
  // expected-error @+1 {{operand 'weights[1]' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.ffn %x weights(%w0, %w1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf16>) -> tensor<2x8x64xf32>
  return
}

// -----

// A bias of another element type.
func.func @ffn_bias_type(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>, %b0: tensor<128xbf16>, %b1: tensor<64xf32>) {
  // expected-error @+1 {{operand 'biases[0]' must have element type 'f32' like the input, but has 'bf16'}}
  %r = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xbf16>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// A result of another element type.
func.func @ffn_result_type(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>) {
  // expected-error @+1 {{result must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.ffn %x weights(%w0, %w1) activation(relu) : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf16>
  return
}

// -----

// An input that is not [B, T, D].
func.func @seq_mlp_input_rank(%x: tensor<8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'input' must have rank 3 [B, T, D], expected shape [?, ?, ?] but got [8, 16]}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<8x16xf32>
  return
}

// -----

// A static sequence longer than max_len.
func.func @seq_mlp_too_long(%x: tensor<2x12x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{sequence length 12 exceeds max_len 8}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x12x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x12x16xf32>
  return
}

// -----

// An input LayerNorm gamma whose width is not N*D.
func.func @seq_mlp_norm_in_gamma(%x: tensor<2x8x16xf32>, %gi: tensor<16xf32>, %bi: tensor<128xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'norm_in_gamma' [N*D] expected shape [128] but got [16]}}
  %r = attn.seq_mlp %x norm_in(%gi, %bi) w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// An input LayerNorm beta whose width is not N*D.
func.func @seq_mlp_norm_in_beta(%x: tensor<2x8x16xf32>, %gi: tensor<128xf32>, %bi: tensor<64xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'norm_in_beta' [N*D] expected shape [128] but got [64]}}
  %r = attn.seq_mlp %x norm_in(%gi, %bi) w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128xf32>, tensor<64xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// w0 whose input width is not N*D.
func.func @seq_mlp_w0_rows(%x: tensor<2x8x16xf32>, %w0: tensor<16x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'w0' [N*D, K] expected shape [128, ?] but got [16, 32]}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<16x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// w0 of the wrong rank.
func.func @seq_mlp_w0_rank(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'w0' must have rank 2 [N*D, K], expected shape [128, ?] but got [4, 128, 32]}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// b0 whose width is not K.
func.func @seq_mlp_b0(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %b0: tensor<128xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'b0' [K] expected shape [32] but got [128]}}
  %r = attn.seq_mlp %x w0(%w0) b0(%b0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<128xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// A hidden LayerNorm gamma whose width is not K.
func.func @seq_mlp_norm_hidden_gamma(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %gh: tensor<16xf32>, %bh: tensor<32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'norm_hidden_gamma' [K] expected shape [32] but got [16]}}
  %r = attn.seq_mlp %x w0(%w0) norm_hidden(%gh, %bh) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<16xf32>, tensor<32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// A hidden LayerNorm beta whose width is not K.
func.func @seq_mlp_norm_hidden_beta(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %gh: tensor<32xf32>, %bh: tensor<16xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'norm_hidden_beta' [K] expected shape [32] but got [16]}}
  %r = attn.seq_mlp %x w0(%w0) norm_hidden(%gh, %bh) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<16xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// w1 whose input width is not K.
func.func @seq_mlp_w1_rows(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<64x128xf32>) {
  // expected-error @+1 {{operand 'w1' [K, N*E] expected shape [32, ?] but got [64, 128]}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<64x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// w1 whose output width is not a multiple of max_len.
func.func @seq_mlp_w1_cols(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x100xf32>) {
  // expected-error @+1 {{operand 'w1' output width 100 is not a multiple of max_len 8}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x100xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// b1 whose width is not N*E.
func.func @seq_mlp_b1(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>, %b1: tensor<16xf32>) {
  // expected-error @+1 {{operand 'b1' [N*E] expected shape [128] but got [16]}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) b1(%b1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// A result whose width is not E = (N*E) / N.
func.func @seq_mlp_result_width(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{result [B, T, E] expected shape [2, 8, 16] but got [2, 8, 8]}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x8xf32>
  return
}

// -----

// A result whose sequence is not T.
func.func @seq_mlp_result_t(%x: tensor<2x4x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{result [B, T, E] expected shape [2, 4, 16] but got [2, 8, 16]}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x4x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// A weight of another element type.
func.func @seq_mlp_w1_type(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf16>) {
  // expected-error @+1 {{operand 'w1' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf16>) -> tensor<2x8x16xf32>
  return
}

// -----

// A zero epsilon.
func.func @seq_mlp_epsilon_zero(%x: tensor<2x8x16xf32>, %gi: tensor<128xf32>, %bi: tensor<128xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{'epsilon' must be positive and finite but is 0}}
  %r = attn.seq_mlp %x norm_in(%gi, %bi) w0(%w0) w1(%w1) max_len(8) activation(relu) {epsilon = 0.0 : f32} : (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// An infinite epsilon.
func.func @seq_mlp_epsilon_inf(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{'epsilon' must be positive and finite but is inf}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) {epsilon = 0x7F800000 : f32} : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// A max_len of zero (ODS attribute constraint).
func.func @seq_mlp_max_len_zero(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{attribute 'max_len' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(0) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// A max_len so large that N*D overflows: N*D is then unknown, not a wrapped value.
func.func @seq_mlp_max_len_overflow(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{operand 'w1' output width 128 is not a multiple of max_len 4611686018427387904}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(4611686018427387904) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Only gamma of the input LayerNorm: the custom syntax cannot say this, the generic form can.
func.func @seq_mlp_only_norm_in_gamma(%x: tensor<2x8x16xf32>, %g: tensor<128xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{needs both 'norm_in_gamma' and 'norm_in_beta' of a LayerNorm, or neither}}
  %r = "attn.seq_mlp"(%x, %g, %w0, %w1) <{activation = #attn<activation relu>, max_len = 8 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1, 0, 0, 0, 1, 0>}> : (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Only beta of the hidden LayerNorm (generic form).
func.func @seq_mlp_only_norm_hidden_beta(%x: tensor<2x8x16xf32>, %b: tensor<32xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{needs both 'norm_hidden_gamma' and 'norm_hidden_beta' of a LayerNorm, or neither}}
  %r = "attn.seq_mlp"(%x, %w0, %b, %w1) <{activation = #attn<activation relu>, max_len = 8 : i64, operandSegmentSizes = array<i32: 1, 0, 0, 1, 0, 0, 1, 1, 0>}> : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Only gamma of the hidden LayerNorm of the per-head form (generic form).
func.func @head_seq_mlp_only_norm_hidden_gamma(%x: tensor<2x8x16xf32>, %g: tensor<4x32xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{needs both 'norm_hidden_gamma' and 'norm_hidden_beta' of a LayerNorm, or neither}}
  %r = "attn.head_seq_mlp"(%x, %w0, %g, %w1) <{activation = #attn<activation relu>, max_len = 8 : i64, operandSegmentSizes = array<i32: 1, 0, 0, 1, 0, 1, 0, 1, 0>}> : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// w0 without its head dimension (checked first: it gives H).
func.func @head_seq_mlp_w0_rank(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'w0' must have rank 3 [H, N*D, K], expected shape [?, ?, ?] but got [128, 32]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// An input that is not [B, T, D].
func.func @head_seq_mlp_input_rank(%x: tensor<2x4x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'input' must have rank 3 [B, T, D], expected shape [?, ?, ?] but got [2, 4, 8, 16]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x4x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// A static sequence longer than max_len.
func.func @head_seq_mlp_too_long(%x: tensor<2x9x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{sequence length 9 exceeds max_len 8}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x9x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x9x4xf32>
  return
}

// -----

// An input LayerNorm without its head dimension.
func.func @head_seq_mlp_norm_in_rank(%x: tensor<2x8x16xf32>, %gi: tensor<128xf32>, %bi: tensor<128xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'norm_in_gamma' must have rank 2 [H, N*D], expected shape [4, 128] but got [128]}}
  %r = attn.head_seq_mlp %x norm_in(%gi, %bi) w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// w0 whose input width is not N*D.
func.func @head_seq_mlp_w0_rows(%x: tensor<2x8x16xf32>, %w0: tensor<4x64x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'w0' [H, N*D, K] expected shape [4, 128, ?] but got [4, 64, 32]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x64x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// b0 without its head dimension.
func.func @head_seq_mlp_b0_rank(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %b0: tensor<32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'b0' must have rank 2 [H, K], expected shape [4, 32] but got [32]}}
  %r = attn.head_seq_mlp %x w0(%w0) b0(%b0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// b0 with another head count.
func.func @head_seq_mlp_b0_heads(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %b0: tensor<2x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'b0' [H, K] expected shape [4, 32] but got [2, 32]}}
  %r = attn.head_seq_mlp %x w0(%w0) b0(%b0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<2x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// A hidden LayerNorm beta without its head dimension.
func.func @head_seq_mlp_norm_hidden_rank(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %gh: tensor<4x32xf32>, %bh: tensor<32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'norm_hidden_beta' must have rank 2 [H, K], expected shape [4, 32] but got [32]}}
  %r = attn.head_seq_mlp %x w0(%w0) norm_hidden(%gh, %bh) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32xf32>, tensor<32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// w1 without its head dimension.
func.func @head_seq_mlp_w1_rank(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<32x32xf32>) {
  // expected-error @+1 {{operand 'w1' must have rank 3 [H, K, N*E], expected shape [4, 32, ?] but got [32, 32]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// w1 with another head count.
func.func @head_seq_mlp_w1_heads(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<2x32x32xf32>) {
  // expected-error @+1 {{operand 'w1' [H, K, N*E] expected shape [4, 32, ?] but got [2, 32, 32]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<2x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// w1 whose output width is not a multiple of max_len.
func.func @head_seq_mlp_w1_cols(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x30xf32>) {
  // expected-error @+1 {{operand 'w1' output width 30 is not a multiple of max_len 8}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x30xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// b1 without its head dimension.
func.func @head_seq_mlp_b1_rank(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>, %b1: tensor<32xf32>) {
  // expected-error @+1 {{operand 'b1' must have rank 2 [H, N*E], expected shape [4, 32] but got [32]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) b1(%b1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>, tensor<32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// A result without the head dimension.
func.func @head_seq_mlp_result_rank(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{result must have rank 4 [B, H, T, E], expected shape [2, 4, 8, 4] but got [2, 8, 4]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x8x4xf32>
  return
}

// -----

// A result with another head count.
func.func @head_seq_mlp_result_heads(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{result [B, H, T, E] expected shape [2, 4, 8, 4] but got [2, 2, 8, 4]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x2x8x4xf32>
  return
}

// -----

// With a dynamic head count in w0, H comes from w1.
func.func @head_seq_mlp_result_heads_from_w1(%x: tensor<2x8x16xf32>, %w0: tensor<?x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{result [B, H, T, E] expected shape [2, 4, 8, 4] but got [2, 2, 8, 4]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<?x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x2x8x4xf32>
  return
}

// -----

// A result whose width is not dv = (N*dv) / N.
func.func @head_seq_mlp_result_width(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{result [B, H, T, E] expected shape [2, 4, 8, 4] but got [2, 4, 8, 8]}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// A bias of another element type.
func.func @head_seq_mlp_b0_type(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %b0: tensor<4x32xf16>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{operand 'b0' must have element type 'f32' like the input, but has 'f16'}}
  %r = attn.head_seq_mlp %x w0(%w0) b0(%b0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32xf16>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// A negative epsilon.
func.func @head_seq_mlp_epsilon_negative(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %gh: tensor<4x32xf32>, %bh: tensor<4x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{'epsilon' must be positive and finite but is -1}}
  %r = attn.head_seq_mlp %x w0(%w0) norm_hidden(%gh, %bh) w1(%w1) max_len(8) activation(relu) {epsilon = -1.0 : f32} : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// A negative max_len (ODS attribute constraint).
func.func @head_seq_mlp_max_len_negative(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) {
  // expected-error @+1 {{attribute 'max_len' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %r = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(-8) activation(relu) : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return
}

// -----

// Parse error: attn.mha without its heads(...) clause.
func.func @parse_mha_no_heads(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{expected 'heads'}}
  %r = attn.mha %x, %x, %w, %w, %w, %w causal : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// Parse error: attn.project without its heads(...) clause.
func.func @parse_project_no_heads(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{expected 'heads'}}
  %r = attn.project %x, %w : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Parse error: an activation keyword that does not exist.
func.func @parse_unknown_activation(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) {
  // expected-error @+1 {{expected one of [relu, gelu, silu, leaky_relu] for element-wise activation of a feed-forward layer, got: swish}}
  %r = attn.ffn %x weights(%w) activation(swish) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return
}

// -----

// Parse error: an embedding mode that does not exist.
func.func @parse_unknown_mode(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf32>) {
  // expected-error @+1 {{expected one of [add, mul] for how a per-head embedding combines with the shared projection (MHE), got: concat}}
  %r = attn.head_embed %p, %e mode(concat) : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
  return
}

// -----

// Parse error: norm_in takes gamma and beta.
func.func @parse_norm_in_one_operand(%x: tensor<2x8x16xf32>, %g: tensor<128xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{expected ','}}
  %r = attn.seq_mlp %x norm_in(%g) w0(%w0) w1(%w1) max_len(8) activation(relu) : (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Parse error: seq_mlp without max_len.
func.func @parse_seq_mlp_no_max_len(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) {
  // expected-error @+1 {{expected 'max_len'}}
  %r = attn.seq_mlp %x w0(%w0) w1(%w1) activation(relu) : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return
}

// -----

// Parse error: the scale is a float, not a keyword.
func.func @parse_scale_keyword(%q: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{expected attribute value}}
  %r = attn.scores %q, %q scale(default) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return
}

// -----

// Parse error: the functional type lists fewer operands than the op has.
func.func @parse_type_count(%m: tensor<2x4x8x8xf32>, %v: tensor<2x4x8x16xf32>) {
  // expected-error @+1 {{number of operands and types do not match: got 2 operands and 1 types}}
  %r = attn.apply %m, %v : (tensor<2x4x8x8xf32>) -> tensor<2x4x8x16xf32>
  return
}
