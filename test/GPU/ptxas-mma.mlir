// Tensor-core contractions (attn-nvvm-pipeline{mma=f16|bf16|tf32}) through
// the whole pipeline to PTX for sm_80 and sm_90: the PTX has the mma.sync
// instructions of each type (four per K step and warp, in the step loop),
// and ptxas assembles every kernel without spills. A projection with a bias
// and the head split (the fused epilogue) and a plain matmul with a
// dynamic M.
//
// REQUIRES: ptxas
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_80 format=isa mma=f16 toolkit=%cuda_toolkit" -o %t.f16.sm80.mlir
// RUN: FileCheck %s --check-prefix=PTX-F16 < %t.f16.sm80.mlir
// RUN: %check_ptx %ptxas %t.f16.sm80.mlir | FileCheck %s --check-prefixes=CHECK,F16
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_90 format=isa mma=f16 toolkit=%cuda_toolkit" -o %t.f16.sm90.mlir
// RUN: %check_ptx %ptxas %t.f16.sm90.mlir | FileCheck %s --check-prefixes=CHECK,F16
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_80 format=isa mma=bf16 toolkit=%cuda_toolkit" -o %t.bf16.sm80.mlir
// RUN: FileCheck %s --check-prefix=PTX-BF16 < %t.bf16.sm80.mlir
// RUN: %check_ptx %ptxas %t.bf16.sm80.mlir | FileCheck %s --check-prefixes=CHECK,BF16
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_90 format=isa mma=bf16 toolkit=%cuda_toolkit" -o %t.bf16.sm90.mlir
// RUN: %check_ptx %ptxas %t.bf16.sm90.mlir | FileCheck %s --check-prefixes=CHECK,BF16
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_80 format=isa mma=tf32 toolkit=%cuda_toolkit" -o %t.tf32.sm80.mlir
// RUN: FileCheck %s --check-prefix=PTX-TF32 < %t.tf32.sm80.mlir
// RUN: %check_ptx %ptxas %t.tf32.sm80.mlir | FileCheck %s --check-prefixes=CHECK,TF32
// RUN: attn-opt %s -split-input-file --attn-nvvm-pipeline="chip=sm_90 format=isa mma=tf32 toolkit=%cuda_toolkit" -o %t.tf32.sm90.mlir
// RUN: %check_ptx %ptxas %t.tf32.sm90.mlir | FileCheck %s --check-prefixes=CHECK,TF32

// PTX-F16-COUNT-4: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTX-BF16-COUNT-4: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// PTX-TF32-COUNT-8: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32

// F16: attn_contraction_mma_f16_broadcast_transpose_kernel sm_{{[89]0}}: registers={{[0-9]+}} smem=4160 stack=0 spill-stores=0 spill-loads=0
// BF16: attn_contraction_mma_bf16_broadcast_transpose_kernel sm_{{[89]0}}: registers={{[0-9]+}} smem=4160 stack=0 spill-stores=0 spill-loads=0
// TF32: attn_contraction_mma_tf32_broadcast_transpose_kernel sm_{{[89]0}}: registers={{[0-9]+}} smem=8320 stack=0 spill-stores=0 spill-loads=0
func.func @forward(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>, %b: tensor<64xf32>) -> tensor<?x4x?x16xf32> {
  %q = attn.project %x, %w bias(%b) heads(4)
      : (tensor<?x?x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<?x4x?x16xf32>
  return %q : tensor<?x4x?x16xf32>
}

// -----
// F16: attn_contraction_mma_f16_{{[a-z_]*}}kernel sm_{{[89]0}}: registers={{[0-9]+}} smem=4160 stack=0 spill-stores=0 spill-loads=0
// BF16: attn_contraction_mma_bf16_{{[a-z_]*}}kernel sm_{{[89]0}}: registers={{[0-9]+}} smem=4160 stack=0 spill-stores=0 spill-loads=0
// TF32: attn_contraction_mma_tf32_{{[a-z_]*}}kernel sm_{{[89]0}}: registers={{[0-9]+}} smem=8320 stack=0 spill-stores=0 spill-loads=0
// CHECK: assembled {{[0-9]+}} objects
func.func @forward(%x: tensor<?x128xf32>, %w: tensor<128x96xf32>) -> tensor<?x96xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x128xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty(%n) : tensor<?x96xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x96xf32>) -> tensor<?x96xf32>
  %y = linalg.matmul ins(%x, %w : tensor<?x128xf32>, tensor<128x96xf32>) outs(%init : tensor<?x96xf32>) -> tensor<?x96xf32>
  return %y : tensor<?x96xf32>
}
