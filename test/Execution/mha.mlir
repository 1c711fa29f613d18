// Numerics of whole attn.mha layers on the CPU, lowered directly (through
// attn.attend, in one or several key blocks) and after attn-decompose
// (through attn.scores and attn.apply): self-attention with every bias and
// causal, and cross-attention (Tq = 3, Tk = 5) with an i1 key mask, an
// explicit scale and dynamic B and T.
//
// Inputs and expected values come from NumPy, computed from the equations:
//   /usr/bin/python3 test/Execution/reference.py mha
// FileCheck compares ~5 significant digits of each printed value (relative
// error below ~1e-5; see reference.py).
//
// RUN: %attn_lower_cpu %s | %mlir_run_cpu | FileCheck %s
// RUN: attn-opt %s --convert-attn-to-linalg=attend-block-size=2 \
// RUN:   | %attn_lower_cpu | %mlir_run_cpu | FileCheck %s
// RUN: attn-opt %s --attn-decompose | %attn_lower_cpu | %mlir_run_cpu \
// RUN:   | FileCheck %s

// The runtime only reads what it prints (not a copy before each call).
func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"})

func.func @main() {
  %x = arith.constant dense<[[[0.95, 0.59, 0.02, -0.57], [-0.94, -0.96, -0.63, -0.07], [0.52, 0.92, 0.98, 0.67]], [[0.12, -0.48, -0.90, -0.99], [-0.71, -0.17, 0.43, 0.87], [0.99, 0.75, 0.22, -0.39]]]> : tensor<2x3x4xf32>
  %y = arith.constant dense<[[[1.00, 0.77, 0.25, -0.36], [-0.83, -1.00, -0.80, -0.30], [0.31, 0.80, 1.00, 0.83], [0.35, -0.26, -0.77, -1.00], [-0.86, -0.40, 0.21, 0.74]], [[0.99, 0.88, 0.44, -0.16], [-0.70, -0.98, -0.90, -0.49], [0.11, 0.66, 0.97, 0.92], [0.53, -0.06, -0.62, -0.96], [-0.94, -0.58, 0.00, 0.58]]]> : tensor<2x5x4xf32>
  %wq = arith.constant dense<[[-0.12, -0.67, -0.98, -0.92], [-0.52, 0.07, 0.63, 0.96], [0.94, 0.57, -0.01, -0.59], [-0.95, -0.96, -0.61, -0.04]]> : tensor<4x4xf32>
  %wk = arith.constant dense<[[-1.00, -0.86, -0.41, 0.20], [0.73, 0.99, 0.89, 0.45], [-0.15, -0.69, -0.98, -0.91], [-0.50, 0.10, 0.66, 0.97]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[-0.28, 0.33, 0.81, 1.00], [0.82, 0.33, -0.28, -0.78], [-1.00, -0.84, -0.38, 0.23], [0.75, 0.99, 0.87, 0.42]]> : tensor<4x4xf32>
  %wo = arith.constant dense<[[0.88, 0.99, 0.73, 0.20], [-0.40, -0.86, -1.00, -0.77], [-0.25, 0.36, 0.83, 1.00], [0.80, 0.30, -0.31, -0.80]]> : tensor<4x4xf32>
  %bq = arith.constant dense<[0.63, 0.07, -0.52, -0.92]> : tensor<4xf32>
  %bk = arith.constant dense<[-0.63, -0.96, -0.94, -0.57]> : tensor<4xf32>
  %bv = arith.constant dense<[-0.89, -0.45, 0.15, 0.69]> : tensor<4xf32>
  %bo = arith.constant dense<[0.28, 0.78, 1.00, 0.84]> : tensor<4xf32>
  %kmask = arith.constant dense<[[[[true, true, true, false, false]]], [[[true, true, true, true, true]]]]> : tensor<2x1x1x5xi1>
  %xd = tensor.cast %x : tensor<2x3x4xf32> to tensor<?x?x4xf32>
  %yd = tensor.cast %y : tensor<2x5x4xf32> to tensor<?x?x4xf32>

  %self = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo)
      heads(2) causal
      : (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<4x4xf32>,
         tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>,
         tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %p0 = tensor.cast %self : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()
  %cross = attn.mha %xd, %yd, %wq, %wk, %wv, %wo mask(%kmask) heads(2)
      scale(4.000000e-01)
      : (tensor<?x?x4xf32>, tensor<?x?x4xf32>, tensor<4x4xf32>,
         tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>,
         tensor<2x1x1x5xi1>) -> tensor<?x?x4xf32>
  %p1 = tensor.cast %cross : tensor<?x?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()
  return
}

// mha self-attention, biases, causal
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [0.19712{{[0-9]*}}, 0.4949{{[78][0-9]*}}, 0.62073{{[0-9]*}}, 0.51349{{[0-9]*}}]
// CHECK-NEXT: [0.17983{{[0-9]*}}, 0.5511{{[56][0-9]*}}, 0.72993{{[0-9]*}}, 0.63227{{[0-9]*}}]
// CHECK-NEXT: [0.2108{{[45][0-9]*}}, 0.5443{{[12][0-9]*}}, 0.68709{{[0-9]*}}, 0.57081{{[0-9]*}}]
// CHECK-NEXT: [0.06032{{[89][0-9]*}}, 0.432{{(69[0-9]*|7(0[0-9]*)?)}}, 0.65793{{[0-9]*}}, 0.63161{{[0-9]*}}]
// CHECK-NEXT: [0.16108{{[0-9]*}}, 0.5184{{[12][0-9]*}}, 0.69546{{[0-9]*}}, 0.608{{(09[0-9]*|1(0[0-9]*)?)}}]
// CHECK-NEXT: [0.196{{(39[0-9]*|4(0[0-9]*)?)}}, 0.52445{{[0-9]*}}, 0.66973{{[0-9]*}}, 0.56152{{[0-9]*}}]

// mha cross-attention, i1 key mask, scale 0.4, dynamic
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [0.02297{{[234][0-9]*}}, 0.00857{{[78][0-9]*}}, -0.00928{{[23][0-9]*}}, -0.02291{{[78][0-9]*}}]
// CHECK-NEXT: [0.0280{{(79[0-9]*|8(0[0-9]*)?)}}, 0.01944{{[23][0-9]*}}, 0.00322{{[34][0-9]*}}, -0.01325{{[34][0-9]*}}]
// CHECK-NEXT: [0.01824{{[56][0-9]*}}, -0.00214{{[45][0-9]*}}, -0.02201{{[78][0-9]*}}, -0.03292{{[67][0-9]*}}]
// CHECK-NEXT: [0.00080{{[89][0-9]*}}, 0.00553{{[23][0-9]*}}, 0.00823{{[78][0-9]*}}, 0.00781{{[78][0-9]*}}]
// CHECK-NEXT: [-0.00625{{((0[0-9]*)?|1[0-9]*)}}, -0.00608{{((0[0-9]*)?|1[0-9]*)}}, -0.00361{{[45][0-9]*}}, 0.0001{{(49[0-9]*|5(0[0-9]*)?)}}]
// CHECK-NEXT: [-0.0036{{(49[0-9]*|5(0[0-9]*)?)}}, -0.00640{{[23][0-9]*}}, -0.00667{{[78][0-9]*}}, -0.00461{{[78][0-9]*}}]
