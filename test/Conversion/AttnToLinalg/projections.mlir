// convert-attn-to-linalg on the projections in and out of the head layout:
// attn.project, attn.head_embed, attn.merge. Numerics: test/Execution.
//
// RUN: attn-opt %s -split-input-file --convert-attn-to-linalg \
// RUN:   | FileCheck %s --implicit-check-not=attn.

// One GEMM over B*T positions into the broadcast bias, then the head split.
// CHECK-LABEL: func.func @project_bias_dynamic(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?x8xf32>, %[[W:.+]]: tensor<8x6xf32>, %[[B:.+]]: tensor<6xf32>)
// CHECK-DAG:     %[[BATCH:.+]] = tensor.dim %[[X]], %c0
// CHECK-DAG:     %[[LEN:.+]] = tensor.dim %[[X]], %c1
// CHECK:         %[[ROWS:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x?x8xf32> into tensor<?x8xf32>
// CHECK:         %[[INIT:.+]] = tensor.empty(%{{.+}}) : tensor<?x6xf32>
// CHECK:         %[[BIAS:.+]] = linalg.broadcast ins(%[[B]] : tensor<6xf32>) outs(%[[INIT]] : tensor<?x6xf32>) dimensions = [0]
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[ROWS]], %[[W]] : tensor<?x8xf32>, tensor<8x6xf32>) outs(%[[BIAS]] : tensor<?x6xf32>)
// CHECK:         %[[SPLIT:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2, 3]] output_shape [%[[BATCH]], %[[LEN]], 2, 3] : tensor<?x6xf32> into tensor<?x?x2x3xf32>
// CHECK:         %[[OUT:.+]] = tensor.empty(%[[BATCH]], %[[LEN]]) : tensor<?x2x?x3xf32>
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[SPLIT]] : tensor<?x?x2x3xf32>) outs(%[[OUT]] : tensor<?x2x?x3xf32>) permutation = [0, 2, 1, 3]
// CHECK:         return %[[T]] : tensor<?x2x?x3xf32>
func.func @project_bias_dynamic(%x: tensor<?x?x8xf32>, %w: tensor<8x6xf32>, %b: tensor<6xf32>) -> tensor<?x2x?x3xf32> {
  %q = attn.project %x, %w bias(%b) heads(2)
      : (tensor<?x?x8xf32>, tensor<8x6xf32>, tensor<6xf32>) -> tensor<?x2x?x3xf32>
  return %q : tensor<?x2x?x3xf32>
}

// -----
// Without a bias the GEMM accumulates into zeros.
// CHECK-LABEL: func.func @project_no_bias(
// CHECK-SAME:      %[[X:.+]]: tensor<2x5x8xf32>, %[[W:.+]]: tensor<8x8xf32>)
// CHECK:         %[[ROWS:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<2x5x8xf32> into tensor<10x8xf32>
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<10x8xf32>)
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[ROWS]], %[[W]] : tensor<10x8xf32>, tensor<8x8xf32>) outs(%[[FILL]] : tensor<10x8xf32>)
// CHECK:         %[[SPLIT:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2, 3]] output_shape [2, 5, 4, 2] : tensor<10x8xf32> into tensor<2x5x4x2xf32>
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[SPLIT]] : tensor<2x5x4x2xf32>) outs(%{{.+}} : tensor<2x4x5x2xf32>) permutation = [0, 2, 1, 3]
// CHECK:         return %[[T]]
func.func @project_no_bias(%x: tensor<2x5x8xf32>, %w: tensor<8x8xf32>) -> tensor<2x4x5x2xf32> {
  %q = attn.project %x, %w heads(4) : (tensor<2x5x8xf32>, tensor<8x8xf32>) -> tensor<2x4x5x2xf32>
  return %q : tensor<2x4x5x2xf32>
}

// -----
// A dynamic projection width: d = width / H is computed at run time.
// CHECK-DAG:   #[[$DIV:.+]] = affine_map<()[s0] -> (s0 floordiv 4)>
// CHECK-LABEL: func.func @project_dynamic_width(
// CHECK-SAME:      %[[X:.+]]: tensor<1x3x8xf32>, %[[W:.+]]: tensor<8x?xf32>)
// CHECK:         %[[WIDTH:.+]] = tensor.dim %[[W]], %c1
// CHECK:         %[[MM:.+]] = linalg.matmul
// CHECK:         %[[D:.+]] = affine.apply #[[$DIV]]()[%[[WIDTH]]]
// CHECK:         tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2, 3]] output_shape [1, 3, 4, %[[D]]] : tensor<3x?xf32> into tensor<1x3x4x?xf32>
// CHECK:         linalg.transpose
func.func @project_dynamic_width(%x: tensor<1x3x8xf32>, %w: tensor<8x?xf32>) -> tensor<1x4x3x?xf32> {
  %q = attn.project %x, %w heads(4) : (tensor<1x3x8xf32>, tensor<8x?xf32>) -> tensor<1x4x3x?xf32>
  return %q : tensor<1x4x3x?xf32>
}

// -----
// MHE add: one generic broadcasting p over heads and e over batch and positions.
// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[$P:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG:   #[[$E:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func.func @head_embed_add(
// CHECK-SAME:      %[[P:.+]]: tensor<?x?x16xf32>, %[[E:.+]]: tensor<4x16xf32>)
// CHECK:         %[[INIT:.+]] = tensor.empty(%{{.+}}, %{{.+}}) : tensor<?x4x?x16xf32>
// CHECK:         %[[G:.+]] = linalg.generic {indexing_maps = [#[[$P]], #[[$E]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME:        ins(%[[P]], %[[E]] : tensor<?x?x16xf32>, tensor<4x16xf32>) outs(%[[INIT]] : tensor<?x4x?x16xf32>)
// CHECK:         ^bb0(%[[A:.+]]: f32, %[[B:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[SUM:.+]] = arith.addf %[[A]], %[[B]] : f32
// CHECK:           linalg.yield %[[SUM]] : f32
// CHECK:         return %[[G]]
func.func @head_embed_add(%p: tensor<?x?x16xf32>, %e: tensor<4x16xf32>) -> tensor<?x4x?x16xf32> {
  %q = attn.head_embed %p, %e mode(add) : (tensor<?x?x16xf32>, tensor<4x16xf32>) -> tensor<?x4x?x16xf32>
  return %q : tensor<?x4x?x16xf32>
}

// -----
// MHE mul multiplies instead.
// CHECK-LABEL: func.func @head_embed_mul(
// CHECK:         linalg.generic
// CHECK:           %[[PROD:.+]] = arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK:           linalg.yield %[[PROD]] : f32
func.func @head_embed_mul(%p: tensor<2x3x16xf32>, %e: tensor<4x16xf32>) -> tensor<2x4x3x16xf32> {
  %q = attn.head_embed %p, %e mode(mul) : (tensor<2x3x16xf32>, tensor<4x16xf32>) -> tensor<2x4x3x16xf32>
  return %q : tensor<2x4x3x16xf32>
}

// -----
// Heads back to [B, T, H*dv], one GEMM with wo into the broadcast bias.
// CHECK-LABEL: func.func @merge_bias_dynamic(
// CHECK-SAME:      %[[H:.+]]: tensor<?x4x?x8xf32>, %[[W:.+]]: tensor<32x16xf32>, %[[B:.+]]: tensor<16xf32>)
// CHECK-DAG:     %[[BATCH:.+]] = tensor.dim %[[H]], %c0
// CHECK-DAG:     %[[LEN:.+]] = tensor.dim %[[H]], %c2
// CHECK:         %[[INIT:.+]] = tensor.empty(%[[BATCH]], %[[LEN]]) : tensor<?x?x4x8xf32>
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[H]] : tensor<?x4x?x8xf32>) outs(%[[INIT]] : tensor<?x?x4x8xf32>) permutation = [0, 2, 1, 3]
// CHECK:         %[[ROWS:.+]] = tensor.collapse_shape %[[T]] {{\[}}[0, 1], [2, 3]] : tensor<?x?x4x8xf32> into tensor<?x32xf32>
// CHECK:         %[[BIAS:.+]] = linalg.broadcast ins(%[[B]] : tensor<16xf32>) outs(%{{.+}} : tensor<?x16xf32>) dimensions = [0]
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%[[ROWS]], %[[W]] : tensor<?x32xf32>, tensor<32x16xf32>) outs(%[[BIAS]] : tensor<?x16xf32>)
// CHECK:         %[[OUT:.+]] = tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2]] output_shape [%[[BATCH]], %[[LEN]], 16] : tensor<?x16xf32> into tensor<?x?x16xf32>
// CHECK:         return %[[OUT]]
func.func @merge_bias_dynamic(%h: tensor<?x4x?x8xf32>, %w: tensor<32x16xf32>, %b: tensor<16xf32>) -> tensor<?x?x16xf32> {
  %y = attn.merge %h, %w bias(%b) : (tensor<?x4x?x8xf32>, tensor<32x16xf32>, tensor<16xf32>) -> tensor<?x?x16xf32>
  return %y : tensor<?x?x16xf32>
}

// -----
// Without a bias: zeros; a result type more static than the operands gets a
// tensor.cast.
// CHECK-LABEL: func.func @merge_no_bias_cast(
// CHECK:         linalg.transpose
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[MM:.+]] = linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<?x32xf32>, tensor<32x?xf32>) outs(%[[FILL]] : tensor<?x?xf32>)
// CHECK:         %[[OUT:.+]] = tensor.expand_shape %[[MM]]
// CHECK:         %[[CAST:.+]] = tensor.cast %[[OUT]] : tensor<2x?x?xf32> to tensor<2x?x16xf32>
// CHECK:         return %[[CAST]]
func.func @merge_no_bias_cast(%h: tensor<2x4x?x8xf32>, %w: tensor<32x?xf32>) -> tensor<2x?x16xf32> {
  %y = attn.merge %h, %w : (tensor<2x4x?x8xf32>, tensor<32x?xf32>) -> tensor<2x?x16xf32>
  return %y : tensor<2x?x16xf32>
}
