// RUN: attn-opt %s --split-input-file --attn-split-shared-fills | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>
// Two contractions that overwrite one (CSE'd) zero fill each get their own
// fill, made just before them; the first keeps the original.
// CHECK-LABEL: func.func @two_destinations(
// CHECK:         %[[F0:.+]] = linalg.fill
// CHECK:         linalg.matmul {{.+}} outs(%[[F0]] :
// CHECK:         %[[F1:.+]] = linalg.fill
// CHECK:         linalg.matmul {{.+}} outs(%[[F1]] :
func.func @two_destinations(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m0 = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m1 = linalg.matmul ins(%b, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %m0, %m1 : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
// A fill that an op also reads keeps that reader; the destination gets a
// clone. A fill with one use is left alone.
// CHECK-LABEL: func.func @read_and_overwritten(
// CHECK:         %[[F0:.+]] = linalg.fill
// CHECK:         %[[F1:.+]] = linalg.fill
// CHECK-NEXT:    linalg.generic {{.+}} ins(%[[F0]] : {{.+}}) outs(%[[F1]] :
// CHECK:         %[[G:.+]] = linalg.fill
// CHECK-NEXT:    linalg.matmul {{.+}} outs(%[[G]] :
// CHECK-NOT:     linalg.fill
func.func @read_and_overwritten(%a: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%f : tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %v = arith.addf %x, %o : f32
    linalg.yield %v : f32
  } -> tensor<4x4xf32>
  %one = arith.constant 1.0 : f32
  %h = linalg.fill ins(%one : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m = linalg.matmul ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%h : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %g, %m : tensor<4x4xf32>, tensor<4x4xf32>
}
