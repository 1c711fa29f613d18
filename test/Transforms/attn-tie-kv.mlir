// Key-value tying (Irie et al.): values become the key heads, the value
// projection and its parameters go. The output goes back through attn-opt,
// whose verifier must accept it.
//
// RUN: attn-opt %s -split-input-file --attn-tie-kv | attn-opt -split-input-file | FileCheck %s
//
// Composition with attention-map reuse: the first layer of each group is
// tied, the reuse layers keep their values (they have no keys of their own).
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=2 --attn-tie-kv | attn-opt -split-input-file | FileCheck %s --check-prefix=REUSE

// Four attention layers with residuals, no biases, dynamic T, through
// attn-reuse-map=group-size=2 then attn-tie-kv: groups {0,1} and {2,3}.
// Layers 0 and 2 compute their maps and are tied (wv gone); layers 1 and 3
// reuse those maps, have neither Q/K projections nor keys, and keep wv.
// Without reuse, attn-tie-kv ties all four.
// REUSE:         ml_program.global private @layers.0.attn.wq(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.0.attn.wk(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.1.attn.wv(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.1.attn.wo(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.2.attn.wq(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.2.attn.wk(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.2.attn.wo(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.3.attn.wv(#{{.+}}) : tensor<8x8xf32>
// REUSE-NEXT:    ml_program.global private @layers.3.attn.wo(#{{.+}}) : tensor<8x8xf32>
// REUSE-NOT:     ml_program.global
// REUSE-LABEL: func.func @forward(
// REUSE-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// REUSE:         attn.project %[[X]], %{{.+}} heads(2)
// REUSE-NEXT:    %[[K0:.+]] = attn.project %[[X]], %{{.+}} heads(2)
// REUSE-NEXT:    %[[MAP0:.+]] = attn.scores %{{.+}}, %[[K0]] :
// REUSE-NEXT:    attn.apply %[[MAP0]], %[[K0]] :
// REUSE:         %[[V1:.+]] = attn.project %{{.+}}, %{{.+}} heads(2)
// REUSE-NEXT:    attn.apply %[[MAP0]], %[[V1]] :
// REUSE:         attn.project %{{.+}}, %{{.+}} heads(2)
// REUSE-NEXT:    %[[K2:.+]] = attn.project %{{.+}}, %{{.+}} heads(2)
// REUSE-NEXT:    %[[MAP2:.+]] = attn.scores %{{.+}}, %[[K2]] :
// REUSE-NEXT:    attn.apply %[[MAP2]], %[[K2]] :
// REUSE:         %[[V3:.+]] = attn.project %{{.+}}, %{{.+}} heads(2)
// REUSE-NEXT:    attn.apply %[[MAP2]], %[[V3]] :
// REUSE-NOT:     attn.scores
// REUSE:         return
// CHECK:         ml_program.global private @layers.0.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.2.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.2.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.2.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.3.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.3.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.3.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NOT:     ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK-NOT:     attn.wv
// CHECK:         return
module {
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
  ml_program.global private @layers.3.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %a0 = attn.mha %x, %x, %wq0, %wk0, %wv0, %wo0 heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %a1 = attn.mha %r0, %r0, %wq1, %wk1, %wv1, %wo1 heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %r1 = arith.addf %r0, %a1 : tensor<1x?x8xf32>
    %wq2 = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk2 = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv2 = ml_program.global_load_const @layers.2.attn.wv : tensor<8x8xf32>
    %wo2 = ml_program.global_load_const @layers.2.attn.wo : tensor<8x8xf32>
    %a2 = attn.mha %r1, %r1, %wq2, %wk2, %wv2, %wo2 heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %r2 = arith.addf %r1, %a2 : tensor<1x?x8xf32>
    %wq3 = ml_program.global_load_const @layers.3.attn.wq : tensor<8x8xf32>
    %wk3 = ml_program.global_load_const @layers.3.attn.wk : tensor<8x8xf32>
    %wv3 = ml_program.global_load_const @layers.3.attn.wv : tensor<8x8xf32>
    %wo3 = ml_program.global_load_const @layers.3.attn.wo : tensor<8x8xf32>
    %a3 = attn.mha %r2, %r2, %wq3, %wk3, %wv3, %wo3 heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %r3 = arith.addf %r2, %a3 : tensor<1x?x8xf32>
    return %r3 : tensor<1x?x8xf32>
  }
}

// -----

// A layer as attn-model writes it, with every bias: wv and bv disappear, the
// apply reads the key heads, everything else stays.
// CHECK:         ml_program.global private @layers.0.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bq(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bk(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bo(#{{.+}}) : tensor<8xf32>
// CHECK-NOT:     ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// CHECK-NOT:     @layers.0.attn.wv
// CHECK-NOT:     @layers.0.attn.bv
// CHECK-DAG:     %[[WQ:.+]] = ml_program.global_load_const @layers.0.attn.wq
// CHECK-DAG:     %[[WK:.+]] = ml_program.global_load_const @layers.0.attn.wk
// CHECK-DAG:     %[[WO:.+]] = ml_program.global_load_const @layers.0.attn.wo
// CHECK-DAG:     %[[BQ:.+]] = ml_program.global_load_const @layers.0.attn.bq
// CHECK-DAG:     %[[BK:.+]] = ml_program.global_load_const @layers.0.attn.bk
// CHECK-DAG:     %[[BO:.+]] = ml_program.global_load_const @layers.0.attn.bo
// CHECK:         %[[Q:.+]] = attn.project %[[X]], %[[WQ]] bias(%[[BQ]]) heads(2)
// CHECK-NEXT:    %[[K:.+]] = attn.project %[[X]], %[[WK]] bias(%[[BK]]) heads(2) : {{.*}} -> tensor<1x2x?x4xf32>
// CHECK-NEXT:    %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] :
// CHECK-NEXT:    %[[O:.+]] = attn.apply %[[MAP]], %[[K]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
// CHECK-NEXT:    %[[A:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]])
// CHECK-NEXT:    arith.addf %[[X]], %[[A]]
// CHECK-NOT:     attn.project
// CHECK-NOT:     @layers.0.attn.wv
// CHECK-NOT:     @layers.0.attn.bv
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r = arith.addf %x, %a : tensor<1x?x8xf32>
    return %r : tensor<1x?x8xf32>
  }
}

// -----

// No biases, static T, causal with an additive mask: the mask and the causal
// flag stay on the map, only wv goes.
// CHECK:         ml_program.global private @layers.0.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NOT:     ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x4x8xf32>, %[[M:[^:]+]]: tensor<4x4xf32>)
// CHECK:         %[[Q:.+]] = attn.project %[[X]], %{{.+}} heads(2) : (tensor<2x4x8xf32>, tensor<8x8xf32>) -> tensor<2x2x4x4xf32>
// CHECK-NEXT:    %[[K:.+]] = attn.project %[[X]], %{{.+}} heads(2)
// CHECK-NEXT:    %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[M]]) causal :
// CHECK-NEXT:    %[[O:.+]] = attn.apply %[[MAP]], %[[K]] :
// CHECK-NEXT:    attn.merge %[[O]], %{{[^ ]+}} :
// CHECK-NOT:     @layers.0.attn.wv
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<2x4x8xf32>, %m: tensor<4x4xf32>) -> tensor<2x4x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%m) heads(2) causal : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<4x4xf32>) -> tensor<2x4x8xf32>
    return %a : tensor<2x4x8xf32>
  }
}

// -----

// Two post-norm layers with feed-forward blocks and dynamic B and T: both
// layers are tied; no value parameter of any layer is left, every other
// parameter is.
// CHECK:         ml_program.global private @layers.0.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bq(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bk(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bo(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ln1.gamma(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ln1.beta(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ffn.w0(#{{.+}}) : tensor<8x16xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ffn.w1(#{{.+}}) : tensor<16x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ln2.gamma(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ln2.beta(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.bq(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.bk(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.bo(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.ln1.gamma(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.ln1.beta(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.ffn.w0(#{{.+}}) : tensor<8x16xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.ffn.w1(#{{.+}}) : tensor<16x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.ln2.gamma(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.ln2.beta(#{{.+}}) : tensor<8xf32>
// CHECK-NOT:     ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x8xf32>)
// CHECK:         attn.project %[[X]], %{{.+}} bias(%{{.+}}) heads(2)
// CHECK-NEXT:    %[[K0:.+]] = attn.project %[[X]], %{{.+}} bias(%{{.+}}) heads(2) : {{.*}} -> tensor<?x2x?x4xf32>
// CHECK-NEXT:    %[[MAP0:.+]] = attn.scores %{{.+}}, %[[K0]]
// CHECK-NEXT:    attn.apply %[[MAP0]], %[[K0]]
// CHECK:         attn.ffn
// CHECK:         %[[N:.+]] = attn.layer_norm
// CHECK:         attn.project %[[N]], %{{.+}} bias(%{{.+}}) heads(2)
// CHECK-NEXT:    %[[K1:.+]] = attn.project %[[N]], %{{.+}} bias(%{{.+}}) heads(2)
// CHECK-NEXT:    %[[MAP1:.+]] = attn.scores %{{.+}}, %[[K1]]
// CHECK-NEXT:    attn.apply %[[MAP1]], %[[K1]]
// CHECK-NOT:     attn.wv
// CHECK-NOT:     attn.bv
module {
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
  ml_program.global private @layers.0.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.0.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
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
  ml_program.global private @layers.1.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.1.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.1.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<?x?x8xf32>) -> tensor<?x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq0 = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk0 = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv0 = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo0 = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %g10 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %b10 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w00 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %w10 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %g20 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %b20 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a0 = attn.mha %x, %x, %wq0, %wk0, %wv0, %wo0 bq(%bq0) bk(%bk0) bv(%bv0) bo(%bo0) heads(2) : (tensor<?x?x8xf32>, tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<?x?x8xf32>
    %n0 = attn.layer_norm %r0, %g10, %b10 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %f0 = attn.ffn %n0 weights(%w00, %w10) activation(gelu) : (tensor<?x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<?x?x8xf32>
    %s0 = arith.addf %n0, %f0 : tensor<?x?x8xf32>
    %y0 = attn.layer_norm %s0, %g20, %b20 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %bq1 = ml_program.global_load_const @layers.1.attn.bq : tensor<8xf32>
    %bk1 = ml_program.global_load_const @layers.1.attn.bk : tensor<8xf32>
    %bv1 = ml_program.global_load_const @layers.1.attn.bv : tensor<8xf32>
    %bo1 = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
    %g11 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %b11 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %w01 = ml_program.global_load_const @layers.1.ffn.w0 : tensor<8x16xf32>
    %w11 = ml_program.global_load_const @layers.1.ffn.w1 : tensor<16x8xf32>
    %g21 = ml_program.global_load_const @layers.1.ln2.gamma : tensor<8xf32>
    %b21 = ml_program.global_load_const @layers.1.ln2.beta : tensor<8xf32>
    %a1 = attn.mha %y0, %y0, %wq1, %wk1, %wv1, %wo1 bq(%bq1) bk(%bk1) bv(%bv1) bo(%bo1) heads(2) : (tensor<?x?x8xf32>, tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %r1 = arith.addf %y0, %a1 : tensor<?x?x8xf32>
    %n1 = attn.layer_norm %r1, %g11, %b11 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %f1 = attn.ffn %n1 weights(%w01, %w11) activation(gelu) : (tensor<?x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<?x?x8xf32>
    %s1 = arith.addf %n1, %f1 : tensor<?x?x8xf32>
    %y1 = attn.layer_norm %s1, %g21, %b21 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    return %y1 : tensor<?x?x8xf32>
  }
}

// -----

// Pre-norm layer already in fused form (attn.attend): the attend reads the
// keys as values; dk = dv = 8 with an explicit scale carried over.
// CHECK:         ml_program.global private @layers.0.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ln1.gamma(#{{.+}}) : tensor<8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.ln1.beta(#{{.+}}) : tensor<8xf32>
// CHECK-NOT:     ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK:         %[[N:.+]] = attn.layer_norm
// CHECK-NEXT:    %[[Q:.+]] = attn.project %[[N]], %{{.+}} heads(1)
// CHECK-NEXT:    %[[K:.+]] = attn.project %[[N]], %{{.+}} heads(1)
// CHECK-NEXT:    %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[K]] scale(5.000000e-01) :
// CHECK-NEXT:    attn.merge %[[O]]
// CHECK-NOT:     attn.project
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %g = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %b = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %n = attn.layer_norm %x, %g, %b : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %q = attn.project %n, %wq heads(1) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x1x?x8xf32>
    %k = attn.project %n, %wk heads(1) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x1x?x8xf32>
    %v = attn.project %n, %wv heads(1) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x1x?x8xf32>
    %o = attn.attend %q, %k, %v scale(5.000000e-01) : (tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>, tensor<1x1x?x8xf32>) -> tensor<1x1x?x8xf32>
    %a = attn.merge %o, %wo : (tensor<1x1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %r = arith.addf %x, %a : tensor<1x?x8xf32>
    return %r : tensor<1x?x8xf32>
  }
}

// -----

// Hand-written map reuse: layer 1 applies layer 0's map. Layer 0 is tied;
// layer 1 has no keys of its own and keeps its value projection and wv.
// CHECK:         ml_program.global private @layers.0.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wv(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NOT:     ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x4x8xf32>)
// CHECK:         attn.project %[[X]], %{{.+}} heads(2)
// CHECK-NEXT:    %[[K0:.+]] = attn.project %[[X]], %{{.+}} heads(2)
// CHECK-NEXT:    %[[MAP:.+]] = attn.scores %{{.+}}, %[[K0]] :
// CHECK-NEXT:    %[[O0:.+]] = attn.apply %[[MAP]], %[[K0]] :
// CHECK-NEXT:    %[[Y0:.+]] = attn.merge %[[O0]]
// CHECK:         %[[WV1:.+]] = ml_program.global_load_const @layers.1.attn.wv
// CHECK:         %[[V1:.+]] = attn.project %[[Y0]], %[[WV1]] heads(2)
// CHECK-NEXT:    %[[O1:.+]] = attn.apply %[[MAP]], %[[V1]] :
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q0 = attn.project %x, %wq0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %k0 = attn.project %x, %wk0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %map = attn.scores %q0, %k0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %o0 = attn.apply %map, %v0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %y0 = attn.merge %o0, %wo0 : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %v1 = attn.project %y0, %wv1 heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
    %o1 = attn.apply %map, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
    %y1 = attn.merge %o1, %wo1 : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    return %y1 : tensor<1x4x8xf32>
  }
}

// -----

// A layer already tied has nothing left to tie: the IR is unchanged.
// CHECK-LABEL: func.func @negative_already_tied(
// CHECK:         attn.project
// CHECK-NEXT:    %[[K:.+]] = attn.project
// CHECK-NEXT:    %[[MAP:.+]] = attn.scores %{{.+}}, %[[K]]
// CHECK-NEXT:    attn.apply %[[MAP]], %[[K]]
func.func @negative_already_tied(%x: tensor<1x4x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q = attn.project %x, %wq heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k = attn.project %x, %wk heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.apply %map, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
