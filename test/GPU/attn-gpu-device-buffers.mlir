// RUN: attn-opt %s -split-input-file --attn-gpu-device-buffers | FileCheck %s
// RUN: attn-opt %s -split-input-file --attn-gpu-device-buffers=resident-params \
// RUN:   | FileCheck %s --check-prefix=RESIDENT

// The host code of a mapped function: arguments are copied to device
// buffers at entry, allocations and copies become device allocations and
// copies, constants read by kernels get a device copy, and the result is
// copied to a fresh host buffer. Kernels see only device buffers.
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:      %[[P:[^:]+]]: memref<16xf32>, %[[X:[^:]+]]: memref<?x4xf32>) -> memref<?x4xf32>
// CHECK:         %[[DP:.+]] = gpu.alloc () : memref<16xf32>
// CHECK:         gpu.memcpy %[[DP]], %[[P]] : memref<16xf32>, memref<16xf32>
// CHECK:         %[[N:.+]] = memref.dim %[[X]], %{{.+}} : memref<?x4xf32>
// CHECK:         %[[DX:.+]] = gpu.alloc (%[[N]]) : memref<?x4xf32>
// CHECK:         gpu.memcpy %[[DX]], %[[X]] : memref<?x4xf32>, memref<?x4xf32>
// CHECK:         %[[G:.+]] = memref.get_global @bias : memref<4xf32>
// CHECK:         %[[DG:.+]] = gpu.alloc () : memref<4xf32>
// CHECK:         gpu.memcpy %[[DG]], %[[G]] : memref<4xf32>, memref<4xf32>
// CHECK:         %[[Y:.+]] = gpu.alloc (%{{.+}}) : memref<?x4xf32>
// CHECK:         gpu.launch
// CHECK:           memref.load %[[DX]]
// CHECK:           memref.load %[[DG]]
// CHECK:           memref.load %[[DP]]
// CHECK:           memref.store %{{.+}}, %[[Y]]
// CHECK:         %[[Z:.+]] = gpu.alloc (%{{.+}}) : memref<?x4xf32>
// CHECK:         gpu.memcpy %[[Z]], %[[Y]] : memref<?x4xf32>, memref<?x4xf32>
// CHECK:         gpu.dealloc %[[Y]] : memref<?x4xf32>
// CHECK:         %[[H:.+]] = memref.alloc(%{{.+}}) : memref<?x4xf32>
// CHECK:         gpu.memcpy %[[H]], %[[Z]] : memref<?x4xf32>, memref<?x4xf32>
// CHECK:         return %[[H]] : memref<?x4xf32>
memref.global "private" constant @bias : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @forward(%p: memref<16xf32>, %x: memref<?x4xf32>) -> memref<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c0 : memref<?x4xf32>
  %bias = memref.get_global @bias : memref<4xf32>
  %y = memref.alloc(%n) : memref<?x4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %n, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %c2 = arith.constant 2 : index
    %a = memref.load %x[%bx, %c2] : memref<?x4xf32>
    %b = memref.load %bias[%c2] : memref<4xf32>
    %w = memref.load %p[%c2] : memref<16xf32>
    %s = arith.addf %a, %b : f32
    %t = arith.mulf %s, %w : f32
    memref.store %t, %y[%bx, %c2] : memref<?x4xf32>
    gpu.terminator
  }
  %z = memref.alloc(%n) : memref<?x4xf32>
  memref.copy %y, %z : memref<?x4xf32> to memref<?x4xf32>
  memref.dealloc %y : memref<?x4xf32>
  return %z : memref<?x4xf32>
}

// -----
// negative_: an argument whose contents nobody reads (only its shape) is not
// copied.
// CHECK-LABEL: func.func @negative_shape_only(
// CHECK-NOT:     gpu.memcpy %{{.+}}, %arg0
func.func @negative_shape_only(%x: memref<?xf32>) -> index {
  %c0 = arith.constant 0 : index
  %n = memref.dim %x, %c0 : memref<?xf32>
  return %n : index
}

// -----

// The packed parameters (attn_model.params): copied at every call by
// default; with resident-params they are device memory already (the model
// runtime passes its device copy), and the function says so.
// CHECK-LABEL: func.func @packed_params(
// CHECK-SAME:      %[[P:[^:]+]]: memref<8xf32> {attn_model.params}
// CHECK-NOT:     attn_model.device_params
// CHECK:         %[[DP:.+]] = gpu.alloc () : memref<8xf32>
// CHECK:         gpu.memcpy %[[DP]], %[[P]]
// CHECK:         memref.load %[[DP]]
// RESIDENT-LABEL: func.func @packed_params(
// RESIDENT-SAME:      %[[P:[^:]+]]: memref<8xf32> {attn_model.params}, %[[X:[^:]+]]: memref<8xf32>)
// RESIDENT-SAME:      attributes {attn_model.device_params}
// RESIDENT-NOT:     gpu.memcpy %{{.+}}, %[[P]]
// RESIDENT:         %[[DX:.+]] = gpu.alloc () : memref<8xf32>
// RESIDENT:         gpu.memcpy %[[DX]], %[[X]]
// RESIDENT:         gpu.launch
// RESIDENT:           memref.load %[[P]]
// RESIDENT:           memref.load %[[DX]]
func.func @packed_params(%p: memref<8xf32> {attn_model.params}, %x: memref<8xf32>) -> memref<8xf32> {
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %y = memref.alloc() : memref<8xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c8, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %a = memref.load %p[%bx] : memref<8xf32>
    %b = memref.load %x[%bx] : memref<8xf32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %y[%bx] : memref<8xf32>
    gpu.terminator
  }
  return %y : memref<8xf32>
}
