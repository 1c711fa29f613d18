// Diagnostics of attn-substitute-ff. Each part runs with its own options.
// Errors name the layer and sit at the op they are about (the decomposed ops
// keep the location of the attn.mha they come from).
//
// RUN: split-file %s %t --leading-lines
// RUN: attn-opt %t/layers.mlir -split-input-file -verify-diagnostics \
// RUN:     --attn-substitute-ff="variant=alr max-len=4"
// RUN: attn-opt %t/alrr.mlir -split-input-file -verify-diagnostics \
// RUN:     --attn-substitute-ff="variant=alrr max-len=4"
// RUN: attn-opt %t/aslr.mlir -split-input-file -verify-diagnostics \
// RUN:     --attn-substitute-ff="variant=aslr max-len=4"
// RUN: attn-opt %t/elr.mlir -split-input-file -verify-diagnostics \
// RUN:     --attn-substitute-ff="variant=elr max-len=4"
// RUN: attn-opt %t/deep-ff.mlir -split-input-file -verify-diagnostics \
// RUN:     --attn-substitute-ff="variant=deep-ff"
// RUN: attn-opt %t/variant.mlir -verify-diagnostics --attn-substitute-ff="variant=alrx"
// RUN: attn-opt %t/layer-index.mlir -verify-diagnostics --attn-substitute-ff="layers=0,5"
// RUN: attn-opt %t/depth.mlir -verify-diagnostics --attn-substitute-ff="variant=deep-ff depth=1"
// RUN: attn-opt %t/max-len.mlir -verify-diagnostics --attn-substitute-ff="max-len=0"
// RUN: attn-opt %t/hidden.mlir -verify-diagnostics --attn-substitute-ff="max-len=1"
// RUN: attn-opt %t/too-large.mlir -verify-diagnostics \
// RUN:     --attn-substitute-ff="max-len=4000000000"

//--- layers.mlir

// A masked attention cannot become a whole-sequence network: Bozic et al.
// handle padding by length only.
func.func @masked(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>, %mask: tensor<1x1x4x4xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: attn-substitute-ff cannot replace masked attention: the seq_mlp sees the whole sequence}}
  %a = attn.mha %x, %x, %w, %w, %w, %w mask(%mask) heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<1x1x4x4xf32>) -> tensor<1x4x8xf32>
  %y = arith.addf %x, %a : tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// Causal attention cannot either: the network sees future tokens.
func.func @causal(%x: tensor<1x?x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x?x8xf32> {
  // expected-error @+1 {{layer 0: attn-substitute-ff cannot replace causal attention: the seq_mlp sees the whole sequence, future tokens included}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) causal : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
  %y = arith.addf %x, %a : tensor<1x?x8xf32>
  return %y : tensor<1x?x8xf32>
}

// -----

// Every selected layer is checked before anything changes, and each bad one
// is reported: an i1 mask on a materialised map (layer 0) and a causal
// fused attend (layer 1), both in decomposed form.
func.func @all_layers_reported(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>, %mask: tensor<4x4xi1>) -> tensor<1x4x8xf32> {
  %q0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  // expected-error @+1 {{layer 0: attn-substitute-ff cannot replace masked attention}}
  %m0 = attn.scores %q0, %k0 mask(%mask) : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<4x4xi1>) -> tensor<1x2x4x4xf32>
  %o0 = attn.apply %m0, %v0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a0 = attn.merge %o0, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y0 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  %q1 = attn.project %y0, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k1 = attn.project %y0, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v1 = attn.project %y0, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  // expected-error @+1 {{layer 1: attn-substitute-ff cannot replace causal attention}}
  %o1 = attn.attend %q1, %k1, %v1 causal : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a1 = attn.merge %o1, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y1 = arith.addf %y0, %a1 : tensor<1x4x8xf32>
  return %y1 : tensor<1x4x8xf32>
}

// -----

// A static sequence longer than max-len (8 > 4) cannot be processed.
func.func @too_long(%x: tensor<2x8x8xf32>, %w: tensor<8x8xf32>) -> tensor<2x8x8xf32> {
  // expected-error @+1 {{layer 0: sequence length 8 exceeds max-len 4}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<2x8x8xf32>, tensor<2x8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<2x8x8xf32>
  %y = arith.addf %x, %a : tensor<2x8x8xf32>
  return %y : tensor<2x8x8xf32>
}

// -----

// Cross-attention: a network of the queries' input alone would drop the
// memory the keys and values read.
func.func @cross_attention(%x: tensor<1x4x8xf32>, %mem: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: attn-substitute-ff replaces self-attention only: the queries and the keys/values read different inputs}}
  %a = attn.mha %x, %mem, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y = arith.addf %x, %a : tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// Heads that are not attn.project results (MHE head embeddings): the
// attention's input is unknown.
func.func @head_embeddings(%x: tensor<1x4x8xf32>, %p: tensor<1x4x4xf32>, %e: tensor<2x4xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q = attn.head_embed %p, %e mode(add) : (tensor<1x4x4xf32>, tensor<2x4xf32>) -> tensor<1x2x4x4xf32>
  %o = attn.attend %q, %q, %q : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-error @+1 {{layer 0: cannot find the attention's input: its query, key and value heads are not all attn.project results}}
  %a = attn.merge %o, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y = arith.addf %x, %a : tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// The parameter sizes need a static model width.
func.func @dynamic_width(%x: tensor<1x4x?xf32>, %w: tensor<?x?xf32>) -> tensor<1x4x?xf32> {
  // expected-error @+1 {{layer 0: the model width must be static to size the new parameters}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) scale(5.000000e-01) : (tensor<1x4x?xf32>, tensor<1x4x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<1x4x?xf32>
  %y = arith.addf %x, %a : tensor<1x4x?xf32>
  return %y : tensor<1x4x?xf32>
}

// -----

// A new parameter's name is already taken.
module {
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.alr.w0(#ml_program.extern : tensor<32x8xf32>) : tensor<32x8xf32>
  func.func @name_taken(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    // expected-error @+1 {{layer 0: cannot create parameter 'layers.0.alr.w0': the name is taken}}
    %a = attn.mha %x, %x, %w, %w, %w, %wo heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %y = arith.addf %x, %a : tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }
}

//--- alrr.mlir

// The attention output is not added to a residual: nothing for alrr to
// replace beyond the attention.
func.func @no_residual(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: alrr needs the residual add after attention}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %a : tensor<1x4x8xf32>
}

// -----

// The sum adds something other than the attention's input (or the input of
// its pre-norm): not a residual connection.
func.func @not_a_residual(%x: tensor<1x4x8xf32>, %z: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: alrr needs the residual add after attention}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y = arith.addf %z, %a : tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

//--- aslr.mlir

// The per-head parameters need a static head width too.
func.func @dynamic_head_width(%x: tensor<1x4x8xf32>, %w: tensor<8x?xf32>, %wo: tensor<?x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: the model width and head width must be static to size the new parameters}}
  %a = attn.mha %x, %x, %w, %w, %w, %wo heads(2) scale(5.000000e-01) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x?xf32>, tensor<8x?xf32>, tensor<8x?xf32>, tensor<?x8xf32>) -> tensor<1x4x8xf32>
  %y = arith.addf %x, %a : tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

//--- elr.mlir

// An attention sublayer with its residual add and LayerNorm but no
// feed-forward sublayer after it: not a whole encoder layer.
func.func @no_ffn(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>, %g: tensor<8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: elr needs the layer's feed-forward sublayer after attention (an attn.ffn and its residual add)}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %r = arith.addf %x, %a : tensor<1x4x8xf32>
  %h = attn.layer_norm %r, %g, %g : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  return %h : tensor<1x4x8xf32>
}

// -----

// The feed-forward output is not added back to the residual stream.
func.func @ffn_without_residual(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: elr needs the layer's feed-forward sublayer after attention}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %h = arith.addf %x, %a : tensor<1x4x8xf32>
  %f = attn.ffn %h weights(%w, %w) activation(relu) : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %f : tensor<1x4x8xf32>
}

// -----

// No residual add at all.
func.func @no_residual(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: elr needs the residual add after attention}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %f = attn.ffn %a weights(%w, %w) activation(relu) : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %f : tensor<1x4x8xf32>
}

//--- deep-ff.mlir

// deep-ff removes the attention sublayer with its residual add, so it needs
// one.
func.func @no_residual(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: deep-ff needs the residual add after attention}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  return %a : tensor<1x4x8xf32>
}

// -----

// ... and the feed-forward network it deepens.
func.func @no_ffn(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  // expected-error @+1 {{layer 0: deep-ff needs the layer's feed-forward sublayer after attention (an attn.ffn and its residual add)}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %y = arith.addf %x, %a : tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

// -----

// The deepened network's third weight would be `layers.0.ffn.w2`, a name
// that another function reads: it cannot be replaced.
module {
  ml_program.global private @layers.0.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.0.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.0.ffn.w2(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @name_taken(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %h = arith.addf %x, %a : tensor<1x4x8xf32>
    // expected-error @+1 {{layer 0: cannot create parameter 'layers.0.ffn.w2': the name is taken by a symbol that the layer's feed-forward network is not the only reader of}}
    %f = attn.ffn %h weights(%w0, %w1) activation(relu) : (tensor<1x4x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<1x4x8xf32>
    %y = arith.addf %h, %f : tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }
  func.func @other() -> tensor<8x8xf32> {
    %w2 = ml_program.global_load_const @layers.0.ffn.w2 : tensor<8x8xf32>
    return %w2 : tensor<8x8xf32>
  }
}

//--- variant.mlir

// expected-error @+1 {{unknown variant 'alrx': expected alr, alrr, aslr, elr or deep-ff}}
module {
  func.func @f(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %y = arith.addf %x, %a : tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }
}

//--- layer-index.mlir

// The model has layers 0 and 1 only.
// expected-error @+1 {{layer index 5 is out of range: the attention layers are 0, 1}}
module {
  func.func @f(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %y = arith.addf %x, %a : tensor<1x4x8xf32>
    %b = attn.mha %y, %y, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %z = arith.addf %y, %b : tensor<1x4x8xf32>
    return %z : tensor<1x4x8xf32>
  }
}

//--- depth.mlir

// A deepened feed-forward network has at least two linear layers.
// expected-error @+1 {{depth must be at least 2 (deep-ff), got 1}}
module {
  func.func @f(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %h = arith.addf %x, %a : tensor<1x4x8xf32>
    %f = attn.ffn %h weights(%w, %w) activation(relu) : (tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %y = arith.addf %h, %f : tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }
}

//--- max-len.mlir

// expected-error @+1 {{max-len must be positive, got 0}}
module {
  func.func @f(%x: tensor<1x?x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x?x8xf32> {
    %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %y = arith.addf %x, %a : tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

//--- hidden.mlir

// max-len 1 and D = 2 make the default hidden width 1*2/4 = 0.
func.func @f(%x: tensor<1x1x2xf32>, %w: tensor<2x2xf32>) -> tensor<1x1x2xf32> {
  // expected-error @+1 {{layer 0: the default hidden width max-len*D/4 = 1*2/4 is 0; set hidden}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(1) : (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<1x1x2xf32>
  %y = arith.addf %x, %a : tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}

//--- too-large.mlir

// N*D*K = 4e9 * 8 * 8e9 elements do not fit in int64.
func.func @f(%x: tensor<1x?x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x?x8xf32> {
  // expected-error @+1 {{layer 0: the new weights are too large for max-len 4000000000 and width 8}}
  %a = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
  %y = arith.addf %x, %a : tensor<1x?x8xf32>
  return %y : tensor<1x?x8xf32>
}
