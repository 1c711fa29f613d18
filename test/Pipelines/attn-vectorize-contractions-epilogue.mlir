// RUN: attn-opt %s --split-input-file --attn-vectorize-contractions | FileCheck %s
// RUN: attn-opt %s --split-input-file --attn-vectorize-contractions=epilogues=false \
// RUN:   | FileCheck %s --check-prefix=OFF

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
#id = affine_map<(t, n) -> (t, n)>
#col = affine_map<(t, n) -> (n)>
// An activation (with a column vector) after a feed-forward product: the
// tiles apply it to their accumulators and store into its output; the
// product's buffer, its fill and the activation's generic are gone.
// CHECK-LABEL: func.func @activation(
// CHECK-SAME:    %[[X:[^:]+]]: memref<?x8xf32>, %[[W:[^:]+]]: memref<8x64xf32>, %[[BIAS:[^:]+]]: memref<64xf32>
// CHECK-NOT:     memref.alloc(
// CHECK-NOT:     linalg.
// CHECK:         %[[Y:.+]] = memref.alloc(%{{.+}}) {alignment = 64 : i64} : memref<?x64xf32>
// CHECK-NOT:     linalg.
// CHECK:         vector.fma
// CHECK:         %[[B:.+]] = vector.load %[[BIAS]][%{{.+}}] : memref<64xf32>, vector<16xf32>
// CHECK:         arith.addf %{{.+}}, %[[B]] : vector<16xf32>
// CHECK:         math.tanh %{{.+}} : vector<16xf32>
// CHECK:         vector.store %{{.+}}, %[[Y]][%{{.+}}, %{{.+}}] : memref<?x64xf32>, vector<16xf32>
// CHECK-NOT:     linalg.
// CHECK:         return %[[Y]]
// OFF-LABEL: func.func @activation(
// OFF:         vector.fma
// OFF:         linalg.generic
// OFF:           math.tanh
func.func @activation(%x: memref<?x8xf32>, %w: memref<8x64xf32>, %bias: memref<64xf32>) -> memref<?x64xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %t = memref.dim %x, %c0 : memref<?x8xf32>
  %c = memref.alloc(%t) {alignment = 64 : i64} : memref<?x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<?x64xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x8xf32>, memref<8x64xf32>) outs(%c : memref<?x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  }
  %y = memref.alloc(%t) {alignment = 64 : i64} : memref<?x64xf32>
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %bias : memref<?x64xf32>, memref<64xf32>) outs(%y : memref<?x64xf32>) {
  ^bb0(%v: f32, %b: f32, %o: f32):
    %s = arith.addf %v, %b : f32
    %r = math.tanh %s : f32
    linalg.yield %r : f32
  }
  memref.dealloc %c : memref<?x64xf32>
  return %y : memref<?x64xf32>
}

// -----

#a = affine_map<(b, m, k, n) -> (b, m, k)>
#v = affine_map<(b, m, k, n) -> (b, k, n)>
#c = affine_map<(b, m, k, n) -> (b, m, n)>
#row = affine_map<(b, m, n) -> (b, m)>
#id = affine_map<(b, m, n) -> (b, m, n)>
// A map times values, then its rows divided by their sums in place (a
// reuse layer's apply of an unnormalised map): the tiles divide the
// accumulators by a broadcast of the row's sum before they store them, and
// the deallocation between the two ops stays where it was.
// CHECK-LABEL: func.func @divide_rows(
// CHECK-SAME:    %[[P:[^:]+]]: memref<2x8x8xf32>, %{{[^:]+}}: memref<2x8x16xf32>, %[[L:[^:]+]]: memref<2x8xf32>, %[[C:[^:]+]]: memref<2x8x16xf32>
// CHECK-NOT:     linalg.
// CHECK:         vector.fma
// CHECK:         %[[S:.+]] = memref.load %[[L]][%{{.+}}, %{{.+}}] : memref<2x8xf32>
// CHECK:         %[[SV:.+]] = vector.broadcast %[[S]] : f32 to vector<16xf32>
// CHECK:         arith.divf %{{.+}}, %[[SV]] : vector<16xf32>
// CHECK:         vector.store %{{.+}}, %[[C]]
// CHECK-NOT:     linalg.
// CHECK:         memref.dealloc %[[P]]
// CHECK-NEXT:    return
func.func @divide_rows(%p: memref<2x8x8xf32>, %v: memref<2x8x16xf32>, %l: memref<2x8xf32>, %out: memref<2x8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<2x8x16xf32>)
  linalg.generic {indexing_maps = [#a, #v, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%p, %v : memref<2x8x8xf32>, memref<2x8x16xf32>) outs(%out : memref<2x8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  }
  memref.dealloc %p : memref<2x8x8xf32>
  linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%l : memref<2x8xf32>) outs(%out : memref<2x8x16xf32>) {
  ^bb0(%s: f32, %o: f32):
    %d = arith.divf %o, %s : f32
    linalg.yield %d : f32
  }
  return
}

// -----

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
#id = affine_map<(t, n) -> (t, n)>
// The product is read again after the activation (a residual): it stays,
// and so does the activation's generic.
// CHECK-LABEL: func.func @product_read_again(
// CHECK:         vector.fma
// CHECK:         linalg.generic
// CHECK:           math.tanh
// CHECK:         linalg.generic
// CHECK:           arith.addf
func.func @product_read_again(%x: memref<4x8xf32>, %w: memref<8x64xf32>, %z: memref<4x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<4x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x64xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x8xf32>, memref<8x64xf32>) outs(%c : memref<4x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  }
  %t = memref.alloc() {alignment = 64 : i64} : memref<4x64xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x64xf32>) outs(%t : memref<4x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.tanh %v : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %t : memref<4x64xf32>, memref<4x64xf32>) outs(%z : memref<4x64xf32>) {
  ^bb0(%v: f32, %u: f32, %o: f32):
    %r = arith.addf %v, %u : f32
    linalg.yield %r : f32
  }
  memref.dealloc %t : memref<4x64xf32>
  memref.dealloc %c : memref<4x64xf32>
  return
}

// -----

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
#id = affine_map<(t, n) -> (t, n)>
// The epilogue's output is an operand of the product: the tiles cannot
// write it while the product still reads it, so the epilogue stays.
// CHECK-LABEL: func.func @output_read_by_product(
// CHECK:         vector.fma
// CHECK:         linalg.generic
// CHECK:           math.tanh
func.func @output_read_by_product(%w: memref<64x64xf32>) -> memref<4x64xf32> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %a = memref.alloc() {alignment = 64 : i64} : memref<4x64xf32>
  linalg.fill ins(%one : f32) outs(%a : memref<4x64xf32>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<4x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x64xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<4x64xf32>, memref<64x64xf32>) outs(%c : memref<4x64xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x64xf32>) outs(%a : memref<4x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.tanh %v : f32
    linalg.yield %r : f32
  }
  memref.dealloc %c : memref<4x64xf32>
  return %a : memref<4x64xf32>
}

// -----

#x = affine_map<(t, n, k) -> (t, k)>
#w = affine_map<(t, n, k) -> (k, n)>
#y = affine_map<(t, n, k) -> (t, n)>
#id = affine_map<(t, n) -> (t, n)>
// A constant defined in the epilogue's payload stays a scalar constant,
// broadcast where the vector payload uses it.
// CHECK-LABEL: func.func @constant_in_payload(
// CHECK:         vector.fma
// CHECK:         %[[H:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[HV:.+]] = vector.broadcast %[[H]] : f32 to vector<16xf32>
// CHECK:         arith.mulf %{{.+}}, %[[HV]] : vector<16xf32>
// CHECK-NOT:     linalg.
func.func @constant_in_payload(%x: memref<4x8xf32>, %w: memref<8x64xf32>) -> memref<4x64xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() {alignment = 64 : i64} : memref<4x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x64xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x8xf32>, memref<8x64xf32>) outs(%c : memref<4x64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  }
  %y = memref.alloc() {alignment = 64 : i64} : memref<4x64xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x64xf32>) outs(%y : memref<4x64xf32>) {
  ^bb0(%v: f32, %o: f32):
    %h = arith.constant 0.5 : f32
    %r = arith.mulf %v, %h : f32
    linalg.yield %r : f32
  }
  memref.dealloc %c : memref<4x64xf32>
  return %y : memref<4x64xf32>
}
