// Numerics of attn-vectorize-transposes: transposes that move the innermost
// dim, lowered by the pass (register tiles, and linalg.transpose on subviews
// for ragged rows and columns), against the same transposes written as
// scalar loops, which the pass leaves alone. Every element is distinct
// (its linear index), so a misplaced one changes the printed mismatch count.
// Shapes: the keys' [B, T, H, dk] -> [B, H, dk, T] with T = 37, dk = 20 and
// a dynamic T (ragged rows and columns); [35, 18] -> [18, 35]; [3, 17, 32]
// -> [32, 3, 17] (the rows dim not next to the innermost one).
//
// RUN: attn-opt %s --attn-vectorize-transposes | %attn_lower_cpu \
// RUN:   | %mlir_run_cpu | FileCheck %s
// The parallel form (scf.parallel, run sequentially here; threads are
// covered by test/Execution/attention-head-blocks.test):
// RUN: attn-opt %s --attn-vectorize-transposes=parallel=true \
// RUN:   | %attn_lower_cpu | %mlir_run_cpu | FileCheck %s
// RUN: attn-opt %s --attn-vectorize-transposes | FileCheck %s --check-prefix=IR
// IR-COUNT-3: vector.shuffle {{.*}} [0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29]

// CHECK: keys mismatches 0 of 5920
// CHECK: matrix mismatches 0 of 630
// CHECK: rotated mismatches 0 of 1632

func.func @fill(%m: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    memref.store %f, %m[%i] : memref<?xf32>
  }
  return
}

// Mismatching elements of two buffers of n elements.
func.func @mismatches(%a: memref<?xf32>, %b: memref<?xf32>) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xf32>
  %count = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c0) -> index {
    %x = memref.load %a[%i] : memref<?xf32>
    %y = memref.load %b[%i] : memref<?xf32>
    %ne = arith.cmpf une, %x, %y : f32
    %inc = arith.select %ne, %c1, %c0 : index
    %next = arith.addi %acc, %inc : index
    scf.yield %next : index
  }
  return %count : index
}

func.func @keys(%in: memref<2x?x4x20xf32>, %out: memref<2x4x20x?xf32>) {
  linalg.transpose ins(%in : memref<2x?x4x20xf32>) outs(%out : memref<2x4x20x?xf32>) permutation = [0, 2, 3, 1]
  return
}

func.func @keys_reference(%in: memref<2x?x4x20xf32>, %out: memref<2x4x20x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c20 = arith.constant 20 : index
  %t = memref.dim %in, %c1 : memref<2x?x4x20xf32>
  scf.for %b = %c0 to %c2 step %c1 {
    scf.for %i = %c0 to %t step %c1 {
      scf.for %h = %c0 to %c4 step %c1 {
        scf.for %d = %c0 to %c20 step %c1 {
          %x = memref.load %in[%b, %i, %h, %d] : memref<2x?x4x20xf32>
          memref.store %x, %out[%b, %h, %d, %i] : memref<2x4x20x?xf32>
        }
      }
    }
  }
  return
}

func.func @matrix(%in: memref<35x18xf32>, %out: memref<18x35xf32>) {
  linalg.transpose ins(%in : memref<35x18xf32>) outs(%out : memref<18x35xf32>) permutation = [1, 0]
  return
}

func.func @matrix_reference(%in: memref<35x18xf32>, %out: memref<18x35xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c18 = arith.constant 18 : index
  %c35 = arith.constant 35 : index
  scf.for %i = %c0 to %c35 step %c1 {
    scf.for %j = %c0 to %c18 step %c1 {
      %x = memref.load %in[%i, %j] : memref<35x18xf32>
      memref.store %x, %out[%j, %i] : memref<18x35xf32>
    }
  }
  return
}

func.func @rotated(%in: memref<3x17x32xf32>, %out: memref<32x3x17xf32>) {
  linalg.transpose ins(%in : memref<3x17x32xf32>) outs(%out : memref<32x3x17xf32>) permutation = [2, 0, 1]
  return
}

func.func @rotated_reference(%in: memref<3x17x32xf32>, %out: memref<32x3x17xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c17 = arith.constant 17 : index
  %c32 = arith.constant 32 : index
  scf.for %a = %c0 to %c3 step %c1 {
    scf.for %i = %c0 to %c17 step %c1 {
      scf.for %j = %c0 to %c32 step %c1 {
        %x = memref.load %in[%a, %i, %j] : memref<3x17x32xf32>
        memref.store %x, %out[%j, %a, %i] : memref<32x3x17xf32>
      }
    }
  }
  return
}

func.func @report(%count: index, %total: index) {
  vector.print str "mismatches "
  vector.print %count : index punctuation <no_punctuation>
  vector.print str " of "
  vector.print %total : index
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  // keys: [2, 37, 4, 20] with T dynamic.
  %kin = memref.alloc() : memref<2x37x4x20xf32>
  %kout = memref.alloc() : memref<2x4x20x37xf32>
  %kref = memref.alloc() : memref<2x4x20x37xf32>
  %kin1 = memref.collapse_shape %kin [[0, 1, 2, 3]] : memref<2x37x4x20xf32> into memref<5920xf32>
  %kout1 = memref.collapse_shape %kout [[0, 1, 2, 3]] : memref<2x4x20x37xf32> into memref<5920xf32>
  %kref1 = memref.collapse_shape %kref [[0, 1, 2, 3]] : memref<2x4x20x37xf32> into memref<5920xf32>
  %kin1d = memref.cast %kin1 : memref<5920xf32> to memref<?xf32>
  %kout1d = memref.cast %kout1 : memref<5920xf32> to memref<?xf32>
  %kref1d = memref.cast %kref1 : memref<5920xf32> to memref<?xf32>
  call @fill(%kin1d) : (memref<?xf32>) -> ()
  %kind = memref.cast %kin : memref<2x37x4x20xf32> to memref<2x?x4x20xf32>
  %koutd = memref.cast %kout : memref<2x4x20x37xf32> to memref<2x4x20x?xf32>
  %krefd = memref.cast %kref : memref<2x4x20x37xf32> to memref<2x4x20x?xf32>
  call @keys(%kind, %koutd) : (memref<2x?x4x20xf32>, memref<2x4x20x?xf32>) -> ()
  call @keys_reference(%kind, %krefd) : (memref<2x?x4x20xf32>, memref<2x4x20x?xf32>) -> ()
  %km = call @mismatches(%kout1d, %kref1d) : (memref<?xf32>, memref<?xf32>) -> index
  %kn = memref.dim %kout1d, %c0 : memref<?xf32>
  vector.print str "keys "
  call @report(%km, %kn) : (index, index) -> ()

  // [35, 18] -> [18, 35].
  %min = memref.alloc() : memref<35x18xf32>
  %mout = memref.alloc() : memref<18x35xf32>
  %mref = memref.alloc() : memref<18x35xf32>
  %min1 = memref.collapse_shape %min [[0, 1]] : memref<35x18xf32> into memref<630xf32>
  %mout1 = memref.collapse_shape %mout [[0, 1]] : memref<18x35xf32> into memref<630xf32>
  %mref1 = memref.collapse_shape %mref [[0, 1]] : memref<18x35xf32> into memref<630xf32>
  %min1d = memref.cast %min1 : memref<630xf32> to memref<?xf32>
  %mout1d = memref.cast %mout1 : memref<630xf32> to memref<?xf32>
  %mref1d = memref.cast %mref1 : memref<630xf32> to memref<?xf32>
  call @fill(%min1d) : (memref<?xf32>) -> ()
  call @matrix(%min, %mout) : (memref<35x18xf32>, memref<18x35xf32>) -> ()
  call @matrix_reference(%min, %mref) : (memref<35x18xf32>, memref<18x35xf32>) -> ()
  %mm = call @mismatches(%mout1d, %mref1d) : (memref<?xf32>, memref<?xf32>) -> index
  %mn = memref.dim %mout1d, %c0 : memref<?xf32>
  vector.print str "matrix "
  call @report(%mm, %mn) : (index, index) -> ()

  // [3, 17, 32] -> [32, 3, 17].
  %rin = memref.alloc() : memref<3x17x32xf32>
  %rout = memref.alloc() : memref<32x3x17xf32>
  %rref = memref.alloc() : memref<32x3x17xf32>
  %rin1 = memref.collapse_shape %rin [[0, 1, 2]] : memref<3x17x32xf32> into memref<1632xf32>
  %rout1 = memref.collapse_shape %rout [[0, 1, 2]] : memref<32x3x17xf32> into memref<1632xf32>
  %rref1 = memref.collapse_shape %rref [[0, 1, 2]] : memref<32x3x17xf32> into memref<1632xf32>
  %rin1d = memref.cast %rin1 : memref<1632xf32> to memref<?xf32>
  %rout1d = memref.cast %rout1 : memref<1632xf32> to memref<?xf32>
  %rref1d = memref.cast %rref1 : memref<1632xf32> to memref<?xf32>
  call @fill(%rin1d) : (memref<?xf32>) -> ()
  call @rotated(%rin, %rout) : (memref<3x17x32xf32>, memref<32x3x17xf32>) -> ()
  call @rotated_reference(%rin, %rref) : (memref<3x17x32xf32>, memref<32x3x17xf32>) -> ()
  %rm = call @mismatches(%rout1d, %rref1d) : (memref<?xf32>, memref<?xf32>) -> index
  %rn = memref.dim %rout1d, %c0 : memref<?xf32>
  vector.print str "rotated "
  call @report(%rm, %rn) : (index, index) -> ()

  return
}
