// RUN: attn-opt %s -split-input-file --attn-gpu-lower-layer-norm | FileCheck %s
// Numerics (against the CPU library): emulate-encoder.test; PTX: ptxas-ops.mlir.

// A LayerNorm over D = 256 with dynamic B and T: one block of 256 threads
// per row (B * T blocks); the row's sum and then its squared deviations go
// through one shared-memory tree each; the normalisation is written in the
// same kernel.
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x256xf32>, %[[G:[^:]+]]: tensor<256xf32>, %[[BETA:[^:]+]]: tensor<256xf32>)
// CHECK:         %[[XB:.+]] = bufferization.to_buffer %[[X]] read_only
// CHECK:         %[[GB:.+]] = bufferization.to_buffer %[[G]] read_only
// CHECK:         %[[BB:.+]] = bufferization.to_buffer %[[BETA]] read_only
// CHECK:         %[[B:.+]] = memref.dim %[[XB]], %c0
// CHECK:         %[[T:.+]] = memref.dim %[[XB]], %c1
// CHECK:         %[[OUT:.+]] = memref.alloc(%[[B]], %[[T]]) : memref<?x?x256xf32>
// CHECK:         %[[ROWS:.+]] = arith.muli %{{.+}}, %[[T]]
// CHECK:         %[[GRID:.+]] = arith.maxsi %[[ROWS]], %c1
// CHECK:         gpu.launch blocks(%[[ROW:[^,]+]], %{{[^,]+}}, %{{[^)]+}}) in (%{{[^ ]+}} = %[[GRID]], %{{[^ ]+}} = %c1{{[^,]*}}, %{{[^ ]+}} = %c1{{[^)]*}}) threads(%[[TID:[^,]+]], %{{[^,]+}}, %{{[^)]+}}) in (%{{[^ ]+}} = %c256, %{{[^ ]+}} = %c1{{[^,]*}}, %{{[^ ]+}} = %c1{{[^)]*}}) function(@attn_layer_norm_kernel) workgroup(%[[S:[^ ]+]] : memref<256xf32, #gpu.address_space<workgroup>>)
// CHECK:           scf.if
// CHECK:             %[[SUM:.+]] = scf.for %{{.+}} = %[[TID]] to %{{.+}} step %c256{{.*}} iter_args
// CHECK:               memref.load %[[XB]]
// CHECK:               arith.addf
// CHECK:             memref.store %[[SUM]], %[[S]][%[[TID]]]
// CHECK:             gpu.barrier
// CHECK-COUNT-8:     gpu.barrier
// CHECK:             memref.load %[[S]]
// CHECK:             gpu.barrier
// CHECK:             %[[MEAN:.+]] = arith.divf
// CHECK:             scf.for
// CHECK:               arith.subf %{{.+}}, %[[MEAN]]
// CHECK:               math.fma
// CHECK-COUNT-9:     gpu.barrier
// CHECK:             math.sqrt
// CHECK:             scf.for
// CHECK:               memref.load %[[GB]]
// CHECK:               memref.load %[[BB]]
// CHECK:               memref.store %{{.+}}, %[[OUT]]
// CHECK:         bufferization.to_tensor %[[OUT]] restrict writable
// CHECK-NOT:     attn.layer_norm
func.func @layer_norm(%x: tensor<?x?x256xf32>, %g: tensor<256xf32>, %b: tensor<256xf32>) -> tensor<?x?x256xf32> {
  %y = attn.layer_norm %x, %g, %b {epsilon = 1.0e-05 : f32}
      : (tensor<?x?x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<?x?x256xf32>
  return %y : tensor<?x?x256xf32>
}

// -----

// Narrow rows get a block of 32 threads (one warp), not 256.
// CHECK-LABEL: func.func @narrow(
// CHECK:         gpu.launch {{.*}} threads({{.*}}) in (%{{[^ ]+}} = %c32, {{.*}} workgroup(%{{.+}} : memref<32xf32, #gpu.address_space<workgroup>>)
func.func @narrow(%x: tensor<4x10xf32>, %g: tensor<10xf32>, %b: tensor<10xf32>) -> tensor<4x10xf32> {
  %y = attn.layer_norm %x, %g, %b
      : (tensor<4x10xf32>, tensor<10xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  return %y : tensor<4x10xf32>
}

// -----

// negative: not f32; left to convert-attn-to-linalg.
// CHECK-LABEL: func.func @negative_f16(
// CHECK-NOT:     gpu.launch
// CHECK:         attn.layer_norm
func.func @negative_f16(%x: tensor<2x8xf16>, %g: tensor<8xf16>, %b: tensor<8xf16>) -> tensor<2x8xf16> {
  %y = attn.layer_norm %x, %g, %b
      : (tensor<2x8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  return %y : tensor<2x8xf16>
}
