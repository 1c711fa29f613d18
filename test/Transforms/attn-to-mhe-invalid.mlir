// attn-to-mhe on layers it must leave alone (each with a remark naming the
// layer and why), on parameters whose origin cannot be derived, and on bad
// options. The FileCheck lines prove that skipped layers are unchanged.
//
// RUN: attn-opt %s -split-input-file -verify-diagnostics --attn-to-mhe | FileCheck %s
// RUN: not attn-opt %s -split-input-file --attn-to-mhe=init=bogus 2>&1 | FileCheck %s --check-prefix=BAD-INIT

// An unknown init is rejected before anything changes (option errors have no
// op to point at: the pass reports them on the module).
// BAD-INIT: attn-to-mhe-invalid.mlir:{{[0-9]+}}:{{[0-9]+}}: error: attn-to-mhe: unknown init 'bogus'; expected 'mean-heads' or 'train'

// Already MHE (running the pass twice): the heads come from attn.head_embed,
// so the layer is left as it is.
// CHECK-LABEL: module @negative_already_mhe
// CHECK:         @layers.3.attn.wq_shared(
// CHECK-NOT:     attn.init
// CHECK-LABEL:   func.func @forward(
// CHECK-COUNT-3:   attn.head_embed
// CHECK-NOT:       attn.head_embed
module @negative_already_mhe {
  ml_program.global private @layers.3.attn.wq_shared(#ml_program.extern : tensor<8x4xf32>) : tensor<8x4xf32>
  ml_program.global private @layers.3.attn.eq(#ml_program.extern : tensor<2x4xf32>) : tensor<2x4xf32>
  ml_program.global private @layers.3.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %w = ml_program.global_load_const @layers.3.attn.wq_shared : tensor<8x4xf32>
    %e = ml_program.global_load_const @layers.3.attn.eq : tensor<2x4xf32>
    %wo = ml_program.global_load_const @layers.3.attn.wo : tensor<8x8xf32>
    %p = attn.project %x, %w heads(1) : (tensor<1x?x8xf32>, tensor<8x4xf32>) -> tensor<1x1x?x4xf32>
    %f = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x1x?x4xf32> into tensor<1x?x4xf32>
    %q = attn.head_embed %f, %e mode(add) : (tensor<1x?x4xf32>, tensor<2x4xf32>) -> tensor<1x2x?x4xf32>
    %k = attn.head_embed %f, %e mode(mul) : (tensor<1x?x4xf32>, tensor<2x4xf32>) -> tensor<1x2x?x4xf32>
    %v = attn.head_embed %f, %e mode(add) : (tensor<1x?x4xf32>, tensor<2x4xf32>) -> tensor<1x2x?x4xf32>
    // expected-remark@+1 {{layer 3: its query heads do not come from attn.project but from 'attn.head_embed'; left unchanged}}
    %map = attn.scores %q, %k : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %o = attn.apply %map, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// Transformer-MGK keys: the map has R key components, not key heads.
// CHECK-LABEL: module @negative_mgk_map
// CHECK:         @layers.0.attn.wq(
// CHECK-NOT:     _shared
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.head_embed
// CHECK:           attn.mgk_scores
module @negative_mgk_map {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.mgk_pi(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %keys: tensor<1x2x2x?x4xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %pi = ml_program.global_load_const @layers.0.attn.mgk_pi : tensor<2x2xf32>
    %q = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v = attn.project %x, %wv heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    // expected-remark@+1 {{layer 0: it has no key heads of its own (its map is 'attn.mgk_scores'); left unchanged}}
    %map = attn.mgk_scores %q, %keys, %pi sigma_sq(2.000000e+00) : (tensor<1x2x?x4xf32>, tensor<1x2x2x?x4xf32>, tensor<2x2xf32>) -> tensor<1x2x?x?xf32>
    %o = attn.apply %map, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A map that no attn.scores computes (here an empty tensor): the layer has no
// query or key projection, and its values alone are not worth an MHE layer
// whose map is unknown.
// CHECK-LABEL: module @negative_foreign_map
// CHECK-NOT:     _shared
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.head_embed
module @negative_foreign_map {
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x8x8xf32>) -> tensor<1x8x8xf32> {
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    // expected-remark@+1 {{layer 0: it has no query heads of its own (its map is 'tensor.empty'); left unchanged}}
    %map = tensor.empty() : tensor<1x2x8x8xf32>
    %v = attn.project %x, %wv heads(2) : (tensor<1x8x8xf32>, tensor<8x8xf32>) -> tensor<1x2x8x4xf32>
    %o = attn.apply %map, %v : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x8x4xf32>, tensor<8x8xf32>) -> tensor<1x8x8xf32>
    return %y : tensor<1x8x8xf32>
  }
}

// -----

// Weights passed as arguments are no model parameters: nothing to name the
// shared weight after, nothing to average (fused attn.attend layer).
// CHECK-LABEL: func.func @negative_weights_not_params(
// CHECK-NOT:     attn.head_embed
// CHECK:         attn.attend
func.func @negative_weights_not_params(%x: tensor<1x?x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x?x8xf32> {
  %q = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
  %k = attn.project %x, %wk heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
  %v = attn.project %x, %wv heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
  // expected-remark@+1 {{layer 0: its query weight is not a model parameter; left unchanged}}
  %o = attn.attend %q, %k, %v causal : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
  return %y : tensor<1x?x8xf32>
}

// -----

// A value bias that is an argument: init=mean-heads could not say what the
// shared bias is the mean of. The whole layer stays (not just its values).
// CHECK-LABEL: module @negative_bias_not_param
// CHECK-NOT:     _shared
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.head_embed
// CHECK:           attn.apply
module @negative_bias_not_param {
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %bv: tensor<8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k = attn.project %x, %wk heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v = attn.project %x, %wv bias(%bv) heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x2x?x4xf32>
    %map = attn.scores %q, %k : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    // expected-remark@+1 {{layer 1: its value bias is not a model parameter, so init=mean-heads cannot name its origin; left unchanged}}
    %o = attn.apply %map, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// Values that are a block argument (not projected here): left unchanged.
// CHECK-LABEL: module @negative_values_argument
// CHECK-NOT:     _shared
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.head_embed
module @negative_values_argument {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %v: tensor<1x2x?x4xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k = attn.project %x, %wk heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    // expected-remark@+1 {{layer 0: its value heads do not come from attn.project but from a block argument; left unchanged}}
    %o = attn.attend %q, %k, %v : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// The mean of a slice has no attn.init name: the layer is converted, its
// shared query weight is marked "train", and a remark says so.
// CHECK-LABEL: module @mean_of_slice_is_train
// CHECK:         @layers.0.attn.wq_shared({{.+}}) : tensor<8x4xf32> {attn.init = "train"}
// CHECK:         @layers.0.attn.wk_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wk"}
module @mean_of_slice_is_train {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32> {attn.init = "slice:teacher.attn.wq"}
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    // expected-remark@+1 {{the mean of the heads of 'layers.0.attn.wq' (attn.init = "slice:teacher.attn.wq") has no name; its shared form is marked "train"}}
    %q = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k = attn.project %x, %wk heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v = attn.project %x, %wv heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %o = attn.attend %q, %k, %v : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A global already holds the name of a new parameter: an error, never a
// silent reuse of unrelated values.
module @name_taken {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk_shared(#ml_program.extern : tensor<8x4xf32>) : tensor<8x4xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    // expected-error@+1 {{cannot create parameter 'layers.0.attn.wk_shared': the name is taken}}
    %k = attn.project %x, %wk heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v = attn.project %x, %wv heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %o = attn.attend %q, %k, %v : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// Two layers share a weight but split it into different head counts: one
// shared parameter cannot serve both, which is an error rather than a guess.
module @shared_weight_different_heads {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %q0 = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k0 = attn.project %x, %wk heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v0 = attn.project %x, %wv heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %o0 = attn.attend %q0, %k0, %v0 : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %a0 = attn.merge %o0, %wo0 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    // expected-error@+1 {{cannot create parameter 'layers.0.attn.wq_shared' as 'tensor<8x2xf32>' (attn.init = "mean-heads:layers.0.attn.wq"): it was just created as 'tensor<8x4xf32>' from "mean-heads:layers.0.attn.wq"}}
    %q1 = attn.project %a0, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k1 = attn.project %a0, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v1 = attn.project %a0, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %o1 = attn.attend %q1, %k1, %v1 : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %a1 = attn.merge %o1, %wo1 : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %a1 : tensor<1x?x8xf32>
  }
}
