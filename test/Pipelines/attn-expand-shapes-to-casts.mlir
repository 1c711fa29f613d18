// RUN: attn-opt %s -split-input-file --attn-expand-shapes-to-casts | FileCheck %s

// [B*T, D] -> [B, T, D] with B and T dynamic (which crashes MLIR 22.1's
// expand-strided-metadata) is the reinterpret_cast it stands for.
// CHECK-LABEL: func.func @two_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: memref<?x64xf32>, %[[B:[^:]+]]: index, %[[T:[^:]+]]: index)
// CHECK:         %[[S0:.+]] = arith.muli %[[T]], %{{.+}} : index
// CHECK:         %[[R:.+]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [%[[B]], %[[T]], 64], strides: [%[[S0]], 64, 1] : memref<?x64xf32> to memref<?x?x64xf32>
// CHECK:         return %[[R]]
func.func @two_dynamic(%x: memref<?x64xf32>, %b: index, %t: index) -> memref<?x?x64xf32> {
  %e = memref.expand_shape %x [[0, 1], [2]] output_shape [%b, %t, 64] : memref<?x64xf32> into memref<?x?x64xf32>
  return %e : memref<?x?x64xf32>
}

// -----
// negative_: one dynamic size per group is handled upstream.
// CHECK-LABEL: func.func @negative_one_dynamic(
// CHECK:         memref.expand_shape
// CHECK-NOT:     memref.reinterpret_cast
func.func @negative_one_dynamic(%x: memref<?x64xf32>, %t: index) -> memref<2x?x64xf32> {
  %e = memref.expand_shape %x [[0, 1], [2]] output_shape [2, %t, 64] : memref<?x64xf32> into memref<2x?x64xf32>
  return %e : memref<2x?x64xf32>
}
