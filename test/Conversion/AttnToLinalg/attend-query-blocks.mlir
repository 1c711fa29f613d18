// convert-attn-to-linalg{attend-query-block-size=N}: an attn.attend
// becomes an scf.forall over (batch, head, block of N queries), each block
// with its own online-softmax loop over its head's keys, which it reads
// transposed (transposed once, outside the forall). Numerics:
// test/Execution/attention.mlir.
//
// RUN: attn-opt %s -split-input-file \
// RUN:   --convert-attn-to-linalg=attend-query-block-size=32 \
// RUN:   | FileCheck %s --implicit-check-not=attn.
// RUN: not attn-opt %s -split-input-file \
// RUN:   --convert-attn-to-linalg=attend-query-block-size=-1 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NEGATIVE-SIZE
// NEGATIVE-SIZE: 'attend-query-block-size' must not be negative but is -1

// Tq = 100 in blocks of 32 (the last one 4 queries), causal: the query
// block's offset enters the causal test beside the key block's; p and its
// row sum come from one generic (one exp per score).
// CHECK-DAG:   #[[$MIN:.+]] = affine_map<(d0) -> (32, -d0 + 100)>
// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[$ROW:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @causal_query_blocks(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x100x16xf32>, %[[K:[^:]+]]: tensor<1x2x128x16xf32>, %[[V:[^:]+]]: tensor<1x2x128x8xf32>)
// CHECK:         %[[KT:.+]] = linalg.transpose ins(%[[K]] : tensor<1x2x128x16xf32>) outs(%{{.+}} : tensor<1x2x16x128xf32>) permutation = [0, 1, 3, 2]
// CHECK:         %[[FORALL:.+]] = scf.forall (%[[B:.+]], %[[H:.+]], %[[I:.+]]) = (0, 0, 0) to (1, 2, 100) step (1, 1, 32) shared_outs(%[[OUT:.+]] = %{{.+}}) -> (tensor<1x2x100x8xf32>)
// CHECK:           %[[LEN:.+]] = affine.min #[[$MIN]](%[[I]])
// CHECK:           %[[QS:.+]] = tensor.extract_slice %[[Q]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], 16] [1, 1, 1, 1]
// CHECK:           %[[QB:.+]] = tensor.collapse_shape %[[QS]] {{\[}}[0, 1], [2], [3]] : tensor<1x1x?x16xf32> into tensor<1x?x16xf32>
// CHECK:           %[[KS:.+]] = tensor.extract_slice %[[KT]][%[[B]], %[[H]], 0, 0] [1, 1, 16, 128] [1, 1, 1, 1]
// CHECK:           %[[KH:.+]] = tensor.collapse_shape %[[KS]]
// CHECK:           %[[VS:.+]] = tensor.extract_slice %[[V]][%[[B]], %[[H]], 0, 0] [1, 1, 128, 8] [1, 1, 1, 1]
// CHECK:           %[[LOOP:.+]]:3 = scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(
// CHECK:             %[[KB:.+]] = tensor.extract_slice %[[KH]][0, 0, %[[J]]] [1, 16, 64] [1, 1, 1]
// CHECK:             linalg.batch_matmul ins(%[[QB]], %[[KB]] : tensor<1x?x16xf32>, tensor<1x16x64xf32>)
// CHECK:             linalg.generic
// CHECK:               %[[QI:.+]] = linalg.index 2
// CHECK:               %[[KI:.+]] = linalg.index 3
// CHECK:               %[[QPOS:.+]] = arith.addi %[[QI]], %[[I]]
// CHECK:               %[[KPOS:.+]] = arith.addi %[[KI]], %[[J]]
// CHECK:               arith.cmpi ule, %[[KPOS]], %[[QPOS]]
// CHECK:             linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK:               math.exp
// CHECK-NOT:           math.exp
// CHECK:               arith.addf
// CHECK:               linalg.yield
// CHECK:             linalg.batch_matmul
// CHECK:             scf.yield
// CHECK:           %[[RES:.+]] = linalg.generic
// CHECK:           scf.forall.in_parallel
// CHECK:             tensor.parallel_insert_slice %[[RES]] into %[[OUT]][%[[B]], %[[H]], %[[I]], 0] [1, 1, %[[LEN]], 8] [1, 1, 1, 1]
// CHECK:         return %[[FORALL]]
func.func @causal_query_blocks(%q: tensor<1x2x100x16xf32>, %k: tensor<1x2x128x16xf32>, %v: tensor<1x2x128x8xf32>) -> tensor<1x2x100x8xf32> {
  %o = attn.attend %q, %k, %v causal
      : (tensor<1x2x100x16xf32>, tensor<1x2x128x16xf32>, tensor<1x2x128x8xf32>) -> tensor<1x2x100x8xf32>
  return %o : tensor<1x2x100x8xf32>
}

// -----

// A mask [Tq, Tk]: each query block reads its rows of it, and each key
// block the columns of those.
// CHECK-LABEL: func.func @masked_query_blocks(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<100x128xi1>)
// CHECK:         scf.forall (%{{.+}}, %{{.+}}, %[[I:.+]]) = (0, 0, 0) to (1, 2, 100) step (1, 1, 32)
// CHECK:           %[[LEN:.+]] = affine.min
// CHECK:           %[[ROWS:.+]] = tensor.extract_slice %[[M]][%[[I]], 0] [%[[LEN]], 128] [1, 1]
// CHECK:           scf.for %[[J:[^ ]+]] =
// CHECK:             tensor.extract_slice %[[ROWS]][0, %[[J]]] [%[[LEN]], 64] [1, 1]
func.func @masked_query_blocks(%q: tensor<1x2x100x16xf32>, %k: tensor<1x2x128x16xf32>, %v: tensor<1x2x128x8xf32>, %m: tensor<100x128xi1>) -> tensor<1x2x100x8xf32> {
  %o = attn.attend %q, %k, %v mask(%m)
      : (tensor<1x2x100x16xf32>, tensor<1x2x128x16xf32>, tensor<1x2x128x8xf32>, tensor<100x128xi1>) -> tensor<1x2x100x8xf32>
  return %o : tensor<1x2x100x8xf32>
}

// -----

// A key-padding mask broadcasts over the queries: no query slice, only the
// key block's columns.
// CHECK-LABEL: func.func @key_padding_query_blocks(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<1x1x1x128xi1>)
// CHECK:         scf.forall
// CHECK-NOT:       tensor.extract_slice %[[M]][0, 0, %
// CHECK:           scf.for %[[J:[^ ]+]] =
// CHECK:             tensor.extract_slice %[[M]][0, 0, 0, %[[J]]] [1, 1, 1, 64] [1, 1, 1, 1]
func.func @key_padding_query_blocks(%q: tensor<1x2x100x16xf32>, %k: tensor<1x2x128x16xf32>, %v: tensor<1x2x128x8xf32>, %m: tensor<1x1x1x128xi1>) -> tensor<1x2x100x8xf32> {
  %o = attn.attend %q, %k, %v mask(%m)
      : (tensor<1x2x100x16xf32>, tensor<1x2x128x16xf32>, tensor<1x2x128x8xf32>, tensor<1x1x1x128xi1>) -> tensor<1x2x100x8xf32>
  return %o : tensor<1x2x100x8xf32>
}

// -----

// A mask per (batch, head) and a dynamic batch and Tq: the forall runs over
// all of them, and each block reads its head's rows of the mask in one slice.
// CHECK-LABEL: func.func @head_mask_query_blocks(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x2x?x16xf32>, %{{[^:]+}}: tensor<?x2x128x16xf32>, %{{[^:]+}}: tensor<?x2x128x8xf32>, %[[M:[^:]+]]: tensor<?x2x?x128xi1>)
// CHECK-DAG:     %[[B:.+]] = tensor.dim %[[Q]], %c0
// CHECK-DAG:     %[[T:.+]] = tensor.dim %[[Q]], %c2
// CHECK:         scf.forall (%[[BI:.+]], %[[HI:.+]], %[[I:.+]]) = (0, 0, 0) to (%[[B]], 2, %[[T]]) step (1, 1, 32)
// CHECK:           %[[LEN:.+]] = affine.min
// CHECK:           %[[ROWS:.+]] = tensor.extract_slice %[[M]][%[[BI]], %[[HI]], %[[I]], 0] [1, 1, %[[LEN]], 128] [1, 1, 1, 1]
// CHECK:           scf.for %[[J:[^ ]+]] =
// CHECK:             tensor.extract_slice %[[ROWS]][0, 0, 0, %[[J]]] [1, 1, %[[LEN]], 64] [1, 1, 1, 1]
func.func @head_mask_query_blocks(%q: tensor<?x2x?x16xf32>, %k: tensor<?x2x128x16xf32>, %v: tensor<?x2x128x8xf32>, %m: tensor<?x2x?x128xi1>) -> tensor<?x2x?x8xf32> {
  %o = attn.attend %q, %k, %v mask(%m)
      : (tensor<?x2x?x16xf32>, tensor<?x2x128x16xf32>, tensor<?x2x128x8xf32>, tensor<?x2x?x128xi1>) -> tensor<?x2x?x8xf32>
  return %o : tensor<?x2x?x8xf32>
}
