// Every attn op and variant through attn-nvvm-pipeline to PTX for sm_90
// and sm_80, assembled by ptxas (ptxas_check.py prints each kernel's
// registers, shared memory and spills). Each case is a model entry
// @forward (attn-bind-params' contract); i1 masks are constants since
// model inputs are f32.
//
// REQUIRES: ptxas
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_90 format=isa toolkit=%cuda_toolkit" -o %t.sm90.mlir
// RUN: %check_ptx %ptxas %t.sm90.mlir | FileCheck %s --check-prefixes=CHECK,SM90
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_80 format=isa toolkit=%cuda_toolkit" -o %t.sm80.mlir
// RUN: %check_ptx %ptxas %t.sm80.mlir | FileCheck %s --check-prefixes=CHECK,SM80

// attn.project with a bias, dynamic B and T: one tiled contraction kernel
// that also broadcasts the bias and splits the heads (fused epilogue).
// SM90: attn_contraction_broadcast_transpose_kernel sm_90: registers={{[0-9]+}} smem=8320 stack=0 spill-stores=0 spill-loads=0
// SM80: attn_contraction_broadcast_transpose_kernel sm_80: registers={{[0-9]+}} smem=8320 stack=0 spill-stores=0 spill-loads=0
func.func @forward(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %b: tensor<64xf32>) -> tensor<?x4x?x16xf32> {
  %q = attn.project %x, %w bias(%b) heads(4)
      : (tensor<?x?x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<?x4x?x16xf32>
  return %q : tensor<?x4x?x16xf32>
}

// -----
// attn.head_embed, both modes.
// CHECK: attn_generic_kernel
func.func @forward(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf32>) -> tensor<2x4x8x16xf32> {
  %a = attn.head_embed %p, %e mode(add)
      : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
  %m = attn.head_embed %p, %e mode(mul)
      : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
  %y = arith.addf %a, %m : tensor<2x4x8x16xf32>
  return %y : tensor<2x4x8x16xf32>
}

// -----
// attn.scores with an additive mask, causal and a scale, then attn.apply.
// CHECK: attn_contraction_{{[a-z_0-9]*}}kernel
// CHECK: attn_generic_kernel
func.func @forward(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>, %mask: tensor<2x4x8x8xf32>) -> tensor<2x4x8x16xf32> {
  %m = attn.scores %q, %k mask(%mask) causal scale(5.000000e-01)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
  %o = attn.apply %m, %v
      : (tensor<2x4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// attn.scores with an i1 mask of rank 2 and dynamic B and T.
// CHECK: attn_generic_kernel
func.func @forward(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x8x16xf32>) -> tensor<?x4x?x8xf32> {
  %mask = arith.constant dense<true> : tensor<8x8xi1>
  %maskd = tensor.cast %mask : tensor<8x8xi1> to tensor<?x8xi1>
  %m = attn.scores %q, %k mask(%maskd)
      : (tensor<?x4x?x16xf32>, tensor<?x4x8x16xf32>, tensor<?x8xi1>) -> tensor<?x4x?x8xf32>
  return %m : tensor<?x4x?x8xf32>
}

// -----
// attn.mgk_scores with two key components, an i1 mask and causal.
// CHECK: attn_contraction_{{[a-z_0-9]*}}kernel
func.func @forward(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>) -> tensor<2x4x8x8xf32> {
  %mask = arith.constant dense<true> : tensor<8x8xi1>
  %m = attn.mgk_scores %q, %k, %pi mask(%mask) sigma_sq(5.000000e-01) causal
      : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>, tensor<8x8xi1>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// attn.attend, the fused kernel: dynamic B and T, head width 64.
// SM90: attn_attend_kernel sm_90: registers={{[0-9]+}} smem=25600 stack=0 spill-stores=0 spill-loads=0
// SM80: attn_attend_kernel sm_80: registers={{[0-9]+}} smem=25600 stack=0 spill-stores=0 spill-loads=0
func.func @forward(%q: tensor<?x4x?x64xf32>, %k: tensor<?x4x?x64xf32>, %v: tensor<?x4x?x64xf32>) -> tensor<?x4x?x64xf32> {
  %o = attn.attend %q, %k, %v
      : (tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32>, tensor<?x4x?x64xf32>) -> tensor<?x4x?x64xf32>
  return %o : tensor<?x4x?x64xf32>
}

// -----
// attn.attend with an additive mask, causal, head width 16.
// SM90: attn_attend_kernel sm_90: registers={{[0-9]+}} smem=12544 stack=0 spill-stores=0 spill-loads=0
// SM80: attn_attend_kernel sm_80: registers={{[0-9]+}} smem=12544 stack=0 spill-stores=0 spill-loads=0
func.func @forward(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>, %mask: tensor<2x1x8x8xf32>) -> tensor<2x4x8x16xf32> {
  %o = attn.attend %q, %k, %v mask(%mask) causal scale(2.500000e-01)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x8x8xf32>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// attn.attend with an i1 key mask broadcast over heads and queries.
// SM90: attn_attend_kernel sm_90:
func.func @forward(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32> {
  %mask = arith.constant dense<true> : tensor<2x1x1x8xi1>
  %o = attn.attend %q, %k, %v mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x1x8xi1>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// attn.attend with heads of 128: the fused kernel with 8 threads per row
// (docs/gpu.md: sm_90 spills 4 bytes here).
// CHECK: attn_attend_kernel sm_{{[0-9]+}}: registers={{[0-9]+}} smem=26624
func.func @forward(%q: tensor<1x2x?x128xf32>, %k: tensor<1x2x?x128xf32>, %v: tensor<1x2x?x128xf32>) -> tensor<1x2x?x128xf32> {
  %o = attn.attend %q, %k, %v
      : (tensor<1x2x?x128xf32>, tensor<1x2x?x128xf32>, tensor<1x2x?x128xf32>) -> tensor<1x2x?x128xf32>
  return %o : tensor<1x2x?x128xf32>
}

// -----
// f16 attention: the fused kernel reads f16 into f32 and writes f16.
// CHECK: attn_attend_kernel sm_{{[0-9]+}}: registers={{[0-9]+}} smem={{[0-9]+}} stack=0 spill-stores=0 spill-loads=0
func.func @forward(%q: tensor<1x2x8x16xf32>, %k: tensor<1x2x8x16xf32>, %v: tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32> {
  %qh = arith.truncf %q : tensor<1x2x8x16xf32> to tensor<1x2x8x16xf16>
  %kh = arith.truncf %k : tensor<1x2x8x16xf32> to tensor<1x2x8x16xf16>
  %vh = arith.truncf %v : tensor<1x2x8x16xf32> to tensor<1x2x8x16xf16>
  %o = attn.attend %qh, %kh, %vh
      : (tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>, tensor<1x2x8x16xf16>) -> tensor<1x2x8x16xf16>
  %y = arith.extf %o : tensor<1x2x8x16xf16> to tensor<1x2x8x16xf32>
  return %y : tensor<1x2x8x16xf32>
}

// -----
// attn.merge with a bias.
// CHECK: attn_contraction_{{[a-z_0-9]*}}kernel
func.func @forward(%h: tensor<2x4x8x16xf32>, %w: tensor<64x64xf32>, %b: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.merge %h, %w bias(%b)
      : (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// attn.layer_norm with dynamic B and T: one kernel, a block of 64 threads
// per row with a shared-memory tree (64 floats) for the sums.
// SM90: attn_layer_norm_kernel sm_90: registers={{[0-9]+}} smem=256 stack=0 spill-stores=0 spill-loads=0
// SM80: attn_layer_norm_kernel sm_80: registers={{[0-9]+}} smem=256 stack=0 spill-stores=0 spill-loads=0
func.func @forward(%x: tensor<?x?x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.layer_norm %x, %g, %b
      : (tensor<?x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----
// attn.ffn of depth 2 with biases, gelu (erf) and silu.
// CHECK: attn_contraction_{{[a-z_0-9]*}}kernel
func.func @forward(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>, %b0: tensor<128xf32>, %b1: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(gelu)
      : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  %z = attn.ffn %y weights(%w0, %w1) activation(silu)
      : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>
  return %z : tensor<2x8x64xf32>
}

// -----
// attn.ffn of depth 4 (Irie's deep FF), relu and leaky_relu.
// CHECK: attn_contraction_{{[a-z_0-9]*}}kernel
func.func @forward(%x: tensor<?x?x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x128xf32>, %w2: tensor<128x128xf32>, %w3: tensor<128x64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1, %w2, %w3) activation(relu)
      : (tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>) -> tensor<?x?x64xf32>
  %z = attn.ffn %y weights(%w0, %w1, %w2, %w3) activation(leaky_relu)
      : (tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>) -> tensor<?x?x64xf32>
  return %z : tensor<?x?x64xf32>
}

// -----
// attn.seq_mlp with both LayerNorms and biases, dynamic T (checked against
// max_len on the host).
// CHECK: attn_contraction_{{[a-z_0-9]*}}kernel
func.func @forward(%x: tensor<2x?x16xf32>, %gi: tensor<128xf32>, %bi: tensor<128xf32>, %w0: tensor<128x32xf32>, %b0: tensor<32xf32>, %gh: tensor<32xf32>, %bh: tensor<32xf32>, %w1: tensor<32x128xf32>, %b1: tensor<128xf32>) -> tensor<2x?x16xf32> {
  %y = attn.seq_mlp %x norm_in(%gi, %bi) w0(%w0) b0(%b0) norm_hidden(%gh, %bh) w1(%w1) b1(%b1) max_len(8) activation(gelu)
      : (tensor<2x?x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x128xf32>, tensor<128xf32>) -> tensor<2x?x16xf32>
  return %y : tensor<2x?x16xf32>
}

// -----
// attn.head_seq_mlp (the per-head ASLR form).
// CHECK: attn_contraction_{{[a-z_0-9]*}}kernel
func.func @forward(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32> {
  %y = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu)
      : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return %y : tensor<2x4x8x4xf32>
}

// -----
// attn.mha, causal self-attention with biases (decomposed, fused attend).
// SM90: attn_attend_kernel sm_90:
// CHECK: assembled {{[0-9]+}} objects
func.func @forward(%x: tensor<1x?x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bq: tensor<64xf32>, %bk: tensor<64xf32>, %bv: tensor<64xf32>, %bo: tensor<64xf32>) -> tensor<1x?x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(4) causal
      : (tensor<1x?x64xf32>, tensor<1x?x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x?x64xf32>
  return %y : tensor<1x?x64xf32>
}
