// RUN: attn-opt %s --attn-gpu-map-linalg="mma=fp8" -verify-diagnostics

// An mma type the kernel does not know is an error, not a silent fallback.
// expected-error @below {{attn-gpu-map-linalg: unknown mma type 'fp8' (expected none, f16, bf16 or tf32)}}
func.func @matmul(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  linalg.matmul ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%c : memref<8x8xf32>)
  return
}
