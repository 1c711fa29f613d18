// RUN: attn-opt %s --attn-gpu-device-deallocs | FileCheck %s

// After attn-gpu-device-buffers and buffer-deallocation-pipeline: device
// buffers (also through views and the base buffer the deallocation lowering
// extracts) are freed with gpu.dealloc; the host lists that the lowering
// allocates itself keep memref.dealloc.
// CHECK-LABEL: func.func @deallocs(
// CHECK:         %[[D:.+]] = gpu.alloc
// CHECK:         %[[H:.+]] = memref.alloc
// CHECK:         %[[BASE:[^,]+]], %{{.+}} = memref.extract_strided_metadata
// CHECK:         gpu.dealloc %[[BASE]] : memref<f32>
// CHECK:         gpu.dealloc %[[D]] : memref<8xf32>
// CHECK:         memref.dealloc %[[H]] : memref<2xindex>
// CHECK-NOT:     memref.dealloc
func.func @deallocs(%n: index) {
  %d = gpu.alloc () : memref<8xf32>
  %h = memref.alloc() : memref<2xindex>
  %v = memref.subview %d[2] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 2>>
  %base, %offset, %size, %stride = memref.extract_strided_metadata %v : memref<4xf32, strided<[1], offset: 2>> -> memref<f32>, index, index, index
  memref.dealloc %base : memref<f32>
  memref.dealloc %d : memref<8xf32>
  memref.dealloc %h : memref<2xindex>
  return
}
