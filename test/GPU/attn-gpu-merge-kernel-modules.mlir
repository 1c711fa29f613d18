// RUN: attn-opt %s -split-input-file --attn-gpu-merge-kernel-modules | FileCheck %s

// Two outlined kernels of the same name end up in one module, each renamed
// after the module it came from; the launches follow.
// CHECK-LABEL: func.func @host(
// CHECK:         gpu.launch_func @attn_kernels::@k_kernel blocks
// CHECK:         gpu.launch_func @attn_kernels::@k_kernel_0 blocks
// CHECK:       gpu.module @attn_kernels {
// CHECK:         gpu.func @k_kernel(%{{.+}}: memref<4xf32>) kernel
// CHECK:         gpu.func @k_kernel_0(%{{.+}}: memref<4xf32>) kernel
// CHECK-NOT:   gpu.module
module attributes {gpu.container_module} {
  func.func @host(%x: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @k_kernel::@k_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>)
    gpu.launch_func @k_kernel_0::@k_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>)
    return
  }
  gpu.module @k_kernel {
    gpu.func @k_kernel(%x: memref<4xf32>) kernel {
      gpu.return
    }
  }
  gpu.module @k_kernel_0 {
    gpu.func @k_kernel(%x: memref<4xf32>) kernel {
      gpu.return
    }
  }
}

// -----
// negative_: a module that already has a target is left alone.
// CHECK-LABEL: func.func @host(
// CHECK:         gpu.launch_func @k_kernel::@k_kernel blocks
// CHECK:       gpu.module @k_kernel [#nvvm.target]
// CHECK-NOT:   attn_kernels
module attributes {gpu.container_module} {
  func.func @host(%x: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @k_kernel::@k_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>)
    gpu.launch_func @other::@k_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>)
    return
  }
  gpu.module @k_kernel [#nvvm.target] {
    gpu.func @k_kernel(%x: memref<4xf32>) kernel {
      gpu.return
    }
  }
  gpu.module @other {
    gpu.func @k_kernel(%x: memref<4xf32>) kernel {
      gpu.return
    }
  }
}
