// RUN: attn-opt %s --split-input-file --attn-vectorize-transposes \
// RUN:   | FileCheck %s
// RUN: attn-opt %s --split-input-file \
// RUN:   --attn-vectorize-transposes=parallel=true | FileCheck %s --check-prefix=PAR
// Numerics (ragged and dynamic sizes through the CPU pipeline):
// test/Execution/attention.mlir and test/Execution/softmax-special-values.test.

// Keys [B, H, Tk, dk] to [B, H, dk, Tk] with static sizes that tiles fill:
// per tile 16 row loads, the 16x16 transpose as shuffles of rows (16
// unpacks of 32-bit lanes, 16 of 64-bit lanes, 32 of 128-bit lanes), 16 row
// stores into rows j.. of the output at column i; nothing left over.
// CHECK-LABEL: func.func @whole_tiles(
// CHECK-SAME:    %[[IN:.+]]: memref<1x2x32x64xf32>, %[[OUT:.+]]: memref<1x2x64x32xf32>)
// CHECK-NOT:     linalg.transpose
// CHECK:         scf.for %[[B:[^ ]+]] = %{{.+}} to %c1{{.*}} step %c1
// CHECK:           scf.for %[[H:[^ ]+]] = %{{.+}} to %c2{{.*}} step %c1
// CHECK:             scf.for %[[I:[^ ]+]] = %{{.+}} to %c32{{.*}} step %c16
// CHECK:               scf.for %[[J:[^ ]+]] = %{{.+}} to %c64{{.*}} step %c16
// CHECK:                 %[[R0:.+]] = vector.load %[[IN]][%[[B]], %[[H]], %[[I]], %[[J]]] : memref<1x2x32x64xf32>, vector<16xf32>
// CHECK-COUNT-15:        vector.load %[[IN]]
// CHECK:                 vector.shuffle %[[R0]], %{{.+}} [0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29] : vector<16xf32>, vector<16xf32>
// CHECK-NEXT:            vector.shuffle %[[R0]], %{{.+}} [2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31]
// CHECK-COUNT-62:        vector.shuffle
// CHECK-NOT:             vector.shuffle
// CHECK:                 vector.store %{{.+}}, %[[OUT]][%[[B]], %[[H]], %[[J]], %[[I]]] : memref<1x2x64x32xf32>, vector<16xf32>
// CHECK-COUNT-15:        vector.store %{{.+}}, %[[OUT]]
// CHECK-NOT:     vector.transpose
// CHECK-NOT:     linalg.transpose
// PAR-LABEL:   func.func @whole_tiles(
// PAR:           scf.parallel (%{{.+}}, %{{.+}}, %{{.+}}) = (%c0, %c0, %c0) to (%c1{{.*}}, %c2, %c32) step (%c1, %c1, %c16)
// PAR:             scf.for %{{.+}} = %c0 to %c64{{.*}} step %c16
// PAR-NOT:       linalg.transpose
// PAR:           return
func.func @whole_tiles(%in: memref<1x2x32x64xf32>, %out: memref<1x2x64x32xf32>) {
  linalg.transpose ins(%in : memref<1x2x32x64xf32>) outs(%out : memref<1x2x64x32xf32>) permutation = [0, 1, 3, 2]
  return
}

// -----

// A dynamic Tk (the tiles stop at Tk - Tk mod 16) and a ragged dk = 20:
// what tiles do not cover stays a linalg.transpose on subviews, the rows
// below the last whole tile (every column), then the last 4 columns of the
// tiled rows.
// CHECK-LABEL: func.func @ragged(
// CHECK-SAME:    %[[IN:.+]]: memref<3x?x20xf32>, %[[OUT:.+]]: memref<3x20x?xf32>)
// CHECK:         %[[T:.+]] = memref.dim %[[IN]], %c1
// CHECK:         %[[REM:.+]] = arith.remui %[[T]], %c16
// CHECK:         %[[TILED:.+]] = arith.subi %[[T]], %[[REM]]
// CHECK:         scf.for %{{.+}} = %{{.+}} to %c3{{.*}} step %c1
// CHECK:           scf.for %{{.+}} = %{{.+}} to %[[TILED]] step %c16
// CHECK:             scf.for %{{.+}} = %{{.+}} to %c16{{.*}} step %c16
// CHECK-COUNT-16:      vector.load
// CHECK-COUNT-16:      vector.store
// CHECK:         %[[LEFT:.+]] = arith.subi %[[T]], %[[TILED]]
// CHECK:         %[[ROWS_IN:.+]] = memref.subview %[[IN]][0, %[[TILED]], 0] [3, %[[LEFT]], 20] [1, 1, 1]
// CHECK:         %[[ROWS_OUT:.+]] = memref.subview %[[OUT]][0, 0, %[[TILED]]] [3, 20, %[[LEFT]]] [1, 1, 1]
// CHECK:         linalg.transpose ins(%[[ROWS_IN]] : {{.+}}) outs(%[[ROWS_OUT]] : {{.+}}) permutation = [0, 2, 1]
// CHECK:         %[[COLS_IN:.+]] = memref.subview %[[IN]][0, 0, 16] [3, %[[TILED]], 4] [1, 1, 1]
// CHECK:         %[[COLS_OUT:.+]] = memref.subview %[[OUT]][0, 16, 0] [3, 4, %[[TILED]]] [1, 1, 1]
// CHECK:         linalg.transpose ins(%[[COLS_IN]] : {{.+}}) outs(%[[COLS_OUT]] : {{.+}}) permutation = [0, 2, 1]
func.func @ragged(%in: memref<3x?x20xf32>, %out: memref<3x20x?xf32>) {
  linalg.transpose ins(%in : memref<3x?x20xf32>) outs(%out : memref<3x20x?xf32>) permutation = [0, 2, 1]
  return
}

// -----

// The keys' head split and transpose in one (what canonicalization makes
// of the two): [B, T, H, dk] to [B, H, dk, T]. The tiles run over T (the
// output's innermost dim) and dk (the input's); the loops over B and H
// come first, in the output's order. The ragged T's last rows stay a
// transpose of the same permutation on subviews.
// CHECK-LABEL: func.func @split_keys(
// CHECK-SAME:    %[[IN:.+]]: memref<1x?x4x64xf32>, %[[OUT:.+]]: memref<1x4x64x?xf32>)
// CHECK:         %[[T:.+]] = memref.dim %[[IN]], %c1
// CHECK:         %[[TILED:.+]] = arith.subi %[[T]], %{{.+}}
// CHECK:         scf.for %[[B:[^ ]+]] = %{{.+}} to %c1{{.*}} step %c1
// CHECK:           scf.for %[[H:[^ ]+]] = %{{.+}} to %c4{{.*}} step %c1
// CHECK:             scf.for %[[I:[^ ]+]] = %{{.+}} to %[[TILED]] step %c16
// CHECK:               scf.for %[[J:[^ ]+]] = %{{.+}} to %c64{{.*}} step %c16
// CHECK:                 vector.load %[[IN]][%[[B]], %[[I]], %[[H]], %[[J]]] : memref<1x?x4x64xf32>, vector<16xf32>
// CHECK:                 vector.shuffle
// CHECK:                 vector.store %{{.+}}, %[[OUT]][%[[B]], %[[H]], %[[J]], %[[I]]] : memref<1x4x64x?xf32>, vector<16xf32>
// CHECK:         %[[LEFT:.+]] = arith.subi %[[T]], %[[TILED]]
// CHECK:         %[[ROWS_IN:.+]] = memref.subview %[[IN]][0, %[[TILED]], 0, 0] [1, %[[LEFT]], 4, 64] [1, 1, 1, 1]
// CHECK:         %[[ROWS_OUT:.+]] = memref.subview %[[OUT]][0, 0, 0, %[[TILED]]] [1, 4, 64, %[[LEFT]]] [1, 1, 1, 1]
// CHECK:         linalg.transpose ins(%[[ROWS_IN]] : {{.+}}) outs(%[[ROWS_OUT]] : {{.+}}) permutation = [0, 2, 3, 1]
// CHECK-NOT:     linalg.transpose
func.func @split_keys(%in: memref<1x?x4x64xf32>, %out: memref<1x4x64x?xf32>) {
  linalg.transpose ins(%in : memref<1x?x4x64xf32>) outs(%out : memref<1x4x64x?xf32>) permutation = [0, 2, 3, 1]
  return
}

// -----

// Left alone: a transpose that keeps the innermost dim (attn-vectorize-rows
// copies its rows), f64 elements, an operand whose innermost dim is
// strided, and a head of 8 that fills no tile.
// CHECK-LABEL: func.func @not_tiles(
// CHECK-COUNT-4: linalg.transpose
// CHECK-NOT:     vector.
func.func @not_tiles(%a: memref<2x3x16xf32>, %b: memref<3x2x16xf32>,
                     %c: memref<2x16x16xf64>, %d: memref<2x16x16xf64>,
                     %e: memref<16x16xf32, strided<[1, 16]>>, %f: memref<16x16xf32>,
                     %g: memref<2x?x8xf32>, %h: memref<2x8x?xf32>) {
  linalg.transpose ins(%a : memref<2x3x16xf32>) outs(%b : memref<3x2x16xf32>) permutation = [1, 0, 2]
  linalg.transpose ins(%c : memref<2x16x16xf64>) outs(%d : memref<2x16x16xf64>) permutation = [0, 2, 1]
  linalg.transpose ins(%e : memref<16x16xf32, strided<[1, 16]>>) outs(%f : memref<16x16xf32>) permutation = [1, 0]
  linalg.transpose ins(%g : memref<2x?x8xf32>) outs(%h : memref<2x8x?xf32>) permutation = [0, 2, 1]
  return
}
