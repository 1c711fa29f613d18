// convert-attn-to-linalg{scores-query-block-size=N}: attn.scores computes its
// map in an scf.forall over (batch, head, block of N queries) against keys
// transposed once (outside the forall), so that one block's scores and
// softmax stay in cache. Numerics: test/Execution/attention.mlir.
//
// RUN: attn-opt %s -split-input-file \
// RUN:   --convert-attn-to-linalg=scores-query-block-size=32 \
// RUN:   | FileCheck %s --implicit-check-not=attn.
// RUN: attn-opt %s -split-input-file --convert-attn-to-linalg \
// RUN:   | FileCheck %s --check-prefix=WHOLE --implicit-check-not=attn.
// RUN: not attn-opt %s -split-input-file \
// RUN:   --convert-attn-to-linalg=scores-query-block-size=-4 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NEGATIVE-SIZE
// NEGATIVE-SIZE: 'scores-query-block-size' must not be negative but is -4

// Tq = 100 in blocks of 32 (the last one 4 queries), causal with a mask
// [B, 1, Tq, Tk]: the block reads its rows of the mask, its query offset
// enters the causal test, and the block's softmax lands in its rows of the
// map: the row maximum, p with its row sum in one generic (one exp per
// logit; rows the mask empties are 0 with no pass after), p * (1 / sum).
// CHECK-DAG:   #[[$MIN:.+]] = affine_map<(d0) -> (32, -d0 + 100)>
// CHECK-LABEL: func.func @causal_masked_blocks(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x2x100x16xf32>, %[[K:[^:]+]]: tensor<2x2x128x16xf32>, %[[M:[^:]+]]: tensor<2x1x100x128xf32>)
// CHECK:         %[[KT:.+]] = linalg.transpose ins(%[[K]] : tensor<2x2x128x16xf32>) outs(%{{.+}} : tensor<2x2x16x128xf32>) permutation = [0, 1, 3, 2]
// CHECK:         %[[FORALL:.+]] = scf.forall (%[[B:.+]], %[[H:.+]], %[[I:.+]]) = (0, 0, 0) to (2, 2, 100) step (1, 1, 32) shared_outs(%[[OUT:.+]] = %{{.+}}) -> (tensor<2x2x100x128xf32>)
// CHECK:           %[[LEN:.+]] = affine.min #[[$MIN]](%[[I]])
// CHECK:           %[[QS:.+]] = tensor.extract_slice %[[Q]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], 16] [1, 1, 1, 1]
// CHECK:           %[[QB:.+]] = tensor.collapse_shape %[[QS]]
// CHECK:           %[[KS:.+]] = tensor.extract_slice %[[KT]][%[[B]], %[[H]], 0, 0] [1, 1, 16, 128] [1, 1, 1, 1]
// CHECK:           %[[KH:.+]] = tensor.collapse_shape %[[KS]]
// CHECK:           %[[MB:.+]] = tensor.extract_slice %[[M]][%[[B]], 0, %[[I]], 0] [1, 1, %[[LEN]], 128] [1, 1, 1, 1]
// CHECK:           linalg.batch_matmul ins(%[[QB]], %[[KH]] : tensor<1x?x16xf32>, tensor<1x16x128xf32>)
// CHECK:           linalg.generic
// CHECK-SAME:        ins(%{{.+}}, %[[MB]] :
// CHECK:             %[[QI:.+]] = linalg.index 2
// CHECK:             %[[KI:.+]] = linalg.index 3
// CHECK:             %[[QPOS:.+]] = arith.addi %[[QI]], %[[I]]
// CHECK:             arith.cmpi ule, %[[KI]], %[[QPOS]]
// CHECK:           linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK:             arith.maxnumf
// CHECK:           %[[PS:.+]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK:             %[[E:.+]] = math.exp
// CHECK:             %[[ACC:.+]] = arith.addf %{{.+}}, %[[E]]
// CHECK:             linalg.yield %[[E]], %[[ACC]]
// CHECK:           %[[NORM:.+]] = linalg.generic {{.*}} ins(%[[PS]]#1 : {{.*}} outs(%[[PS]]#0 :
// CHECK:             arith.mulf
// CHECK-NOT:       linalg.generic
// CHECK:           scf.forall.in_parallel
// CHECK:             tensor.parallel_insert_slice %[[NORM]] into %[[OUT]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], 128] [1, 1, 1, 1]
// CHECK:         return %[[FORALL]]
// WHOLE-LABEL: func.func @causal_masked_blocks(
// WHOLE-NOT:     scf.forall
// WHOLE-NOT:     linalg.transpose
// WHOLE:         linalg.batch_matmul
// WHOLE:         arith.maxnumf
func.func @causal_masked_blocks(%q: tensor<2x2x100x16xf32>, %k: tensor<2x2x128x16xf32>, %m: tensor<2x1x100x128xf32>) -> tensor<2x2x100x128xf32> {
  %map = attn.scores %q, %k mask(%m) causal
      : (tensor<2x2x100x16xf32>, tensor<2x2x128x16xf32>, tensor<2x1x100x128xf32>) -> tensor<2x2x100x128xf32>
  return %map : tensor<2x2x100x128xf32>
}

// -----

// Dynamic B and T: the forall runs to the dynamic B and Tq, and the block
// sizes come from tensor.dim.
// CHECK-DAG:   #[[$DMIN:.+]] = affine_map<(d0)[s0] -> (32, -d0 + s0)>
// CHECK-LABEL: func.func @dynamic_blocks(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x2x?x16xf32>
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK-NEXT:    %[[B:.+]] = tensor.dim %[[Q]], %[[C0]] : tensor<?x2x?x16xf32>
// CHECK:         %[[C2:.+]] = arith.constant 2 : index
// CHECK-NEXT:    %[[TQ:.+]] = tensor.dim %[[Q]], %[[C2]] : tensor<?x2x?x16xf32>
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %[[I:.+]]) = (0, 0, 0) to (%[[B]], 2, %[[TQ]]) step (1, 1, 32)
// CHECK:           affine.min #[[$DMIN]](%[[I]])[%[[TQ]]]
// CHECK:           math.exp
func.func @dynamic_blocks(%q: tensor<?x2x?x16xf32>, %k: tensor<?x2x?x16xf32>) -> tensor<?x2x?x?xf32> {
  %map = attn.scores %q, %k
      : (tensor<?x2x?x16xf32>, tensor<?x2x?x16xf32>) -> tensor<?x2x?x?xf32>
  return %map : tensor<?x2x?x?xf32>
}

// -----

// A map reused by two layers: its query blocks also compute the first
// attn.apply (its values are defined before the scores), from the block's
// rows of the map while they are in cache, as a third result of the
// forall. The product overwrites the block's rows of the forall's output
// (so that it is bufferized in place, not copied there). The map feeds only
// applies, so it stays unnormalised: the blocks write p and, as the
// second result, its row sums l; each apply divides its product by l,
// right after the batch matmul and before its result is expanded to heads.
// The second apply reads the whole map.
// CHECK-LABEL: func.func @reuse_pair(
// CHECK-SAME:      %{{[^:]+}}: tensor<1x2x?x16xf32>, %{{[^:]+}}: tensor<1x2x?x16xf32>, %[[V:[^:]+]]: tensor<1x2x?x8xf32>, %[[V2:[^:]+]]: tensor<1x2x?x8xf32>)
// CHECK:         %[[F:.+]]:3 = scf.forall (%[[B:.+]], %[[H:.+]], %[[I:.+]]) = (0, 0, 0) to (1, 2, %{{.+}}) step (1, 1, 32) shared_outs(%[[MAP:.+]] = %{{.+}}, %[[SUMS:.+]] = %{{.+}}, %[[OUT:.+]] = %{{.+}}) -> (tensor<1x2x?x?xf32>, tensor<1x2x?x1xf32>, tensor<1x2x?x8xf32>)
// CHECK:           %[[LEN:.+]] = affine.min
// CHECK:           %[[DEST:.+]] = tensor.extract_slice %[[OUT]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], 8] [1, 1, 1, 1]
// CHECK:           %[[P:.+]]:2 = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK:             math.exp
// CHECK:           %[[L4:.+]] = tensor.expand_shape %[[P]]#1 {{\[}}[0], [1], [2, 3]]
// CHECK:           %[[VS:.+]] = tensor.extract_slice %[[V]][%[[B]], %[[H]], 0, 0] [1, 1, %{{.+}}, 8] [1, 1, 1, 1]
// CHECK:           %[[VH:.+]] = tensor.collapse_shape %[[VS]]
// CHECK:           %[[P3:.+]] = tensor.collapse_shape %[[P]]#0
// CHECK:           %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[DEST]] : tensor<1x1x?x8xf32>)
// CHECK:           %[[ACC:.+]] = tensor.collapse_shape %[[ZERO]]
// CHECK:           %[[PV:.+]] = linalg.batch_matmul ins(%[[P3]], %[[VH]] : tensor<1x?x?xf32>, tensor<1x?x8xf32>) outs(%[[ACC]] :
// CHECK:           %[[L2:.+]] = tensor.collapse_shape %[[P]]#1 {{\[}}[0, 1], [2]]
// CHECK:           %[[PVN:.+]] = linalg.generic {{.+}} ins(%[[L2]] : tensor<1x?xf32>) outs(%[[PV]] : tensor<1x?x8xf32>)
// CHECK:             arith.divf
// CHECK:           %[[O1:.+]] = tensor.expand_shape %[[PVN]]
// CHECK:           scf.forall.in_parallel
// CHECK:             tensor.parallel_insert_slice %[[P]]#0 into %[[MAP]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], %{{.+}}]
// CHECK:             tensor.parallel_insert_slice %[[L4]] into %[[SUMS]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], 1]
// CHECK:             tensor.parallel_insert_slice %[[O1]] into %[[OUT]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], 8]
// CHECK:         %[[L:.+]] = tensor.collapse_shape %[[F]]#1 {{\[}}[0], [1], [2, 3]]
// CHECK:         %[[M3:.+]] = tensor.collapse_shape %[[F]]#0
// CHECK:         %[[V23:.+]] = tensor.collapse_shape %[[V2]]
// CHECK:         %[[O2:.+]] = linalg.batch_matmul ins(%[[M3]], %[[V23]] :
// CHECK:         %[[L2:.+]] = tensor.collapse_shape %[[L]] {{\[}}[0, 1], [2]]
// CHECK:         %[[O2N:.+]] = linalg.generic {{.+}} ins(%[[L2]] : tensor<2x?xf32>) outs(%[[O2]] : tensor<2x?x8xf32>)
// CHECK:           arith.divf
// CHECK:         %[[O24:.+]] = tensor.expand_shape %[[O2N]]
// CHECK:         return %[[F]]#2, %[[O24]]
// WHOLE-LABEL: func.func @reuse_pair(
// WHOLE-NOT:     scf.forall
// WHOLE-COUNT-3: linalg.batch_matmul
func.func @reuse_pair(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>, %v: tensor<1x2x?x8xf32>, %v2: tensor<1x2x?x8xf32>) -> (tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>) {
  %map = attn.scores %q, %k : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>) -> tensor<1x2x?x?xf32>
  %o = attn.apply %map, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  %o2 = attn.apply %map, %v2 : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o, %o2 : tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>
}

// -----

// Values computed after the scores: the forall cannot use them, and the
// apply stays a batch matmul of its own, of the unnormalised map, divided by
// the row sums afterwards.
// CHECK-LABEL: func.func @values_after_scores(
// CHECK:         %[[F:.+]]:2 = scf.forall ({{.+}}) shared_outs(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (tensor<1x2x?x?xf32>, tensor<1x2x?x1xf32>)
// CHECK-NOT:       linalg.batch_matmul ins(%{{.+}}, %{{.+}} : tensor<1x?x?xf32>, tensor<1x?x8xf32>)
// CHECK:           scf.forall.in_parallel
// CHECK:         %[[L:.+]] = tensor.collapse_shape %[[F]]#1
// CHECK:         linalg.batch_matmul ins(%{{.+}}, %{{.+}} : tensor<2x?x?xf32>, tensor<2x?x8xf32>)
// CHECK:         %[[L2:.+]] = tensor.collapse_shape %[[L]]
// CHECK:         linalg.generic {{.+}} ins(%[[L2]] : tensor<2x?xf32>)
func.func @values_after_scores(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>, %x: tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32> {
  %map = attn.scores %q, %k : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>) -> tensor<1x2x?x?xf32>
  %v = arith.addf %x, %x : tensor<1x2x?x8xf32>
  %o = attn.apply %map, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %o : tensor<1x2x?x8xf32>
}

// -----

// A map that is also returned stays normalised: the blocks divide their
// rows by l before the fused apply reads them, and no row sums are kept.
// CHECK-LABEL: func.func @map_returned_and_applied(
// CHECK:         %[[F:.+]]:2 = scf.forall ({{.+}}) shared_outs(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>)
// CHECK:           %[[P:.+]]:2 = linalg.generic
// CHECK:             math.exp
// CHECK:           %[[NORM:.+]] = linalg.generic {{.+}} ins(%[[P]]#1 : tensor<1x1x?xf32>) outs(%[[P]]#0 : tensor<1x1x?x?xf32>)
// CHECK:           %[[N3:.+]] = tensor.collapse_shape %[[NORM]]
// CHECK:           %[[PV:.+]] = linalg.batch_matmul ins(%[[N3]], %{{.+}} :
// CHECK-NOT:       linalg.generic
// CHECK:           scf.forall.in_parallel
// CHECK:         return %[[F]]#0, %[[F]]#1
func.func @map_returned_and_applied(%q: tensor<1x2x?x16xf32>, %k: tensor<1x2x?x16xf32>, %v: tensor<1x2x?x8xf32>) -> (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) {
  %map = attn.scores %q, %k : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>) -> tensor<1x2x?x?xf32>
  %o = attn.apply %map, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %map, %o : tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>
}
