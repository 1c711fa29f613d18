// Attention-map reuse (Shim et al.): in each group the first layer computes
// its map and the later layers apply it to their own values.
//
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=2 | attn-opt -split-input-file | FileCheck %s --check-prefix=M2
// Running the pass again on its own output changes nothing: the same checks hold.
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=2 | attn-opt -split-input-file --attn-reuse-map=group-size=2 | FileCheck %s --check-prefix=M2
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=3 | attn-opt -split-input-file | FileCheck %s --check-prefix=M3
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=4 | attn-opt -split-input-file | FileCheck %s --check-prefix=M4
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=1 | attn-opt -split-input-file | FileCheck %s --check-prefix=M1
// RUN: attn-opt %s -split-input-file --attn-reuse-map="group-size=2 value-expansion=2" | attn-opt -split-input-file | FileCheck %s --check-prefix=E2
// RUN: attn-opt %s -split-input-file --attn-reuse-map="group-size=2 value-expansion=2" | attn-opt -split-input-file --attn-reuse-map="group-size=2 value-expansion=2" | FileCheck %s --check-prefix=E2
//
// Explicit groups name layer indices, so they run on the six-layer model only
// (cut out with sed: that case is also one of the -split-input-file cases
// above, and split-file cannot put one case into two files).
// RUN: sed -n -e '/^\/\/ CASE: six_layers$/,/^\/\/ -----$/p' %s | attn-opt --attn-reuse-map=groups=0-2,4-5 | attn-opt | FileCheck %s --check-prefix=GRP
// RUN: sed -n -e '/^\/\/ CASE: six_layers$/,/^\/\/ -----$/p' %s | attn-opt --attn-reuse-map="groups=1-3,5 value-expansion=2" | attn-opt | FileCheck %s --check-prefix=GRP2
//
// A 16-layer model from attn-model in the paper's 4x4 configuration: 4 maps
// for 16 applies; the reuse layers' query/key parameters are gone.
// RUN: attn-model --layers=16 --d-model=256 --heads=4 --ffn=1024 --seq-len=0 | attn-opt --attn-reuse-map=group-size=4 | attn-opt | FileCheck %s --check-prefix=MODEL
// RUN: attn-model --layers=16 --d-model=256 --heads=4 --ffn=1024 --seq-len=0 | attn-opt --attn-reuse-map=group-size=4 | grep "= attn.scores" | count 4
// RUN: attn-model --layers=16 --d-model=256 --heads=4 --ffn=1024 --seq-len=0 | attn-opt --attn-reuse-map=group-size=4 | grep "= attn.apply" | count 16
// MODEL:     ml_program.global private @layers.0.attn.wq(
// MODEL-NOT: @layers.1.attn.wq(
// MODEL:     ml_program.global private @layers.1.attn.wv(
// MODEL-NOT: @layers.{{[123]}}.attn.{{wq|wk|bq|bk}}(
// MODEL:     ml_program.global private @layers.4.attn.wq(
// MODEL-NOT: @layers.{{[5-7]}}.attn.{{wq|wk|bq|bk}}(
// MODEL:     ml_program.global private @layers.8.attn.wq(
// MODEL-NOT: @layers.{{9|10|11}}.attn.{{wq|wk|bq|bk}}(
// MODEL:     ml_program.global private @layers.12.attn.wq(
// MODEL-NOT: @layers.{{13|14|15}}.attn.{{wq|wk|bq|bk}}(
// MODEL:     func.func @forward

// Four post-norm layers with every bias and a dynamic sequence length, in
// the attn.mha form models arrive in. Group size 2 gives {0,1} {2,3}; 3 gives
// {0,1,2} and a short last group {3}; 4 gives one group; 1 shares nothing.
// M2-LABEL: module @four_layers
// M2:         ml_program.global private @layers.0.attn.wq(
// M2:         ml_program.global private @layers.0.attn.wk(
// M2-NOT:     @layers.1.attn.{{wq|wk|bq|bk}}(
// M2:         ml_program.global private @layers.1.attn.wv(
// M2:         ml_program.global private @layers.1.attn.wo(
// M2:         ml_program.global private @layers.1.attn.bv(
// M2:         ml_program.global private @layers.1.attn.bo(
// M2:         ml_program.global private @layers.2.attn.wq(
// M2-NOT:     @layers.3.attn.{{wq|wk|bq|bk}}(
// M2:         ml_program.global private @layers.3.attn.wv(
// M2-LABEL:   func.func @forward(
// M2-SAME:        %[[X:.+]]: tensor<1x?x8xf32>)
// M2:         %[[Q0:.+]] = attn.project %[[X]], %{{.+}} bias(%{{.+}}) heads(2)
// M2:         %[[K0:.+]] = attn.project %[[X]], %{{.+}} bias(%{{.+}}) heads(2)
// M2:         %[[V0:.+]] = attn.project %[[X]], %{{.+}} bias(%{{.+}}) heads(2)
// M2:         %[[MAP0:.+]] = attn.scores %[[Q0]], %[[K0]] : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
// M2:         attn.apply %[[MAP0]], %[[V0]]
// M2:         %[[X1:.+]] = attn.layer_norm
// M2-NOT:     attn.scores
// M2:         %[[WV1:.+]] = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
// M2:         %[[WO1:.+]] = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
// M2:         %[[BV1:.+]] = ml_program.global_load_const @layers.1.attn.bv : tensor<8xf32>
// M2:         %[[BO1:.+]] = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
// M2-NOT:     attn.scores
// M2:         %[[V1:.+]] = attn.project %[[X1]], %[[WV1]] bias(%[[BV1]]) heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x2x?x4xf32>
// M2-NEXT:    %[[H1:.+]] = attn.apply %[[MAP0]], %[[V1]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
// M2-NEXT:    attn.merge %[[H1]], %[[WO1]] bias(%[[BO1]])
// M2:         %[[MAP2:.+]] = attn.scores
// M2:         attn.apply %[[MAP2]],
// M2-NOT:     attn.scores
// M2:         attn.apply %[[MAP2]],
// M2-NOT:     attn.scores
// M2:         return

// M3-LABEL: module @four_layers
// M3-NOT:     @layers.{{1|2}}.attn.{{wq|wk|bq|bk}}(
// M3:         ml_program.global private @layers.3.attn.wq(
// M3:         %[[MAP0:.+]] = attn.scores
// M3:         attn.apply %[[MAP0]],
// M3-NOT:     attn.scores
// M3:         attn.apply %[[MAP0]],
// M3-NOT:     attn.scores
// M3:         attn.apply %[[MAP0]],
// M3:         %[[MAP3:.+]] = attn.scores
// M3:         attn.apply %[[MAP3]],
// M3:         return

// M4-LABEL: module @four_layers
// M4:         ml_program.global private @layers.0.attn.wq(
// M4-NOT:     @layers.{{1|2|3}}.attn.{{wq|wk|bq|bk}}(
// M4:         func.func @forward
// M4:         %[[MAP0:.+]] = attn.scores
// M4-COUNT-4: attn.apply %[[MAP0]],
// M4-NOT:     attn.scores
// M4:         return

// M1-LABEL: module @four_layers
// M1:         ml_program.global private @layers.1.attn.wq(
// M1:         ml_program.global private @layers.3.attn.wq(
// M1-COUNT-4: attn.scores
// M1:         return

// value-expansion=2 widens the reuse layers 1 and 3: [D, 2*H*dv] values (with their bias)
// and [2*H*dv, D] output weights, all to be trained; bo stays.
// E2-LABEL: module @four_layers
// E2:         ml_program.global private @layers.0.attn.wv(#{{.+}}) : tensor<8x8xf32>
// E2-NOT:     @layers.1.attn.{{wq|wk|wv|wo|bq|bk|bv}}(
// E2:         ml_program.global private @layers.1.attn.bo(#{{.+}}) : tensor<8xf32>
// E2:         ml_program.global private @layers.2.attn.wv(#{{.+}}) : tensor<8x8xf32>
// E2-NOT:     @layers.3.attn.{{wq|wk|wv|wo|bq|bk|bv}}(
// E2:         ml_program.global private @layers.3.attn.bo(
// E2:         ml_program.global private @layers.1.attn.wv_e2(#{{.+}}) : tensor<8x16xf32> {attn.init = "train"}
// E2-NEXT:    ml_program.global private @layers.1.attn.bv_e2(#{{.+}}) : tensor<16xf32> {attn.init = "train"}
// E2-NEXT:    ml_program.global private @layers.1.attn.wo_e2(#{{.+}}) : tensor<16x8xf32> {attn.init = "train"}
// E2-NEXT:    ml_program.global private @layers.3.attn.wv_e2(#{{.+}}) : tensor<8x16xf32> {attn.init = "train"}
// E2-NEXT:    ml_program.global private @layers.3.attn.bv_e2(#{{.+}}) : tensor<16xf32> {attn.init = "train"}
// E2-NEXT:    ml_program.global private @layers.3.attn.wo_e2(#{{.+}}) : tensor<16x8xf32> {attn.init = "train"}
// E2:         %[[MAP0:.+]] = attn.scores
// E2:         attn.apply %[[MAP0]], %{{.+}} : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
// E2:         %[[X1:.+]] = attn.layer_norm
// E2:         %[[BO1:.+]] = ml_program.global_load_const @layers.1.attn.bo
// E2-NOT:     attn.scores
// E2:         %[[WV1:.+]] = ml_program.global_load_const @layers.1.attn.wv_e2 : tensor<8x16xf32>
// E2-NEXT:    %[[BV1:.+]] = ml_program.global_load_const @layers.1.attn.bv_e2 : tensor<16xf32>
// E2-NEXT:    %[[V1:.+]] = attn.project %[[X1]], %[[WV1]] bias(%[[BV1]]) heads(2) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<1x2x?x8xf32>
// E2-NEXT:    %[[H1:.+]] = attn.apply %[[MAP0]], %[[V1]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
// E2-NEXT:    %[[WO1:.+]] = ml_program.global_load_const @layers.1.attn.wo_e2 : tensor<16x8xf32>
// E2-NEXT:    attn.merge %[[H1]], %[[WO1]] bias(%[[BO1]]) : (tensor<1x2x?x8xf32>, tensor<16x8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
// E2:         %[[MAP2:.+]] = attn.scores
// E2:         attn.apply %[[MAP2]], %{{.+}} : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
// E2:         attn.apply %[[MAP2]], %{{.+}} : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
// E2:         return
module @four_layers {
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
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq0 = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk0 = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv0 = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo0 = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %g0 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %be0 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %a0 = attn.mha %x, %x, %wq0, %wk0, %wv0, %wo0 bq(%bq0) bk(%bk0) bv(%bv0) bo(%bo0) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %x1 = attn.layer_norm %r0, %g0, %be0 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %bq1 = ml_program.global_load_const @layers.1.attn.bq : tensor<8xf32>
    %bk1 = ml_program.global_load_const @layers.1.attn.bk : tensor<8xf32>
    %bv1 = ml_program.global_load_const @layers.1.attn.bv : tensor<8xf32>
    %bo1 = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
    %g1 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %be1 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %a1 = attn.mha %x1, %x1, %wq1, %wk1, %wv1, %wo1 bq(%bq1) bk(%bk1) bv(%bv1) bo(%bo1) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r1 = arith.addf %x1, %a1 : tensor<1x?x8xf32>
    %x2 = attn.layer_norm %r1, %g1, %be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %wq2 = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk2 = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv2 = ml_program.global_load_const @layers.2.attn.wv : tensor<8x8xf32>
    %wo2 = ml_program.global_load_const @layers.2.attn.wo : tensor<8x8xf32>
    %bq2 = ml_program.global_load_const @layers.2.attn.bq : tensor<8xf32>
    %bk2 = ml_program.global_load_const @layers.2.attn.bk : tensor<8xf32>
    %bv2 = ml_program.global_load_const @layers.2.attn.bv : tensor<8xf32>
    %bo2 = ml_program.global_load_const @layers.2.attn.bo : tensor<8xf32>
    %g2 = ml_program.global_load_const @layers.2.ln1.gamma : tensor<8xf32>
    %be2 = ml_program.global_load_const @layers.2.ln1.beta : tensor<8xf32>
    %a2 = attn.mha %x2, %x2, %wq2, %wk2, %wv2, %wo2 bq(%bq2) bk(%bk2) bv(%bv2) bo(%bo2) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r2 = arith.addf %x2, %a2 : tensor<1x?x8xf32>
    %x3 = attn.layer_norm %r2, %g2, %be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %wq3 = ml_program.global_load_const @layers.3.attn.wq : tensor<8x8xf32>
    %wk3 = ml_program.global_load_const @layers.3.attn.wk : tensor<8x8xf32>
    %wv3 = ml_program.global_load_const @layers.3.attn.wv : tensor<8x8xf32>
    %wo3 = ml_program.global_load_const @layers.3.attn.wo : tensor<8x8xf32>
    %bq3 = ml_program.global_load_const @layers.3.attn.bq : tensor<8xf32>
    %bk3 = ml_program.global_load_const @layers.3.attn.bk : tensor<8xf32>
    %bv3 = ml_program.global_load_const @layers.3.attn.bv : tensor<8xf32>
    %bo3 = ml_program.global_load_const @layers.3.attn.bo : tensor<8xf32>
    %g3 = ml_program.global_load_const @layers.3.ln1.gamma : tensor<8xf32>
    %be3 = ml_program.global_load_const @layers.3.ln1.beta : tensor<8xf32>
    %a3 = attn.mha %x3, %x3, %wq3, %wk3, %wv3, %wo3 bq(%bq3) bk(%bk3) bv(%bv3) bo(%bo3) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r3 = arith.addf %x3, %a3 : tensor<1x?x8xf32>
    %x4 = attn.layer_norm %r3, %g3, %be3 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    return %x4 : tensor<1x?x8xf32>
  }
}

// -----
// CASE: six_layers
// Six pre-norm layers without biases and a static sequence length. Group
// size 4 gives a group of four and a short last group {4,5}; 3 gives two
// groups of three. Value expansion creates no value bias where the layer had
// none. groups=0-2,4-5 leaves layer 3 with its own map; with groups=1-3,5
// layer 0 (outside every range) and 4 keep their maps, 1-3 share, 5 is a
// group of one, and only the reuse layers 2 and 3 are widened.
// M2-LABEL: module @six_layers
// M2-COUNT-3: attn.scores
// M2-NOT:     attn.scores
// M2:         return

// M3-LABEL: module @six_layers
// M3:         %[[MAP0:.+]] = attn.scores
// M3:         attn.apply %[[MAP0]],
// M3-NOT:     attn.scores
// M3:         attn.apply %[[MAP0]],
// M3-NOT:     attn.scores
// M3:         attn.apply %[[MAP0]],
// M3:         %[[MAP3:.+]] = attn.scores
// M3-COUNT-3: attn.apply %[[MAP3]],
// M3-NOT:     attn.scores
// M3:         return

// M4-LABEL: module @six_layers
// M4:         ml_program.global private @layers.0.attn.wq(
// M4-NOT:     @layers.{{1|2|3}}.attn.{{wq|wk}}(
// M4:         ml_program.global private @layers.4.attn.wq(
// M4-NOT:     @layers.5.attn.{{wq|wk}}(
// M4:         func.func @forward(%[[X:.+]]: tensor<1x4x8xf32>)
// M4:         %[[N0:.+]] = attn.layer_norm %[[X]],
// M4:         %[[Q0:.+]] = attn.project %[[N0]], %{{.+}} heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
// M4:         %[[MAP0:.+]] = attn.scores %[[Q0]], %{{.+}} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// M4-COUNT-4: attn.apply %[[MAP0]],
// M4:         %[[MAP4:.+]] = attn.scores
// M4-COUNT-2: attn.apply %[[MAP4]],
// M4-NOT:     attn.scores
// M4:         return

// E2-LABEL: module @six_layers
// E2-NOT:     bv_e2
// E2:         ml_program.global private @layers.1.attn.wv_e2(#{{.+}}) : tensor<8x16xf32> {attn.init = "train"}
// E2-NEXT:    ml_program.global private @layers.1.attn.wo_e2(#{{.+}}) : tensor<16x8xf32> {attn.init = "train"}
// E2-NOT:     bv_e2
// E2:         %[[V1:.+]] = attn.project %{{.+}}, %{{.+}} heads(2) : (tensor<1x4x8xf32>, tensor<8x16xf32>) -> tensor<1x2x4x8xf32>
// E2-NEXT:    attn.apply %{{.+}}, %[[V1]] : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
// E2:         return

// GRP-LABEL: module @six_layers
// GRP-NOT:     @layers.{{1|2|5}}.attn.{{wq|wk}}(
// GRP:         func.func @forward
// GRP:         %[[MAP0:.+]] = attn.scores
// GRP-COUNT-3: attn.apply %[[MAP0]],
// GRP:         %[[MAP3:.+]] = attn.scores
// GRP-NEXT:    attn.apply %[[MAP3]],
// GRP:         %[[MAP4:.+]] = attn.scores
// GRP-COUNT-2: attn.apply %[[MAP4]],
// GRP-NOT:     attn.scores
// GRP:        return

// GRP2-LABEL: module @six_layers
// GRP2:         ml_program.global private @layers.0.attn.wq(
// GRP2:         ml_program.global private @layers.1.attn.wq(
// GRP2-NOT:     @layers.{{2|3}}.attn.{{wq|wk|wv|wo}}(
// GRP2:         ml_program.global private @layers.4.attn.wq(
// GRP2:         ml_program.global private @layers.5.attn.wq(
// GRP2:         ml_program.global private @layers.2.attn.wv_e2(
// GRP2:         ml_program.global private @layers.3.attn.wv_e2(
// GRP2-NOT:     @layers.{{[0145]}}.attn.wv_e2(
// GRP2:         func.func @forward
// GRP2:         %[[MAP0:.+]] = attn.scores
// GRP2-NEXT:    attn.apply %[[MAP0]],
// GRP2:         %[[MAP1:.+]] = attn.scores
// GRP2-COUNT-3: attn.apply %[[MAP1]],
// GRP2:         %[[MAP4:.+]] = attn.scores
// GRP2-NEXT:    attn.apply %[[MAP4]],
// GRP2:         %[[MAP5:.+]] = attn.scores
// GRP2-NEXT:    attn.apply %[[MAP5]],
module @six_layers {
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
  ml_program.global private @layers.2.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.3.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.4.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.4.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.4.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.4.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.4.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.4.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.5.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.5.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.5.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.5.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.5.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.5.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %g0 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %be0 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %n0 = attn.layer_norm %x, %g0, %be0 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %a0 = attn.mha %n0, %n0, %wq0, %wk0, %wv0, %wo0 heads(2)
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %g1 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %be1 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %n1 = attn.layer_norm %x1, %g1, %be1 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %a1 = attn.mha %n1, %n1, %wq1, %wk1, %wv1, %wo1 heads(2)
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    %wq2 = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk2 = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv2 = ml_program.global_load_const @layers.2.attn.wv : tensor<8x8xf32>
    %wo2 = ml_program.global_load_const @layers.2.attn.wo : tensor<8x8xf32>
    %g2 = ml_program.global_load_const @layers.2.ln1.gamma : tensor<8xf32>
    %be2 = ml_program.global_load_const @layers.2.ln1.beta : tensor<8xf32>
    %n2 = attn.layer_norm %x2, %g2, %be2 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %a2 = attn.mha %n2, %n2, %wq2, %wk2, %wv2, %wo2 heads(2)
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x3 = arith.addf %x2, %a2 : tensor<1x4x8xf32>
    %wq3 = ml_program.global_load_const @layers.3.attn.wq : tensor<8x8xf32>
    %wk3 = ml_program.global_load_const @layers.3.attn.wk : tensor<8x8xf32>
    %wv3 = ml_program.global_load_const @layers.3.attn.wv : tensor<8x8xf32>
    %wo3 = ml_program.global_load_const @layers.3.attn.wo : tensor<8x8xf32>
    %g3 = ml_program.global_load_const @layers.3.ln1.gamma : tensor<8xf32>
    %be3 = ml_program.global_load_const @layers.3.ln1.beta : tensor<8xf32>
    %n3 = attn.layer_norm %x3, %g3, %be3 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %a3 = attn.mha %n3, %n3, %wq3, %wk3, %wv3, %wo3 heads(2)
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x4 = arith.addf %x3, %a3 : tensor<1x4x8xf32>
    %wq4 = ml_program.global_load_const @layers.4.attn.wq : tensor<8x8xf32>
    %wk4 = ml_program.global_load_const @layers.4.attn.wk : tensor<8x8xf32>
    %wv4 = ml_program.global_load_const @layers.4.attn.wv : tensor<8x8xf32>
    %wo4 = ml_program.global_load_const @layers.4.attn.wo : tensor<8x8xf32>
    %g4 = ml_program.global_load_const @layers.4.ln1.gamma : tensor<8xf32>
    %be4 = ml_program.global_load_const @layers.4.ln1.beta : tensor<8xf32>
    %n4 = attn.layer_norm %x4, %g4, %be4 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %a4 = attn.mha %n4, %n4, %wq4, %wk4, %wv4, %wo4 heads(2)
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x5 = arith.addf %x4, %a4 : tensor<1x4x8xf32>
    %wq5 = ml_program.global_load_const @layers.5.attn.wq : tensor<8x8xf32>
    %wk5 = ml_program.global_load_const @layers.5.attn.wk : tensor<8x8xf32>
    %wv5 = ml_program.global_load_const @layers.5.attn.wv : tensor<8x8xf32>
    %wo5 = ml_program.global_load_const @layers.5.attn.wo : tensor<8x8xf32>
    %g5 = ml_program.global_load_const @layers.5.ln1.gamma : tensor<8xf32>
    %be5 = ml_program.global_load_const @layers.5.ln1.beta : tensor<8xf32>
    %n5 = attn.layer_norm %x5, %g5, %be5 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %a5 = attn.mha %n5, %n5, %wq5, %wk5, %wv5, %wo5 heads(2)
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x6 = arith.addf %x5, %a5 : tensor<1x4x8xf32>
    return %x6 : tensor<1x4x8xf32>
  }
}

// -----
// Causal layers share a causal map.
// M2-LABEL: module @causal_layers
// M2:         %[[MAP0:.+]] = attn.scores %{{.+}}, %{{.+}} causal :
// M2-NEXT:    attn.apply %[[MAP0]],
// M2-NOT:     attn.scores
// M2:         attn.apply %[[MAP0]],
module @causal_layers {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq0 = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk0 = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv0 = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo0 = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %a0 = attn.mha %x, %x, %wq0, %wk0, %wv0, %wo0 bq(%bq0) bk(%bk0) bv(%bv0) bo(%bo0) heads(2) causal
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %bq1 = ml_program.global_load_const @layers.1.attn.bq : tensor<8xf32>
    %bk1 = ml_program.global_load_const @layers.1.attn.bk : tensor<8xf32>
    %bv1 = ml_program.global_load_const @layers.1.attn.bv : tensor<8xf32>
    %bo1 = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
    %a1 = attn.mha %x1, %x1, %wq1, %wk1, %wv1, %wo1 bq(%bq1) bk(%bk1) bv(%bv1) bo(%bo1) heads(2) causal
        : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    return %x2 : tensor<1x4x8xf32>
  }
}

// -----
// Layers reading the same mask share a map computed with it; group size 2
// leaves the third layer in a group of its own.
// M2-LABEL: module @shared_mask
// M2:         func.func @forward(%[[X:.+]]: tensor<1x?x8xf32>, %[[MASK:.+]]: tensor<1x1x?x?xf32>)
// M2:         %[[MAP0:.+]] = attn.scores %{{.+}}, %{{.+}} mask(%[[MASK]]) :
// M2-COUNT-2: attn.apply %[[MAP0]],
// M2:         %[[MAP2:.+]] = attn.scores %{{.+}}, %{{.+}} mask(%[[MASK]]) :
// M2-NEXT:    attn.apply %[[MAP2]],

// M3-LABEL: module @shared_mask
// M3:         %[[MAP0:.+]] = attn.scores %{{.+}}, %{{.+}} mask(%{{.+}}) :
// M3-COUNT-3: attn.apply %[[MAP0]],
// M3-NOT:     attn.scores
// M3:         return
module @shared_mask {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.2.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %mask: tensor<1x1x?x?xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq0 = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk0 = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv0 = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo0 = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %a0 = attn.mha %x, %x, %wq0, %wk0, %wv0, %wo0 bq(%bq0) bk(%bk0) bv(%bv0) bo(%bo0) mask(%mask) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<1x1x?x?xf32>) -> tensor<1x?x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %bq1 = ml_program.global_load_const @layers.1.attn.bq : tensor<8xf32>
    %bk1 = ml_program.global_load_const @layers.1.attn.bk : tensor<8xf32>
    %bv1 = ml_program.global_load_const @layers.1.attn.bv : tensor<8xf32>
    %bo1 = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
    %a1 = attn.mha %x1, %x1, %wq1, %wk1, %wv1, %wo1 bq(%bq1) bk(%bk1) bv(%bv1) bo(%bo1) mask(%mask) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<1x1x?x?xf32>) -> tensor<1x?x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x?x8xf32>
    %wq2 = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk2 = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv2 = ml_program.global_load_const @layers.2.attn.wv : tensor<8x8xf32>
    %wo2 = ml_program.global_load_const @layers.2.attn.wo : tensor<8x8xf32>
    %bq2 = ml_program.global_load_const @layers.2.attn.bq : tensor<8xf32>
    %bk2 = ml_program.global_load_const @layers.2.attn.bk : tensor<8xf32>
    %bv2 = ml_program.global_load_const @layers.2.attn.bv : tensor<8xf32>
    %bo2 = ml_program.global_load_const @layers.2.attn.bo : tensor<8xf32>
    %a2 = attn.mha %x2, %x2, %wq2, %wk2, %wv2, %wo2 bq(%bq2) bk(%bk2) bv(%bv2) bo(%bo2) mask(%mask) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<1x1x?x?xf32>) -> tensor<1x?x8xf32>
    %x3 = arith.addf %x2, %a2 : tensor<1x?x8xf32>
    return %x3 : tensor<1x?x8xf32>
  }
}

// -----
// Fused layers (attn-fuse-attend's form): the first layer of a group is split
// back into scores + apply (keeping causal and scale) so its map exists; a
// fused later layer becomes an apply of that map; the third layer, alone in
// its group of size 2, stays fused.
// M2-LABEL: module @fused_layers
// M2:         func.func @forward(%[[X:.+]]: tensor<1x?x8xf32>)
// M2:         %[[Q0:.+]] = attn.project %[[X]],
// M2:         %[[K0:.+]] = attn.project %[[X]],
// M2:         %[[V0:.+]] = attn.project %[[X]],
// M2:         %[[MAP0:.+]] = attn.scores %[[Q0]], %[[K0]] causal scale(5.000000e-01) : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
// M2-NEXT:    %[[H0:.+]] = attn.apply %[[MAP0]], %[[V0]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
// M2-NEXT:    attn.merge %[[H0]],
// M2-NOT:     attn.attend
// M2:         %[[V1:.+]] = attn.project
// M2-NEXT:    %[[H1:.+]] = attn.apply %[[MAP0]], %[[V1]] :
// M2-NEXT:    attn.merge %[[H1]],
// M2:         attn.attend %{{.+}}, %{{.+}}, %{{.+}} causal :
// M2-NOT:     attn.scores
// M2:         return

// M3-LABEL: module @fused_layers
// M3-NOT:     @layers.{{1|2}}.attn.{{wq|wk}}(
// M3:         %[[MAP0:.+]] = attn.scores
// M3-COUNT-3: attn.apply %[[MAP0]],
// M3-NOT:     attn.attend
// M3:         return

// E2-LABEL: module @fused_layers
// E2:         ml_program.global private @layers.1.attn.wv_e2(#{{.+}}) : tensor<8x16xf32> {attn.init = "train"}
// E2-NEXT:    ml_program.global private @layers.1.attn.wo_e2(#{{.+}}) : tensor<16x8xf32> {attn.init = "train"}
// E2:         %[[MAP0:.+]] = attn.scores
// E2:         %[[V1:.+]] = attn.project %{{.+}}, %{{.+}} heads(2) : (tensor<1x?x8xf32>, tensor<8x16xf32>) -> tensor<1x2x?x8xf32>
// E2-NEXT:    attn.apply %[[MAP0]], %[[V1]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
// E2:         attn.attend
module @fused_layers {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q0 = attn.project %x, %wq0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k0 = attn.project %x, %wk0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %h0 = attn.attend %q0, %k0, %v0 causal scale(5.000000e-01) : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o0 = attn.merge %h0, %wo0 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x1 = arith.addf %x, %o0 : tensor<1x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %q1 = attn.project %x1, %wq1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k1 = attn.project %x1, %wk1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v1 = attn.project %x1, %wv1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %h1 = attn.attend %q1, %k1, %v1 causal : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o1 = attn.merge %h1, %wo1 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x2 = arith.addf %x1, %o1 : tensor<1x?x8xf32>
    %wq2 = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk2 = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv2 = ml_program.global_load_const @layers.2.attn.wv : tensor<8x8xf32>
    %wo2 = ml_program.global_load_const @layers.2.attn.wo : tensor<8x8xf32>
    %q2 = attn.project %x2, %wq2 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k2 = attn.project %x2, %wk2 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v2 = attn.project %x2, %wv2 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %h2 = attn.attend %q2, %k2, %v2 causal : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o2 = attn.merge %h2, %wo2 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x3 = arith.addf %x2, %o2 : tensor<1x?x8xf32>
    return %x3 : tensor<1x?x8xf32>
  }
}

// -----
// A Transformer-MGK map is shared like a softmax map.
// M2-LABEL: module @mgk_first
// M2-NOT:     @layers.1.attn.{{wq|wk}}(
// M2:         func.func @forward
// M2:         %[[MAP0:.+]] = attn.mgk_scores
// M2-NEXT:    attn.apply %[[MAP0]],
// M2-NOT:     attn.scores
// M2:         attn.apply %[[MAP0]],
module @mgk_first {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.pi(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %keys: tensor<1x2x2x?x4xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %pi0 = ml_program.global_load_const @layers.0.attn.pi : tensor<2x2xf32>
    %q0 = attn.project %x, %wq0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %map0 = attn.mgk_scores %q0, %keys, %pi0 sigma_sq(2.000000e+00) : (tensor<1x2x?x4xf32>, tensor<1x2x2x?x4xf32>, tensor<2x2xf32>) -> tensor<1x2x?x?xf32>
    %h0 = attn.apply %map0, %v0 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o0 = attn.merge %h0, %wo0 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x1 = arith.addf %x, %o0 : tensor<1x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %q1 = attn.project %x1, %wq1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k1 = attn.project %x1, %wk1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v1 = attn.project %x1, %wv1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %map1 = attn.scores %q1, %k1 : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %h1 = attn.apply %map1, %v1 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o1 = attn.merge %h1, %wo1 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x2 = arith.addf %x1, %o1 : tensor<1x?x8xf32>
    return %x2 : tensor<1x?x8xf32>
  }
}

// -----
// A key-value tied reuse layer (attn-tie-kv's form): its key projection stays
// as its values under E=1; with E=2 it is replaced by the widened value
// weight, named wv_e2 although it came from wk.
// M2-LABEL: module @tied_values
// M2:         ml_program.global private @layers.1.attn.wk(
// M2:         %[[MAP0:.+]] = attn.scores
// M2:         %[[K1:.+]] = attn.project %{{.+}}, %{{.+}} heads(2)
// M2-NEXT:    attn.apply %[[MAP0]], %[[K1]] :

// E2-LABEL: module @tied_values
// E2-NOT:     @layers.1.attn.wk(
// E2:         ml_program.global private @layers.1.attn.wv_e2(#{{.+}}) : tensor<8x16xf32> {attn.init = "train"}
// E2:         %[[MAP0:.+]] = attn.scores
// E2:         %[[WV1:.+]] = ml_program.global_load_const @layers.1.attn.wv_e2
// E2-NEXT:    %[[V1:.+]] = attn.project %{{.+}}, %[[WV1]] heads(2) : (tensor<1x4x8xf32>, tensor<8x16xf32>) -> tensor<1x2x4x8xf32>
// E2-NEXT:    attn.apply %[[MAP0]], %[[V1]] :
module @tied_values {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q0 = attn.project %x, %wq0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %k0 = attn.project %x, %wk0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %map0 = attn.scores %q0, %k0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %h0 = attn.apply %map0, %v0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %o0 = attn.merge %h0, %wo0 : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %o0 : tensor<1x4x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %q1 = attn.project %x1, %wq1 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %k1 = attn.project %x1, %wk1 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %map1 = attn.scores %q1, %k1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %h1 = attn.apply %map1, %k1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %o1 = attn.merge %h1, %wo1 : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %o1 : tensor<1x4x8xf32>
    return %x2 : tensor<1x4x8xf32>
  }
}

// -----
// An already reused model (the pass's own output for group size 2): layers that apply
// another layer's map are left alone, and layer 2, whose map is shared, keeps
// it under group size 4 too (a remark, see attn-reuse-map-invalid.mlir).
// M2-LABEL: module @already_reused
// M2:         %[[MAP0:.+]] = attn.scores
// M2-COUNT-2: attn.apply %[[MAP0]],
// M2:         %[[MAP2:.+]] = attn.scores
// M2-COUNT-2: attn.apply %[[MAP2]],

// M4-LABEL: module @already_reused
// M4:         %[[MAP0:.+]] = attn.scores
// M4-COUNT-2: attn.apply %[[MAP0]],
// M4:         %[[MAP2:.+]] = attn.scores
// M4-COUNT-2: attn.apply %[[MAP2]],
module @already_reused {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q0 = attn.project %x, %wq0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k0 = attn.project %x, %wk0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %map0 = attn.scores %q0, %k0 : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %h0 = attn.apply %map0, %v0 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o0 = attn.merge %h0, %wo0 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x1 = arith.addf %x, %o0 : tensor<1x?x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %v1 = attn.project %x1, %wv1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %h1 = attn.apply %map0, %v1 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o1 = attn.merge %h1, %wo1 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x2 = arith.addf %x1, %o1 : tensor<1x?x8xf32>
    %wq2 = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk2 = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv2 = ml_program.global_load_const @layers.2.attn.wv : tensor<8x8xf32>
    %wo2 = ml_program.global_load_const @layers.2.attn.wo : tensor<8x8xf32>
    %q2 = attn.project %x2, %wq2 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k2 = attn.project %x2, %wk2 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v2 = attn.project %x2, %wv2 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %map2 = attn.scores %q2, %k2 : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %h2 = attn.apply %map2, %v2 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o2 = attn.merge %h2, %wo2 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x3 = arith.addf %x2, %o2 : tensor<1x?x8xf32>
    %wv3 = ml_program.global_load_const @layers.3.attn.wv : tensor<8x8xf32>
    %wo3 = ml_program.global_load_const @layers.3.attn.wo : tensor<8x8xf32>
    %v3 = attn.project %x3, %wv3 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %h3 = attn.apply %map2, %v3 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %o3 = attn.merge %h3, %wo3 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %x4 = arith.addf %x3, %o3 : tensor<1x?x8xf32>
    return %x4 : tensor<1x?x8xf32>
  }
}

// -----
// Cross-attention layers over the same memory of dynamic length share a map
// [B, H, Tq, Tk]; the reuse layer still projects its values from the memory.
// M2-LABEL: module @cross_attention_same_memory
// M2:         func.func @forward(%[[X:[^:]+]]: tensor<1x4x8xf32>, %[[MEM:[^:]+]]: tensor<1x?x8xf32>, %[[W:[^:]+]]: tensor<8x8xf32>)
// M2:         %[[MAP0:.+]] = attn.scores {{.+}} -> tensor<1x2x4x?xf32>
// M2:         %[[V1:.+]] = attn.project %[[MEM]], %[[W]] heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
// M2-NEXT:    attn.apply %[[MAP0]], %[[V1]] : (tensor<1x2x4x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x4x4xf32>
// M2-NOT:     attn.scores
// M2:         return
module @cross_attention_same_memory {
  func.func @forward(%x: tensor<1x4x8xf32>, %mem: tensor<1x?x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a0 = attn.mha %x, %mem, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
    %a1 = attn.mha %x1, %mem, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    return %x2 : tensor<1x4x8xf32>
  }
}

// -----
// Groups are formed per function: with group size 2 the second function's two layers
// share a map even though the first function has an odd number of layers.
// M2-LABEL: module @two_functions
// M2:         func.func @first
// M2:         %[[MAP0:.+]] = attn.scores
// M2-COUNT-2: attn.apply %[[MAP0]],
// M2:         %[[MAP2:.+]] = attn.scores
// M2-NEXT:    attn.apply %[[MAP2]],
// M2:         func.func @second
// M2:         %[[MAPB:.+]] = attn.scores
// M2-COUNT-2: attn.apply %[[MAPB]],
// M2-NOT:     attn.scores
// M2:         return
module @two_functions {
  func.func @first(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
    %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    %a2 = attn.mha %x2, %x2, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x3 = arith.addf %x2, %a2 : tensor<1x4x8xf32>
    return %x3 : tensor<1x4x8xf32>
  }
  func.func @second(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
    %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    return %x2 : tensor<1x4x8xf32>
  }
}

// -----
// negative_: a single layer has nothing to share its map with.
// M2-LABEL: module @negative_single_layer
// M2:         ml_program.global private @layers.0.attn.wq(
// M2:         %[[MAP0:.+]] = attn.scores
// M2-NEXT:    attn.apply %[[MAP0]],
// M4-LABEL: module @negative_single_layer
// M4:         %[[MAP0:.+]] = attn.scores
// M4-NEXT:    attn.apply %[[MAP0]],
module @negative_single_layer {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq0 = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk0 = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv0 = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo0 = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %a0 = attn.mha %x, %x, %wq0, %wk0, %wv0, %wo0 bq(%bq0) bk(%bk0) bv(%bv0) bo(%bo0) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    return %x1 : tensor<1x?x8xf32>
  }
}
