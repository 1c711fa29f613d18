// RUN: attn-opt %s -split-input-file --attn-gpu-emulate-on-cpu -verify-diagnostics | FileCheck %s

// Blocks in sequence, each an OpenMP team as large as the block with its
// shared buffer on the heap; gpu.barrier is omp.barrier.
// CHECK-LABEL: func.func @kernel(
// CHECK-SAME:      %[[X:[^:]+]]: memref<?xf32>, %[[N:[^:]+]]: index)
// CHECK:         scf.for %[[B:.+]] = %{{.+}} to %{{.+}} step %{{.+}} {
// CHECK:           %[[BX:.+]] = arith.remui %[[B]], %[[N]] : index
// CHECK:           %[[SHARED:.+]] = memref.alloc() : memref<32xf32>
// CHECK:           omp.parallel num_threads(%{{.+}} : i32) {
// CHECK:             %[[SIZE:.+]] = func.call @omp_get_num_threads() : () -> i32
// CHECK:             cf.assert %{{.+}}, "attn-gpu-emulate-on-cpu: OpenMP made a team smaller than the thread block (raise OMP_THREAD_LIMIT)"
// CHECK:             %[[TID:.+]] = func.call @omp_get_thread_num() : () -> i32
// CHECK:             %[[T:.+]] = arith.index_cast %[[TID]] : i32 to index
// CHECK:             %[[TX:.+]] = arith.remui %[[T]], %{{.+}} : index
// CHECK:             memref.load %[[X]][%[[BX]]]
// CHECK:             memref.store %{{.+}}, %[[SHARED]][%[[TX]]] : memref<32xf32>
// CHECK:             omp.barrier
// CHECK:             memref.load %[[SHARED]]
// CHECK:             omp.terminator
// CHECK:           memref.dealloc %[[SHARED]] : memref<32xf32>
// CHECK-NOT:     gpu.
func.func @kernel(%x: memref<?xf32>, %n: index) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %n, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1)
             workgroup(%shared : memref<32xf32, #gpu.address_space<workgroup>>) {
    %v = memref.load %x[%bx] : memref<?xf32>
    memref.store %v, %shared[%tx] : memref<32xf32, #gpu.address_space<workgroup>>
    gpu.barrier
    %c0 = arith.constant 0 : index
    %w = memref.load %shared[%c0] : memref<32xf32, #gpu.address_space<workgroup>>
    memref.store %w, %x[%bx] : memref<?xf32>
    gpu.terminator
  }
  return
}

// -----
// Ids must come from the launch's block arguments.
func.func @thread_id_op(%x: memref<?xf32>, %n: index) {
  %c1 = arith.constant 1 : index
  // expected-error @below {{attn-gpu-emulate-on-cpu: the kernel must take its ids from the launch's block arguments and use no subgroup operations}}
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %n, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %t = gpu.thread_id x
    %v = memref.load %x[%t] : memref<?xf32>
    memref.store %v, %x[%bx] : memref<?xf32>
    gpu.terminator
  }
  return
}
