// RUN: attn-opt %s --split-input-file --attn-early-deallocs | FileCheck %s

// A buffer is freed right after the last op that uses it or a view of it
// (here a loop that writes through a reshape), not at the end of the block.
// CHECK-LABEL: func.func @after_last_use(
// CHECK:         %[[A:.+]] = memref.alloc
// CHECK:         %[[V:.+]] = memref.collapse_shape %[[A]]
// CHECK:         scf.for
// CHECK:           memref.store %{{.+}}, %[[V]]
// CHECK:         }
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK:         %[[B:.+]] = memref.alloc
// CHECK:         memref.store %{{.+}}, %[[B]]
// CHECK-NEXT:    memref.dealloc %[[B]]
// CHECK-NEXT:    memref.store
// CHECK-NEXT:    return
func.func @after_last_use(%n: index, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %x = arith.constant 1.0 : f32
  %a = memref.alloc(%n) : memref<1x?xf32>
  %v = memref.collapse_shape %a [[0, 1]] : memref<1x?xf32> into memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    memref.store %x, %v[%i] : memref<?xf32>
  }
  %b = memref.alloc() : memref<f32>
  memref.store %x, %b[] : memref<f32>
  memref.store %x, %out[] : memref<f32>
  memref.dealloc %a : memref<1x?xf32>
  memref.dealloc %b : memref<f32>
  return
}

// -----

// A buffer of which a view leaves through the terminator is not moved; nor
// is a dealloc of a buffer from another block.
// CHECK-LABEL: func.func @escapes(
// CHECK:         %[[A:.+]] = memref.alloc
// CHECK:         scf.if
// CHECK:           memref.subview %[[A]]
// CHECK:           scf.yield
// CHECK:         memref.store
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK-NEXT:    memref.dealloc %{{.+}}
// CHECK-NEXT:    return
func.func @escapes(%c: i1, %arg: memref<4xf32>) -> memref<2xf32, strided<[1]>> {
  %x = arith.constant 1.0 : f32
  %c0 = arith.constant 0 : index
  %a = memref.alloc() : memref<4xf32>
  %r = scf.if %c -> memref<2xf32, strided<[1]>> {
    %s = memref.subview %a[0] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1]>>
    scf.yield %s : memref<2xf32, strided<[1]>>
  } else {
    %s = memref.subview %arg[0] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1]>>
    scf.yield %s : memref<2xf32, strided<[1]>>
  }
  memref.store %x, %arg[%c0] : memref<4xf32>
  memref.dealloc %a : memref<4xf32>
  memref.dealloc %arg : memref<4xf32>
  return %r : memref<2xf32, strided<[1]>>
}
