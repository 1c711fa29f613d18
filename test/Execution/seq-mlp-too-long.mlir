// A dynamic sequence longer than max_len stops the compiled code with the
// run-time check's message: attn.seq_mlp cannot process it. @run is a
// separate function so that its T stays dynamic.
//
// puts + abort: unbuffered stdout, or the message dies in the buffer.
// RUN: %attn_lower_cpu %s | not --crash stdbuf -o0 %mlir_run_cpu 2>&1 \
// RUN:   | FileCheck %s
// CHECK: sequence length exceeds max_len 4
// CHECK-NOT: Unranked Memref

func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"})

func.func @run(%x: tensor<1x?x2xf32>, %w0: tensor<8x3xf32>, %w1: tensor<3x8xf32>) -> tensor<1x?x2xf32> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(4) activation(relu)
      : (tensor<1x?x2xf32>, tensor<8x3xf32>, tensor<3x8xf32>) -> tensor<1x?x2xf32>
  return %y : tensor<1x?x2xf32>
}

func.func @main() {
  %x = arith.constant dense<1.0> : tensor<1x5x2xf32>
  %w0 = arith.constant dense<0.5> : tensor<8x3xf32>
  %w1 = arith.constant dense<0.25> : tensor<3x8xf32>
  %xd = tensor.cast %x : tensor<1x5x2xf32> to tensor<1x?x2xf32>
  %y = call @run(%xd, %w0, %w1)
      : (tensor<1x?x2xf32>, tensor<8x3xf32>, tensor<3x8xf32>) -> tensor<1x?x2xf32>
  %p = tensor.cast %y : tensor<1x?x2xf32> to tensor<*xf32>
  call @printMemrefF32(%p) : (tensor<*xf32>) -> ()
  return
}
