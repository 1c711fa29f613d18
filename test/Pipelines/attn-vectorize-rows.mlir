// RUN: attn-opt %s --split-input-file --attn-vectorize-rows | FileCheck %s
// RUN: attn-opt %s --split-input-file --attn-vectorize-rows=parallel=true \
// RUN:   | FileCheck %s --check-prefix=PAR
// RUN: attn-opt %s --split-input-file --attn-vectorize-rows=reductions=false \
// RUN:   | FileCheck %s --check-prefix=NORED

#id = affine_map<(b, t, k) -> (b, t, k)>
#row = affine_map<(b, t, k) -> (b, t)>
// The row maxima of scaled scores over 128 static keys: the scale is
// applied on vectors, 4 accumulators start at -inf and take 64 keys per
// step; after the loop they are combined, reduced across the lanes by 4
// shuffles and combined with the output's value.
// CHECK-LABEL: func.func @row_max(
// CHECK-SAME:    %[[S:.+]]: memref<2x?x128xf32>, %[[M:.+]]: memref<2x?xf32>)
// CHECK-NOT:     linalg.generic
// CHECK:         scf.for %[[B:.+]] = %{{.+}} to %{{.+}} step
// CHECK:           scf.for %[[T:.+]] = %{{.+}} to %{{.+}} step
// CHECK:             %[[NEGINF:.+]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK:             %[[ACC:.+]]:4 = scf.for %[[K:.+]] = %{{.+}} to %c128{{.*}} step %c64{{.*}} iter_args(%[[A0:.+]] = %[[NEGINF]], %[[A1:.+]] = %[[NEGINF]], %{{.+}} = %[[NEGINF]], %{{.+}} = %[[NEGINF]])
// CHECK:               %[[V0:.+]] = vector.load %[[S]][%[[B]], %[[T]], %[[K]]] : memref<2x?x128xf32>, vector<16xf32>
// CHECK:               %[[SCALED:.+]] = arith.mulf %[[V0]], %{{.+}} : vector<16xf32>
// CHECK:               arith.maximumf %[[A0]], %[[SCALED]] : vector<16xf32>
// CHECK:               %[[K16:.+]] = arith.addi %[[K]], %c16
// CHECK:               vector.load %[[S]][%[[B]], %[[T]], %[[K16]]]
// CHECK-COUNT-2:       vector.load %[[S]]
// CHECK:               scf.yield
// CHECK:             %[[P0:.+]] = arith.maximumf %[[ACC]]#0, %[[ACC]]#1 : vector<16xf32>
// CHECK:             %[[P1:.+]] = arith.maximumf %[[ACC]]#2, %[[ACC]]#3 : vector<16xf32>
// CHECK:             %[[ALL:.+]] = arith.maximumf %[[P0]], %[[P1]] : vector<16xf32>
// CHECK:             vector.shuffle %[[ALL]], %[[ALL]] [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]
// CHECK-COUNT-3:     vector.shuffle
// CHECK:             %[[LANES:.+]] = vector.extract %{{.+}}[0] : f32 from vector<16xf32>
// CHECK:             %[[OLD:.+]] = memref.load %[[M]][%[[B]], %[[T]]]
// CHECK:             %[[NEW:.+]] = arith.maximumf %[[OLD]], %[[LANES]] : f32
// CHECK:             memref.store %[[NEW]], %[[M]][%[[B]], %[[T]]]
// CHECK-NOT:     vector.maskedload
// The rows go to the threads as one scf.parallel.
// PAR-LABEL: func.func @row_max(
// PAR:         scf.parallel (%{{.+}}, %{{.+}}) =
// PAR:           scf.for
// PAR:             vector.load
// reductions=false leaves reductions to convert-linalg-to-loops.
// NORED-LABEL: func.func @row_max(
// NORED:         linalg.generic
func.func @row_max(%s: memref<2x?x128xf32>, %m: memref<2x?xf32>) {
  %scale = arith.constant 0.125 : f32
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%s : memref<2x?x128xf32>) outs(%m : memref<2x?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = arith.mulf %in, %scale : f32
    %r = arith.maximumf %out, %x : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#id = affine_map<(t, k) -> (t, k)>
#row = affine_map<(t, k) -> (t)>
// exp(s - m) stored element-wise and summed, over a dynamic number of keys:
// the row's m is loaded once, as a scalar, and broadcast; after the main
// loop of 64 keys a step, the keys left run a vector at a time, masked:
// masked loads, a masked store of p, the idle lanes add 0.
// CHECK-LABEL: func.func @exp_and_sum(
// CHECK-SAME:    %[[S:[^:]+]]: memref<?x?xf32>, %[[M:[^:]+]]: memref<?xf32>, %[[P:[^:]+]]: memref<?x?xf32>, %[[L:[^:]+]]: memref<?xf32>)
// CHECK:         scf.for %[[T:.+]] = %{{.+}} to %{{.+}} step
// CHECK:           %[[MAX:.+]] = memref.load %[[M]][%[[T]]] : memref<?xf32>
// CHECK:           %[[REM:.+]] = arith.remui %[[N:.+]], %c64
// CHECK:           %[[MAIN:.+]] = arith.subi %[[N]], %[[REM]]
// CHECK:           %[[ACC:.+]]:4 = scf.for %[[K:.+]] = %{{.+}} to %[[MAIN]] step %c64
// CHECK:             %[[X:.+]] = vector.load %[[S]][%[[T]], %[[K]]]
// CHECK:             %[[MAXV:.+]] = vector.broadcast %[[MAX]] : f32 to vector<16xf32>
// CHECK:             %[[D:.+]] = arith.subf %[[X]], %[[MAXV]] : vector<16xf32>
// CHECK:             %[[E:.+]] = math.exp %[[D]] : vector<16xf32>
// CHECK:             vector.store %[[E]], %[[P]][%[[T]], %[[K]]]
// CHECK:             arith.addf %{{.+}}, %[[E]] : vector<16xf32>
// CHECK:           scf.for %[[K2:.+]] = %[[MAIN]] to %[[N]] step %c16{{.*}} iter_args(%[[A:.+]] = %{{.+}})
// CHECK:             %[[LEFT:.+]] = arith.subi %[[N]], %[[K2]]
// CHECK:             %[[MASK:.+]] = vector.create_mask %[[LEFT]] : vector<16xi1>
// CHECK:             vector.maskedload %[[S]][%[[T]], %[[K2]]], %[[MASK]]
// CHECK:             %[[E2:.+]] = math.exp
// CHECK:             vector.maskedstore %[[P]][%[[T]], %[[K2]]], %[[MASK]], %[[E2]]
// CHECK:             %[[KEEP:.+]] = arith.select %[[MASK]], %[[E2]], %{{.+}} : vector<16xi1>, vector<16xf32>
// CHECK:             arith.addf %[[A]], %[[KEEP]] : vector<16xf32>
// CHECK:           vector.shuffle
// CHECK:           %[[L0:.+]] = memref.load %[[L]][%[[T]]]
// CHECK:           arith.addf %[[L0]], %{{.+}} : f32
func.func @exp_and_sum(%s: memref<?x?xf32>, %m: memref<?xf32>, %p: memref<?x?xf32>, %l: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%s, %m : memref<?x?xf32>, memref<?xf32>) outs(%p, %l : memref<?x?xf32>, memref<?xf32>) {
  ^bb0(%x: f32, %max: f32, %out: f32, %sum: f32):
    %d = arith.subf %x, %max : f32
    %e = math.exp %d : f32
    %r = arith.addf %sum, %e : f32
    linalg.yield %e, %r : f32, f32
  }
  return
}

// -----

#acc = affine_map<(h, t, d) -> (h, t, d)>
#alpha = affine_map<(h, t, d) -> (h, t)>
// An element-wise map along the innermost loop (acc *= alpha of its row):
// one vector a step, the output read and written as vectors. With
// reductions=false it is vectorized all the same.
// CHECK-LABEL: func.func @rescale(
// CHECK-SAME:    %[[ALPHA:[^:]+]]: memref<4x?xf32>, %[[ACC:[^:]+]]: memref<4x?x64xf32>)
// CHECK:         scf.for %[[H:.+]] = %{{.+}} to %{{.+}} step
// CHECK:           scf.for %[[T:.+]] = %{{.+}} to %{{.+}} step
// CHECK:             %[[A:.+]] = memref.load %[[ALPHA]][%[[H]], %[[T]]]
// CHECK:             scf.for %[[D:.+]] = %{{.+}} to %c64{{.*}} step %c16
// CHECK:               %[[V:.+]] = vector.load %[[ACC]][%[[H]], %[[T]], %[[D]]]
// CHECK:               %[[AV:.+]] = vector.broadcast %[[A]]
// CHECK:               %[[R:.+]] = arith.mulf %[[V]], %[[AV]] : vector<16xf32>
// CHECK:               vector.store %[[R]], %[[ACC]][%[[H]], %[[T]], %[[D]]]
// NORED-LABEL: func.func @rescale(
// NORED-NOT:     linalg.generic
// NORED:         vector.store
func.func @rescale(%alpha: memref<4x?xf32>, %acc: memref<4x?x64xf32>) {
  linalg.generic {indexing_maps = [#alpha, #acc], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%alpha : memref<4x?xf32>) outs(%acc : memref<4x?x64xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.mulf %out, %a : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// The head split [T, H, d] -> [H, T, d] keeps d innermost: it copies whole
// vectors. A transpose that moves the innermost dim is left alone.
// CHECK-LABEL: func.func @transposes(
// CHECK-SAME:    %[[X:[^:]+]]: memref<?x4x64xf32>, %[[Y:[^:]+]]: memref<4x?x64xf32>, %[[Z:[^:]+]]: memref<4x64x?xf32>)
// CHECK:         scf.for %[[H:.+]] = %{{.+}} to %{{.+}} step
// CHECK:           scf.for %[[T:.+]] = %{{.+}} to %{{.+}} step
// CHECK:             scf.for %[[D:.+]] = %{{.+}} to %c64{{.*}} step %c16
// CHECK:               %[[V:.+]] = vector.load %[[X]][%[[T]], %[[H]], %[[D]]]
// CHECK:               vector.store %[[V]], %[[Y]][%[[H]], %[[T]], %[[D]]]
// CHECK:         linalg.transpose ins(%[[Y]] : memref<4x?x64xf32>) outs(%[[Z]] : memref<4x64x?xf32>) permutation = [0, 2, 1]
func.func @transposes(%x: memref<?x4x64xf32>, %y: memref<4x?x64xf32>, %z: memref<4x64x?xf32>) {
  linalg.transpose ins(%x : memref<?x4x64xf32>) outs(%y : memref<4x?x64xf32>) permutation = [1, 0, 2]
  linalg.transpose ins(%y : memref<4x?x64xf32>) outs(%z : memref<4x64x?xf32>) permutation = [0, 2, 1]
  return
}

// -----

#id = affine_map<(i, j) -> (i, j)>
// The positions along the vectorized loop are a vector.step plus the
// vector's first position (a causal mask: key j <= query i).
// CHECK-LABEL: func.func @causal(
// CHECK:         scf.for %[[I:.+]] = %{{.+}} to %{{.+}} step
// CHECK:           scf.for %[[J:.+]] = %{{.+}} to %c32{{.*}} step %c16
// CHECK:             %[[STEP:.+]] = vector.step : vector<16xindex>
// CHECK:             %[[J0:.+]] = vector.broadcast %[[J]] : index to vector<16xindex>
// CHECK:             %[[POS:.+]] = arith.addi %[[STEP]], %[[J0]] : vector<16xindex>
// CHECK:             %[[IV:.+]] = vector.broadcast %[[I]] : index to vector<16xindex>
// CHECK:             %[[KEEP:.+]] = arith.cmpi ule, %[[POS]], %[[IV]] : vector<16xindex>
// CHECK:             arith.select %[[KEEP]], %{{.+}}, %{{.+}} : vector<16xi1>, vector<16xf32>
func.func @causal(%s: memref<?x32xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%s : memref<?x32xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %keep = arith.cmpi ule, %j, %i : index
    %r = arith.select %keep, %out, %ninf : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#id = affine_map<(t, k) -> (t, k)>
#col = affine_map<(t, k) -> (k, t)>
#row = affine_map<(t, k) -> (t)>
// Left to convert-linalg-to-loops: an operand strided along the loop, a
// row of fewer than 16 static elements, a non-f32 operand, a reduction
// whose accumulator is read twice, and a strided layout.
// CHECK-LABEL: func.func @negatives(
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT:     vector.
func.func @negatives(%a: memref<?x?xf32>, %b: memref<?x8xf32>, %c: memref<?x?xi32>, %r: memref<?xf32>,
                     %s: memref<?x?xf32, strided<[1, ?]>>) {
  linalg.generic {indexing_maps = [#col, #row], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<?x?xf32>) outs(%r : memref<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = arith.addf %out, %in : f32
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%b : memref<?x8xf32>) outs(%r : memref<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = arith.addf %out, %in : f32
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%c : memref<?x?xi32>) outs(%r : memref<?xf32>) {
  ^bb0(%in: i32, %out: f32):
    %f = arith.sitofp %in : i32 to f32
    %x = arith.addf %out, %f : f32
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<?x?xf32>) outs(%r : memref<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = arith.addf %out, %in : f32
    %y = arith.mulf %x, %out : f32
    linalg.yield %y : f32
  }
  linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%s : memref<?x?xf32, strided<[1, ?]>>) outs(%r : memref<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = arith.addf %out, %in : f32
    linalg.yield %x : f32
  }
  return
}
