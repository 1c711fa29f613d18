// RUN: attn-opt %s --attn-decompose-aggregates | FileCheck %s \
// RUN:   --implicit-check-not=linalg.softmax

// linalg.softmax (which convert-linalg-to-loops leaves alone) becomes the
// generics it stands for: max, subtract + exp, sum, divide.
// CHECK-LABEL: func.func @softmax(
// CHECK:         linalg.fill
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           arith.maxnumf
// CHECK:         linalg.generic
// CHECK:           arith.subf
// CHECK:           math.exp
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK:           arith.divf
func.func @softmax(%x: tensor<2x?x8xf32>) -> tensor<2x?x8xf32> {
  %c1 = arith.constant 1 : index
  %t = tensor.dim %x, %c1 : tensor<2x?x8xf32>
  %init = tensor.empty(%t) : tensor<2x?x8xf32>
  %y = linalg.softmax dimension(2) ins(%x : tensor<2x?x8xf32>) outs(%init : tensor<2x?x8xf32>) -> tensor<2x?x8xf32>
  return %y : tensor<2x?x8xf32>
}
