// Errors of attn-report. Each bad option value needs its own RUN line, so the
// cases live in separate files cut from this one by split-file.
//
// RUN: split-file %s %t
// RUN: attn-opt %t/format.mlir -verify-diagnostics --attn-report=format=xml
// RUN: attn-opt %t/negative.mlir -verify-diagnostics --attn-report=seq-len=-1
// RUN: attn-opt %t/static.mlir -verify-diagnostics --attn-report=seq-len=8
// RUN: attn-opt %t/output.mlir -verify-diagnostics --attn-report=output=%t/no-such-dir/report.txt
// RUN: attn-opt %t/model.mlir -split-input-file -verify-diagnostics --attn-report=seq-len=8 -o /dev/null

//--- format.mlir
// Only table and json are formats.
// expected-error @+1 {{attn-report: unknown format 'xml'; expected 'table' or 'json'}}
module {
}

//--- negative.mlir
// A negative sequence length makes no sense.
// expected-error @+1 {{seq-len must be positive (or 0 for the model's own), not -1}}
module {
}

//--- static.mlir
// A model with a static T cannot be costed at another length.
module {
  // expected-error @+1 {{seq-len=8 contradicts the static sequence length 4 of @forward's input}}
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
    return %x : tensor<1x4x8xf32>
  }
}

//--- output.mlir
// The report file cannot be created.
// expected-error @+1 {{attn-report: cannot write}}
module {
}

//--- model.mlir
// A parameter without a static shape has no countable size.
module {
  // expected-error @+1 {{parameter 'layers.0.attn.wq' has a dynamic shape; its size cannot be counted}}
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x?xf32>) : tensor<8x?xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<8x?xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x?xf32>
    return %wq : tensor<8x?xf32>
  }
}

// -----

// A whole-sequence feed-forward layer cannot process T > max_len.
func.func @forward(%x: tensor<1x?x8xf32>, %w0: tensor<32x16xf32>, %w1: tensor<16x32xf32>) -> tensor<1x?x8xf32> {
  // expected-error @+1 {{sequence length 8 exceeds max_len 4: the layer cannot process it}}
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(4) activation(leaky_relu) : (tensor<1x?x8xf32>, tensor<32x16xf32>, tensor<16x32xf32>) -> tensor<1x?x8xf32>
  return %y : tensor<1x?x8xf32>
}

// -----

// Counts that do not fit in 64 bits: a map of 2^32 x 2^32 elements.
// expected-error @+1 {{the cost at seq-len=8 does not fit in 64 bits}}
module {
  func.func @huge(%q: tensor<1x1x4294967296x1xf32>, %k: tensor<1x1x4294967296x1xf32>) -> tensor<1x1x4294967296x4294967296xf32> {
    %map = attn.scores %q, %k : (tensor<1x1x4294967296x1xf32>, tensor<1x1x4294967296x1xf32>) -> tensor<1x1x4294967296x4294967296xf32>
    return %map : tensor<1x1x4294967296x4294967296xf32>
  }
}

// -----

// A dynamic T at a length within max_len is fine: no diagnostic.
func.func @forward(%x: tensor<1x?x8xf32>, %w0: tensor<64x16xf32>, %w1: tensor<16x64xf32>) -> tensor<1x?x8xf32> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(leaky_relu) : (tensor<1x?x8xf32>, tensor<64x16xf32>, tensor<16x64xf32>) -> tensor<1x?x8xf32>
  return %y : tensor<1x?x8xf32>
}
