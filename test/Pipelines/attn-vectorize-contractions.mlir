// RUN: attn-opt %s --split-input-file --attn-vectorize-contractions | FileCheck %s
// RUN: attn-opt %s --split-input-file --attn-vectorize-contractions=parallel=true \
// RUN:   | FileCheck %s --check-prefix=PAR
// RUN: attn-opt %s --split-input-file "--attn-vectorize-contractions=parallel=true threads=2" \
// RUN:   | FileCheck %s --check-prefix=THREADS

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
// y[t, n] += x[t, k] * w[k, n] with n = 64: blocks of 96 rows; per column
// tile, a loop over the block's tiles of 4 rows x 4 vectors, the tile carried
// through the k loop; then 2-row tiles and single rows for the rest of a
// dynamic T.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME:    %[[X:.+]]: memref<?x32xf32>, %[[W:.+]]: memref<32x64xf32>, %[[Y:.+]]: memref<?x64xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         arith.remui
// CHECK:         %[[END:[a-z0-9_]+]] = arith.subi
// CHECK:         scf.for %[[B:[a-z0-9_]+]] = %{{[a-z0-9_]+}} to %[[END]] step %c96{{.*}}
// CHECK:           %[[BEND:.+]] = arith.minui
// CHECK:           scf.for %{{[a-z0-9_]+}} = %{{[a-z0-9_]+}} to %c64{{.*}} step %c64
// CHECK:             scf.for %[[T:[a-z0-9_]+]] = %[[B]] to %[[BEND]] step %c4
// CHECK-COUNT-16:      vector.load %[[Y]]
// CHECK:               %{{.+}}:16 = scf.for %[[K:[a-z0-9_]+]] = %{{[a-z0-9_]+}} to %c32 step %{{.+}} iter_args(
// CHECK-COUNT-4:         vector.load %[[W]][%[[K]], %{{.+}}] : memref<32x64xf32>, vector<16xf32>
// CHECK:                 memref.load %[[X]][%[[T]], %[[K]]]
// CHECK:                 vector.broadcast
// CHECK-COUNT-4:         vector.fma
// CHECK:                 scf.yield
// CHECK-COUNT-16:      vector.store
// CHECK:         arith.remui
// CHECK:         %[[HALF:.+]] = arith.subi
// CHECK:         scf.for
// CHECK:           scf.for %{{[a-z0-9_]+}} = %[[END]] to %[[HALF]] step %c2{{.*}}
// CHECK-COUNT-8:     vector.load %[[Y]]
// CHECK:         scf.for
// CHECK:           scf.for %{{[a-z0-9_]+}} = %[[HALF]] to
// CHECK-COUNT-4:     vector.load %[[Y]]
// CHECK-NOT:     vector.maskedload
// PAR:           scf.parallel
// PAR:             scf.for
// PAR:               vector.fma
// With threads=2: one parallel iteration per thread, each over the blocks
// of its share (ceil(tiles / 2) tiles of 4 rows); the last thread also
// takes the rows that do not fill a tile.
// THREADS-LABEL: func.func @matmul(
// THREADS:         scf.parallel (%[[T:.+]]) = (%{{.+}}) to (%c2{{.*}}) step (%c1{{.*}})
// THREADS:           %[[TILES:.+]] = arith.divui %{{.+}}, %c4
// THREADS:           %[[HALF:.+]] = arith.ceildivui %[[TILES]], %c2
// THREADS:           %[[SHARE:.+]] = arith.muli %[[HALF]], %c4
// THREADS:           arith.muli %[[T]], %[[SHARE]]
// THREADS:           scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c96
// THREADS:             scf.for
// THREADS:               scf.for
// THREADS:                 vector.fma
// THREADS:           %[[LAST:.+]] = arith.cmpi eq, %[[T]], %c1
// THREADS:           scf.if %[[LAST]]
// THREADS:             scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c2
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

#q = affine_map<(h, i, j, k) -> (h, i, k)>
#kk = affine_map<(h, i, j, k) -> (h, j, k)>
#s = affine_map<(h, i, j, k) -> (h, i, j)>
// q k^T reads B contiguously along the reduction, not along the output
// columns: the kernel reads a transposed copy of B (allocated, filled by a
// linalg.transpose, freed after the tiles); 8 keys are one masked vector.
// CHECK-LABEL: func.func @scores_transposed_keys(
// CHECK-SAME:    %{{.+}}: memref<2x8x16xf32>, %[[K:.+]]: memref<2x8x16xf32>, %[[S:.+]]: memref<2x8x8xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         %[[KT:.+]] = memref.alloc() {alignment = 64 : i64} : memref<2x16x8xf32>
// CHECK:         linalg.transpose ins(%[[K]] : memref<2x8x16xf32>) outs(%[[KT]] : memref<2x16x8xf32>) permutation = [0, 2, 1]
// CHECK:         vector.create_mask
// CHECK:         vector.maskedload %[[KT]]
// CHECK:         vector.fma
// CHECK:         memref.dealloc %[[KT]]
// With threads=2, the batch dim (the heads) joins the threads' shares in
// one parallel loop: one fork and join for the whole batch.
// THREADS-LABEL: func.func @scores_transposed_keys(
// THREADS:         scf.parallel (%{{.+}}, %{{.+}}) = (%c0{{.*}}, %c0{{.*}}) to (%c2{{.*}}, %c2{{.*}}) step (%c1{{.*}}, %c1{{.*}})
// THREADS-NOT:     scf.parallel
// THREADS:         memref.dealloc
func.func @scores_transposed_keys(%q: memref<2x8x16xf32>, %k: memref<2x8x16xf32>, %s: memref<2x8x8xf32>) {
  linalg.generic {indexing_maps = [#q, #kk, #s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<2x8x16xf32>, memref<2x8x16xf32>) outs(%s : memref<2x8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
// 24 columns: no full tile of 4 vectors; two masked vectors (16 and 8
// lanes) of the ragged tail.
// CHECK-LABEL: func.func @ragged_columns(
// CHECK-SAME:    %{{.+}}: memref<?x32xf32>, %[[W:.+]]: memref<32x24xf32>, %[[Y:.+]]: memref<?x24xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         scf.for %[[C:[a-z0-9_]+]] = %{{.+}} to %c24{{.*}} step %c16
// CHECK:           %[[LEFT:.+]] = arith.subi %c24{{.*}}, %[[C]]
// CHECK:           %[[MASK:.+]] = vector.create_mask %[[LEFT]] : vector<16xi1>
// CHECK:           scf.for
// CHECK-COUNT-4:     vector.maskedload %[[Y]][%{{.+}}, %[[C]]], %[[MASK]]
// CHECK:             scf.for
// CHECK:               vector.maskedload %[[W]][%{{.+}}, %[[C]]], %[[MASK]]
// CHECK-COUNT-4:       vector.fma
// CHECK-COUNT-4:     vector.maskedstore %[[Y]][%{{.+}}, %[[C]]], %[[MASK]]
func.func @ragged_columns(%x: memref<?x32xf32>, %w: memref<32x24xf32>, %y: memref<?x24xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x32xf32>, memref<32x24xf32>) outs(%y : memref<?x24xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
// A dynamic column dim (q k^T with transposed keys in a flash block): full
// tiles of 4 vectors up to the last multiple of 64, masked vectors after.
// CHECK-LABEL: func.func @dynamic_columns(
// CHECK-SAME:    %{{.+}}: memref<?x64xf32>, %[[KT:.+]]: memref<64x?xf32>, %[[S:.+]]: memref<?x?xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         %[[N0:.+]] = memref.dim %[[KT]], %c1
// CHECK:         %[[N:.+]] = arith.subi %[[N0]], %c0
// CHECK:         %[[NREM:.+]] = arith.remui %[[N]], %c64
// CHECK:         %[[NMAIN:.+]] = arith.subi %[[N]], %[[NREM]]
// CHECK:         scf.for %{{.+}} = %{{.+}} to %[[NMAIN]] step %c64
// CHECK:           scf.for
// CHECK-COUNT-16:    vector.load %[[S]]
// CHECK:         scf.for %{{.+}} = %[[NMAIN]] to %[[N]] step %c16
// CHECK:           vector.create_mask
// CHECK:           scf.for
// CHECK:             vector.maskedload %[[S]]
func.func @dynamic_columns(%q: memref<?x64xf32>, %kt: memref<64x?xf32>, %s: memref<?x?xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %kt : memref<?x64xf32>, memref<64x?xf32>) outs(%s : memref<?x?xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
// A bias broadcast right before the contraction that writes all of y: the
// tiles start from the bias vectors (one load per column vector, shared by
// the tile's rows) instead of storing y and loading it back, and the
// broadcast is gone.
// CHECK-LABEL: func.func @bias_init(
// CHECK-SAME:    %[[X:.+]]: memref<?x32xf32>, %[[W:.+]]: memref<32x64xf32>, %[[BIAS:.+]]: memref<64xf32>, %[[Y:.+]]: memref<?x64xf32>)
// CHECK-NOT:     linalg.broadcast
// CHECK:         scf.for %{{[a-z0-9_]+}} = %{{[a-z0-9_]+}} to %{{.+}} step %c4
// CHECK-COUNT-4:   vector.load %[[BIAS]]
// CHECK-NOT:       vector.load %[[Y]]
// CHECK:           scf.for
// CHECK-COUNT-16:  vector.store %{{.+}}, %[[Y]]
func.func @bias_init(%x: memref<?x32xf32>, %w: memref<32x64xf32>, %bias: memref<64xf32>, %y: memref<?x64xf32>) {
  linalg.broadcast ins(%bias : memref<64xf32>) outs(%y : memref<?x64xf32>) dimensions = [0]
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

#q = affine_map<(z, i, j, d) -> (z, i, d)>
#k = affine_map<(z, i, j, d) -> (z, d, j)>
#s = affine_map<(z, i, j, d) -> (z, i, j)>
// A zero fill right before the contraction: the accumulators start as a
// broadcast of the fill value and the fill is gone. A fill of another
// buffer (negative) stays.
// CHECK-LABEL: func.func @fill_init(
// CHECK-SAME:    %{{.+}}: memref<2x8x16xf32>, %{{.+}}: memref<2x16x32xf32>, %[[S:.+]]: memref<2x8x32xf32>, %[[OTHER:.+]]: memref<4xf32>)
// CHECK:         linalg.fill ins(%{{.+}} : f32) outs(%[[OTHER]] : memref<4xf32>)
// CHECK-NOT:     linalg.fill
// CHECK:         %[[ZERO:.+]] = vector.broadcast %{{.+}} : f32 to vector<16xf32>
// CHECK-NOT:     vector.load %[[S]]
// CHECK:         scf.for {{.*}} iter_args(%{{.+}} = %[[ZERO]]
func.func @fill_init(%q: memref<2x8x16xf32>, %kt: memref<2x16x32xf32>, %s: memref<2x8x32xf32>, %other: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%other : memref<4xf32>)
  linalg.fill ins(%zero : f32) outs(%s : memref<2x8x32xf32>)
  linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %kt : memref<2x8x16xf32>, memref<2x16x32xf32>) outs(%s : memref<2x8x32xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %c, %m : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Inside a parallel loop (a query block of attention), the contraction's
// row blocks stay an scf.for even with parallel=true: the threads share the
// outer loop, and shares per thread would read B once per share.
#x = affine_map<(i, j, k) -> (i, k)>
#w = affine_map<(i, j, k) -> (k, j)>
#y = affine_map<(i, j, k) -> (i, j)>
// PAR-LABEL: func.func @in_forall(
// PAR:         scf.forall
// PAR-NOT:       scf.parallel
// PAR:           scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c96
// PAR:           vector.fma
// THREADS-LABEL: func.func @in_forall(
// THREADS:         scf.forall
// THREADS-NOT:       scf.parallel
// THREADS-NOT:       arith.ceildivui
// THREADS:           scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c96
func.func @in_forall(%x: memref<4x?x32xf32>, %w: memref<32x64xf32>, %y: memref<4x?x64xf32>) {
  scf.forall (%h) in (4) {
    %xs = memref.subview %x[%h, 0, 0] [1, 100, 32] [1, 1, 1] : memref<4x?x32xf32> to memref<100x32xf32, strided<[32, 1], offset: ?>>
    %ys = memref.subview %y[%h, 0, 0] [1, 100, 64] [1, 1, 1] : memref<4x?x64xf32> to memref<100x64xf32, strided<[64, 1], offset: ?>>
    linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%xs, %w : memref<100x32xf32, strided<[32, 1], offset: ?>>, memref<32x64xf32>) outs(%ys : memref<100x64xf32, strided<[64, 1], offset: ?>>) {
    ^bb0(%a: f32, %b: f32, %c: f32):
      %m = arith.mulf %a, %b : f32
      %s = arith.addf %c, %m : f32
      linalg.yield %s : f32
    }
  }
  return
}
