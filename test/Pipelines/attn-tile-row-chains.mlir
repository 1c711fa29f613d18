// RUN: attn-opt %s --split-input-file --attn-tile-row-chains --canonicalize | FileCheck %s
// RUN: attn-opt %s --split-input-file --attn-tile-row-chains=rows=4 --canonicalize | FileCheck %s --check-prefix=ROWS4
// RUN: not attn-opt %s --split-input-file --attn-tile-row-chains=rows=0 2>&1 | FileCheck %s --check-prefix=ERR

// ERR: attn-tile-row-chains: rows must be at least 1, got 0

#row = affine_map<(t, n) -> (t, n)>
#stat = affine_map<(t, n) -> (t)>
#vec = affine_map<(t, n) -> (n)>
#id1 = affine_map<(t) -> (t)>

// A LayerNorm of a residual sum: the fill, both reductions, the means, the
// reciprocal deviations and the output all run in one loop over blocks of
// 8 rows, each op once (the means that two ops read too); nothing is left
// outside it.
// CHECK-LABEL: func.func @layer_norm(
// CHECK-NOT:     linalg.
// CHECK:         scf.forall (%[[R:.+]]) = (0) to (%{{.+}}) step (8) shared_outs(
// CHECK:           %[[FILL:.+]] = linalg.fill
// CHECK:           %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]}{{.+}} outs(%[[FILL]] :
// CHECK:             arith.addf
// CHECK:           %[[MEAN:.+]] = linalg.generic {{.+}} iterator_types = ["parallel"]} ins(%[[SUM]] :
// CHECK:             arith.divf
// CHECK:           %[[VAR:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins({{.+}}, %[[MEAN]] :{{.+}} outs(%[[FILL]] :
// CHECK:           %[[RSTD:.+]] = linalg.generic {{.+}} iterator_types = ["parallel"]} ins(%[[VAR]] :
// CHECK:             math.rsqrt
// CHECK-NOT:       linalg.fill
// CHECK-NOT:       iterator_types = ["parallel", "reduction"]
// CHECK:           linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} ins({{.+}}, %[[MEAN]], %[[RSTD]],
// CHECK:           tensor.parallel_insert_slice
// CHECK-NOT:     linalg.
// CHECK:         return
// ROWS4-LABEL: func.func @layer_norm(
// ROWS4:         scf.forall (%{{.+}}) = (0) to (%{{.+}}) step (4)
func.func @layer_norm(%x: tensor<?x16xf32>, %y: tensor<?x16xf32>,
                      %gamma: tensor<16xf32>, %beta: tensor<16xf32>) -> tensor<?x16xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 16.0 : f32
  %eps = arith.constant 1.0e-5 : f32
  %t = tensor.dim %x, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%t) : tensor<?xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.generic {indexing_maps = [#row, #row, #stat], iterator_types = ["parallel", "reduction"]}
      ins(%x, %y : tensor<?x16xf32>, tensor<?x16xf32>) outs(%fill : tensor<?xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %v = arith.addf %o, %s : f32
    linalg.yield %v : f32
  } -> tensor<?xf32>
  %mean = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%sum : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.divf %a, %n : f32
    linalg.yield %v : f32
  } -> tensor<?xf32>
  %var = linalg.generic {indexing_maps = [#row, #row, #stat, #stat], iterator_types = ["parallel", "reduction"]}
      ins(%x, %y, %mean : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?xf32>) outs(%fill : tensor<?xf32>) {
  ^bb0(%a: f32, %b: f32, %m: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %d = arith.subf %s, %m : f32
    %d2 = arith.mulf %d, %d : f32
    %v = arith.addf %o, %d2 : f32
    linalg.yield %v : f32
  } -> tensor<?xf32>
  %rstd = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%var : tensor<?xf32>) outs(%e : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.divf %a, %n : f32
    %p = arith.addf %m, %eps : f32
    %v = math.rsqrt %p : f32
    linalg.yield %v : f32
  } -> tensor<?xf32>
  %out0 = tensor.empty(%t) : tensor<?x16xf32>
  %out = linalg.generic {indexing_maps = [#row, #row, #stat, #stat, #vec, #vec, #row], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y, %mean, %rstd, %gamma, %beta : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?xf32>, tensor<?xf32>, tensor<16xf32>, tensor<16xf32>)
      outs(%out0 : tensor<?x16xf32>) {
  ^bb0(%a: f32, %b: f32, %m: f32, %r: f32, %g: f32, %bb: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %d = arith.subf %s, %m : f32
    %v = arith.mulf %d, %r : f32
    %w = arith.mulf %v, %g : f32
    %z = arith.addf %w, %bb : f32
    linalg.yield %z : f32
  } -> tensor<?x16xf32>
  return %out : tensor<?x16xf32>
}

// -----

#row = affine_map<(t, n) -> (t, n)>
#stat = affine_map<(t, n) -> (t)>
// Row sums that something else reads too stay outside, computed once, and
// the blocks read their slice; the sums of squares, which only the chain
// reads, move into the blocks.
// CHECK-LABEL: func.func @shared_sums(
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]}
// CHECK-NOT:     linalg.generic
// CHECK:         %[[OUT:.+]] = scf.forall
// CHECK:           tensor.extract_slice %[[SUM]]
// CHECK:           linalg.fill
// CHECK:           linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]}
// CHECK:             arith.mulf
// CHECK:           linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]}
// CHECK:         return %[[OUT]], %[[SUM]]
func.func @shared_sums(%x: tensor<?x16xf32>) -> (tensor<?x16xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %t = tensor.dim %x, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%t) : tensor<?xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %sum = linalg.generic {indexing_maps = [#row, #stat], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x16xf32>) outs(%fill : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.addf %o, %a : f32
    linalg.yield %v : f32
  } -> tensor<?xf32>
  %sq = linalg.generic {indexing_maps = [#row, #stat], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<?x16xf32>) outs(%fill : tensor<?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %a2 = arith.mulf %a, %a : f32
    %v = arith.addf %o, %a2 : f32
    linalg.yield %v : f32
  } -> tensor<?xf32>
  %out0 = tensor.empty(%t) : tensor<?x16xf32>
  %out = linalg.generic {indexing_maps = [#row, #stat, #stat, #row], iterator_types = ["parallel", "parallel"]}
      ins(%x, %sum, %sq : tensor<?x16xf32>, tensor<?xf32>, tensor<?xf32>) outs(%out0 : tensor<?x16xf32>) {
  ^bb0(%a: f32, %s: f32, %q: f32, %o: f32):
    %v = arith.divf %a, %s : f32
    %w = arith.mulf %v, %q : f32
    linalg.yield %w : f32
  } -> tensor<?x16xf32>
  return %out, %sum : tensor<?x16xf32>, tensor<?xf32>
}

// -----

#row = affine_map<(t, n) -> (t, n)>
// No reduction in the chain (an activation after a matrix product): no
// blocks, and the contraction keeps its kernel.
// CHECK-LABEL: func.func @activation(
// CHECK-NOT:     scf.forall
// CHECK:         linalg.matmul
// CHECK:         linalg.generic
// CHECK-NOT:     scf.forall
func.func @activation(%x: tensor<?x16xf32>, %w: tensor<16x16xf32>, %init: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %mm = linalg.matmul ins(%x, %w : tensor<?x16xf32>, tensor<16x16xf32>) outs(%init : tensor<?x16xf32>) -> tensor<?x16xf32>
  %act = linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<?x16xf32>) outs(%init : tensor<?x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = math.tanh %a : f32
    linalg.yield %v : f32
  } -> tensor<?x16xf32>
  return %act : tensor<?x16xf32>
}

// -----

#row3 = affine_map<(b, t, n) -> (b, t, n)>
#stat3 = affine_map<(b, t, n) -> (b, t)>
// [B, T, D]: blocks of 8 rows of one batch entry; a chain already in a loop
// (a query block) is left alone.
// CHECK-LABEL: func.func @batched(
// CHECK:         scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (%{{.+}}, %{{.+}}) step (1, 8)
// CHECK:         scf.forall (%{{.+}}) in (2)
// CHECK-NOT:       scf.forall
// CHECK:           iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT:       scf.forall
// CHECK:           iterator_types = ["parallel", "parallel", "parallel"]
// ROWS4-LABEL: func.func @batched(
// ROWS4:         scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (%{{.+}}, %{{.+}}) step (1, 4)
func.func @batched(%x: tensor<?x?x16xf32>, %z: tensor<2x4x16xf32>) -> (tensor<?x?x16xf32>, tensor<2x4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %b = tensor.dim %x, %c0 : tensor<?x?x16xf32>
  %t = tensor.dim %x, %c1 : tensor<?x?x16xf32>
  %e = tensor.empty(%b, %t) : tensor<?x?xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e : tensor<?x?xf32>) -> tensor<?x?xf32>
  %sum = linalg.generic {indexing_maps = [#row3, #stat3], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x : tensor<?x?x16xf32>) outs(%fill : tensor<?x?xf32>) {
  ^bb0(%a: f32, %o: f32):
    %v = arith.addf %o, %a : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  %out0 = tensor.empty(%b, %t) : tensor<?x?x16xf32>
  %out = linalg.generic {indexing_maps = [#row3, #stat3, #row3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %sum : tensor<?x?x16xf32>, tensor<?x?xf32>) outs(%out0 : tensor<?x?x16xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %v = arith.subf %a, %s : f32
    linalg.yield %v : f32
  } -> tensor<?x?x16xf32>
  %blocks = scf.forall (%i) in (2) shared_outs(%acc = %z) -> (tensor<2x4x16xf32>) {
    %blk = tensor.extract_slice %z[%i, 0, 0] [1, 4, 16] [1, 1, 1] : tensor<2x4x16xf32> to tensor<1x4x16xf32>
    %se = tensor.empty() : tensor<1x4xf32>
    %sf = linalg.fill ins(%zero : f32) outs(%se : tensor<1x4xf32>) -> tensor<1x4xf32>
    %s = linalg.generic {indexing_maps = [#row3, #stat3], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%blk : tensor<1x4x16xf32>) outs(%sf : tensor<1x4xf32>) {
    ^bb0(%a: f32, %o: f32):
      %v = arith.addf %o, %a : f32
      linalg.yield %v : f32
    } -> tensor<1x4xf32>
    %oe = tensor.empty() : tensor<1x4x16xf32>
    %o = linalg.generic {indexing_maps = [#row3, #stat3, #row3], iterator_types = ["parallel", "parallel", "parallel"]}
        ins(%blk, %s : tensor<1x4x16xf32>, tensor<1x4xf32>) outs(%oe : tensor<1x4x16xf32>) {
    ^bb0(%a: f32, %ss: f32, %oo: f32):
      %v = arith.subf %a, %ss : f32
      linalg.yield %v : f32
    } -> tensor<1x4x16xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %o into %acc[%i, 0, 0] [1, 4, 16] [1, 1, 1] : tensor<1x4x16xf32> into tensor<2x4x16xf32>
    }
  }
  return %out, %blocks : tensor<?x?x16xf32>, tensor<2x4x16xf32>
}
