// Errors of convert-attn-to-linalg: the pass fails with an error on the op
// it cannot lower (not just "failed to legalize").
//
// RUN: attn-opt %s -split-input-file --convert-attn-to-linalg \
// RUN:   -verify-diagnostics

// f8E4M3FN has no infinity: nothing to mask with.
func.func @scores_no_infinity(%q: tensor<1x2x4x8xf8E4M3FN>, %k: tensor<1x2x4x8xf8E4M3FN>) -> tensor<1x2x4x4xf8E4M3FN> {
  // expected-error @below {{'attn.scores' op cannot be lowered to linalg: element type 'f8E4M3FN' has no infinity to mask with (use f32, f16 or bf16)}}
  %s = attn.scores %q, %k : (tensor<1x2x4x8xf8E4M3FN>, tensor<1x2x4x8xf8E4M3FN>) -> tensor<1x2x4x4xf8E4M3FN>
  return %s : tensor<1x2x4x4xf8E4M3FN>
}

// -----
// The online softmax needs -inf as well.
func.func @attend_no_infinity(%q: tensor<1x2x4x8xf8E4M3FN>, %k: tensor<1x2x4x8xf8E4M3FN>, %v: tensor<1x2x4x8xf8E4M3FN>) -> tensor<1x2x4x8xf8E4M3FN> {
  // expected-error @below {{'attn.attend' op cannot be lowered to linalg: element type 'f8E4M3FN' has no infinity}}
  %o = attn.attend %q, %k, %v : (tensor<1x2x4x8xf8E4M3FN>, tensor<1x2x4x8xf8E4M3FN>, tensor<1x2x4x8xf8E4M3FN>) -> tensor<1x2x4x8xf8E4M3FN>
  return %o : tensor<1x2x4x8xf8E4M3FN>
}

// -----
// A dynamic type over a length the lowering can prove (5 > max_len 4).
func.func @seq_mlp_known_too_long(%x: tensor<1x5x2xf32>, %w0: tensor<8x3xf32>, %w1: tensor<3x8xf32>) -> tensor<1x?x2xf32> {
  %xd = tensor.cast %x : tensor<1x5x2xf32> to tensor<1x?x2xf32>
  // expected-error @below {{'attn.seq_mlp' op sequence length 5 exceeds max_len 4}}
  %y = attn.seq_mlp %xd w0(%w0) w1(%w1) max_len(4) activation(relu)
      : (tensor<1x?x2xf32>, tensor<8x3xf32>, tensor<3x8xf32>) -> tensor<1x?x2xf32>
  return %y : tensor<1x?x2xf32>
}
