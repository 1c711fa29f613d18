// RUN: attn-opt %s --attn-cpu-pipeline | FileCheck %s --implicit-check-not=attn. --implicit-check-not=memref.expand_shape

// Dynamic batch and sequence in one reassociation group ([B*T] -> [B, T])
// once crashed MLIR 22.1's expand-strided-metadata; the pipeline rewrites
// such expand_shapes before it, so this reaches the LLVM dialect.
// CHECK-LABEL: llvm.func @forward
func.func @forward(%x: tensor<?x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x4x?x16xf32> {
  %0 = attn.project %x, %w heads(4) : (tensor<?x?x64xf32>, tensor<64x64xf32>) -> tensor<?x4x?x16xf32>
  return %0 : tensor<?x4x?x16xf32>
}
