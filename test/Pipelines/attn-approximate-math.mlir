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

// With scalef (AVX-512 targets), exp on f32 vectors: clamp to [-104, 89]
// (NaN kept by the selects), n = roundeven(x log2 e), two-step reduction,
// five FMAs of the polynomial, 2^n by llvm.ldexp (vscalefps). Scalars take
// MLIR's expansion.
// RUN: attn-opt %s --attn-approximate-math=scalef=true | FileCheck %s \
// RUN:   --check-prefix=SCALEF --implicit-check-not=math.exp
// SCALEF-LABEL: func.func @f(
// SCALEF-NOT:     llvm.call_intrinsic
// SCALEF-LABEL: func.func @vector_exp(
// SCALEF-SAME:    %[[X:.+]]: vector<16xf32>)
// SCALEF-DAG:     %[[LO:.+]] = arith.constant dense<-1.040000e+02> : vector<16xf32>
// SCALEF-DAG:     %[[HI:.+]] = arith.constant dense<8.900000e+01> : vector<16xf32>
// SCALEF:         %[[BELOW:.+]] = arith.cmpf olt, %[[X]], %[[LO]]
// SCALEF:         %[[X1:.+]] = arith.select %[[BELOW]], %[[LO]], %[[X]]
// SCALEF:         %[[ABOVE:.+]] = arith.cmpf ogt, %[[X1]], %[[HI]]
// SCALEF:         %[[X2:.+]] = arith.select %[[ABOVE]], %[[HI]], %[[X1]]
// SCALEF:         %[[T:.+]] = arith.mulf %[[X2]], %{{.+}} : vector<16xf32>
// SCALEF:         %[[N:.+]] = math.roundeven %[[T]] : vector<16xf32>
// SCALEF-COUNT-7: math.fma
// SCALEF:         %[[E:.+]] = arith.fptosi %[[N]] : vector<16xf32> to vector<16xi32>
// SCALEF:         %[[R:.+]] = llvm.call_intrinsic "llvm.ldexp"(%{{.+}}, %[[E]]) : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
// SCALEF:         return %[[R]]
func.func @vector_exp(%x: vector<16xf32>) -> vector<16xf32> {
  %e = math.exp %x : vector<16xf32>
  return %e : vector<16xf32>
}
