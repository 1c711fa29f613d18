// RUN: attn-opt %s --attn-inline-alloca-scopes | FileCheck %s

// A scope that allocates nothing is inlined; one with an alloca stays.
// CHECK-LABEL: func.func @scopes(
// CHECK-NOT:     memref.alloca_scope {
// CHECK:         %[[V:.+]] = arith.addf
// CHECK:         memref.alloca_scope
// CHECK:           memref.alloca
// CHECK:         return %[[V]]
func.func @scopes(%x: f32) -> f32 {
  %r = memref.alloca_scope -> f32 {
    %v = arith.addf %x, %x : f32
    memref.alloca_scope.return %v : f32
  }
  memref.alloca_scope {
    %a = memref.alloca() : memref<4xf32>
  }
  return %r : f32
}
