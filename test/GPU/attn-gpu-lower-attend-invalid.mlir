// RUN: attn-opt %s --attn-gpu-lower-attend="block-q=0" -verify-diagnostics

// Block sizes must be positive.
// expected-error @below {{attn-gpu-lower-attend: block-q and block-k must be positive}}
module {
  func.func @attend(%q: tensor<1x1x4x4xf32>, %k: tensor<1x1x4x4xf32>, %v: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
    %o = attn.attend %q, %k, %v
        : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
    return %o : tensor<1x1x4x4xf32>
  }
}
