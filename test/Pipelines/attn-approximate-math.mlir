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
// five FMAs of the polynomial, then 2^n by vscalefps: the x86 intrinsic on
// 16 lanes (n as a float, every lane, current rounding), llvm.ldexp on
// other widths. Scalars take MLIR's expansion.
// RUN: attn-opt %s --attn-approximate-math=scalef=true | FileCheck %s \
// RUN:   --check-prefix=SCALEF --implicit-check-not=math.exp
// SCALEF-LABEL: func.func @f(
// SCALEF-NOT:     llvm.call_intrinsic
// SCALEF-LABEL: func.func @vector_exp(
// SCALEF-SAME:    %[[X:.+]]: vector<16xf32>)
// SCALEF-DAG:     %[[ALL:.+]] = llvm.mlir.constant(-1 : i16) : i16
// SCALEF-DAG:     %[[CUR:.+]] = llvm.mlir.constant(4 : i32) : i32
// SCALEF-DAG:     %[[LO:.+]] = arith.constant dense<-1.040000e+02> : vector<16xf32>
// SCALEF-DAG:     %[[HI:.+]] = arith.constant dense<8.900000e+01> : vector<16xf32>
// SCALEF:         %[[BELOW:.+]] = arith.cmpf olt, %[[X]], %[[LO]]
// SCALEF:         %[[X1:.+]] = arith.select %[[BELOW]], %[[LO]], %[[X]]
// SCALEF:         %[[ABOVE:.+]] = arith.cmpf ogt, %[[X1]], %[[HI]]
// SCALEF:         %[[X2:.+]] = arith.select %[[ABOVE]], %[[HI]], %[[X1]]
// SCALEF:         %[[T:.+]] = arith.mulf %[[X2]], %{{.+}} : vector<16xf32>
// SCALEF:         %[[N:.+]] = math.roundeven %[[T]] : vector<16xf32>
// SCALEF-COUNT-6: math.fma
// SCALEF:         %[[P:.+]] = math.fma
// SCALEF:         %[[R:.+]] = llvm.call_intrinsic "llvm.x86.avx512.mask.scalef.ps.512"(%[[P]], %[[N]], %[[P]], %[[ALL]], %[[CUR]]) : (vector<16xf32>, vector<16xf32>, vector<16xf32>, i16, i32) -> vector<16xf32>
// SCALEF:         return %[[R]]
func.func @vector_exp(%x: vector<16xf32>) -> vector<16xf32> {
  %e = math.exp %x : vector<16xf32>
  return %e : vector<16xf32>
}

// SCALEF-LABEL: func.func @narrow_vector_exp(
// SCALEF:         %[[N:.+]] = math.roundeven
// SCALEF:         %[[E:.+]] = arith.fptosi %[[N]] : vector<8xf32> to vector<8xi32>
// SCALEF:         %[[R:.+]] = llvm.call_intrinsic "llvm.ldexp"(%{{.+}}, %[[E]]) : (vector<8xf32>, vector<8xi32>) -> vector<8xf32>
// SCALEF:         return %[[R]]
func.func @narrow_vector_exp(%x: vector<8xf32>) -> vector<8xf32> {
  %e = math.exp %x : vector<8xf32>
  return %e : vector<8xf32>
}
