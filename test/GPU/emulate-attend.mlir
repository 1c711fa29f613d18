// The fused attention kernel with several threads per query row
// (values-per-thread=8 gives 4 threads per row for heads of 16, summing
// their parts of each dot product with shuffles), several query tiles
// (block-q=4, Tq=9) and key blocks (block-k=4, Tk=11), masks and causal,
// run without a GPU through attn-gpu-emulate-on-cpu, against attn.scores +
// attn.apply, which become entirely different kernels (the tiled
// contraction and one thread per row for the softmax). Prints whether each
// case agrees (within 1e-5; 1e-3 for f16, whose output the kernel rounds to
// f16) and is not trivially zero.
//
// REQUIRES: libomp
// RUN: attn-opt %s --attn-gpu-lower-attend="values-per-thread=8 block-q=4 block-k=4" \
// RUN:   | %attn_gpu_emulate | %mlir_run_omp | FileCheck %s

// Case 1: i1 key mask (every fourth key per batch) and causal.
// CHECK:      agree 1
// CHECK-NEXT: nonzero 1
// Case 2: an additive mask with a fully masked query row (its output is 0
// on both paths) and an explicit scale.
// CHECK-NEXT: agree 1
// CHECK-NEXT: nonzero 1
// Case 3: f16 operands with an f16 additive mask and causal (the kernel
// reads f16 into f32 and rounds its output to f16), against the f32 path
// on the same f16 values.
// CHECK-NEXT: agree 1
// CHECK-NEXT: nonzero 1


// Deterministic values sin(c * linear index).
func.func @values(%c: f32) -> tensor<2x2x11x16xf32> {
  %t = tensor.generate {
  ^bb0(%b: index, %h: index, %i: index, %d: index):
    %c2 = arith.constant 2 : index
    %c11 = arith.constant 11 : index
    %c16 = arith.constant 16 : index
    %bh = arith.muli %b, %c2 : index
    %bh2 = arith.addi %bh, %h : index
    %r = arith.muli %bh2, %c11 : index
    %ri = arith.addi %r, %i : index
    %e = arith.muli %ri, %c16 : index
    %lin = arith.addi %e, %d : index
    %n = arith.index_cast %lin : index to i64
    %f = arith.sitofp %n : i64 to f32
    %x = arith.mulf %f, %c : f32
    %s = math.sin %x : f32
    tensor.yield %s : f32
  } : tensor<2x2x11x16xf32>
  return %t : tensor<2x2x11x16xf32>
}

// max |a - b| < tol, and sum |a| > 0.1.
func.func @report(%a: tensor<2x2x9x16xf32>, %b: tensor<2x2x9x16xf32>, %tol: f32) {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<f32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<f32>) -> tensor<f32>
  %stats:2 = linalg.generic {
      indexing_maps = [affine_map<(b, h, i, d) -> (b, h, i, d)>,
                       affine_map<(b, h, i, d) -> (b, h, i, d)>,
                       affine_map<(b, h, i, d) -> ()>,
                       affine_map<(b, h, i, d) -> ()>],
      iterator_types = ["reduction", "reduction", "reduction", "reduction"]}
      ins(%a, %b : tensor<2x2x9x16xf32>, tensor<2x2x9x16xf32>)
      outs(%acc, %acc : tensor<f32>, tensor<f32>) {
  ^bb0(%x: f32, %y: f32, %maxdiff: f32, %sum: f32):
    %d = arith.subf %x, %y : f32
    %ad = math.absf %d : f32
    %m = arith.maximumf %maxdiff, %ad : f32
    %ax = math.absf %x : f32
    %s = arith.addf %sum, %ax : f32
    linalg.yield %m, %s : f32, f32
  } -> (tensor<f32>, tensor<f32>)
  %maxdiff = tensor.extract %stats#0[] : tensor<f32>
  %sum = tensor.extract %stats#1[] : tensor<f32>
  %small = arith.constant 0.1 : f32
  %agree = arith.cmpf olt, %maxdiff, %tol : f32
  %nonzero = arith.cmpf ogt, %sum, %small : f32
  vector.print str "agree "
  vector.print %agree : i1
  vector.print str "nonzero "
  vector.print %nonzero : i1
  return
}

func.func @main() {
  %c1 = arith.constant 0.37 : f32
  %c2 = arith.constant 0.23 : f32
  %c3 = arith.constant 0.11 : f32
  %kv = call @values(%c1) : (f32) -> tensor<2x2x11x16xf32>
  %k2 = call @values(%c2) : (f32) -> tensor<2x2x11x16xf32>
  %qall = call @values(%c3) : (f32) -> tensor<2x2x11x16xf32>
  %q = tensor.extract_slice %qall[0, 0, 0, 0] [2, 2, 9, 16] [1, 1, 1, 1]
      : tensor<2x2x11x16xf32> to tensor<2x2x9x16xf32>

  // Case 1.
  %kmask = tensor.generate {
  ^bb0(%b: index, %h: index, %i: index, %j: index):
    %c4 = arith.constant 4 : index
    %c3i = arith.constant 3 : index
    %s = arith.addi %j, %b : index
    %r = arith.remui %s, %c4 : index
    %keep = arith.cmpi ne, %r, %c3i : index
    tensor.yield %keep : i1
  } : tensor<2x1x1x11xi1>
  %fused1 = attn.attend %q, %k2, %kv mask(%kmask) causal
      : (tensor<2x2x9x16xf32>, tensor<2x2x11x16xf32>, tensor<2x2x11x16xf32>, tensor<2x1x1x11xi1>) -> tensor<2x2x9x16xf32>
  %map1 = attn.scores %q, %k2 mask(%kmask) causal
      : (tensor<2x2x9x16xf32>, tensor<2x2x11x16xf32>, tensor<2x1x1x11xi1>) -> tensor<2x2x9x11xf32>
  %ref1 = attn.apply %map1, %kv
      : (tensor<2x2x9x11xf32>, tensor<2x2x11x16xf32>) -> tensor<2x2x9x16xf32>
  %tight = arith.constant 1.0e-5 : f32
  call @report(%fused1, %ref1, %tight) : (tensor<2x2x9x16xf32>, tensor<2x2x9x16xf32>, f32) -> ()

  // Case 2.
  %fmask = tensor.generate {
  ^bb0(%b: index, %h: index, %i: index, %j: index):
    %c4 = arith.constant 4 : index
    %rowmasked = arith.cmpi eq, %i, %c4 : index
    %n = arith.index_cast %j : index to i64
    %f = arith.sitofp %n : i64 to f32
    %scale = arith.constant -0.05 : f32
    %bias = arith.mulf %f, %scale : f32
    %ninf = arith.constant 0xFF800000 : f32
    %m = arith.select %rowmasked, %ninf, %bias : f32
    tensor.yield %m : f32
  } : tensor<1x1x9x11xf32>
  %fused2 = attn.attend %q, %k2, %kv mask(%fmask) scale(5.000000e-01)
      : (tensor<2x2x9x16xf32>, tensor<2x2x11x16xf32>, tensor<2x2x11x16xf32>, tensor<1x1x9x11xf32>) -> tensor<2x2x9x16xf32>
  %map2 = attn.scores %q, %k2 mask(%fmask) scale(5.000000e-01)
      : (tensor<2x2x9x16xf32>, tensor<2x2x11x16xf32>, tensor<1x1x9x11xf32>) -> tensor<2x2x9x11xf32>
  %ref2 = attn.apply %map2, %kv
      : (tensor<2x2x9x11xf32>, tensor<2x2x11x16xf32>) -> tensor<2x2x9x16xf32>
  call @report(%fused2, %ref2, %tight) : (tensor<2x2x9x16xf32>, tensor<2x2x9x16xf32>, f32) -> ()

  // Case 3.
  %q16 = arith.truncf %q : tensor<2x2x9x16xf32> to tensor<2x2x9x16xf16>
  %k16 = arith.truncf %k2 : tensor<2x2x11x16xf32> to tensor<2x2x11x16xf16>
  %v16 = arith.truncf %kv : tensor<2x2x11x16xf32> to tensor<2x2x11x16xf16>
  %m16 = arith.truncf %fmask : tensor<1x1x9x11xf32> to tensor<1x1x9x11xf16>
  %fused3 = attn.attend %q16, %k16, %v16 mask(%m16) causal
      : (tensor<2x2x9x16xf16>, tensor<2x2x11x16xf16>, tensor<2x2x11x16xf16>, tensor<1x1x9x11xf16>) -> tensor<2x2x9x16xf16>
  %out3 = arith.extf %fused3 : tensor<2x2x9x16xf16> to tensor<2x2x9x16xf32>
  %q32 = arith.extf %q16 : tensor<2x2x9x16xf16> to tensor<2x2x9x16xf32>
  %k32 = arith.extf %k16 : tensor<2x2x11x16xf16> to tensor<2x2x11x16xf32>
  %v32 = arith.extf %v16 : tensor<2x2x11x16xf16> to tensor<2x2x11x16xf32>
  %m32 = arith.extf %m16 : tensor<1x1x9x11xf16> to tensor<1x1x9x11xf32>
  %map3 = attn.scores %q32, %k32 mask(%m32) causal
      : (tensor<2x2x9x16xf32>, tensor<2x2x11x16xf32>, tensor<1x1x9x11xf32>) -> tensor<2x2x9x11xf32>
  %ref3 = attn.apply %map3, %v32
      : (tensor<2x2x9x11xf32>, tensor<2x2x11x16xf32>) -> tensor<2x2x9x16xf32>
  %loose = arith.constant 1.0e-3 : f32
  call @report(%out3, %ref3, %loose) : (tensor<2x2x9x16xf32>, tensor<2x2x9x16xf32>, f32) -> ()
  return
}
