// attn-to-mgk rewrites each attention map to a mixture of Gaussian keys
// (attn.mgk_scores over keys [B, H', R, Tk, dk]) applied with attn.apply.
// Checked: the key components (R projections + concat, or sMGK's shifted
// projection), mixture weights, sigma_sq, mask/causal carried over, the
// parameter bookkeeping (names, shapes, attn.init; old keys gone), every
// option, and the composition with attn-reuse-map. Layers the pass must not
// rewrite are in attn-to-mgk-invalid.mlir with their remarks.
//
// RUN: attn-opt %s -split-input-file --attn-to-mgk | FileCheck %s --implicit-check-not=attn.mha --implicit-check-not=attn.scores --implicit-check-not=attn.attend --implicit-check-not='{{attn\.[wb]k[ (]}}'
// RUN: attn-opt %s -split-input-file --attn-to-mgk=num-keys=3 | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=R3
// RUN: attn-opt %s -split-input-file --attn-to-mgk=num-keys=1 | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=R1
// RUN: attn-opt %s -split-input-file --attn-to-mgk=shifted | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=SHIFT
// RUN: attn-opt %s -split-input-file --attn-to-mgk=num-heads=2 | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=HEADS --implicit-check-not='{{attn\.([wb][qkv]|wo)[ (]}}'
// RUN: attn-opt %s -split-input-file --attn-to-mgk="num-keys=3 shifted=true num-heads=2 sigma-sq=0.5" | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=COMBO
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=2 --attn-to-mgk | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=REUSE

// One post-norm encoder layer as attn-model writes it (H = 4, dk = 2, every
// bias, dynamic T).
// R = 2 (default): component 0 copies wk/bk, component 1 is trained; wq, wv,
// wo and their biases stay.
// CHECK-LABEL: module @post_norm_all_biases
// CHECK:         ml_program.global private @layers.0.attn.wq(
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wv(
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wo(
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bq(
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bv(
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bo(
// CHECK:         ml_program.global private @layers.0.attn.wk_mgk0(#{{.+}}) : tensor<8x8xf32> {attn.init = "copy:layers.0.attn.wk"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bk_mgk0(#{{.+}}) : tensor<8xf32> {attn.init = "copy:layers.0.attn.bk"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk_mgk1(#{{.+}}) : tensor<8x8xf32> {attn.init = "train"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bk_mgk1(#{{.+}}) : tensor<8xf32> {attn.init = "train"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.mgk_pi(#{{.+}}) : tensor<4x2xf32> {attn.init = "ones"}
// CHECK-LABEL:   func.func @forward(
// CHECK-SAME:        %[[X:.+]]: tensor<1x?x8xf32>) -> tensor<1x?x8xf32>
// CHECK-DAG:       %[[WQ:.+]] = ml_program.global_load_const @layers.0.attn.wq :
// CHECK-DAG:       %[[WV:.+]] = ml_program.global_load_const @layers.0.attn.wv :
// CHECK-DAG:       %[[WO:.+]] = ml_program.global_load_const @layers.0.attn.wo :
// CHECK-DAG:       %[[BQ:.+]] = ml_program.global_load_const @layers.0.attn.bq :
// CHECK-DAG:       %[[BV:.+]] = ml_program.global_load_const @layers.0.attn.bv :
// CHECK-DAG:       %[[BO:.+]] = ml_program.global_load_const @layers.0.attn.bo :
// CHECK:           %[[Q:.+]] = attn.project %[[X]], %[[WQ]] bias(%[[BQ]]) heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x?x2xf32>
// CHECK-NEXT:      %[[V:.+]] = attn.project %[[X]], %[[WV]] bias(%[[BV]]) heads(4) :
// CHECK-NEXT:      %[[WK0:.+]] = ml_program.global_load_const @layers.0.attn.wk_mgk0 : tensor<8x8xf32>
// CHECK-NEXT:      %[[BK0:.+]] = ml_program.global_load_const @layers.0.attn.bk_mgk0 : tensor<8xf32>
// CHECK-NEXT:      %[[K0:.+]] = attn.project %[[X]], %[[WK0]] bias(%[[BK0]]) heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x?x2xf32>
// CHECK-NEXT:      %[[C2:.+]] = arith.constant 2 : index
// CHECK-NEXT:      %[[T:.+]] = tensor.dim %[[K0]], %[[C2]]
// CHECK-NEXT:      %[[E0:.+]] = tensor.expand_shape %[[K0]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 4, 1, %[[T]], 2] : tensor<1x4x?x2xf32> into tensor<1x4x1x?x2xf32>
// CHECK-NEXT:      %[[WK1:.+]] = ml_program.global_load_const @layers.0.attn.wk_mgk1 : tensor<8x8xf32>
// CHECK-NEXT:      %[[BK1:.+]] = ml_program.global_load_const @layers.0.attn.bk_mgk1 : tensor<8xf32>
// CHECK-NEXT:      %[[K1:.+]] = attn.project %[[X]], %[[WK1]] bias(%[[BK1]]) heads(4)
// CHECK-NEXT:      %[[E1:.+]] = tensor.expand_shape %[[K1]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 4, 1, %[[T]], 2]
// CHECK-NEXT:      %[[KEYS:.+]] = tensor.concat dim(2) %[[E0]], %[[E1]] : (tensor<1x4x1x?x2xf32>, tensor<1x4x1x?x2xf32>) -> tensor<1x4x2x?x2xf32>
// CHECK-NEXT:      %[[PI:.+]] = ml_program.global_load_const @layers.0.attn.mgk_pi : tensor<4x2xf32>
// CHECK-NEXT:      %[[MAP:.+]] = attn.mgk_scores %[[Q]], %[[KEYS]], %[[PI]] sigma_sq(1.41421354) : (tensor<1x4x?x2xf32>, tensor<1x4x2x?x2xf32>, tensor<4x2xf32>) -> tensor<1x4x?x?xf32>
// CHECK-NEXT:      %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
// CHECK-NEXT:      %[[A:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]]) :
// CHECK-NEXT:      arith.addf %[[X]], %[[A]]

// num-keys=3: a third trained component.
// R3-LABEL: module @post_norm_all_biases
// R3:         @layers.0.attn.wk_mgk0({{.+}}) : tensor<8x8xf32> {attn.init = "copy:layers.0.attn.wk"}
// R3:         @layers.0.attn.wk_mgk1({{.+}}) : tensor<8x8xf32> {attn.init = "train"}
// R3:         @layers.0.attn.wk_mgk2({{.+}}) : tensor<8x8xf32> {attn.init = "train"}
// R3-NEXT:    @layers.0.attn.bk_mgk2({{.+}}) : tensor<8xf32> {attn.init = "train"}
// R3-NEXT:    @layers.0.attn.mgk_pi({{.+}}) : tensor<4x3xf32> {attn.init = "ones"}
// R3-LABEL:   func.func @forward(
// R3:           %[[KEYS:.+]] = tensor.concat dim(2) %{{.+}}, %{{.+}}, %{{.+}} : (tensor<1x4x1x?x2xf32>, tensor<1x4x1x?x2xf32>, tensor<1x4x1x?x2xf32>) -> tensor<1x4x3x?x2xf32>
// R3:           attn.mgk_scores %{{.+}}, %[[KEYS]], %{{.+}} sigma_sq(1.41421354) : (tensor<1x4x?x2xf32>, tensor<1x4x3x?x2xf32>, tensor<4x3xf32>) -> tensor<1x4x?x?xf32>

// shifted (sMGK): the key projection stays and is shifted by k_shift[r].
// SHIFT-LABEL: module @post_norm_all_biases
// SHIFT:         @layers.0.attn.wk({{.+}}) : tensor<8x8xf32>{{$}}
// SHIFT:         @layers.0.attn.bk({{.+}}) : tensor<8xf32>{{$}}
// SHIFT-NOT:     _mgk
// SHIFT:         @layers.0.attn.k_shift({{.+}}) : tensor<2x8xf32> {attn.init = "train"}
// SHIFT-NEXT:    @layers.0.attn.mgk_pi({{.+}}) : tensor<4x2xf32> {attn.init = "ones"}
// SHIFT-LABEL:   func.func @forward(
// SHIFT-SAME:        %[[X:.+]]: tensor<1x?x8xf32>)
// SHIFT:           %[[K:.+]] = attn.project %[[X]], %layers.0.attn.wk bias(%layers.0.attn.bk) heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x?x2xf32>
// SHIFT:           %[[SHIFT:.+]] = ml_program.global_load_const @layers.0.attn.k_shift : tensor<2x8xf32>
// SHIFT-NEXT:      %[[S3:.+]] = tensor.expand_shape %[[SHIFT]] {{\[}}[0], [1, 2]] output_shape [2, 4, 2] : tensor<2x8xf32> into tensor<2x4x2xf32>
// SHIFT:           %[[T:.+]] = tensor.dim %[[K]], %{{.+}} : tensor<1x4x?x2xf32>
// SHIFT-NEXT:      %[[INIT:.+]] = tensor.empty(%[[T]]) : tensor<1x4x2x?x2xf32>
// SHIFT-NEXT:      %[[KEYS:.+]] = linalg.generic {indexing_maps = [#[[$MK:.+]], #[[$MS:.+]], #[[$MO:.+]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[K]], %[[S3]] : tensor<1x4x?x2xf32>, tensor<2x4x2xf32>) outs(%[[INIT]] : tensor<1x4x2x?x2xf32>)
// SHIFT-NEXT:      ^bb0(%[[A:.+]]: f32, %[[B:.+]]: f32, %{{.+}}: f32):
// SHIFT-NEXT:        %[[SUM:.+]] = arith.addf %[[A]], %[[B]] : f32
// SHIFT-NEXT:        linalg.yield %[[SUM]] : f32
// SHIFT:           attn.mgk_scores %{{.+}}, %[[KEYS]], %{{.+}} sigma_sq(1.41421354) : (tensor<1x4x?x2xf32>, tensor<1x4x2x?x2xf32>, tensor<4x2xf32>) -> tensor<1x4x?x?xf32>

// num-heads=2: dk stays 2, so every projection shrinks to 2 heads and is
// trained; bo stays.
// HEADS-LABEL: module @post_norm_all_biases
// HEADS:         @layers.0.attn.bo({{.+}}) : tensor<8xf32>{{$}}
// HEADS:         @layers.0.attn.wq_mgk({{.+}}) : tensor<8x4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.bq_mgk({{.+}}) : tensor<4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.wk_mgk0({{.+}}) : tensor<8x4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.bk_mgk0({{.+}}) : tensor<4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.wk_mgk1({{.+}}) : tensor<8x4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.bk_mgk1({{.+}}) : tensor<4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.mgk_pi({{.+}}) : tensor<2x2xf32> {attn.init = "ones"}
// HEADS-NEXT:    @layers.0.attn.wv_mgk({{.+}}) : tensor<8x4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.bv_mgk({{.+}}) : tensor<4xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.0.attn.wo_mgk({{.+}}) : tensor<4x8xf32> {attn.init = "train"}
// HEADS-LABEL:   func.func @forward(
// HEADS:           %[[Q:.+]] = attn.project %{{.+}}, %layers.0.attn.wq_mgk bias(%layers.0.attn.bq_mgk) heads(2) : (tensor<1x?x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<1x2x?x2xf32>
// HEADS:           %[[KEYS:.+]] = tensor.concat {{.+}} -> tensor<1x2x2x?x2xf32>
// HEADS:           %[[MAP:.+]] = attn.mgk_scores %[[Q]], %[[KEYS]], %{{.+}} sigma_sq(1.41421354) : (tensor<1x2x?x2xf32>, tensor<1x2x2x?x2xf32>, tensor<2x2xf32>) -> tensor<1x2x?x?xf32>
// HEADS:           %[[V:.+]] = attn.project %{{.+}}, %layers.0.attn.wv_mgk bias(%layers.0.attn.bv_mgk) heads(2)
// HEADS-NEXT:      %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x2xf32>) -> tensor<1x2x?x2xf32>
// HEADS:           attn.merge %[[O]], %layers.0.attn.wo_mgk bias(%layers.0.attn.bo) : (tensor<1x2x?x2xf32>, tensor<4x8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>

// Every option at once: sMGK with 3 components over 2 heads and sigma-sq 0.5.
// COMBO-LABEL: module @post_norm_all_biases
// COMBO:         @layers.0.attn.wk_mgk({{.+}}) : tensor<8x4xf32> {attn.init = "train"}
// COMBO-NEXT:    @layers.0.attn.bk_mgk({{.+}}) : tensor<4xf32> {attn.init = "train"}
// COMBO-NEXT:    @layers.0.attn.k_shift({{.+}}) : tensor<3x4xf32> {attn.init = "train"}
// COMBO-NEXT:    @layers.0.attn.mgk_pi({{.+}}) : tensor<2x3xf32> {attn.init = "ones"}
// COMBO-LABEL:   func.func @forward(
// COMBO:           linalg.generic {{.+}} outs(%{{.+}} : tensor<1x2x3x?x2xf32>)
// COMBO:           attn.mgk_scores {{.+}} sigma_sq(5.000000e-01) : (tensor<1x2x?x2xf32>, tensor<1x2x3x?x2xf32>, tensor<2x3xf32>) -> tensor<1x2x?x?xf32>
// COMBO:           attn.merge {{.+}} : (tensor<1x2x?x2xf32>, tensor<4x8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
module @post_norm_all_biases {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.0.ffn.b0(#ml_program.extern : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @layers.0.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.0.ffn.b1(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %b1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %fb0 = ml_program.global_load_const @layers.0.ffn.b0 : tensor<16xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %fb1 = ml_program.global_load_const @layers.0.ffn.b1 : tensor<8xf32>
    %g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %b2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(4)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>,
           tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r = arith.addf %x, %a : tensor<1x?x8xf32>
    %n = attn.layer_norm %r, %g1, %b1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f = attn.ffn %n weights(%w0, %w1) biases(%fb0, %fb1) activation(silu)
        : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r2 = arith.addf %n, %f : tensor<1x?x8xf32>
    %y = attn.layer_norm %r2, %g2, %b2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// Two pre-norm layers without biases, fused (attn.attend) with an additive
// [Tq, Tk] mask and the causal flag, dynamic B and T: both maps become
// mgk_scores + apply with the mask and flag; no key bias is invented.
// CHECK-LABEL: module @pre_norm_attend_mask_causal
// CHECK-NOT:     @layers.{{[01]}}.attn.bk_mgk
// CHECK:         @layers.0.attn.wk_mgk0({{.+}}) : tensor<8x8xf32> {attn.init = "copy:layers.0.attn.wk"}
// CHECK:         @layers.1.attn.wk_mgk0({{.+}}) : tensor<8x8xf32> {attn.init = "copy:layers.1.attn.wk"}
// CHECK-NOT:     @layers.{{[01]}}.attn.bk_mgk
// CHECK-LABEL:   func.func @forward(
// CHECK-SAME:        %[[X:[^:]+]]: tensor<?x?x8xf32>, %[[MASK:[^:]+]]: tensor<?x?xf32>)
// CHECK:           %[[N0:.+]] = attn.layer_norm %[[X]]
// CHECK:           %[[Q0:.+]] = attn.project %[[N0]], %layers.0.attn.wq heads(4)
// CHECK:           %[[V0:.+]] = attn.project %[[N0]], %layers.0.attn.wv heads(4)
// CHECK:           %[[K00:.+]] = attn.project %[[N0]], %layers.0.attn.wk_mgk0 heads(4) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x4x?x2xf32>
// CHECK:           %[[B:.+]] = tensor.dim %[[K00]], %{{.+}} : tensor<?x4x?x2xf32>
// CHECK:           %[[T:.+]] = tensor.dim %[[K00]], %{{.+}} : tensor<?x4x?x2xf32>
// CHECK:           tensor.expand_shape %[[K00]] {{\[}}[0], [1, 2], [3], [4]] output_shape [%[[B]], 4, 1, %[[T]], 2] : tensor<?x4x?x2xf32> into tensor<?x4x1x?x2xf32>
// CHECK:           %[[KEYS0:.+]] = tensor.concat dim(2) {{.+}} -> tensor<?x4x2x?x2xf32>
// CHECK:           %[[MAP0:.+]] = attn.mgk_scores %[[Q0]], %[[KEYS0]], %{{.+}} mask(%[[MASK]]) sigma_sq(1.41421354) causal : (tensor<?x4x?x2xf32>, tensor<?x4x2x?x2xf32>, tensor<4x2xf32>, tensor<?x?xf32>) -> tensor<?x4x?x?xf32>
// CHECK-NEXT:      %[[O0:.+]] = attn.apply %[[MAP0]], %[[V0]] : (tensor<?x4x?x?xf32>, tensor<?x4x?x2xf32>) -> tensor<?x4x?x2xf32>
// CHECK-NEXT:      attn.merge %[[O0]], %layers.0.attn.wo
// CHECK:           %[[MAP1:.+]] = attn.mgk_scores {{.+}} mask(%[[MASK]]) sigma_sq(1.41421354) causal
// CHECK-NEXT:      attn.apply %[[MAP1]]

// sMGK with a dynamic batch: the shifted keys' tensor.empty takes B and Tk.
// SHIFT-LABEL: module @pre_norm_attend_mask_causal
// SHIFT:         @layers.0.attn.k_shift({{.+}}) : tensor<2x8xf32> {attn.init = "train"}
// SHIFT:         @layers.1.attn.k_shift({{.+}}) : tensor<2x8xf32> {attn.init = "train"}
// SHIFT-LABEL:   func.func @forward(
// SHIFT:           %[[K:.+]] = attn.project %{{.+}}, %layers.0.attn.wk heads(4)
// SHIFT:           %[[B:.+]] = tensor.dim %[[K]], %{{.+}}
// SHIFT:           %[[T:.+]] = tensor.dim %[[K]], %{{.+}}
// SHIFT-NEXT:      tensor.empty(%[[B]], %[[T]]) : tensor<?x4x2x?x2xf32>

// A [Tq, Tk] mask broadcasts over heads, so it fits any head count.
// HEADS-LABEL: module @pre_norm_attend_mask_causal
// HEADS-LABEL:   func.func @forward(
// HEADS-COUNT-2:   attn.mgk_scores {{.+}} mask(%{{.+}}) sigma_sq(1.41421354) causal : (tensor<?x2x?x2xf32>, tensor<?x2x2x?x2xf32>, tensor<2x2xf32>, tensor<?x?xf32>) -> tensor<?x2x?x?xf32>

// attn-reuse-map first: one MGK map, applied by both layers.
// REUSE-LABEL: module @pre_norm_attend_mask_causal
// REUSE:         @layers.0.attn.wk_mgk0(
// REUSE-NOT:     @layers.1.attn.{{wk|mgk_pi}}
// REUSE-LABEL:   func.func @forward(
// REUSE:           %[[MAP:.+]] = attn.mgk_scores {{.+}} causal
// REUSE:           attn.apply %[[MAP]]
// REUSE-NOT:       attn.mgk_scores
// REUSE:           attn.apply %[[MAP]]
module @pre_norm_attend_mask_causal {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<?x?x8xf32>, %mask: tensor<?x?xf32>) -> tensor<?x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %g0 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %b0 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %n0 = attn.layer_norm %x, %g0, %b0 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %q0 = attn.project %n0, %wq0 heads(4) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x4x?x2xf32>
    %k0 = attn.project %n0, %wk0 heads(4) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x4x?x2xf32>
    %v0 = attn.project %n0, %wv0 heads(4) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x4x?x2xf32>
    %o0 = attn.attend %q0, %k0, %v0 mask(%mask) causal
        : (tensor<?x4x?x2xf32>, tensor<?x4x?x2xf32>, tensor<?x4x?x2xf32>, tensor<?x?xf32>) -> tensor<?x4x?x2xf32>
    %a0 = attn.merge %o0, %wo0 : (tensor<?x4x?x2xf32>, tensor<8x8xf32>) -> tensor<?x?x8xf32>
    %y0 = arith.addf %x, %a0 : tensor<?x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %g1 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %b1 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %n1 = attn.layer_norm %y0, %g1, %b1 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %q1 = attn.project %n1, %wq1 heads(4) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x4x?x2xf32>
    %k1 = attn.project %n1, %wk1 heads(4) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x4x?x2xf32>
    %v1 = attn.project %n1, %wv1 heads(4) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x4x?x2xf32>
    %o1 = attn.attend %q1, %k1, %v1 mask(%mask) causal
        : (tensor<?x4x?x2xf32>, tensor<?x4x?x2xf32>, tensor<?x4x?x2xf32>, tensor<?x?xf32>) -> tensor<?x4x?x2xf32>
    %a1 = attn.merge %o1, %wo1 : (tensor<?x4x?x2xf32>, tensor<8x8xf32>) -> tensor<?x?x8xf32>
    %y1 = arith.addf %y0, %a1 : tensor<?x?x8xf32>
    return %y1 : tensor<?x?x8xf32>
  }
}

// -----

// Cross-attention with an explicit scale (0.25) and dv (6) != dk (2): keys
// come from the memory, sigma_sq is 1/scale = 4.
// CHECK-LABEL: module @cross_attention_explicit_scale
// CHECK:         @layers.2.attn.wk_mgk0({{.+}}) : tensor<8x8xf32> {attn.init = "copy:layers.2.attn.wk"}
// CHECK-NEXT:    @layers.2.attn.bk_mgk0({{.+}}) : tensor<8xf32> {attn.init = "copy:layers.2.attn.bk"}
// CHECK-LABEL:   func.func @forward(
// CHECK-SAME:        %[[X:[^:]+]]: tensor<2x5x8xf32>, %[[MEM:[^:]+]]: tensor<2x?x8xf32>)
// CHECK:           %[[Q:.+]] = attn.project %[[X]], %{{.+}} heads(4) : (tensor<2x5x8xf32>, tensor<8x8xf32>) -> tensor<2x4x5x2xf32>
// CHECK:           %[[V:.+]] = attn.project %[[MEM]], %{{.+}} heads(4) : (tensor<2x?x8xf32>, tensor<8x24xf32>) -> tensor<2x4x?x6xf32>
// CHECK:           attn.project %[[MEM]], %layers.2.attn.wk_mgk0 bias(%layers.2.attn.bk_mgk0) heads(4)
// CHECK:           attn.project %[[MEM]], %layers.2.attn.wk_mgk1 bias(%layers.2.attn.bk_mgk1) heads(4)
// CHECK:           %[[MAP:.+]] = attn.mgk_scores %[[Q]], %{{.+}}, %{{.+}} sigma_sq(4.000000e+00) : (tensor<2x4x5x2xf32>, tensor<2x4x2x?x2xf32>, tensor<4x2xf32>) -> tensor<2x4x5x?xf32>
// CHECK-NEXT:      attn.apply %[[MAP]], %[[V]] : (tensor<2x4x5x?xf32>, tensor<2x4x?x6xf32>) -> tensor<2x4x5x6xf32>

// num-keys=1: a single Gaussian key per head, nothing to concatenate.
// R1-LABEL: module @cross_attention_explicit_scale
// R1:         @layers.2.attn.mgk_pi({{.+}}) : tensor<4x1xf32> {attn.init = "ones"}
// R1-LABEL:   func.func @forward(
// R1-NOT:       tensor.concat
// R1:           %[[KEYS:.+]] = tensor.expand_shape {{.+}} into tensor<2x4x1x?x2xf32>
// R1-NOT:       tensor.concat
// R1:           attn.mgk_scores %{{.+}}, %[[KEYS]], %{{.+}} sigma_sq(4.000000e+00)

// dv = 6 != dk = 2 with two heads: values [8, 12], output [12, 8].
// HEADS-LABEL: module @cross_attention_explicit_scale
// HEADS:         @layers.2.attn.wv_mgk({{.+}}) : tensor<8x12xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.2.attn.wo_mgk({{.+}}) : tensor<12x8xf32> {attn.init = "train"}
module @cross_attention_explicit_scale {
  ml_program.global private @layers.2.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wv(#ml_program.extern : tensor<8x24xf32>) : tensor<8x24xf32>
  ml_program.global private @layers.2.attn.wo(#ml_program.extern : tensor<24x8xf32>) : tensor<24x8xf32>
  ml_program.global private @layers.2.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<2x5x8xf32>, %mem: tensor<2x?x8xf32>) -> tensor<2x5x8xf32> {
    %wq = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.2.attn.wv : tensor<8x24xf32>
    %wo = ml_program.global_load_const @layers.2.attn.wo : tensor<24x8xf32>
    %bk = ml_program.global_load_const @layers.2.attn.bk : tensor<8xf32>
    %a = attn.mha %x, %mem, %wq, %wk, %wv, %wo bk(%bk) heads(4) scale(2.500000e-01)
        : (tensor<2x5x8xf32>, tensor<2x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x24xf32>, tensor<24x8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
    return %a : tensor<2x5x8xf32>
  }
}

// -----

// Attention-map reuse written out (layer 1 applies layer 0's map): the map
// is rewritten once and both layers apply it; with a new head count, the
// reuse layer's values and output projection get H' heads as well.
// CHECK-LABEL: module @reuse_layer_shares_map
// CHECK:         @layers.1.attn.wv(
// CHECK-NOT:     @layers.1.attn.{{.+}}_mgk
// CHECK-LABEL:   func.func @forward(
// CHECK:           %[[MAP:.+]] = attn.mgk_scores {{.+}} causal : (tensor<1x4x16x2xf32>, tensor<1x4x2x16x2xf32>, tensor<4x2xf32>) -> tensor<1x4x16x16xf32>
// CHECK:           attn.apply %[[MAP]]
// CHECK:           %[[V1:.+]] = attn.project %{{.+}}, %layers.1.attn.wv bias(%layers.1.attn.bv) heads(4)
// CHECK-NEXT:      attn.apply %[[MAP]], %[[V1]] : (tensor<1x4x16x16xf32>, tensor<1x4x16x4xf32>) -> tensor<1x4x16x4xf32>

// num-heads=2: the reuse layer's values and output projection follow.
// HEADS-LABEL: module @reuse_layer_shares_map
// HEADS:         @layers.1.attn.bo({{.+}}) : tensor<8xf32>{{$}}
// HEADS:         @layers.1.attn.wv_mgk({{.+}}) : tensor<8x8xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.1.attn.bv_mgk({{.+}}) : tensor<8xf32> {attn.init = "train"}
// HEADS-NEXT:    @layers.1.attn.wo_mgk({{.+}}) : tensor<8x8xf32> {attn.init = "train"}
// HEADS-LABEL:   func.func @forward(
// HEADS:           %[[MAP:.+]] = attn.mgk_scores {{.+}} -> tensor<1x2x16x16xf32>
// HEADS:           %[[V1:.+]] = attn.project %{{.+}}, %layers.1.attn.wv_mgk bias(%layers.1.attn.bv_mgk) heads(2) : (tensor<1x16x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x2x16x4xf32>
// HEADS-NEXT:      %[[O1:.+]] = attn.apply %[[MAP]], %[[V1]] : (tensor<1x2x16x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x16x4xf32>
// HEADS:           attn.merge %[[O1]], %layers.1.attn.wo_mgk bias(%layers.1.attn.bo) : (tensor<1x2x16x4xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x16x8xf32>
module @reuse_layer_shares_map {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.1.attn.bv(#ml_program.extern : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.1.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x16x8xf32>) -> tensor<1x16x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq0 heads(4) : (tensor<1x16x8xf32>, tensor<8x8xf32>) -> tensor<1x4x16x2xf32>
    %k = attn.project %x, %wk0 heads(4) : (tensor<1x16x8xf32>, tensor<8x8xf32>) -> tensor<1x4x16x2xf32>
    %v0 = attn.project %x, %wv0 heads(4) : (tensor<1x16x8xf32>, tensor<8x8xf32>) -> tensor<1x4x16x2xf32>
    %map = attn.scores %q, %k causal : (tensor<1x4x16x2xf32>, tensor<1x4x16x2xf32>) -> tensor<1x4x16x16xf32>
    %o0 = attn.apply %map, %v0 : (tensor<1x4x16x16xf32>, tensor<1x4x16x2xf32>) -> tensor<1x4x16x2xf32>
    %a0 = attn.merge %o0, %wo0 : (tensor<1x4x16x2xf32>, tensor<8x8xf32>) -> tensor<1x16x8xf32>
    %h = arith.addf %x, %a0 : tensor<1x16x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x16xf32>
    %bv1 = ml_program.global_load_const @layers.1.attn.bv : tensor<16xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<16x8xf32>
    %bo1 = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
    %v1 = attn.project %h, %wv1 bias(%bv1) heads(4) : (tensor<1x16x8xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<1x4x16x4xf32>
    %o1 = attn.apply %map, %v1 : (tensor<1x4x16x16xf32>, tensor<1x4x16x4xf32>) -> tensor<1x4x16x4xf32>
    %a1 = attn.merge %o1, %wo1 bias(%bo1) : (tensor<1x4x16x4xf32>, tensor<16x8xf32>, tensor<8xf32>) -> tensor<1x16x8xf32>
    %y = arith.addf %h, %a1 : tensor<1x16x8xf32>
    return %y : tensor<1x16x8xf32>
  }
}
