// attn-to-mgk on layers it must leave alone (a remark naming the layer and
// why; the FileCheck lines prove the layer is unchanged), on a head count
// that does not fit a layer (an error naming the sizes), and on bad options.
// Everything runs with num-heads=2 (the layers have 4 heads), so that the
// checks that only a new head count needs are exercised too.
//
// RUN: attn-opt %s -split-input-file -verify-diagnostics --attn-to-mgk=num-heads=2 | FileCheck %s
// RUN: not attn-opt %s -split-input-file --attn-to-mgk=num-keys=0 2>&1 | FileCheck %s --check-prefix=NUM-KEYS
// RUN: not attn-opt %s -split-input-file --attn-to-mgk=sigma-sq=-1 2>&1 | FileCheck %s --check-prefix=SIGMA
// RUN: not attn-opt %s -split-input-file --attn-to-mgk=sigma-sq=1e-60 2>&1 | FileCheck %s --check-prefix=SIGMA-F32

// Option errors have no op to point at: the pass reports them on the module
// before changing anything.
// NUM-KEYS: attn-to-mgk-invalid.mlir:{{[0-9]+}}:{{[0-9]+}}: error: attn-to-mgk: num-keys must be at least 1
// SIGMA: error: attn-to-mgk: sigma-sq must be a positive, finite f32 (or 0 for the layer's softmax scale), got -1.000000e+00
// SIGMA-F32: error: attn-to-mgk: sigma-sq must be a positive, finite f32 (or 0 for the layer's softmax scale), got 1.000000e-60

// Already Transformer-MGK (running the pass twice).
// CHECK-LABEL: module @negative_already_mgk
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK-COUNT-1:   attn.mgk_scores
module @negative_already_mgk {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.mgk_pi(#ml_program.extern : tensor<4x2xf32>) : tensor<4x2xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %keys: tensor<1x4x2x?x2xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %pi = ml_program.global_load_const @layers.0.attn.mgk_pi : tensor<4x2xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 0: its map already is a mixture of Gaussian keys (attn.mgk_scores); left unchanged}}
    %map = attn.mgk_scores %q, %keys, %pi sigma_sq(2.000000e+00) : (tensor<1x4x?x2xf32>, tensor<1x4x2x?x2xf32>, tensor<4x2xf32>) -> tensor<1x4x?x?xf32>
    %o = attn.apply %map, %v : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// MHE keys (attn-to-mhe ran first): no per-head key projection to split into
// components.
// CHECK-LABEL: module @negative_mhe_keys
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.mgk_scores
// CHECK:           attn.scores
module @negative_mhe_keys {
  ml_program.global private @layers.5.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.5.attn.wk_shared(#ml_program.extern : tensor<8x2xf32>) : tensor<8x2xf32>
  ml_program.global private @layers.5.attn.ek(#ml_program.extern : tensor<4x2xf32>) : tensor<4x2xf32>
  ml_program.global private @layers.5.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.5.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.5.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.5.attn.wk_shared : tensor<8x2xf32>
    %ek = ml_program.global_load_const @layers.5.attn.ek : tensor<4x2xf32>
    %wv = ml_program.global_load_const @layers.5.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.5.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %p = attn.project %x, %wk heads(1) : (tensor<1x?x8xf32>, tensor<8x2xf32>) -> tensor<1x1x?x2xf32>
    %f = tensor.collapse_shape %p [[0, 1], [2], [3]] : tensor<1x1x?x2xf32> into tensor<1x?x2xf32>
    %k = attn.head_embed %f, %ek mode(mul) : (tensor<1x?x2xf32>, tensor<4x2xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 5: its key heads do not come from attn.project but from 'attn.head_embed'; left unchanged}}
    %map = attn.scores %q, %k : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x?xf32>
    %o = attn.apply %map, %v : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// Key-value tying (attn-tie-kv ran first): R key components leave no single
// key to tie the values to, so the tie is kept and MGK is not applied.
// CHECK-LABEL: module @negative_tied_keys_values
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK:           %[[K:.+]] = attn.project %{{.+}}, %layers.0.attn.wk
// CHECK:           attn.attend %{{.+}}, %[[K]], %[[K]]
module @negative_tied_keys_values {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 0: its values are its keys (key-value tying); with R key components there is no single key projection to tie them to; left unchanged}}
    %o = attn.attend %q, %k, %k causal : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A key weight passed as an argument: no parameter to copy or name after.
// CHECK-LABEL: func.func @negative_key_weight_argument(
// CHECK-NOT:     attn.mgk_scores
// CHECK:         attn.attend
func.func @negative_key_weight_argument(%x: tensor<1x?x8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>, %wo: tensor<8x8xf32>) -> tensor<1x?x8xf32> {
  %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
  %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
  %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
  // expected-remark@+1 {{layer 0: its key weight is not a statically shaped model parameter; left unchanged}}
  %o = attn.attend %q, %k, %v : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
  %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
  return %y : tensor<1x?x8xf32>
}

// -----

// A key bias passed as an argument: the component biases could not say
// where their values come from.
// CHECK-LABEL: module @negative_key_bias_argument
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.mgk_scores
module @negative_key_bias_argument {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %bk: tensor<8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk bias(%bk) heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 0: its key bias is not a model parameter; left unchanged}}
    %map = attn.scores %q, %k : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x?xf32>
    %o = attn.apply %map, %v : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A scale of 0 gives no variance 1/scale: the user must set sigma-sq.
// CHECK-LABEL: module @negative_zero_scale
// CHECK-NOT:     _mgk
module @negative_zero_scale {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 0: its softmax scale 0.000000e+00 gives no positive, finite variance 1/scale; set sigma-sq; left unchanged}}
    %o = attn.attend %q, %k, %v scale(0.000000e+00) : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A map that no attn.scores computes (here an empty tensor): nothing to
// turn into Gaussian keys.
// CHECK-LABEL: module @negative_foreign_map
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.mgk_scores
module @negative_foreign_map {
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x8x8xf32>) -> tensor<1x8x8xf32> {
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    // expected-remark@+1 {{layer 0: its map comes from 'tensor.empty', not from attn.scores or attn.attend; left unchanged}}
    %map = tensor.empty() : tensor<1x4x8x8xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8x2xf32>
    %o = attn.apply %map, %v : (tensor<1x4x8x8xf32>, tensor<1x4x8x2xf32>) -> tensor<1x4x8x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x8x2xf32>, tensor<8x8xf32>) -> tensor<1x8x8xf32>
    return %y : tensor<1x8x8xf32>
  }
}

// -----

// A per-head mask ([B, 4, Tq, Tk]) cannot serve 2 heads: an error, not a
// silent skip, since the user asked for the new head count.
module @mask_with_head_dimension {
  ml_program.global private @layers.2.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.2.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %mask: tensor<1x4x?x?xi1>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.2.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.2.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.2.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.2.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-error@+1 {{layer 2: num-heads=2 does not fit: the layer has 4 heads and its mask 'tensor<1x4x?x?xi1>' has a head dimension of size 4; only a mask that broadcasts over heads (size 1) fits any head count}}
    %map = attn.scores %q, %k mask(%mask) : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x?xi1>) -> tensor<1x4x?x?xf32>
    %o = attn.apply %map, %v : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A mask whose head dimension is only known at run time may be per head.
module @mask_with_dynamic_head_dimension {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %mask: tensor<?x?x?xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-error@+1 {{layer 0: num-heads=2 does not fit: the layer has 4 heads and its mask 'tensor<?x?x?xf32>' has a head dimension of size ?}}
    %o = attn.attend %q, %k, %v mask(%mask) : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<?x?x?xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A reuse layer whose values are not a plain projection cannot follow a new
// head count, so the whole group keeps its map.
// CHECK-LABEL: module @negative_reuse_layer_values
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.mgk_scores
module @negative_reuse_layer_values {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %v1: tensor<1x4x?x2xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v0 = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 0: layer 1, which reuses its map, has value heads that do not come from attn.project; left unchanged}}
    %map = attn.scores %q, %k : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x?xf32>
    %o0 = attn.apply %map, %v0 : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %a0 = attn.merge %o0, %wo0 : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %o1 = attn.apply %map, %v1 : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %a1 = attn.merge %o1, %wo1 : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %y = arith.addf %a0, %a1 : tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A new head count replaces the query, value and output weights, named after
// the old ones: here the query weight is an argument.
// CHECK-LABEL: module @negative_query_weight_argument
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK-NOT:       attn.mgk_scores
module @negative_query_weight_argument {
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>, %wq: tensor<8x8xf32>) -> tensor<1x?x8xf32> {
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 0: it has query, value or output weights or biases that are not statically shaped model parameters; left unchanged}}
    %o = attn.attend %q, %k, %v : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// The map is also a result of the function: its readers outside the layer
// would not see the new head count.
// CHECK-LABEL: module @negative_map_escapes
// CHECK-NOT:     _mgk
// CHECK-LABEL:   func.func @forward(
// CHECK:           %[[MAP:.+]] = attn.scores
// CHECK:           return %{{.+}}, %[[MAP]]
module @negative_map_escapes {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> (tensor<1x?x8xf32>, tensor<1x4x?x?xf32>) {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-remark@+1 {{layer 0: its map is also read by 'func.return', which would not see the new head count; left unchanged}}
    %map = attn.scores %q, %k : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x?xf32>
    %o = attn.apply %map, %v : (tensor<1x4x?x?xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y, %map : tensor<1x?x8xf32>, tensor<1x4x?x?xf32>
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
  ml_program.global private @layers.0.attn.mgk_pi(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %k = attn.project %x, %wk heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    %v = attn.project %x, %wv heads(4) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x4x?x2xf32>
    // expected-error@+1 {{cannot create parameter 'layers.0.attn.mgk_pi': the name is taken}}
    %o = attn.attend %q, %k, %v : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x2xf32>
    %y = attn.merge %o, %wo : (tensor<1x4x?x2xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}
