// Numerics of attn.mgk_scores (Transformer-MGK, R = 2 key components) and
// attn.apply of its map on the CPU, plain and with an i1 key mask, causal
// and a small sigma_sq (sharper kernels, larger logits).
//
// Inputs and expected values come from NumPy, computed from the equations
// (exp(-|q - k|^2 / (2 sigma_sq)) directly, not the lowering's expansion):
//   /usr/bin/python3 test/Execution/reference.py mgk
// FileCheck compares ~5 significant digits of each printed value (relative
// error below ~1e-5; see reference.py).
//
// RUN: %attn_lower_cpu %s | %mlir_run_cpu | FileCheck %s

// The runtime only reads what it prints (not a copy before each call).
func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"})

func.func @main() {
  %q = arith.constant dense<[[[[0.60, 0.02, -0.56, -0.94], [-0.97, -0.64, -0.07, 0.52], [0.92, 0.98, 0.67, 0.12]], [[-0.48, -0.90, -0.99, -0.71], [-0.17, 0.43, 0.87, 0.99], [0.75, 0.22, -0.38, -0.85]]]]> : tensor<1x2x3x4xf32>
  %keys = arith.constant dense<[[[[[-0.67, -0.98, -0.92, -0.53], [0.06, 0.63, 0.96, 0.94], [0.57, -0.01, -0.59, -0.95], [-0.96, -0.61, -0.04, 0.55], [0.93, 0.97, 0.65, 0.09]], [[-0.50, -0.91, -0.98, -0.69], [-0.14, 0.46, 0.89, 0.99], [0.73, 0.19, -0.41, -0.86], [-1.00, -0.76, -0.24, 0.36], [0.84, 1.00, 0.79, 0.29]]], [[[-0.32, -0.81, -1.00, -0.82], [-0.34, 0.27, 0.78, 1.00], [0.85, 0.39, -0.22, -0.74], [-0.99, -0.88, -0.44, 0.17], [0.71, 0.99, 0.90, 0.48]], [[-0.11, -0.67, -0.98, -0.92], [-0.53, 0.06, 0.63, 0.96], [0.94, 0.57, -0.01, -0.59], [-0.95, -0.96, -0.61, -0.04], [0.55, 0.93, 0.97, 0.65]]]]]> : tensor<1x2x2x5x4xf32>
  %pi = arith.constant dense<[[0.30, 0.70], [0.50, 0.50]]> : tensor<2x2xf32>
  %v = arith.constant dense<[[[[-0.86, -0.41, 0.20], [0.73, 0.99, 0.89], [0.46, -0.14, -0.69], [-0.98, -0.91, -0.50], [0.09, 0.65, 0.97]], [[0.93, 0.54, -0.04], [-0.61, -0.96, -0.95], [-0.59, -0.01, 0.57], [0.94, 0.96, 0.63], [0.06, -0.53, -0.92]]]]> : tensor<1x2x5x3xf32>
  %kmask = arith.constant dense<[true, true, false, true, true]> : tensor<5xi1>
  %qd = tensor.cast %q : tensor<1x2x3x4xf32> to tensor<?x2x?x4xf32>
  %keysd = tensor.cast %keys : tensor<1x2x2x5x4xf32> to tensor<?x2x2x?x4xf32>

  %map = attn.mgk_scores %q, %keys, %pi sigma_sq(2.000000e+00)
      : (tensor<1x2x3x4xf32>, tensor<1x2x2x5x4xf32>, tensor<2x2xf32>)
      -> tensor<1x2x3x5xf32>
  %p0 = tensor.cast %map : tensor<1x2x3x5xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()
  %out = attn.apply %map, %v
      : (tensor<1x2x3x5xf32>, tensor<1x2x5x3xf32>) -> tensor<1x2x3x3xf32>
  %p1 = tensor.cast %out : tensor<1x2x3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()
  %masked = attn.mgk_scores %qd, %keysd, %pi mask(%kmask)
      sigma_sq(5.000000e-01) causal
      : (tensor<?x2x?x4xf32>, tensor<?x2x2x?x4xf32>, tensor<2x2xf32>,
         tensor<5xi1>) -> tensor<?x2x?x?xf32>
  %p2 = tensor.cast %masked : tensor<?x2x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()
  return
}

// mgk_scores sigma_sq 2
// CHECK: Unranked Memref {{.*}} sizes = [1, 2, 3, 5]
// CHECK-NEXT: [0.2277{{(0[0-9]*)?}}, 0.08238{{[12][0-9]*}}, 0.4181{{(0[0-9]*)?}}, 0.11941{{[0-9]*}}, 0.15238{{[0-9]*}}]
// CHECK-NEXT: [0.22689{{[0-9]*}}, 0.18245{{[0-9]*}}, 0.1054{{[78][0-9]*}}, 0.4094{{[67][0-9]*}}, 0.07570{{[123][0-9]*}}]
// CHECK-NEXT: [0.04459{{((0[0-9]*)?|1[0-9]*)}}, 0.26007{{[0-9]*}}, 0.19965{{[0-9]*}}, 0.0689{{(59[0-9]*|6(0[0-9]*)?)}}, 0.4267{{[12][0-9]*}}]
// CHECK-NEXT: [0.41749{{[0-9]*}}, 0.0779{{(19[0-9]*|2(0[0-9]*)?)}}, 0.13858{{[0-9]*}}, 0.33085{{[0-9]*}}, 0.03514{{[23][0-9]*}}]
// CHECK-NEXT: [0.05217{{[89][0-9]*}}, 0.39698{{[0-9]*}}, 0.12365{{[0-9]*}}, 0.11202{{[0-9]*}}, 0.31515{{[0-9]*}}]
// CHECK-NEXT: [0.24231{{[0-9]*}}, 0.09535{{((0[0-9]*)?|1[0-9]*)}}, 0.40065{{[0-9]*}}, 0.1172{{(0[0-9]*)?}}, 0.1444{{[67][0-9]*}}]

// apply(mgk_scores)
// CHECK: Unranked Memref {{.*}} sizes = [1, 2, 3, 3]
// CHECK-NEXT: [-0.04667{{[34][0-9]*}}, -0.07995{{[56][0-9]*}}, -0.08152{{[678][0-9]*}}]
// CHECK-NEXT: [-0.40788{{[0-9]*}}, -0.25057{{[0-9]*}}, 0.00367{{[67][0-9]*}}]
// CHECK-NEXT: [0.21417{{[0-9]*}}, 0.42585{{[0-9]*}}, 0.48206{{[0-9]*}}]
// CHECK-NEXT: [0.5720{{[89][0-9]*}}, 0.44825{{[0-9]*}}, 0.16437{{[0-9]*}}]
// CHECK-NEXT: [-0.14237{{[0-9]*}}, -0.41365{{[0-9]*}}, -0.5281{{(0[0-9]*)?}}]
// CHECK-NEXT: [0.04964{{[34][0-9]*}}, 0.07125{{[567][0-9]*}}, 0.06902{{[67][0-9]*}}]

// mgk_scores sigma_sq 0.5, i1 mask, causal
// CHECK: Unranked Memref {{.*}} sizes = [1, 2, 3, 5]
// CHECK-NEXT: [{{(0\.9999[0-9]*|1(\.0000[0-9]*)?)}}, 0, 0, 0, 0]
// CHECK-NEXT: [0.70015{{[0-9]*}}, 0.29984{{[0-9]*}}, 0, 0, 0]
// CHECK-NEXT: [0.00084{{[67][0-9]*}}, 0.99915{{[0-9]*}}, 0, 0, 0]
// CHECK-NEXT: [{{(0\.9999[0-9]*|1(\.0000[0-9]*)?)}}, 0, 0, 0, 0]
// CHECK-NEXT: [0.00029{{[67][0-9]*}}, 0.9997{{(0[0-9]*)?}}, 0, 0, 0]
// CHECK-NEXT: [0.9775{{[67][0-9]*}}, 0.02242{{[89][0-9]*}}, 0, 0, 0]
