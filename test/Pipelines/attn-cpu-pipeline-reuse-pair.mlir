// A map used by two applies (a reuse group of two layers), through the CPU
// pipeline to buffers. The map feeds applies only, so it stays
// unnormalised: the scores' query blocks write their rows of the map (p)
// and their row sums (l) in place, and multiply p by the first values
// straight into their rows of the first apply's result (a subview of the
// forall's output), then divide those rows by l in place, right after the
// product (attn-vectorize-contractions divides before it stores); no
// copies. The second apply reads the whole map and divides its product by
// l too.
// RUN: attn-opt %s --attn-cpu-pipeline=stop-after=bufferized | FileCheck %s \
// RUN:   --implicit-check-not=memref.copy

// CHECK-LABEL: func.func @forward(
// CHECK:         %[[MAP:.+]] = memref.alloc(%{{.+}}, %{{.+}}) {{.*}} : memref<1x2x?x?xf32>
// CHECK:         %[[SUMS:.+]] = memref.alloc(%{{.+}}) {{.*}} : memref<1x2x?x1xf32>
// CHECK:         %[[OUT:.+]] = memref.alloc(%{{.+}}) {{.*}} : memref<1x2x?x8xf32>
// CHECK:         scf.forall (%[[H:.+]], %[[I:.+]]) = (0, 0) to (2, %{{.+}}) step (1, 64)
// CHECK:           %[[LS:.+]] = memref.subview %[[SUMS]][0, %[[H]], %[[I]], 0]
// CHECK:           %[[DEST:.+]] = memref.subview %[[OUT]][0, %[[H]], %[[I]], 0]
// CHECK:           %[[L:.+]] = memref.collapse_shape %[[LS]] {{\[}}[0], [1], [2, 3]]
// CHECK:           %[[ROWS:.+]] = memref.subview %[[MAP]][0, %[[H]], %[[I]], 0]
// CHECK:           linalg.generic {{.+}} outs(%[[ROWS]], %[[L]] :
// CHECK:             math.exp
// CHECK:           %[[P3:.+]] = memref.collapse_shape %[[ROWS]] {{\[}}
// CHECK:           %[[ACC:.+]] = memref.collapse_shape %[[DEST]] {{\[}}
// CHECK:           linalg.fill ins(%{{.+}} : f32) outs(%[[ACC]] :
// CHECK:           linalg.batch_matmul ins(%[[P3]], %{{.+}} : {{.+}}) outs(%[[ACC]] :
// CHECK:           %[[L2:.+]] = memref.collapse_shape %[[L]] {{\[}}
// CHECK:           linalg.generic {{.+}} ins(%[[L2]] : {{.+}}) outs(%[[ACC]] :
// CHECK:             arith.divf
// CHECK:         }
// CHECK:         %[[MAP3:.+]] = memref.collapse_shape %[[MAP]] {{\[}}
// CHECK:         %[[PROD:.+]] = memref.alloc
// CHECK:         linalg.batch_matmul ins(%[[MAP3]], %{{.+}} : {{.+}}) outs(%[[PROD]] :
// CHECK:         %[[L3:.+]] = memref.collapse_shape %[[SUMS]] {{\[}}
// CHECK:         linalg.generic {{.+}} ins(%[[L3]] : {{.+}}) outs(%[[PROD]] :
// CHECK:           arith.divf
func.func @forward(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>, %v: tensor<1x2x?x8xf32>, %v2: tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32> {
  %map = attn.scores %q, %k : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>) -> tensor<1x2x?x?xf32>
  %o = attn.apply %map, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  %o2 = attn.apply %map, %v2 : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  %s = arith.addf %o, %o2 : tensor<1x2x?x8xf32>
  return %s : tensor<1x2x?x8xf32>
}
