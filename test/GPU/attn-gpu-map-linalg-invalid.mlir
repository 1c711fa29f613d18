// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg -verify-diagnostics

// The pass maps buffers, not tensors.
func.func @tensors(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  // expected-error @below {{attn-gpu-map-linalg runs after bufferization; this op still has tensor operands}}
  %y = linalg.fill ins(%zero : f32) outs(%x : tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----
// An output indexed by a reduction dimension has no owner thread.
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @output_on_reduction(%x: memref<4x4xf32>, %y: memref<4x4xf32>) {
  // expected-error @below {{cannot map this op to a GPU kernel: an output is indexed by a reduction dimension}}
  linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x4xf32>) outs(%y : memref<4x4xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  return
}
