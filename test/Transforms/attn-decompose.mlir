// attn-decompose writes attn.mha as project/scores/apply/merge: each weight and
// bias goes to the right projection, the mask, causal flag and scale go onto
// attn.scores, and the head types are [B, H, T, d] with dynamic dims kept.
//
// RUN: attn-opt %s -split-input-file --attn-decompose | FileCheck %s --implicit-check-not=attn.mha

// Self-attention with every bias: bq/bk/bv go to their projections, bo to the merge.
// CHECK-LABEL: func.func @self_all_biases(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>,
// CHECK-SAME:      %[[BQ:[^:]+]]: tensor<64xf32>, %[[BK:[^:]+]]: tensor<64xf32>, %[[BV:[^:]+]]: tensor<64xf32>, %[[BO:[^:]+]]: tensor<64xf32>)
// CHECK-DAG:     %[[Q:.+]] = attn.project %[[X]], %[[WQ]] bias(%[[BQ]]) heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x4x8x16xf32>
// CHECK-DAG:     %[[K:.+]] = attn.project %[[X]], %[[WK]] bias(%[[BK]]) heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x4x8x16xf32>
// CHECK-DAG:     %[[V:.+]] = attn.project %[[X]], %[[WV]] bias(%[[BV]]) heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<2x4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]]) : (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         return %[[Y]]
func.func @self_all_biases(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>,
                           %bq: tensor<64xf32>, %bk: tensor<64xf32>, %bv: tensor<64xf32>, %bo: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>,
         tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// Self-attention without biases: no projection or merge gains a bias operand.
// CHECK-LABEL: func.func @self_no_biases(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>)
// CHECK-DAG:     %[[Q:.+]] = attn.project %[[X]], %[[WQ]] heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
// CHECK-DAG:     %[[K:.+]] = attn.project %[[X]], %[[WK]] heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
// CHECK-DAG:     %[[V:.+]] = attn.project %[[X]], %[[WV]] heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<2x4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.merge %[[O]], %[[WO]] : (tensor<2x4x8x16xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         return %[[Y]]
func.func @self_no_biases(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// Only bk and bo: the optional operands must not shift into the wrong projection.
// CHECK-LABEL: func.func @some_biases(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>,
// CHECK-SAME:      %[[BK:[^:]+]]: tensor<64xf32>, %[[BO:[^:]+]]: tensor<64xf32>)
// CHECK-DAG:     %[[Q:.+]] = attn.project %[[X]], %[[WQ]] heads(4) :
// CHECK-DAG:     %[[K:.+]] = attn.project %[[X]], %[[WK]] bias(%[[BK]]) heads(4) :
// CHECK-DAG:     %[[V:.+]] = attn.project %[[X]], %[[WV]] heads(4) :
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] :
// CHECK:         %[[O:.+]] = attn.apply %[[MAP]], %[[V]] :
// CHECK:         %[[Y:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]]) :
// CHECK:         return %[[Y]]
func.func @some_biases(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>,
                       %bk: tensor<64xf32>, %bo: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bk(%bk) bo(%bo) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>,
         tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// Cross-attention (Tq = 8, Tk = 12) with dv (12) != dk (8): Q reads the query,
// K and V read key_value, the map is [B, H, Tq, Tk] and the heads [B, H, Tq, dv].
// CHECK-LABEL: func.func @cross_attention(
// CHECK-SAME:      %[[XQ:[^:]+]]: tensor<2x8x64xf32>, %[[XKV:[^:]+]]: tensor<2x12x64xf32>, %[[WQ:[^:]+]]: tensor<64x32xf32>, %[[WK:[^:]+]]: tensor<64x32xf32>, %[[WV:[^:]+]]: tensor<64x48xf32>, %[[WO:[^:]+]]: tensor<48x64xf32>,
// CHECK-SAME:      %[[BQ:[^:]+]]: tensor<32xf32>, %[[BK:[^:]+]]: tensor<32xf32>, %[[BV:[^:]+]]: tensor<48xf32>, %[[BO:[^:]+]]: tensor<64xf32>)
// CHECK-DAG:     %[[Q:.+]] = attn.project %[[XQ]], %[[WQ]] bias(%[[BQ]]) heads(4) : (tensor<2x8x64xf32>, tensor<64x32xf32>, tensor<32xf32>) -> tensor<2x4x8x8xf32>
// CHECK-DAG:     %[[K:.+]] = attn.project %[[XKV]], %[[WK]] bias(%[[BK]]) heads(4) : (tensor<2x12x64xf32>, tensor<64x32xf32>, tensor<32xf32>) -> tensor<2x4x12x8xf32>
// CHECK-DAG:     %[[V:.+]] = attn.project %[[XKV]], %[[WV]] bias(%[[BV]]) heads(4) : (tensor<2x12x64xf32>, tensor<64x48xf32>, tensor<48xf32>) -> tensor<2x4x12x12xf32>
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] : (tensor<2x4x8x8xf32>, tensor<2x4x12x8xf32>) -> tensor<2x4x8x12xf32>
// CHECK:         %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<2x4x8x12xf32>, tensor<2x4x12x12xf32>) -> tensor<2x4x8x12xf32>
// CHECK:         %[[Y:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]]) : (tensor<2x4x8x12xf32>, tensor<48x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         return %[[Y]]
func.func @cross_attention(%xq: tensor<2x8x64xf32>, %xkv: tensor<2x12x64xf32>, %wq: tensor<64x32xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x48xf32>, %wo: tensor<48x64xf32>,
                           %bq: tensor<32xf32>, %bk: tensor<32xf32>, %bv: tensor<48xf32>, %bo: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %xq, %xkv, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x12x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x48xf32>, tensor<48x64xf32>,
         tensor<32xf32>, tensor<32xf32>, tensor<48xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// A boolean padding mask [B, 1, 1, Tk] moves onto attn.scores unchanged.
// CHECK-LABEL: func.func @mask_i1(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W:[^:]+]]: tensor<64x64xf32>, %[[M:[^:]+]]: tensor<2x1x1x8xi1>)
// CHECK-COUNT-3: attn.project %[[X]], %[[W]] heads(4)
// CHECK:         %[[MAP:.+]] = attn.scores %{{.+}}, %{{.+}} mask(%[[M]]) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x1x8xi1>) -> tensor<2x4x8x8xf32>
// CHECK:         attn.apply %[[MAP]]
// CHECK:         attn.merge
func.func @mask_i1(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>, %m: tensor<2x1x1x8xi1>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %w, %w, %w, %w mask(%m) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<2x1x1x8xi1>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// An additive f32 mask [Tq, Tk] moves onto attn.scores unchanged.
// CHECK-LABEL: func.func @mask_f32(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W:[^:]+]]: tensor<64x64xf32>, %[[M:[^:]+]]: tensor<8x8xf32>)
// CHECK:         %[[MAP:.+]] = attn.scores %{{.+}}, %{{.+}} mask(%[[M]]) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<8x8xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         attn.apply %[[MAP]]
func.func @mask_f32(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>, %m: tensor<8x8xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %w, %w, %w, %w mask(%m) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// The causal flag moves onto attn.scores; no scale appears when none was given.
// CHECK-LABEL: func.func @causal(
// CHECK:         attn.scores %{{.+}}, %{{.+}} causal : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
func.func @causal(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %w, %w, %w, %w heads(4) causal
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// An explicit scale moves onto attn.scores with its exact value.
// CHECK-LABEL: func.func @explicit_scale(
// CHECK:         attn.scores %{{.+}}, %{{.+}} scale(1.250000e-01) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
func.func @explicit_scale(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %w, %w, %w, %w heads(4) scale(0.125)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// Mask, causal and scale together keep their order on attn.scores.
// CHECK-LABEL: func.func @mask_causal_scale(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<1x1x8x8xi1>)
// CHECK:         attn.scores %{{.+}}, %{{.+}} mask(%[[M]]) causal scale(5.000000e-01) :
func.func @mask_causal_scale(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>, %m: tensor<1x1x8x8xi1>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %w, %w, %w, %w mask(%m) heads(4) causal scale(0.5)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<1x1x8x8xi1>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// Dynamic batch and sequence length stay dynamic in every produced type.
// CHECK-LABEL: func.func @dynamic_batch_and_length(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[M:[^:]+]]: tensor<?x?xi1>)
// CHECK-DAG:     %[[Q:.+]] = attn.project %[[X]], %[[WQ]] heads(4) : (tensor<?x?x64xf32>, tensor<64x64xf32>) -> tensor<?x4x?x16xf32>
// CHECK-DAG:     %[[K:.+]] = attn.project %[[X]], %[[WK]] heads(4) : (tensor<?x?x64xf32>, tensor<64x64xf32>) -> tensor<?x4x?x16xf32>
// CHECK-DAG:     %[[V:.+]] = attn.project %[[X]], %[[WV]] heads(4) : (tensor<?x?x64xf32>, tensor<64x64xf32>) -> tensor<?x4x?x16xf32>
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[M]]) causal : (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x?xi1>) -> tensor<?x4x?x?xf32>
// CHECK:         %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<?x4x?x?xf32>, tensor<?x4x?x16xf32>) -> tensor<?x4x?x16xf32>
// CHECK:         %[[Y:.+]] = attn.merge %[[O]], %[[WO]] : (tensor<?x4x?x16xf32>, tensor<64x64xf32>) -> tensor<?x?x64xf32>
// CHECK:         return %[[Y]]
func.func @dynamic_batch_and_length(%x: tensor<?x?x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>,
                                    %m: tensor<?x?xi1>) -> tensor<?x?x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%m) heads(4) causal
      : (tensor<?x?x64xf32>, tensor<?x?x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<?x?xi1>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----

// Dynamic cross-attention lengths: Tq and Tk stay distinct dynamic dims.
// CHECK-LABEL: func.func @dynamic_cross(
// CHECK-SAME:      %[[XQ:[^:]+]]: tensor<1x?x64xf32>, %[[XKV:[^:]+]]: tensor<1x?x64xf32>
// CHECK-DAG:     %[[Q:.+]] = attn.project %[[XQ]], %{{.+}} heads(2) : (tensor<1x?x64xf32>, tensor<64x64xf32>) -> tensor<1x2x?x32xf32>
// CHECK-DAG:     %[[K:.+]] = attn.project %[[XKV]], %{{.+}} heads(2) : (tensor<1x?x64xf32>, tensor<64x64xf32>) -> tensor<1x2x?x32xf32>
// CHECK-DAG:     %[[V:.+]] = attn.project %[[XKV]], %{{.+}} heads(2) : (tensor<1x?x64xf32>, tensor<64x64xf32>) -> tensor<1x2x?x32xf32>
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] : (tensor<1x2x?x32xf32>, tensor<1x2x?x32xf32>) -> tensor<1x2x?x?xf32>
// CHECK:         attn.apply %[[MAP]], %[[V]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x32xf32>) -> tensor<1x2x?x32xf32>
func.func @dynamic_cross(%xq: tensor<1x?x64xf32>, %xkv: tensor<1x?x64xf32>, %w: tensor<64x64xf32>) -> tensor<1x?x64xf32> {
  %y = attn.mha %xq, %xkv, %w, %w, %w, %w heads(2)
      : (tensor<1x?x64xf32>, tensor<1x?x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<1x?x64xf32>
  return %y : tensor<1x?x64xf32>
}

// -----

// dv (32) != dk (8) in self-attention: V and the attended heads carry dv, Q/K dk.
// CHECK-LABEL: func.func @dv_ne_dk(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x32xf32>, %[[WK:[^:]+]]: tensor<64x32xf32>, %[[WV:[^:]+]]: tensor<64x128xf32>, %[[WO:[^:]+]]: tensor<128x64xf32>)
// CHECK-DAG:     %[[Q:.+]] = attn.project %[[X]], %[[WQ]] heads(4) : (tensor<2x8x64xf32>, tensor<64x32xf32>) -> tensor<2x4x8x8xf32>
// CHECK-DAG:     %[[K:.+]] = attn.project %[[X]], %[[WK]] heads(4) : (tensor<2x8x64xf32>, tensor<64x32xf32>) -> tensor<2x4x8x8xf32>
// CHECK-DAG:     %[[V:.+]] = attn.project %[[X]], %[[WV]] heads(4) : (tensor<2x8x64xf32>, tensor<64x128xf32>) -> tensor<2x4x8x32xf32>
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] : (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<2x4x8x8xf32>, tensor<2x4x8x32xf32>) -> tensor<2x4x8x32xf32>
// CHECK:         attn.merge %[[O]], %[[WO]] : (tensor<2x4x8x32xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>
func.func @dv_ne_dk(%x: tensor<2x8x64xf32>, %wq: tensor<64x32xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x128xf32>, %wo: tensor<128x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// dk is dynamic in wq but static in wk: the default scale stays well defined
// (no scale attribute is invented), and the produced IR verifies.
// CHECK-LABEL: func.func @dynamic_wq_width(
// CHECK-DAG:     %[[Q:.+]] = attn.project %{{.+}}, %{{.+}} heads(4) : (tensor<2x8x64xf32>, tensor<64x?xf32>) -> tensor<2x4x8x?xf32>
// CHECK-DAG:     %[[K:.+]] = attn.project %{{.+}}, %{{.+}} heads(4) : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         attn.scores %[[Q]], %[[K]] : (tensor<2x4x8x?xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
func.func @dynamic_wq_width(%x: tensor<2x8x64xf32>, %wq: tensor<64x?xf32>, %w: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %w, %w, %w heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x?xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----

// f16 attention: every produced type keeps the element type; the mask too.
// CHECK-LABEL: func.func @f16(
// CHECK-COUNT-3: attn.project {{.+}} -> tensor<2x4x8x16xf16>
// CHECK:         attn.scores {{.+}} mask({{.+}}) : (tensor<2x4x8x16xf16>, tensor<2x4x8x16xf16>, tensor<8x8xf16>) -> tensor<2x4x8x8xf16>
// CHECK:         attn.apply {{.+}} -> tensor<2x4x8x16xf16>
// CHECK:         attn.merge {{.+}} -> tensor<2x8x64xf16>
func.func @f16(%x: tensor<2x8x64xf16>, %w: tensor<64x64xf16>, %m: tensor<8x8xf16>) -> tensor<2x8x64xf16> {
  %y = attn.mha %x, %x, %w, %w, %w, %w mask(%m) heads(4)
      : (tensor<2x8x64xf16>, tensor<2x8x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<8x8xf16>) -> tensor<2x8x64xf16>
  return %y : tensor<2x8x64xf16>
}

// -----

// Two layers in sequence with their own weights: the second layer projects the
// first one's merged output, and each keeps its own weights and flags.
// CHECK-LABEL: func.func @two_layers(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W1:[^:]+]]: tensor<64x64xf32>, %[[W2:[^:]+]]: tensor<64x64xf32>, %[[B2:[^:]+]]: tensor<64xf32>)
// CHECK-COUNT-3: attn.project %[[X]], %[[W1]] heads(4) :
// CHECK:         %[[MAP1:.+]] = attn.scores %{{.+}}, %{{.+}} causal :
// CHECK:         %[[O1:.+]] = attn.apply %[[MAP1]], %{{.+}} :
// CHECK:         %[[Y1:.+]] = attn.merge %[[O1]], %[[W1]] :
// CHECK:         %[[R:.+]] = arith.addf %[[X]], %[[Y1]] : tensor<2x8x64xf32>
// CHECK-COUNT-3: attn.project %[[R]], %[[W2]] bias(%[[B2]]) heads(8) : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x8x8xf32>
// CHECK:         %[[MAP2:.+]] = attn.scores %{{.+}}, %{{.+}} scale(2.500000e-01) : (tensor<2x8x8x8xf32>, tensor<2x8x8x8xf32>) -> tensor<2x8x8x8xf32>
// CHECK:         %[[O2:.+]] = attn.apply %[[MAP2]], %{{.+}} :
// CHECK:         %[[Y2:.+]] = attn.merge %[[O2]], %[[W2]] bias(%[[B2]]) :
// CHECK:         return %[[Y2]]
func.func @two_layers(%x: tensor<2x8x64xf32>, %w1: tensor<64x64xf32>, %w2: tensor<64x64xf32>, %b2: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y1 = attn.mha %x, %x, %w1, %w1, %w1, %w1 heads(4) causal
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  %r = arith.addf %x, %y1 : tensor<2x8x64xf32>
  %y2 = attn.mha %r, %r, %w2, %w2, %w2, %w2 bq(%b2) bk(%b2) bv(%b2) bo(%b2) heads(8) scale(0.25)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>,
         tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y2 : tensor<2x8x64xf32>
}

// -----

// negative_: IR already in the decomposed vocabulary is left as it is.
// CHECK-LABEL: func.func @negative_already_decomposed(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[V:[^:]+]]: tensor<2x4x8x16xf32>)
// CHECK-NEXT:    %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] causal :
// CHECK-NEXT:    return %[[O]]
func.func @negative_already_decomposed(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32> {
  %o = attn.attend %q, %k, %v causal : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}
