// RUN: attn-opt %s --split-input-file --attn-interchange-for-vectorization | FileCheck %s

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
// The output's innermost dim n, contiguous in w and absent from x, becomes
// the innermost loop; the reduction moves out.
// CHECK-DAG: #[[X:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @matmul(
// CHECK:         linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "reduction", "parallel"]}
func.func @matmul(%x: memref<?x32xf32>, %w: memref<32x64xf32>, %y: memref<?x64xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x32xf32>, memref<32x64xf32>) outs(%y : memref<?x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#q = affine_map<(i, j, k) -> (i, k)>
#kk = affine_map<(i, j, k) -> (j, k)>
#s = affine_map<(i, j, k) -> (i, j)>
// negative: j is not contiguous in k[j, k]; the contiguous reduction stays
// innermost.
// CHECK-LABEL: func.func @negative_scores(
// CHECK:         iterator_types = ["parallel", "parallel", "reduction"]
func.func @negative_scores(%q: memref<8x16xf32>, %k: memref<8x16xf32>, %s: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [#q, #kk, #s], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<8x16xf32>, memref<8x16xf32>) outs(%s : memref<8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Named contractions are generalized first.
// CHECK-LABEL: func.func @named(
// CHECK-NOT:     linalg.matmul
// CHECK:         iterator_types = ["parallel", "reduction", "parallel"]
func.func @named(%x: memref<4x8xf32>, %w: memref<8x16xf32>, %y: memref<4x16xf32>) {
  linalg.matmul ins(%x, %w : memref<4x8xf32>, memref<8x16xf32>) outs(%y : memref<4x16xf32>)
  return
}
