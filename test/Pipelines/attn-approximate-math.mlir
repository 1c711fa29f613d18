// RUN: attn-opt %s --attn-approximate-math | FileCheck %s \
// RUN:   --implicit-check-not=math.exp --implicit-check-not=math.erf

// exp and erf become arithmetic (vectorizable polynomials); others stay.
// CHECK-LABEL: func.func @f(
// CHECK:         arith.mulf
// CHECK:         math.sqrt
func.func @f(%x: f32) -> (f32, f32, f32) {
  %e = math.exp %x : f32
  %r = math.erf %x : f32
  %s = math.sqrt %x : f32
  return %e, %r, %s : f32, f32, f32
}
