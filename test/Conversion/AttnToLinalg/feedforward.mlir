// convert-attn-to-linalg on the feed-forward ops: attn.layer_norm, attn.ffn,
// attn.seq_mlp, attn.head_seq_mlp. Numerics: test/Execution.
//
// RUN: attn-opt %s -split-input-file --convert-attn-to-linalg \
// RUN:   | FileCheck %s --implicit-check-not=attn.

// Mean, biased variance (second pass over x - mean), 1/sqrt(var + eps),
// then the affine part; N is a constant for a static last dim.
// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$ROW:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG:   #[[$PARAM:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf32>, %[[G:[^:]+]]: tensor<64xf32>, %[[BETA:[^:]+]]: tensor<64xf32>)
// CHECK:         %[[N:.+]] = arith.constant 6.400000e+01 : f32
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<?x?x64xf32>)
// CHECK:           arith.addf
// CHECK:         %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x?xf32>)
// CHECK:           arith.divf %{{.+}}, %[[N]] : f32
// CHECK:         %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[MEAN]] : tensor<?x?x64xf32>, tensor<?x?xf32>)
// CHECK:           %[[C:.+]] = arith.subf
// CHECK:           %[[C2:.+]] = arith.mulf %[[C]], %[[C]] : f32
// CHECK:           arith.addf %{{.+}}, %[[C2]] : f32
// CHECK:         %[[EPS:.+]] = arith.constant 9.99999974E-6 : f32
// CHECK:         %[[INV:.+]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<?x?xf32>)
// CHECK:           %[[VAR:.+]] = arith.divf %{{.+}}, %[[N]] : f32
// CHECK:           %[[SHIFTED:.+]] = arith.addf %[[VAR]], %[[EPS]] : f32
// CHECK:           math.rsqrt %[[SHIFTED]] : f32
// CHECK:         %[[OUT:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]], #[[$PARAM]], #[[$PARAM]], #[[$ID]]], {{.*}}} ins(%[[X]], %[[MEAN]], %[[INV]], %[[G]], %[[BETA]] :
// CHECK:         ^bb0(%[[XV:.+]]: f32, %[[MV:.+]]: f32, %[[IV:.+]]: f32, %[[GV:.+]]: f32, %[[BV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[CENTER:.+]] = arith.subf %[[XV]], %[[MV]] : f32
// CHECK:           %[[NORM:.+]] = arith.mulf %[[CENTER]], %[[IV]] : f32
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[NORM]], %[[GV]] : f32
// CHECK:           %[[Y:.+]] = arith.addf %[[SCALED]], %[[BV]] : f32
// CHECK:           linalg.yield %[[Y]] : f32
// CHECK:         return %[[OUT]] : tensor<?x?x64xf32>
func.func @layer_norm(%x: tensor<?x?x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.layer_norm %x, %g, %b : (tensor<?x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----
// A dynamic normalised dim: N converted from the index at run time; an
// explicit epsilon; rank 1 reduces to rank-0 statistics.
// CHECK-LABEL: func.func @layer_norm_dynamic_rank1(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?xf32>
// CHECK:         %[[DIM:.+]] = tensor.dim %[[X]], %c0
// CHECK:         %[[I64:.+]] = arith.index_cast %[[DIM]] : index to i64
// CHECK:         %[[N:.+]] = arith.uitofp %[[I64]] : i64 to f32
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[X]] : tensor<?xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK:         arith.constant 1.000000e-01 : f32
// CHECK:         return {{.*}} : tensor<?xf32>
func.func @layer_norm_dynamic_rank1(%x: tensor<?xf32>, %g: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %y = attn.layer_norm %x, %g, %b {epsilon = 1.000000e-01 : f32} : (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----
// Depth 2 with biases: matmul into the broadcast bias, activation between
// the layers only (exact gelu: 0.5 x (1 + erf(x / sqrt 2))).
// CHECK-LABEL: func.func @ffn_gelu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf32>, %[[W0:[^:]+]]: tensor<64x256xf32>, %[[W1:[^:]+]]: tensor<256x64xf32>, %[[B0:[^:]+]]: tensor<256xf32>, %[[B1:[^:]+]]: tensor<64xf32>)
// CHECK-DAG:     %[[B:.+]] = tensor.dim %[[X]], %c0
// CHECK-DAG:     %[[T:.+]] = tensor.dim %[[X]], %c1
// CHECK:         %[[ROWS:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<?x?x64xf32> into tensor<?x64xf32>
// CHECK:         %[[INIT0:.+]] = linalg.broadcast ins(%[[B0]] : tensor<256xf32>)
// CHECK:         %[[H:.+]] = linalg.matmul ins(%[[ROWS]], %[[W0]] : tensor<?x64xf32>, tensor<64x256xf32>) outs(%[[INIT0]] : tensor<?x256xf32>)
// CHECK:         %[[ACT:.+]] = linalg.generic {{.*}} ins(%[[H]] : tensor<?x256xf32>)
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[S:.+]] = arith.mulf %[[V]], %{{.+}} : f32
// CHECK:           %[[E:.+]] = math.erf %[[S]] : f32
// CHECK:           %[[ONEPLUS:.+]] = arith.addf %{{.+}}, %[[E]] : f32
// CHECK:           %[[HALF:.+]] = arith.mulf %[[V]], %{{.+}} : f32
// CHECK:           %[[G:.+]] = arith.mulf %[[HALF]], %[[ONEPLUS]] : f32
// CHECK:           linalg.yield %[[G]] : f32
// CHECK:         %[[INIT1:.+]] = linalg.broadcast ins(%[[B1]] : tensor<64xf32>)
// CHECK:         %[[Y:.+]] = linalg.matmul ins(%[[ACT]], %[[W1]] : tensor<?x256xf32>, tensor<256x64xf32>) outs(%[[INIT1]] : tensor<?x64xf32>)
// CHECK-NOT:     math.erf
// CHECK:         %[[OUT:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0, 1], [2]] output_shape [%[[B]], %[[T]], 64]
// CHECK:         return %[[OUT]] : tensor<?x?x64xf32>
func.func @ffn_gelu(%x: tensor<?x?x64xf32>, %w0: tensor<64x256xf32>, %w1: tensor<256x64xf32>, %b0: tensor<256xf32>, %b1: tensor<64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(gelu)
      : (tensor<?x?x64xf32>, tensor<64x256xf32>, tensor<256x64xf32>, tensor<256xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----
// Depth 3 without biases (Irie's deeper FF): zeros as the destinations, relu
// as maximumf with 0 twice.
// CHECK-LABEL: func.func @ffn_deep_relu(
// CHECK:         linalg.fill
// CHECK:         linalg.matmul
// CHECK:         arith.maximumf
// CHECK:         linalg.fill
// CHECK:         linalg.matmul
// CHECK:         arith.maximumf
// CHECK:         linalg.fill
// CHECK:         linalg.matmul
// CHECK-NOT:     arith.maximumf
// CHECK:         tensor.expand_shape {{.*}} output_shape [2, 3, 32]
func.func @ffn_deep_relu(%x: tensor<2x3x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x64xf32>, %w2: tensor<64x32xf32>) -> tensor<2x3x32xf32> {
  %y = attn.ffn %x weights(%w0, %w1, %w2) activation(relu)
      : (tensor<2x3x32xf32>, tensor<32x64xf32>, tensor<64x64xf32>, tensor<64x32xf32>) -> tensor<2x3x32xf32>
  return %y : tensor<2x3x32xf32>
}

// -----
// silu: x / (1 + exp(-x)).
// CHECK-LABEL: func.func @ffn_silu(
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[NEG:.+]] = arith.negf %[[V]] : f32
// CHECK:           %[[E:.+]] = math.exp %[[NEG]] : f32
// CHECK:           %[[DEN:.+]] = arith.addf %{{.+}}, %[[E]] : f32
// CHECK:           arith.divf %[[V]], %[[DEN]] : f32
func.func @ffn_silu(%x: tensor<2x3x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x32xf32>) -> tensor<2x3x32xf32> {
  %y = attn.ffn %x weights(%w0, %w1) activation(silu)
      : (tensor<2x3x32xf32>, tensor<32x64xf32>, tensor<64x32xf32>) -> tensor<2x3x32xf32>
  return %y : tensor<2x3x32xf32>
}

// -----
// leaky_relu: x > 0 ? x : 0.01 x.
// CHECK-LABEL: func.func @ffn_leaky_relu(
// CHECK:         ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[POS:.+]] = arith.cmpf ogt, %[[V]], %{{.+}} : f32
// CHECK:           %[[SLOPE:.+]] = arith.constant 0.00999999977 : f32
// CHECK:           %[[LEAK:.+]] = arith.mulf %[[V]], %[[SLOPE]] : f32
// CHECK:           arith.select %[[POS]], %[[V]], %[[LEAK]] : f32
func.func @ffn_leaky_relu(%x: tensor<2x3x32xf32>, %w0: tensor<32x64xf32>, %w1: tensor<64x32xf32>) -> tensor<2x3x32xf32> {
  %y = attn.ffn %x weights(%w0, %w1) activation(leaky_relu)
      : (tensor<2x3x32xf32>, tensor<32x64xf32>, tensor<64x32xf32>) -> tensor<2x3x32xf32>
  return %y : tensor<2x3x32xf32>
}

// -----
// seq_mlp with every operand on a dynamic T: a run-time check T <= max_len,
// pad to max_len, flatten, LayerNorm, Linear, activation, LayerNorm, Linear,
// unflatten and drop the padding.
// CHECK-DAG:   #[[$PAD:.+]] = affine_map<()[s0] -> (-s0 + 4)>
// CHECK-LABEL: func.func @seq_mlp_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x?x8xf32>, %[[GIN:[^:]+]]: tensor<32xf32>, %[[BIN:[^:]+]]: tensor<32xf32>, %[[W0:[^:]+]]: tensor<32x16xf32>, %[[B0:[^:]+]]: tensor<16xf32>, %[[GH:[^:]+]]: tensor<16xf32>, %[[BH:[^:]+]]: tensor<16xf32>, %[[W1:[^:]+]]: tensor<16x24xf32>, %[[B1:[^:]+]]: tensor<24xf32>)
// CHECK:         %[[T:.+]] = tensor.dim %[[X]], %c1
// CHECK:         %[[TT:.+]] = tensor.dim %[[X]], %c1
// CHECK:         %[[FITS:.+]] = arith.cmpi ule, %[[TT]], %c4 : index
// CHECK:         cf.assert %[[FITS]], "sequence length exceeds max_len 4"
// CHECK:         %[[HIGH:.+]] = affine.apply #[[$PAD]]()[%[[TT]]]
// CHECK:         %[[PADDED:.+]] = tensor.pad %[[X]] low[0, 0, 0] high[0, %[[HIGH]], 0]
// CHECK:           tensor.yield %{{.+}} : f32
// CHECK:         } : tensor<2x?x8xf32> to tensor<2x4x8xf32>
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape %[[PADDED]] {{\[}}[0], [1, 2]] : tensor<2x4x8xf32> into tensor<2x32xf32>
// CHECK:         %[[NIN:.+]] = linalg.generic {{.*}} ins(%[[FLAT]], %{{.+}}, %{{.+}}, %[[GIN]], %[[BIN]] :
// CHECK:         %[[H:.+]] = linalg.matmul ins(%[[NIN]], %[[W0]] : tensor<2x32xf32>, tensor<32x16xf32>)
// CHECK:         %[[ACT:.+]] = linalg.generic {{.*}} ins(%[[H]] : tensor<2x16xf32>)
// CHECK:           arith.cmpf ogt
// CHECK:         %[[NH:.+]] = linalg.generic {{.*}} ins(%[[ACT]], %{{.+}}, %{{.+}}, %[[GH]], %[[BH]] :
// CHECK:         %[[INIT:.+]] = linalg.broadcast ins(%[[B1]] : tensor<24xf32>)
// CHECK:         %[[Y:.+]] = linalg.matmul ins(%[[NH]], %[[W1]] : tensor<2x16xf32>, tensor<16x24xf32>) outs(%[[INIT]] : tensor<2x24xf32>)
// CHECK:         %[[Y3:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0], [1, 2]] output_shape [2, 4, 6] : tensor<2x24xf32> into tensor<2x4x6xf32>
// CHECK:         %[[OUT:.+]] = tensor.extract_slice %[[Y3]][0, 0, 0] [2, %[[T]], 6] [1, 1, 1] : tensor<2x4x6xf32> to tensor<2x?x6xf32>
// CHECK:         return %[[OUT]] : tensor<2x?x6xf32>
func.func @seq_mlp_dynamic(%x: tensor<2x?x8xf32>, %gin: tensor<32xf32>, %bin: tensor<32xf32>, %w0: tensor<32x16xf32>, %b0: tensor<16xf32>, %gh: tensor<16xf32>, %bh: tensor<16xf32>, %w1: tensor<16x24xf32>, %b1: tensor<24xf32>) -> tensor<2x?x6xf32> {
  %y = attn.seq_mlp %x norm_in(%gin, %bin) w0(%w0) b0(%b0) norm_hidden(%gh, %bh) w1(%w1) b1(%b1) max_len(4) activation(leaky_relu)
      : (tensor<2x?x8xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16x24xf32>, tensor<24xf32>) -> tensor<2x?x6xf32>
  return %y : tensor<2x?x6xf32>
}

// -----
// A static T < max_len pads by a constant and needs no run-time check.
// CHECK-LABEL: func.func @seq_mlp_static_minimal(
// CHECK-NOT:     cf.assert
// CHECK:         tensor.pad %{{.+}} low[0, 0, 0] high[0, 1, 0]
// CHECK:         linalg.matmul
// CHECK:         arith.maximumf
// CHECK:         linalg.matmul
// CHECK:         tensor.extract_slice %{{.+}}[0, 0, 0] [2, 3, 6] [1, 1, 1] : tensor<2x4x6xf32> to tensor<2x3x6xf32>
func.func @seq_mlp_static_minimal(%x: tensor<2x3x8xf32>, %w0: tensor<32x16xf32>, %w1: tensor<16x24xf32>) -> tensor<2x3x6xf32> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(4) activation(relu)
      : (tensor<2x3x8xf32>, tensor<32x16xf32>, tensor<16x24xf32>) -> tensor<2x3x6xf32>
  return %y : tensor<2x3x6xf32>
}

// -----
// T == max_len: nothing to pad.
// CHECK-LABEL: func.func @seq_mlp_full_length(
// CHECK-NOT:     tensor.pad
// CHECK:         tensor.collapse_shape
func.func @seq_mlp_full_length(%x: tensor<2x4x8xf32>, %w0: tensor<32x16xf32>, %w1: tensor<16x24xf32>) -> tensor<2x4x6xf32> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(4) activation(relu)
      : (tensor<2x4x8xf32>, tensor<32x16xf32>, tensor<16x24xf32>) -> tensor<2x4x6xf32>
  return %y : tensor<2x4x6xf32>
}

// -----
// Per-head networks batched over heads: every head's first matmul reads the
// one flattened input (a broadcast batch_matmul operand).
// CHECK-DAG:   #[[$SHARED:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG:   #[[$W:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG:   #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @head_seq_mlp_minimal(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x3x8xf32>, %[[W0:[^:]+]]: tensor<4x32x16xf32>, %[[W1:[^:]+]]: tensor<4x16x8xf32>)
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape {{.*}} into tensor<2x32xf32>
// CHECK:         %[[H:.+]] = linalg.batch_matmul indexing_maps = [#[[$SHARED]], #[[$W]], #[[$OUT]]] ins(%[[FLAT]], %[[W0]] : tensor<2x32xf32>, tensor<4x32x16xf32>) outs(%{{.+}} : tensor<4x2x16xf32>)
// CHECK:         %[[ACT:.+]] = linalg.generic {{.*}} ins(%[[H]] : tensor<4x2x16xf32>)
// CHECK:         %[[Y:.+]] = linalg.batch_matmul ins(%[[ACT]], %[[W1]] : tensor<4x2x16xf32>, tensor<4x16x8xf32>)
// CHECK:         %[[Y4:.+]] = tensor.expand_shape %[[Y]] {{\[}}[0], [1], [2, 3]] output_shape [4, 2, 4, 2] : tensor<4x2x8xf32> into tensor<4x2x4x2xf32>
// CHECK:         %[[S:.+]] = tensor.extract_slice %[[Y4]][0, 0, 0, 0] [4, 2, 3, 2] [1, 1, 1, 1]
// CHECK:         %[[T:.+]] = linalg.transpose ins(%[[S]] : tensor<4x2x3x2xf32>) outs(%{{.+}} : tensor<2x4x3x2xf32>) permutation = [1, 0, 2, 3]
// CHECK:         return %[[T]] : tensor<2x4x3x2xf32>
func.func @head_seq_mlp_minimal(%x: tensor<2x3x8xf32>, %w0: tensor<4x32x16xf32>, %w1: tensor<4x16x8xf32>) -> tensor<2x4x3x2xf32> {
  %y = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(4) activation(silu)
      : (tensor<2x3x8xf32>, tensor<4x32x16xf32>, tensor<4x16x8xf32>) -> tensor<2x4x3x2xf32>
  return %y : tensor<2x4x3x2xf32>
}

// -----
// With LayerNorms: the input statistics are shared and the per-head gamma
// and beta make an [H, B, N*D] input; the hidden norm reads [H, K] params.
// CHECK-DAG:   #[[$X:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG:   #[[$STAT:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG:   #[[$HP:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @head_seq_mlp_everything_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x8xf32>, %[[GIN:[^:]+]]: tensor<4x32xf32>, %[[BIN:[^:]+]]: tensor<4x32xf32>, %[[W0:[^:]+]]: tensor<4x32x16xf32>, %[[B0:[^:]+]]: tensor<4x16xf32>, %[[GH:[^:]+]]: tensor<4x16xf32>, %[[BH:[^:]+]]: tensor<4x16xf32>, %[[W1:[^:]+]]: tensor<4x16x8xf32>, %[[B1:[^:]+]]: tensor<4x8xf32>)
// CHECK:         cf.assert
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape {{.*}} into tensor<?x32xf32>
// CHECK:         %[[XH:.+]] = linalg.generic {indexing_maps = [#[[$X]], #[[$STAT]], #[[$STAT]], #[[$HP]], #[[$HP]], #{{.+}}], {{.*}}} ins(%[[FLAT]], %{{.+}}, %{{.+}}, %[[GIN]], %[[BIN]] : tensor<?x32xf32>, tensor<?xf32>, tensor<?xf32>, tensor<4x32xf32>, tensor<4x32xf32>) outs(%{{.+}} : tensor<4x?x32xf32>)
// CHECK:         %[[INIT:.+]] = linalg.broadcast ins(%[[B0]] : tensor<4x16xf32>) outs(%{{.+}} : tensor<4x?x16xf32>) dimensions = [1]
// CHECK:         linalg.batch_matmul ins(%[[XH]], %[[W0]] : tensor<4x?x32xf32>, tensor<4x32x16xf32>) outs(%[[INIT]] : tensor<4x?x16xf32>)
// CHECK:         math.erf
// CHECK:         linalg.generic {{.*}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %[[GH]], %[[BH]] : tensor<4x?x16xf32>, tensor<4x?xf32>, tensor<4x?xf32>, tensor<4x16xf32>, tensor<4x16xf32>)
// CHECK:         linalg.broadcast ins(%[[B1]] : tensor<4x8xf32>) outs(%{{.+}} : tensor<4x?x8xf32>) dimensions = [1]
// CHECK:         linalg.batch_matmul
// CHECK:         linalg.transpose {{.*}} permutation = [1, 0, 2, 3]
// CHECK:         return {{.*}} : tensor<?x4x?x2xf32>
func.func @head_seq_mlp_everything_dynamic(%x: tensor<?x?x8xf32>, %gin: tensor<4x32xf32>, %bin: tensor<4x32xf32>, %w0: tensor<4x32x16xf32>, %b0: tensor<4x16xf32>, %gh: tensor<4x16xf32>, %bh: tensor<4x16xf32>, %w1: tensor<4x16x8xf32>, %b1: tensor<4x8xf32>) -> tensor<?x4x?x2xf32> {
  %y = attn.head_seq_mlp %x norm_in(%gin, %bin) w0(%w0) b0(%b0) norm_hidden(%gh, %bh) w1(%w1) b1(%b1) max_len(4) activation(gelu)
      : (tensor<?x?x8xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16x8xf32>, tensor<4x8xf32>) -> tensor<?x4x?x2xf32>
  return %y : tensor<?x4x?x2xf32>
}
