// Layers attn-tie-kv cannot tie: each gets a remark naming the layer and the
// reason, and is left alone (checked on the output). Cases without an
// expected remark prove that the pass stays silent.
//
// RUN: attn-opt %s -split-input-file -verify-diagnostics --attn-tie-kv | FileCheck %s

// dv (6) != dk (4): wo is [H*dv, D] = [12, 8], so V cannot be replaced by K.
// The remark is at the mha (the decomposed ops keep its location); wv stays.
// CHECK:         ml_program.global private @layers.0.attn.wv(
// CHECK-LABEL: func.func @forward(
// CHECK:         %[[V:.+]] = attn.project %{{.+}}, %{{.+}} heads(2) : {{.*}} -> tensor<1x2x?x6xf32>
// CHECK:         attn.apply %{{.+}}, %[[V]]
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x12xf32>) : tensor<8x12xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<12x8xf32>) : tensor<12x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x12xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<12x8xf32>
    // expected-remark @+1 {{layer 0: cannot tie keys and values: dv (6) != dk (4)}}
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x12xf32>, tensor<12x8xf32>) -> tensor<1x?x8xf32>
    return %a : tensor<1x?x8xf32>
  }
}

// -----

// Cross attention: keys and values read a memory, not the query input; tying
// them is still possible, but a layer whose K and V inputs differ is not.
// Here K reads %mem and V reads %x (hand-written): left alone.
// CHECK-LABEL: func.func @negative_kv_inputs_differ(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x4x8xf32>, %[[MEM:[^:]+]]: tensor<1x4x8xf32>, %[[WQ:[^:]+]]: tensor<8x8xf32>, %[[WK:[^:]+]]: tensor<8x8xf32>, %[[WV:[^:]+]]: tensor<8x8xf32>
// CHECK:         %[[K:.+]] = attn.project %[[MEM]], %[[WK]] heads(2)
// CHECK-NEXT:    %[[V:.+]] = attn.project %[[X]], %[[WV]] heads(2)
// CHECK-NEXT:    %[[MAP:.+]] = attn.scores %{{.+}}, %[[K]]
// CHECK-NEXT:    attn.apply %[[MAP]], %[[V]]
func.func @negative_kv_inputs_differ(%x: tensor<1x4x8xf32>, %mem: tensor<1x4x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q = attn.project %x, %wq heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k = attn.project %mem, %wk heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v = attn.project %x, %wv heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{layer 0: cannot tie keys and values: keys and values are computed from different inputs (cross attention)}}
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// Cross attention proper (attn.mha with a separate key/value input) is fine:
// K and V both read the memory, so the layer is tied; no remark.
// CHECK-LABEL: func.func @cross_attention_tied(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x4x8xf32>, %[[MEM:[^:]+]]: tensor<1x6x8xf32>
// CHECK:         %[[K:.+]] = attn.project %[[MEM]], %{{.+}} heads(2) : {{.*}} -> tensor<1x2x6x4xf32>
// CHECK-NEXT:    %[[MAP:.+]] = attn.scores %{{.+}}, %[[K]]
// CHECK-NEXT:    attn.apply %[[MAP]], %[[K]]
func.func @cross_attention_tied(%x: tensor<1x4x8xf32>, %mem: tensor<1x6x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a = attn.mha %x, %mem, %wq, %wk, %wv, %wo heads(2) : (tensor<1x4x8xf32>, tensor<1x6x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %a : tensor<1x4x8xf32>
}

// -----

// MGK keys are R mixture components [B, H, R, Tk, dk], not a projection the
// values could reuse.
// CHECK-LABEL: func.func @negative_mgk(
// CHECK:         attn.apply %{{.+}}, %{{.+}} :
func.func @negative_mgk(%x: tensor<1x4x8xf32>, %q: tensor<1x2x4x4xf32>, %k: tensor<1x2x2x4x4xf32>, %pi: tensor<2x2xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %v = attn.project %x, %wv heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map = attn.mgk_scores %q, %k, %pi sigma_sq(2.000000e+00) : (tensor<1x2x4x4xf32>, tensor<1x2x2x4x4xf32>, tensor<2x2xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{layer 0: cannot tie keys and values: its keys are mixture components of attn.mgk_scores, not a plain attn.project}}
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// MHE keys (shared projection + per-head embedding) are not a plain project.
// CHECK-LABEL: func.func @negative_mhe_keys(
// CHECK:         attn.attend %{{.+}}, %{{.+}}, %{{.+}} :
func.func @negative_mhe_keys(%x: tensor<1x4x8xf32>, %q: tensor<1x2x4x4xf32>, %p: tensor<1x4x4xf32>, %e: tensor<2x4xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %k = attn.head_embed %p, %e mode(add) : (tensor<1x4x4xf32>, tensor<2x4xf32>) -> tensor<1x2x4x4xf32>
  %v = attn.project %x, %wv heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{layer 0: cannot tie keys and values: its keys are not a plain attn.project}}
  %o = attn.attend %q, %k, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// Values that are not a projection (here a function argument) stay.
// CHECK-LABEL: func.func @negative_values_not_projected(
// CHECK-SAME:      %[[V:[^:]+]]: tensor<1x2x4x4xf32>
// CHECK:         attn.apply %{{.+}}, %[[V]]
func.func @negative_values_not_projected(%x: tensor<1x4x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %v: tensor<1x2x4x4xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q = attn.project %x, %wq heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k = attn.project %x, %wk heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{layer 0: cannot tie keys and values: its values are not a plain attn.project}}
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// A dynamic key width cannot be proved equal to dv.
// CHECK-LABEL: func.func @negative_dynamic_dk(
// CHECK:         %[[V:.+]] = attn.project %{{.+}}, %{{.+}} heads(2) : {{.*}} -> tensor<1x2x4x4xf32>
// CHECK:         attn.apply %{{.+}}, %[[V]]
func.func @negative_dynamic_dk(%x: tensor<1x4x8xf32>, %wq: tensor<8x?xf32>, %wk: tensor<8x?xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q = attn.project %x, %wq heads(2) : (tensor<1x4x8xf32>, tensor<8x?xf32>) -> tensor<1x2x4x?xf32>
  %k = attn.project %x, %wk heads(2) : (tensor<1x4x8xf32>, tensor<8x?xf32>) -> tensor<1x2x4x?xf32>
  %v = attn.project %x, %wv heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map = attn.scores %q, %k scale(5.000000e-01) : (tensor<1x2x4x?xf32>, tensor<1x2x4x?xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{layer 0: cannot tie keys and values: dv (4) and dk (?) are not known to be equal}}
  %o = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// Two layers of a model: layer 3 cannot be tied (remark names it by its
// parameter index), layer 4 is tied; only layer 4's wv and bv go.
// CHECK:         ml_program.global private @layers.3.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.3.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.3.attn.wv(#{{.+}}) : tensor<8x12xf32>
// CHECK-NEXT:    ml_program.global private @layers.3.attn.bv(#{{.+}}) : tensor<12xf32>
// CHECK-NEXT:    ml_program.global private @layers.3.attn.wo(#{{.+}}) : tensor<12x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.4.attn.wq(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.4.attn.wk(#{{.+}}) : tensor<8x8xf32>
// CHECK-NEXT:    ml_program.global private @layers.4.attn.wo(#{{.+}}) : tensor<8x8xf32>
// CHECK-NOT:     ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK:         attn.project %{{.+}}, %{{.+}} bias(%{{.+}}) heads(2) : {{.*}} -> tensor<1x2x?x6xf32>
// CHECK:         attn.project
// CHECK-NEXT:    %[[K4:.+]] = attn.project
// CHECK-NEXT:    %[[MAP4:.+]] = attn.scores %{{.+}}, %[[K4]]
// CHECK-NEXT:    attn.apply %[[MAP4]], %[[K4]]
// CHECK-NOT:     @layers.4.attn.wv
module {
  ml_program.global private @layers.3.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.3.attn.wv(#ml_program.extern : tensor<8x12xf32>) : tensor<8x12xf32>
  ml_program.global private @layers.3.attn.bv(#ml_program.extern : tensor<12xf32>) : tensor<12xf32>
  ml_program.global private @layers.3.attn.wo(#ml_program.extern : tensor<12x8xf32>) : tensor<12x8xf32>
  ml_program.global private @layers.4.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.4.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.4.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.4.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.4.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq3 = ml_program.global_load_const @layers.3.attn.wq : tensor<8x8xf32>
    %wk3 = ml_program.global_load_const @layers.3.attn.wk : tensor<8x8xf32>
    %wv3 = ml_program.global_load_const @layers.3.attn.wv : tensor<8x12xf32>
    %bv3 = ml_program.global_load_const @layers.3.attn.bv : tensor<12xf32>
    %wo3 = ml_program.global_load_const @layers.3.attn.wo : tensor<12x8xf32>
    // expected-remark @+1 {{layer 3: cannot tie keys and values: dv (6) != dk (4)}}
    %a3 = attn.mha %x, %x, %wq3, %wk3, %wv3, %wo3 bv(%bv3) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x12xf32>, tensor<12x8xf32>, tensor<12xf32>) -> tensor<1x?x8xf32>
    %r3 = arith.addf %x, %a3 : tensor<1x?x8xf32>
    %wq4 = ml_program.global_load_const @layers.4.attn.wq : tensor<8x8xf32>
    %wk4 = ml_program.global_load_const @layers.4.attn.wk : tensor<8x8xf32>
    %wv4 = ml_program.global_load_const @layers.4.attn.wv : tensor<8x8xf32>
    %bv4 = ml_program.global_load_const @layers.4.attn.bv : tensor<8xf32>
    %wo4 = ml_program.global_load_const @layers.4.attn.wo : tensor<8x8xf32>
    %a4 = attn.mha %r3, %r3, %wq4, %wk4, %wv4, %wo4 bv(%bv4) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r4 = arith.addf %r3, %a4 : tensor<1x?x8xf32>
    return %r4 : tensor<1x?x8xf32>
  }
}

// -----

// A reuse layer (layer 1 applies layer 0's map) has no keys to tie: it is
// skipped without a remark and keeps its values; layer 0 is tied.
// CHECK-LABEL: func.func @reuse_layer_is_silent(
// CHECK-SAME:      %[[WK:[^:]+]]: tensor<8x8xf32>, %[[WV:[^:]+]]: tensor<8x8xf32>, %[[WO:[^:]+]]: tensor<8x8xf32>, %[[V1:[^:]+]]: tensor<1x2x4x4xf32>)
// CHECK-NOT:     %[[WV]]
// CHECK:         %[[K:.+]] = attn.project %{{.+}}, %[[WK]]
// CHECK-NEXT:    %[[MAP:.+]] = attn.scores %{{.+}}, %[[K]]
// CHECK-NEXT:    attn.apply %[[MAP]], %[[K]]
// CHECK:         attn.apply %[[MAP]], %[[V1]]
func.func @reuse_layer_is_silent(%x: tensor<1x4x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>, %v1: tensor<1x2x4x4xf32>) -> (tensor<1x4x8xf32>, tensor<1x4x8xf32>) {
  %q = attn.project %x, %wq heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k = attn.project %x, %wk heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v = attn.project %x, %wv heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map = attn.scores %q, %k : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o0 = attn.apply %map, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y0 = attn.merge %o0, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %o1 = attn.apply %map, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y1 = attn.merge %o1, %wo : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %y0, %y1 : tensor<1x4x8xf32>, tensor<1x4x8xf32>
}
