// convert-attn-to-linalg on the ops that materialise an attention map
// (attn.scores, attn.mgk_scores), attn.apply, and attn.mha (which goes
// through attn.attend). Numerics: test/Execution.
//
// RUN: attn-opt %s -split-input-file --convert-attn-to-linalg \
// RUN:   | FileCheck %s --implicit-check-not=attn.

// No mask, default scale 1/sqrt(16): q k^T over B*H, scale, then the softmax
// over keys in three passes: the row maximum m (maxnumf: NaN ignored; a NaN
// logit still makes its row NaN through exp), p = exp(logit - m) with m
// replaced by 0 where it is -inf (every key masked: p = 0), its row sum l
// (a reduction of its own without query blocks), and p * (1 / l), the
// reciprocal 0 where l = 0.
// CHECK-DAG:   #[[$Q:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG:   #[[$KT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG:   #[[$S:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @scores_plain(
// CHECK-SAME:      %[[Q:.+]]: tensor<2x4x8x16xf32>, %[[K:.+]]: tensor<2x4x6x16xf32>)
// CHECK:         %[[Q3:.+]] = tensor.collapse_shape %[[Q]] {{\[}}[0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
// CHECK:         %[[K3:.+]] = tensor.collapse_shape %[[K]] {{\[}}[0, 1], [2], [3]] : tensor<2x4x6x16xf32> into tensor<8x6x16xf32>
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<8x8x6xf32>)
// CHECK:         %[[QK:.+]] = linalg.batch_matmul indexing_maps = [#[[$Q]], #[[$KT]], #[[$S]]] ins(%[[Q3]], %[[K3]] : tensor<8x8x16xf32>, tensor<8x6x16xf32>) outs(%[[FILL]] : tensor<8x8x6xf32>)
// CHECK:         %[[QK4:.+]] = tensor.expand_shape %[[QK]] {{\[}}[0, 1], [2], [3]] output_shape [2, 4, 8, 6] : tensor<8x8x6xf32> into tensor<2x4x8x6xf32>
// CHECK:         %[[SCALE:.+]] = arith.constant 2.500000e-01 : f32
// CHECK:         %[[LOGITS:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[QK4]] : tensor<2x4x8x6xf32>)
// CHECK:           %[[SCALED:.+]] = arith.mulf %{{.+}}, %[[SCALE]] : f32
// CHECK-NEXT:      linalg.yield %[[SCALED]] : f32
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[M0:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<2x4x8xf32>)
// CHECK:         %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$S]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[LOGITS]] : tensor<2x4x8x6xf32>) outs(%[[M0]] : tensor<2x4x8xf32>)
// CHECK:           arith.maxnumf
// CHECK:         %[[P:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$S]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[LOGITS]], %[[MAX]] : tensor<2x4x8x6xf32>, tensor<2x4x8xf32>)
// CHECK:         ^bb0(%[[LG:.+]]: f32, %[[RM:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[NOKEY:.+]] = arith.cmpf oeq, %[[RM]], %{{.+}} : f32
// CHECK:           %[[SHIFT:.+]] = arith.select %[[NOKEY]], %{{.+}}, %[[RM]] : f32
// CHECK:           %[[SHIFTED:.+]] = arith.subf %[[LG]], %[[SHIFT]] : f32
// CHECK:           %[[E:.+]] = math.exp %[[SHIFTED]] : f32
// CHECK:           linalg.yield %[[E]] : f32
// CHECK:         %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$S]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]] : tensor<2x4x8x6xf32>)
// CHECK:           arith.addf
// CHECK:         %[[MAP:.+]] = linalg.generic {indexing_maps = [#[[$S]], #[[$ID]]], {{.*}}} ins(%[[SUM]] : tensor<2x4x8xf32>) outs(%[[P]] : tensor<2x4x8x6xf32>)
// CHECK:         ^bb0(%[[L:.+]]: f32, %[[PV:.+]]: f32):
// CHECK:           %[[EMPTY:.+]] = arith.cmpf oeq, %[[L]], %{{.+}} : f32
// CHECK:           %[[INV:.+]] = arith.divf %{{.+}}, %[[L]] : f32
// CHECK:           %[[RINV:.+]] = arith.select %[[EMPTY]], %{{.+}}, %[[INV]] : f32
// CHECK:           arith.mulf %[[PV]], %[[RINV]] : f32
// CHECK:         return %[[MAP]] : tensor<2x4x8x6xf32>
func.func @scores_plain(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x6x16xf32>) -> tensor<2x4x8x6xf32> {
  %s = attn.scores %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x6x16xf32>) -> tensor<2x4x8x6xf32>
  return %s : tensor<2x4x8x6xf32>
}

// -----
// An additive f32 mask [1, 1, Tq, Tk] broadcasts over B and H (constant 0
// indices); rows it masks completely become 0 in the softmax itself (m = -inf,
// p = 0, l = 0): no pass after it.
// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[$MASK:.+]] = affine_map<(d0, d1, d2, d3) -> (0, 0, d2, d3)>
// CHECK-DAG:   #[[$ROW:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @scores_f32_mask(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[M:[^:]+]]: tensor<1x1x8x8xf32>)
// CHECK-NOT:     cf.assert
// CHECK:         %[[QK:.+]] = tensor.expand_shape
// CHECK:         %[[SCALE:.+]] = arith.constant 1.250000e-01 : f32
// CHECK:         %[[LOGITS:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$MASK]], #[[$ID]]], {{.*}}} ins(%[[QK]], %[[M]] : tensor<2x4x8x8xf32>, tensor<1x1x8x8xf32>)
// CHECK:         ^bb0(%[[S:.+]]: f32, %[[MV:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[SCALED:.+]] = arith.mulf %[[S]], %[[SCALE]] : f32
// CHECK:           %[[ADDED:.+]] = arith.addf %[[SCALED]], %[[MV]] : f32
// CHECK:           linalg.yield %[[ADDED]] : f32
// CHECK:         %[[ROWMAX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[LOGITS]] : tensor<2x4x8x8xf32>)
// CHECK:           arith.maxnumf
// CHECK:         %[[P:.+]] = linalg.generic {{.*}} ins(%[[LOGITS]], %[[ROWMAX]] : tensor<2x4x8x8xf32>, tensor<2x4x8xf32>)
// CHECK:           math.exp
// CHECK:         %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[P]] : tensor<2x4x8x8xf32>)
// CHECK:         %[[MAP:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x4x8xf32>) outs(%[[P]] : tensor<2x4x8x8xf32>)
// CHECK:           arith.mulf
// CHECK:         return %[[MAP]]
func.func @scores_f32_mask(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %m: tensor<1x1x8x8xf32>) -> tensor<2x4x8x8xf32> {
  %s = attn.scores %q, %k mask(%m) scale(1.250000e-01) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<1x1x8x8xf32>) -> tensor<2x4x8x8xf32>
  return %s : tensor<2x4x8x8xf32>
}

// -----
// An i1 mask selects -inf where false; a rank-2 mask [Tq, Tk] aligns right.
// CHECK-DAG:   #[[$MASK:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @scores_i1_mask_rank2(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<8x8xi1>)
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[$MASK]], #{{.+}}], {{.*}}} ins(%{{.+}}, %[[M]] : tensor<2x4x8x8xf32>, tensor<8x8xi1>)
// CHECK:         ^bb0(%{{.+}}: f32, %[[KEEP:.+]]: i1, %{{.+}}: f32):
// CHECK:           %[[SCALED:.+]] = arith.mulf
// CHECK:           %[[SEL:.+]] = arith.select %[[KEEP]], %[[SCALED]], %[[NEGINF]] : f32
// CHECK:           linalg.yield %[[SEL]] : f32
// CHECK:         arith.maxnumf
// CHECK:         math.exp
func.func @scores_i1_mask_rank2(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %m: tensor<8x8xi1>) -> tensor<2x4x8x8xf32> {
  %s = attn.scores %q, %k mask(%m) : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<8x8xi1>) -> tensor<2x4x8x8xf32>
  return %s : tensor<2x4x8x8xf32>
}

// -----
// Causal (top-left: key j allowed iff j <= query i) on dynamic B and T, with
// a dynamic i1 mask whose sizes are checked at run time.
// CHECK-LABEL: func.func @scores_causal_dynamic(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x4x?x16xf32>, %[[K:[^:]+]]: tensor<?x4x?x16xf32>, %[[M:[^:]+]]: tensor<?x1x1x?xi1>)
// CHECK-DAG:     %[[B:.+]] = tensor.dim %[[Q]], %c0
// CHECK-DAG:     %[[TQ:.+]] = tensor.dim %[[Q]], %c2
// CHECK-DAG:     %[[TK:.+]] = tensor.dim %[[K]], %c2
// CHECK:         %[[MB:.+]] = tensor.dim %[[M]], %c0
// CHECK:         %[[OKB:.+]] = arith.cmpi eq, %[[MB]], %[[B]] : index
// CHECK:         cf.assert %[[OKB]], "attn mask dimension 0 does not match [B, H, Tq, Tk]; a dynamic mask dimension must not broadcast"
// CHECK:         %[[MK:.+]] = tensor.dim %[[M]], %c3
// CHECK:         %[[OKK:.+]] = arith.cmpi eq, %[[MK]], %[[TK]] : index
// CHECK:         cf.assert %[[OKK]], "attn mask dimension 3 does not match
// CHECK:         %[[QK:.+]] = linalg.batch_matmul
// CHECK:         tensor.expand_shape %[[QK]] {{\[}}[0, 1], [2], [3]] output_shape [%[[B]], 4, %[[TQ]], %[[TK]]] : tensor<?x?x?xf32> into tensor<?x4x?x?xf32>
// CHECK:         linalg.generic
// CHECK:           arith.select
// CHECK:           %[[I:.+]] = linalg.index 2 : index
// CHECK:           %[[J:.+]] = linalg.index 3 : index
// CHECK:           %[[ALLOWED:.+]] = arith.cmpi ule, %[[J]], %[[I]] : index
// CHECK:           arith.select %[[ALLOWED]]
// CHECK:         arith.maxnumf
// CHECK:         math.exp
// CHECK:         arith.addf
// CHECK:         arith.mulf
// CHECK-NOT:     linalg.generic
// CHECK:         return
func.func @scores_causal_dynamic(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x?x16xf32>, %m: tensor<?x1x1x?xi1>) -> tensor<?x4x?x?xf32> {
  %s = attn.scores %q, %k mask(%m) causal : (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x1x1x?xi1>) -> tensor<?x4x?x?xf32>
  return %s : tensor<?x4x?x?xf32>
}

// -----
// f16 lowers the same way, arithmetic in f16.
// CHECK-LABEL: func.func @scores_f16(
// CHECK:         linalg.batch_matmul {{.*}} -> tensor<8x8x8xf16>
// CHECK:         arith.constant 0xFC00 : f16
// CHECK:         arith.maxnumf {{.*}} : f16
// CHECK:         math.exp {{.*}} : f16
// CHECK:         arith.mulf {{.*}} : f16
// CHECK:         return {{.*}} : tensor<2x4x8x8xf16>
func.func @scores_f16(%q: tensor<2x4x8x16xf16>, %k: tensor<2x4x8x16xf16>) -> tensor<2x4x8x8xf16> {
  %s = attn.scores %q, %k causal : (tensor<2x4x8x16xf16>, tensor<2x4x8x16xf16>) -> tensor<2x4x8x8xf16>
  return %s : tensor<2x4x8x8xf16>
}

// -----
// MGK: one batch matmul over the R*Tk key components, |k|^2, log(pi), the
// logits, their max over (r, j), exp summed over r, normalised over j.
// CHECK-DAG:   #[[$ID5:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG:   #[[$KN:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
// CHECK-DAG:   #[[$PI:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3)>
// CHECK-DAG:   #[[$ROW5:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$RJ:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4, d3)>
// CHECK-LABEL: func.func @mgk_scores(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x2x6x16xf32>, %[[PI:[^:]+]]: tensor<4x2xf32>)
// CHECK:         %[[K3:.+]] = tensor.collapse_shape %[[K]] {{\[}}[0, 1], [2, 3], [4]] : tensor<2x4x2x6x16xf32> into tensor<8x12x16xf32>
// CHECK:         %[[DOTS:.+]] = linalg.batch_matmul {{.*}} ins(%{{.+}}, %[[K3]] : tensor<8x8x16xf32>, tensor<8x12x16xf32>)
// CHECK:         %[[DOTS5:.+]] = tensor.expand_shape %[[DOTS]] {{\[}}[0, 1], [2], [3, 4]] output_shape [2, 4, 8, 2, 6] : tensor<8x8x12xf32> into tensor<2x4x8x2x6xf32>
// CHECK:         %[[KNORM:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[K]] : tensor<2x4x2x6x16xf32>)
// CHECK:         %[[LOGPI:.+]] = linalg.generic {{.*}} ins(%[[PI]] : tensor<4x2xf32>)
// CHECK:           math.log
// CHECK:         %[[LOGITS:.+]] = linalg.generic {indexing_maps = [#[[$ID5]], #[[$KN]], #[[$PI]], #[[$ID5]]], {{.*}}} ins(%[[DOTS5]], %[[KNORM]], %[[LOGPI]] :
// CHECK:         %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[$ID5]], #[[$ROW5]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[LOGITS]]
// CHECK:         %[[W:.+]] = linalg.generic {indexing_maps = [#[[$RJ]], #[[$ROW5]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[LOGITS]], %[[MAX]] : tensor<2x4x8x2x6xf32>, tensor<2x4x8xf32>) outs(%{{.+}} : tensor<2x4x8x6xf32>)
// CHECK:           math.exp
// CHECK:         %[[TOTAL:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[W]] : tensor<2x4x8x6xf32>)
// CHECK:         %[[MAP:.+]] = linalg.generic {{.*}} ins(%[[TOTAL]] : tensor<2x4x8xf32>) outs(%[[W]] : tensor<2x4x8x6xf32>)
// CHECK:           arith.divf
// CHECK:         return %[[MAP]] : tensor<2x4x8x6xf32>
func.func @mgk_scores(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x6x16xf32>, %pi: tensor<4x2xf32>) -> tensor<2x4x8x6xf32> {
  %s = attn.mgk_scores %q, %k, %pi sigma_sq(2.000000e+00) : (tensor<2x4x8x16xf32>, tensor<2x4x2x6x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x6xf32>
  return %s : tensor<2x4x8x6xf32>
}

// -----
// MGK masks and causal act on the key position j (d4), for every component.
// CHECK-DAG:   #[[$MASK:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d4)>
// CHECK-LABEL: func.func @mgk_scores_mask_causal_dynamic(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<?xi1>)
// CHECK:         cf.assert
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #{{.+}}, #[[$MASK]], #{{.+}}], {{.*}}} ins({{.*}}, %[[M]] : {{.*}}tensor<?xi1>)
// CHECK:           arith.select
// CHECK:           %[[I:.+]] = linalg.index 2 : index
// CHECK:           %[[J:.+]] = linalg.index 4 : index
// CHECK:           arith.cmpi ule, %[[J]], %[[I]] : index
// CHECK:         return {{.*}} : tensor<?x4x?x?xf32>
func.func @mgk_scores_mask_causal_dynamic(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x2x?x16xf32>, %pi: tensor<4x2xf32>, %m: tensor<?xi1>) -> tensor<?x4x?x?xf32> {
  %s = attn.mgk_scores %q, %k, %pi mask(%m) sigma_sq(5.000000e-01) causal : (tensor<?x4x?x16xf32>, tensor<?x4x2x?x16xf32>, tensor<4x2xf32>, tensor<?xi1>) -> tensor<?x4x?x?xf32>
  return %s : tensor<?x4x?x?xf32>
}

// -----
// apply: one batch matmul over B*H, dynamic sizes carried through.
// CHECK-LABEL: func.func @apply_dynamic(
// CHECK-SAME:      %[[MAP:[^:]+]]: tensor<?x4x?x?xf32>, %[[V:[^:]+]]: tensor<?x4x?x16xf32>)
// CHECK-DAG:     %[[B:.+]] = tensor.dim %[[MAP]], %c0
// CHECK-DAG:     %[[TQ:.+]] = tensor.dim %[[MAP]], %c2
// CHECK:         %[[M3:.+]] = tensor.collapse_shape %[[MAP]] {{\[}}[0, 1], [2], [3]] : tensor<?x4x?x?xf32> into tensor<?x?x?xf32>
// CHECK:         %[[V3:.+]] = tensor.collapse_shape %[[V]] {{\[}}[0, 1], [2], [3]] : tensor<?x4x?x16xf32> into tensor<?x?x16xf32>
// CHECK:         %[[FILL:.+]] = linalg.fill
// CHECK:         %[[OUT:.+]] = linalg.batch_matmul ins(%[[M3]], %[[V3]] : tensor<?x?x?xf32>, tensor<?x?x16xf32>) outs(%[[FILL]] : tensor<?x?x16xf32>)
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[OUT]] {{\[}}[0, 1], [2], [3]] output_shape [%[[B]], 4, %[[TQ]], 16]
// CHECK:         return %[[R]] : tensor<?x4x?x16xf32>
func.func @apply_dynamic(%m: tensor<?x4x?x?xf32>, %v: tensor<?x4x?x16xf32>) -> tensor<?x4x?x16xf32> {
  %o = attn.apply %m, %v : (tensor<?x4x?x?xf32>, tensor<?x4x?x16xf32>) -> tensor<?x4x?x16xf32>
  return %o : tensor<?x4x?x16xf32>
}

// -----
// A whole mha layer: three projections, the online-softmax loop of attend
// (its map is used once, so never materialised), the merge.
// CHECK-LABEL: func.func @mha_causal_dynamic(
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT:     linalg.softmax
// CHECK:         scf.for
// CHECK:           linalg.batch_matmul
// CHECK:           math.exp
// CHECK:           linalg.batch_matmul
// CHECK:           scf.yield
// CHECK:         arith.divf
// CHECK:         linalg.transpose
// CHECK:         %[[OUT:.+]] = linalg.matmul
// CHECK:         %[[R:.+]] = tensor.expand_shape %[[OUT]]
// CHECK:         return %[[R]] : tensor<2x?x8xf32>
func.func @mha_causal_dynamic(%x: tensor<2x?x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<2x?x8xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(2) causal
      : (tensor<2x?x8xf32>, tensor<2x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<2x?x8xf32>
  return %y : tensor<2x?x8xf32>
}

// -----
// mha biases go to their projections; the mask and the scale to attend
// (Tk = 5 keys: one block of 5).
// CHECK-LABEL: func.func @mha_everything(
// CHECK-SAME:      %[[BQ:[^:]+]]: tensor<8xf32>, %[[BK:[^:]+]]: tensor<8xf32>, %[[BV:[^:]+]]: tensor<8xf32>, %[[BO:[^:]+]]: tensor<8xf32>, %[[M:[^:]+]]: tensor<2x1x1x5xi1>)
// CHECK:         linalg.broadcast ins(%[[BQ]]
// CHECK:         linalg.broadcast ins(%[[BK]]
// CHECK:         linalg.broadcast ins(%[[BV]]
// CHECK:         scf.for %[[J:.+]] = %c0 to %c5 step %c5{{.*}}
// CHECK:           tensor.extract_slice %[[M]][0, 0, 0, %[[J]]] [2, 1, 1, 5] [1, 1, 1, 1]
// CHECK:           arith.constant 5.000000e-01 : f32
// CHECK:         linalg.broadcast ins(%[[BO]]
func.func @mha_everything(%x: tensor<2x3x8xf32>, %y: tensor<2x5x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>, %bq: tensor<8xf32>, %bk: tensor<8xf32>, %bv: tensor<8xf32>, %bo: tensor<8xf32>, %m: tensor<2x1x1x5xi1>) -> tensor<2x3x8xf32> {
  %r = attn.mha %x, %y, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) mask(%m) heads(2) scale(5.000000e-01)
      : (tensor<2x3x8xf32>, tensor<2x5x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<2x1x1x5xi1>) -> tensor<2x3x8xf32>
  return %r : tensor<2x3x8xf32>
}
