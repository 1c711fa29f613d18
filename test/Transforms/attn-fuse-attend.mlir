// Fusion of attn.scores + attn.apply into attn.attend when the map has one use.
// The output goes back through attn-opt, whose verifier must accept it.
//
// RUN: attn-opt %s -split-input-file --attn-fuse-attend | attn-opt -split-input-file | FileCheck %s
// RUN: attn-opt %s -split-input-file --attn-decompose --attn-fuse-attend | FileCheck %s --check-prefix=PIPE

// A map read by exactly one apply fuses; the map is gone.
// CHECK-LABEL: func.func @single_use(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x4x4xf32>, %[[K:[^:]+]]: tensor<1x2x4x4xf32>, %[[V:[^:]+]]: tensor<1x2x4x4xf32>)
// CHECK-NOT:     attn.scores
// CHECK-NOT:     attn.apply
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    return %[[O]]
func.func @single_use(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x4x4xf32>, %v: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %o : tensor<1x2x4x4xf32>
}

// -----

// A map shared by two applies (attention-map reuse) must stay materialised.
// CHECK-LABEL: func.func @negative_shared_map(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x4x4xf32>, %[[K:[^:]+]]: tensor<1x2x4x4xf32>, %[[V0:[^:]+]]: tensor<1x2x4x4xf32>, %[[V1:[^:]+]]: tensor<1x2x4x4xf32>)
// CHECK-NOT:     attn.attend
// CHECK:         %[[MAP:.+]] = attn.scores %[[Q]], %[[K]]
// CHECK:         attn.apply %[[MAP]], %[[V0]]
// CHECK:         attn.apply %[[MAP]], %[[V1]]
// CHECK-NOT:     attn.attend
func.func @negative_shared_map(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x4x4xf32>, %v0: tensor<1x2x4x4xf32>, %v1: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o0 = attn.apply %map, %v0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o1 = attn.apply %map, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %o0, %o1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// One apply, but the map is also returned: it must exist, so nothing fuses.
// CHECK-LABEL: func.func @negative_map_escapes(
// CHECK-NOT:     attn.attend
// CHECK:         %[[MAP:.+]] = attn.scores
// CHECK:         %[[O:.+]] = attn.apply %[[MAP]]
// CHECK:         return %[[O]], %[[MAP]]
func.func @negative_map_escapes(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x4x4xf32>, %v: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %o, %map : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// A map without any apply has nothing to fuse with.
// CHECK-LABEL: func.func @negative_no_apply(
// CHECK:         attn.scores
// CHECK-NOT:     attn.attend
func.func @negative_no_apply(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %map : tensor<1x2x4x4xf32>
}

// -----

// Additive mask, causal flag and explicit scale all carry over.
// CHECK-LABEL: func.func @mask_causal_scale(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x2x4x8xf32>, %[[K:[^:]+]]: tensor<2x2x6x8xf32>, %[[V:[^:]+]]: tensor<2x2x6x3xf32>, %[[M:[^:]+]]: tensor<4x6xf32>)
// CHECK-NOT:     attn.scores
// CHECK:         attn.attend %[[Q]], %[[K]], %[[V]] mask(%[[M]]) causal scale(1.250000e-01) : (tensor<2x2x4x8xf32>, tensor<2x2x6x8xf32>, tensor<2x2x6x3xf32>, tensor<4x6xf32>) -> tensor<2x2x4x3xf32>
// CHECK-NOT:     attn.apply
func.func @mask_causal_scale(%q: tensor<2x2x4x8xf32>, %k: tensor<2x2x6x8xf32>, %v: tensor<2x2x6x3xf32>, %m: tensor<4x6xf32>) -> tensor<2x2x4x3xf32> {
  %map = attn.scores %q, %k mask(%m) causal scale(1.250000e-01) : (tensor<2x2x4x8xf32>, tensor<2x2x6x8xf32>, tensor<4x6xf32>) -> tensor<2x2x4x6xf32>
  %o = attn.apply %map, %v : (tensor<2x2x4x6xf32>, tensor<2x2x6x3xf32>) -> tensor<2x2x4x3xf32>
  return %o : tensor<2x2x4x3xf32>
}

// -----

// A boolean (i1) mask carries over as well.
// CHECK-LABEL: func.func @bool_mask(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<1x1x4x4xi1>)
// CHECK:         attn.attend %{{.+}}, %{{.+}}, %{{.+}} mask(%[[M]]) :
// CHECK-NOT:     causal
func.func @bool_mask(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x4x4xf32>, %v: tensor<1x2x4x4xf32>, %m: tensor<1x1x4x4xi1>) -> tensor<1x2x4x4xf32> {
  %map = attn.scores %q, %k mask(%m) : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x1x4x4xi1>) -> tensor<1x2x4x4xf32>
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %o : tensor<1x2x4x4xf32>
}

// -----

// Dynamic batch and sequence lengths stay dynamic in the fused op.
// CHECK-LABEL: func.func @dynamic_shapes(
// CHECK:         attn.attend %{{.+}}, %{{.+}}, %{{.+}} : (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>) -> tensor<?x4x?x16xf32>
// CHECK-NOT:     attn.scores
func.func @dynamic_shapes(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x?x16xf32>, %v: tensor<?x4x?x16xf32>) -> tensor<?x4x?x16xf32> {
  %map = attn.scores %q, %k : (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>) -> tensor<?x4x?x?xf32>
  %o = attn.apply %map, %v : (tensor<?x4x?x?xf32>, tensor<?x4x?x16xf32>) -> tensor<?x4x?x16xf32>
  return %o : tensor<?x4x?x16xf32>
}

// -----

// Values computed between the map and the apply: the fused op is placed at
// the apply, after the values exist.
// CHECK-LABEL: func.func @values_after_map(
// CHECK:         %[[V:.+]] = attn.project
// CHECK-NEXT:    %[[O:.+]] = attn.attend %{{.+}}, %{{.+}}, %[[V]]
// CHECK-NEXT:    return %[[O]]
func.func @values_after_map(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x4x4xf32>, %x: tensor<1x4x8xf32>, %wv: tensor<8x8xf32>) -> tensor<1x2x4x4xf32> {
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %v = attn.project %x, %wv heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %o : tensor<1x2x4x4xf32>
}

// -----

// An MGK map is not an attn.scores map: it stays materialised.
// CHECK-LABEL: func.func @negative_mgk(
// CHECK-NOT:     attn.attend
// CHECK:         %[[MAP:.+]] = attn.mgk_scores
// CHECK:         attn.apply %[[MAP]]
func.func @negative_mgk(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x2x4x4xf32>, %pi: tensor<2x2xf32>, %v: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %map = attn.mgk_scores %q, %k, %pi sigma_sq(2.000000e+00) : (tensor<1x2x4x4xf32>, tensor<1x2x2x4x4xf32>, tensor<2x2xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %o : tensor<1x2x4x4xf32>
}

// -----

// Several layers: the single-use maps fuse, the shared one stays, in one run.
// CHECK-LABEL: func.func @mixed_layers(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<1x2x4x4xf32>, %[[K:[^:]+]]: tensor<1x2x4x4xf32>, %[[V:[^:]+]]: tensor<1x2x4x4xf32>)
// CHECK-NEXT:    %[[O0:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] :
// CHECK-NEXT:    %[[SHARED:.+]] = attn.scores %[[O0]], %[[K]] :
// CHECK-NEXT:    %[[O1:.+]] = attn.apply %[[SHARED]], %[[V]] :
// CHECK-NEXT:    %[[O2:.+]] = attn.apply %[[SHARED]], %[[O1]] :
// CHECK-NEXT:    %[[O3:.+]] = attn.attend %[[O2]], %[[K]], %[[O2]] :
// CHECK-NEXT:    return %[[O3]]
func.func @mixed_layers(%q: tensor<1x2x4x4xf32>, %k: tensor<1x2x4x4xf32>, %v: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %m0 = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o0 = attn.apply %m0, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %m1 = attn.scores %o0, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o1 = attn.apply %m1, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o2 = attn.apply %m1, %o1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %m3 = attn.scores %o2, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o3 = attn.apply %m3, %o2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %o3 : tensor<1x2x4x4xf32>
}

// -----

// A model layer with attn.mha, as attn-model writes it: the pass decomposes
// it first, so alone or after attn-decompose it ends in project x3 + attend +
// merge, with every bias, the causal flag and the parameters untouched.
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// CHECK-NOT:     attn.mha
// CHECK-DAG:     %[[WQ:.+]] = ml_program.global_load_const @layers.0.attn.wq
// CHECK-DAG:     %[[WK:.+]] = ml_program.global_load_const @layers.0.attn.wk
// CHECK-DAG:     %[[WV:.+]] = ml_program.global_load_const @layers.0.attn.wv
// CHECK-DAG:     %[[WO:.+]] = ml_program.global_load_const @layers.0.attn.wo
// CHECK-DAG:     %[[BQ:.+]] = ml_program.global_load_const @layers.0.attn.bq
// CHECK-DAG:     %[[BK:.+]] = ml_program.global_load_const @layers.0.attn.bk
// CHECK-DAG:     %[[BV:.+]] = ml_program.global_load_const @layers.0.attn.bv
// CHECK-DAG:     %[[BO:.+]] = ml_program.global_load_const @layers.0.attn.bo
// CHECK:         %[[Q:.+]] = attn.project %[[X]], %[[WQ]] bias(%[[BQ]]) heads(2) : {{.*}} -> tensor<1x2x?x4xf32>
// CHECK-NEXT:    %[[K:.+]] = attn.project %[[X]], %[[WK]] bias(%[[BK]]) heads(2)
// CHECK-NEXT:    %[[V:.+]] = attn.project %[[X]], %[[WV]] bias(%[[BV]]) heads(2)
// CHECK-NEXT:    %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] causal : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
// CHECK-NEXT:    %[[A:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]])
// CHECK-NEXT:    arith.addf %[[X]], %[[A]]
// CHECK-NOT:     attn.mha
// CHECK-NOT:     attn.scores
// PIPE-LABEL:    func.func @forward(
// PIPE-NOT:      attn.scores
// PIPE:          attn.attend %{{.+}}, %{{.+}}, %{{.+}} causal
// PIPE-NOT:      attn.mha
// PIPE-NOT:      attn.scores
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
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(2) causal : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r = arith.addf %x, %a : tensor<1x?x8xf32>
    return %r : tensor<1x?x8xf32>
  }
}
