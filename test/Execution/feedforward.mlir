// Numerics of attn.layer_norm and attn.ffn on the CPU: layer norm of rank 3
// and (dynamic) rank 2 with the default and an explicit epsilon, the
// two-layer FFN with each activation (relu, exact gelu, silu, leaky_relu
// 0.01), and a depth-3 FFN without biases on dynamic B and T.
//
// Inputs and expected values come from NumPy, computed from the equations:
//   /usr/bin/python3 test/Execution/reference.py feedforward
// FileCheck compares ~5 significant digits of each printed value (relative
// error below ~1e-5; see reference.py).
//
// RUN: %attn_lower_cpu %s | %mlir_run_cpu | FileCheck %s

// The runtime only reads what it prints (not a copy before each call).
func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"})

func.func @main() {
  %x = arith.constant dense<[[[-1.00, -0.78, -0.27, 0.34], [0.82, 1.00, 0.81, 0.32], [-0.29, -0.79, -1.00, -0.84]], [[-0.37, 0.24, 0.76, 1.00], [0.87, 0.42, -0.19, -0.72], [-0.99, -0.89, -0.46, 0.14]]]> : tensor<2x3x4xf32>
  %gamma = arith.constant dense<[-0.14, 0.46, 0.89, 0.99]> : tensor<4xf32>
  %beta = arith.constant dense<[0.94, 0.96, 0.63, 0.06]> : tensor<4xf32>
  %x2 = arith.constant dense<[[0.52, -0.07, -0.64, -0.97], [-0.94, -0.56, 0.02, 0.60], [0.95, 0.95, 0.60, 0.03]]> : tensor<3x4xf32>
  %w0 = arith.constant dense<[[-0.74, -0.99, -0.88, -0.45, 0.16, 0.70], [0.98, 0.90, 0.49, -0.11, -0.66, -0.97], [-0.93, -0.53, 0.05, 0.62, 0.96, 0.94], [0.58, -0.00, -0.58, -0.95, -0.96, -0.62]]> : tensor<4x6xf32>
  %b0 = arith.constant dense<[-0.81, -0.32, 0.29, 0.79, 1.00, 0.84]> : tensor<6xf32>
  %w1 = arith.constant dense<[[0.41, 0.86, 1.00, 0.76], [0.24, -0.36, -0.84, -1.00], [-0.79, -0.29, 0.32, 0.81], [1.00, 0.82, 0.34, -0.27], [-0.78, -1.00, -0.85, -0.39], [0.22, 0.74, 0.99, 0.88]]> : tensor<6x4xf32>
  %b1 = arith.constant dense<[0.98, 0.67, 0.11, -0.49]> : tensor<4xf32>
  %w1b = arith.constant dense<[[-0.02, -0.60, -0.95, -0.95, -0.60], [-0.03, 0.56, 0.93, 0.97, 0.64], [0.08, -0.51, -0.92, -0.98, -0.68], [-0.13, 0.47, 0.89, 0.99, 0.72], [0.18, -0.42, -0.87, -0.99, -0.75], [-0.23, 0.37, 0.84, 1.00, 0.79]]> : tensor<6x5xf32>
  %w2b = arith.constant dense<[[-0.98, -0.90, -0.49, 0.11], [0.66, 0.97, 0.93, 0.53], [-0.05, -0.62, -0.96, -0.94], [-0.58, 0.00, 0.58, 0.95], [0.96, 0.62, 0.05, -0.54]]> : tensor<5x4xf32>
  %x2d = tensor.cast %x2 : tensor<3x4xf32> to tensor<?x4xf32>
  %xd = tensor.cast %x : tensor<2x3x4xf32> to tensor<?x?x4xf32>

  %ln = attn.layer_norm %x, %gamma, %beta
      : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %p0 = tensor.cast %ln : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()
  %ln2 = attn.layer_norm %x2d, %gamma, %beta {epsilon = 1.000000e-01 : f32}
      : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %p1 = tensor.cast %ln2 : tensor<?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()

  %relu = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(relu)
      : (tensor<2x3x4xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<6xf32>,
         tensor<4xf32>) -> tensor<2x3x4xf32>
  %p2 = tensor.cast %relu : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()
  %gelu = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(gelu)
      : (tensor<2x3x4xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<6xf32>,
         tensor<4xf32>) -> tensor<2x3x4xf32>
  %p3 = tensor.cast %gelu : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()
  %silu = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(silu)
      : (tensor<2x3x4xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<6xf32>,
         tensor<4xf32>) -> tensor<2x3x4xf32>
  %p4 = tensor.cast %silu : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p4) : (tensor<*xf32>) -> ()
  %leaky = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1)
      activation(leaky_relu)
      : (tensor<2x3x4xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<6xf32>,
         tensor<4xf32>) -> tensor<2x3x4xf32>
  %p5 = tensor.cast %leaky : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p5) : (tensor<*xf32>) -> ()
  %deep = attn.ffn %xd weights(%w0, %w1b, %w2b) activation(gelu)
      : (tensor<?x?x4xf32>, tensor<4x6xf32>, tensor<6x5xf32>, tensor<5x4xf32>)
      -> tensor<?x?x4xf32>
  %p6 = tensor.cast %deep : tensor<?x?x4xf32> to tensor<*xf32>
  call @printMemrefF32(%p6) : (tensor<*xf32>) -> ()
  return
}

// layer_norm
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [1.0952{{[0-9]*}}, 0.64588{{[0-9]*}}, 0.90154{{[0-9]*}}, 1.5319{{[0-9]*}}]
// CHECK-NEXT: [0.89428{{[0-9]*}}, 1.4379{{[0-9]*}}, 0.885{{(39[0-9]*|4(0[0-9]*)?)}}, -1.57{{(59[0-9]*|6(0[0-9]*)?)}}]
// CHECK-NEXT: [0.708{{(09[0-9]*|1(0[0-9]*)?)}}, 0.85609{{[0-9]*}}, -0.27463{{[0-9]*}}, -0.34996{{[0-9]*}}]
// CHECK-NEXT: [1.1468{{[0-9]*}}, 0.81359{{[0-9]*}}, 1.2261{{[0-9]*}}, 1.1745{{[0-9]*}}]
// CHECK-NEXT: [0.759{{(89[0-9]*|9(0[0-9]*)?)}}, 1.2081{{[0-9]*}}, 0.20896{{[0-9]*}}, -1.279{{[23][0-9]*}}]
// CHECK-NEXT: [1.0783{{[0-9]*}}, 0.60883{{[0-9]*}}, 0.8098{{[45][0-9]*}}, 1.5937{{[0-9]*}}]

// layer_norm rank 2, dynamic, epsilon 0.1
// CHECK: Unranked Memref {{.*}} sizes = [3, 4]
// CHECK-NEXT: [0.7655{{(0[0-9]*)?}}, 1.1157{{[0-9]*}}, 0.15068{{[0-9]*}}, -0.97587{{[0-9]*}}]
// CHECK-NEXT: [1.0917{{[0-9]*}}, 0.72448{{[0-9]*}}, 0.9516{{[45][0-9]*}}, 1.2824{{[0-9]*}}]
// CHECK-NEXT: [0.84953{{[0-9]*}}, 1.2572{{[0-9]*}}, 0.5711{{[23][0-9]*}}, -1.1539{{[0-9]*}}]

// ffn relu
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [0.8812{{[12][0-9]*}}, 0.69815{{[0-9]*}}, 0.25924{{[0-9]*}}, -0.27903{{[0-9]*}}]
// CHECK-NEXT: [0.9762{{[89][0-9]*}}, 0.89112{{[0-9]*}}, 0.47969{{[0-9]*}}, -0.10854{{[0-9]*}}]
// CHECK-NEXT: [0.88092{{[0-9]*}}, 0.87622{{[0-9]*}}, 0.554{{(59[0-9]*|6(0[0-9]*)?)}}, 0.02279{{[67][0-9]*}}]
// CHECK-NEXT: [0.94706{{[0-9]*}}, 0.7601{{[34][0-9]*}}, 0.293{{(59[0-9]*|6(0[0-9]*)?)}}, -0.2827{{[67][0-9]*}}]
// CHECK-NEXT: [1.008{{(0[0-9]*)?}}, 0.9812{{[12][0-9]*}}, 0.59767{{[0-9]*}}, -0.00831{{[12][0-9]*}}]
// CHECK-NEXT: [0.87208{{[0-9]*}}, 0.71377{{[0-9]*}}, 0.29455{{[0-9]*}}, -0.23757{{[0-9]*}}]

// ffn gelu
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [0.87459{{[0-9]*}}, 0.5727{{[34][0-9]*}}, 0.05944{{[34][0-9]*}}, -0.47758{{[0-9]*}}]
// CHECK-NEXT: [0.8399{{(0[0-9]*)?}}, 0.7458{{[56][0-9]*}}, 0.3789{{[89][0-9]*}}, -0.12694{{[0-9]*}}]
// CHECK-NEXT: [0.84311{{[0-9]*}}, 0.70487{{[0-9]*}}, 0.3114{{(0[0-9]*)?}}, -0.2010{{[34][0-9]*}}]
// CHECK-NEXT: [0.88346{{[0-9]*}}, 0.61507{{[0-9]*}}, 0.11912{{[0-9]*}}, -0.42069{{[0-9]*}}]
// CHECK-NEXT: [0.86269{{[0-9]*}}, 0.83963{{[0-9]*}}, 0.51227{{[0-9]*}}, -0.00568{{((0[0-9]*)?|1[0-9]*)}}]
// CHECK-NEXT: [0.8648{{[12][0-9]*}}, 0.57347{{[0-9]*}}, 0.07098{{[34][0-9]*}}, -0.4599{{[34][0-9]*}}]

// ffn silu
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [0.86837{{[0-9]*}}, 0.55336{{[0-9]*}}, 0.03342{{[56][0-9]*}}, -0.4998{{[23][0-9]*}}]
// CHECK-NEXT: [0.8002{{[78][0-9]*}}, 0.66068{{[0-9]*}}, 0.27907{{[0-9]*}}, -0.20414{{[0-9]*}}]
// CHECK-NEXT: [0.79804{{[0-9]*}}, 0.59855{{[0-9]*}}, 0.18145{{[0-9]*}}, -0.30494{{[0-9]*}}]
// CHECK-NEXT: [0.87415{{[0-9]*}}, 0.5931{{[67][0-9]*}}, 0.09233{{[23][0-9]*}}, -0.44208{{[0-9]*}}]
// CHECK-NEXT: [0.78217{{[0-9]*}}, 0.70092{{[0-9]*}}, 0.36537{{[0-9]*}}, -0.10532{{[0-9]*}}]
// CHECK-NEXT: [0.8572{{(0[0-9]*)?}}, 0.54823{{[0-9]*}}, 0.0366{{(59[0-9]*|6(0[0-9]*)?)}}, -0.4897{{[12][0-9]*}}]

// ffn leaky_relu
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [0.87963{{[0-9]*}}, 0.69483{{[0-9]*}}, 0.25538{{[0-9]*}}, -0.2819{{[67][0-9]*}}]
// CHECK-NEXT: [0.9712{{[67][0-9]*}}, 0.88511{{[0-9]*}}, 0.4749{{[23][0-9]*}}, -0.11027{{[0-9]*}}]
// CHECK-NEXT: [0.8766{{((0[0-9]*)?|1[0-9]*)}}, 0.86902{{[0-9]*}}, 0.5471{{[23][0-9]*}}, 0.01789{{[12][0-9]*}}]
// CHECK-NEXT: [0.94497{{[0-9]*}}, 0.7569{{[67][0-9]*}}, 0.2905{{(0[0-9]*)?}}, -0.28461{{[0-9]*}}]
// CHECK-NEXT: [1.0011{{[0-9]*}}, 0.97271{{[0-9]*}}, 0.59074{{[0-9]*}}, -0.01103{{[78][0-9]*}}]
// CHECK-NEXT: [0.8702{{[78][0-9]*}}, 0.70998{{[0-9]*}}, 0.29015{{[0-9]*}}, -0.24092{{[0-9]*}}]

// ffn depth 3, no biases, gelu, dynamic
// CHECK: Unranked Memref {{.*}} sizes = [2, 3, 4]
// CHECK-NEXT: [-0.04134{{[23][0-9]*}}, -0.03788{{[567][0-9]*}}, -0.02084{{[45][0-9]*}}, 0.00404{{[34][0-9]*}}]
// CHECK-NEXT: [0.02802{{[23][0-9]*}}, 0.024{{(299[0-9]*|3(00[0-9]*)?)}}, 0.01181{{[23][0-9]*}}, -0.00504{{[67][0-9]*}}]
// CHECK-NEXT: [0.01248{{((0[0-9]*)?|1[0-9]*)}}, 0.01311{{[78][0-9]*}}, 0.00906{{[23][0-9]*}}, 0.0016{{(09[0-9]*|1(0[0-9]*)?)}}]
// CHECK-NEXT: [-0.04504{{[78][0-9]*}}, -0.0425{{(69[0-9]*|7(0[0-9]*)?|71[0-9]*)}}, -0.02483{{[78][0-9]*}}, 0.00226{{((0[0-9]*)?|1[0-9]*)}}]
// CHECK-NEXT: [0.06356{{[123][0-9]*}}, 0.05735{{[78][0-9]*}}, 0.0304{{(79[0-9]*|8(0[0-9]*)?)}}, -0.00765{{[12][0-9]*}}]
// CHECK-NEXT: [-0.03524{{[678][0-9]*}}, -0.03182{{((0[0-9]*)?|1[0-9]*)}}, -0.01697{{[78][0-9]*}}, 0.00424{{[45][0-9]*}}]
