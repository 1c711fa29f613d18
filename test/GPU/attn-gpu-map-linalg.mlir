// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg --canonicalize | FileCheck %s
// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg="tile-contractions=false threads-per-block=128 block-reductions=false" | FileCheck %s --check-prefix=UNTILED
// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg="fuse-epilogues=false" | FileCheck %s --check-prefix=NOFUSE
// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg="block-reductions=false" | FileCheck %s --check-prefix=THREADS

// A matmul becomes the shared-memory tiled kernel: 64 x 64 output tiles on a
// 1-D grid, 256 threads, both operands staged in 16 x 65 shared buffers per
// K step of 16, 16 accumulators per thread, C += acc in the epilogue.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME:      %[[A:[^:]+]]: memref<?x64xf32>, %[[B:[^:]+]]: memref<64x48xf32>, %[[C:[^:]+]]: memref<?x48xf32>)
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG:     %[[C256:.+]] = arith.constant 256 : index
// CHECK:         %[[M:.+]] = memref.dim %[[A]], %{{.+}} : memref<?x64xf32>
// CHECK:         %[[TM:.+]] = arith.ceildivui %[[M]], %[[C64]] : index
// CHECK:         %[[GRID:.+]] = arith.maxsi %[[TM]], %{{.+}} : index
// CHECK:         gpu.launch blocks({{.*}}) in (%{{[^ ]+}} = %[[GRID]], {{.*}}) threads({{.*}}) in (%{{[^ ]+}} = %[[C256]], {{.*}}) function(@attn_contraction_kernel)
// CHECK-SAME:        workgroup(%[[AS:[^ ]+]] : memref<16x65xf32, #gpu.address_space<workgroup>>, %[[BS:[^ ]+]] : memref<16x65xf32, #gpu.address_space<workgroup>>)
// CHECK:           %[[ACC:.+]]:16 = scf.for {{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK:             memref.load %[[A]]
// CHECK:             memref.store {{.*}}, %[[AS]]
// CHECK:             memref.load %[[B]]
// CHECK:             memref.store {{.*}}, %[[BS]]
// CHECK:             gpu.barrier
// CHECK:             scf.for
// CHECK:               memref.load %[[AS]]
// CHECK:               memref.load %[[BS]]
// CHECK:               math.fma
// CHECK:             gpu.barrier
// CHECK:           scf.if
// CHECK:             %[[OLD:.+]] = memref.load %[[C]]
// CHECK:             %[[NEW:.+]] = arith.addf %[[OLD]], %[[ACC]]#0 : f32
// CHECK:             memref.store %[[NEW]], %[[C]]
// CHECK:           gpu.terminator
// CHECK-NOT:     linalg.
// UNTILED-LABEL: func.func @matmul(
// UNTILED:         gpu.launch {{.*}} threads({{.*}}) in (%{{[^ ]+}} = %[[C128:[^,]+]], {{.*}}) function(@attn_matmul_kernel) {
// UNTILED:           scf.for {{.*}} iter_args({{.*}}) -> (f32)
// UNTILED-NOT:     workgroup
func.func @matmul(%a: memref<?x64xf32>, %b: memref<64x48xf32>, %c: memref<?x48xf32>) {
  linalg.matmul ins(%a, %b : memref<?x64xf32>, memref<64x48xf32>) outs(%c : memref<?x48xf32>)
  return
}

// -----
// A projection fused with the head split, [B, T, D] x [D, H, d] -> [B, T, H, d]:
// M = B * T and N = H * d, one GEMM; the operand indices are recovered from
// the linear M, N and K.
#x = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>
#w = affine_map<(d0, d1, d2, d3, d4) -> (d4, d2, d3)>
#y = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @projection(
// CHECK:         gpu.launch {{.*}} function(@attn_contraction_kernel)
// CHECK-SAME:        workgroup(
// CHECK:           arith.remui
// CHECK:           arith.divui
// CHECK:           math.fma
// CHECK-NOT:     linalg.
func.func @projection(%x: memref<2x?x64xf32>, %w: memref<64x4x16xf32>, %y: memref<2x?x4x16xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<2x?x64xf32>, memref<64x4x16xf32>) outs(%y : memref<2x?x4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----
// Element-wise with a transposed input: one thread per output point of a
// 1-D grid, the innermost dimension fastest, guarded against the last block.
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#t = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME:      %[[X:[^:]+]]: memref<2x?x8xf32>, %[[Y:[^:]+]]: memref<2x8x?xf32>, %[[Z:[^:]+]]: memref<2x?x8xf32>)
// CHECK-DAG:     %[[C256:.+]] = arith.constant 256 : index
// CHECK-DAG:     %[[C16:.+]] = arith.constant 16 : index
// CHECK:         %[[T:.+]] = memref.dim %[[X]], %{{.+}}
// CHECK:         %[[N:.+]] = arith.muli %[[T]], %[[C16]] : index
// CHECK:         %[[BLOCKS:.+]] = arith.ceildivui %[[N]], %[[C256]] : index
// CHECK:         %[[GRID:.+]] = arith.maxsi %[[BLOCKS]], %{{.+}} : index
// CHECK:         gpu.launch blocks(%[[BX:[^,]+]], {{.*}}) in (%{{[^ ]+}} = %[[GRID]], {{.*}}) threads(%[[TX:[^,]+]], {{.*}}) in (%[[BD:[^ ]+]] = %[[C256]], {{.*}}) function(@attn_generic_kernel) {
// CHECK:           %[[BASE:.+]] = arith.muli %[[BX]], %[[BD]] : index
// CHECK:           %[[I:.+]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK:           %[[IN:.+]] = arith.cmpi ult, %[[I]], %[[N]] : index
// CHECK:           scf.if %[[IN]] {
// CHECK:             %[[D2:.+]] = arith.remui %[[I]], %{{.+}} : index
// CHECK:             %[[R:.+]] = arith.divui %[[I]], %{{.+}} : index
// CHECK:             %[[D1:.+]] = arith.remui %[[R]], %[[T]] : index
// CHECK:             %[[D0:.+]] = arith.divui %[[R]], %[[T]] : index
// CHECK:             %[[A:.+]] = memref.load %[[X]][%[[D0]], %[[D1]], %[[D2]]]
// CHECK:             %[[B:.+]] = memref.load %[[Y]][%[[D0]], %[[D2]], %[[D1]]]
// CHECK:             %[[S:.+]] = arith.addf %[[A]], %[[B]] : f32
// CHECK:             memref.store %[[S]], %[[Z]][%[[D0]], %[[D1]], %[[D2]]]
// CHECK-NOT:     linalg.
func.func @elementwise(%x: memref<2x?x8xf32>, %y: memref<2x8x?xf32>, %z: memref<2x?x8xf32>) {
  linalg.generic {indexing_maps = [#id, #t, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %y : memref<2x?x8xf32>, memref<2x8x?xf32>) outs(%z : memref<2x?x8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----
// A row maximum: one block of 256 threads per row; each thread reduces a
// strided part of the row from -inf, the 256 partial maxima are combined by
// a tree in shared memory (8 halving steps between barriers), and thread 0
// combines the result with the old value and stores it. With
// block-reductions=false, the thread of each row loops over the reduction
// dimension, accumulating in a register, and stores once.
#in = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @row_max(
// CHECK-SAME:      %[[X:[^:]+]]: memref<?x?xf32>, %[[M:[^:]+]]: memref<?xf32>)
// CHECK-DAG:     %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG:     %[[C256:.+]] = arith.constant 256 : index
// CHECK:         %[[ROWS:.+]] = memref.dim %[[X]], %{{.+}}
// CHECK:         %[[GRID:.+]] = arith.maxsi %[[ROWS]], %{{.+}} : index
// CHECK:         gpu.launch blocks(%[[BX:[^,]+]], {{.*}}) in (%{{[^ ]+}} = %[[GRID]], {{.*}}) threads(%[[TX:[^,]+]], {{.*}}) in (%{{[^ ]+}} = %[[C256]], {{.*}}) function(@attn_generic_reduction_kernel) workgroup(%[[S:.+]] : memref<256xf32, #gpu.address_space<workgroup>>)
// CHECK:           scf.if
// CHECK:             %[[PART:.+]] = scf.for %[[J:.+]] = %[[TX]] to %{{.+}} step %[[C256]] iter_args(%[[ACC:.+]] = %[[NEGINF]]) -> (f32) {
// CHECK:               %[[V:.+]] = memref.load %[[X]][%[[BX]], %[[J]]]
// CHECK:               arith.maximumf %[[ACC]], %[[V]] : f32
// CHECK:             memref.store %[[PART]], %[[S]][%[[TX]]]
// CHECK:             gpu.barrier
// CHECK-COUNT-8:     arith.maximumf
// CHECK:             scf.if
// CHECK:               %[[OLD:.+]] = memref.load %[[M]][%[[BX]]]
// CHECK:               %[[ALL:.+]] = memref.load %[[S]]
// CHECK:               %[[NEW:.+]] = arith.maximumf %[[OLD]], %[[ALL]] : f32
// CHECK:               memref.store %[[NEW]], %[[M]][%[[BX]]]
// THREADS-LABEL: func.func @row_max(
// THREADS-SAME:      %[[X:[^:]+]]: memref<?x?xf32>, %[[M:[^:]+]]: memref<?xf32>)
// THREADS:         gpu.launch {{.*}} function(@attn_generic_kernel) {
// THREADS:           scf.if
// THREADS:             %[[INIT:.+]] = memref.load %[[M]][%[[ROW:.+]]] : memref<?xf32>
// THREADS:             %[[RED:.+]] = scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[INIT]]) -> (f32) {
// THREADS:               %[[V:.+]] = memref.load %[[X]][%[[ROW]], %[[J]]]
// THREADS:               %[[MAX:.+]] = arith.maximumf %[[ACC]], %[[V]] : f32
// THREADS:               scf.yield %[[MAX]] : f32
// THREADS:             memref.store %[[RED]], %[[M]][%[[ROW]]]
func.func @row_max(%x: memref<?x?xf32>, %m: memref<?xf32>) {
  linalg.generic {indexing_maps = [#in, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<?x?xf32>) outs(%m : memref<?xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %acc, %a : f32
    linalg.yield %r : f32
  }
  return
}

// -----
// Fills and copies between strided buffers are kernels; a copy between
// contiguous buffers stays for attn-gpu-device-buffers (gpu.memcpy).
// CHECK-LABEL: func.func @fill_and_copies(
// CHECK-SAME:      %[[A:[^:]+]]: memref<4x8xf32>, %[[B:[^:]+]]: memref<4x8xf32>, %[[C:[^:]+]]: memref<8x8xf32>)
// CHECK:         gpu.launch {{.*}} function(@attn_fill_kernel)
// CHECK:         memref.copy %[[A]], %[[B]] : memref<4x8xf32> to memref<4x8xf32>
// CHECK:         %[[SUB:.+]] = memref.subview %[[C]]
// CHECK:         gpu.launch {{.*}} function(@attn_copy_kernel)
// CHECK:           memref.load %[[A]]
// CHECK:           memref.store {{.*}}, %[[SUB]]
// CHECK-NOT:     linalg.
func.func @fill_and_copies(%a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%a : memref<4x8xf32>)
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  %sub = memref.subview %c[2, 0] [4, 8] [1, 1] : memref<8x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 16>>
  memref.copy %a, %sub : memref<4x8xf32> to memref<4x8xf32, strided<[8, 1], offset: 16>>
  return
}

// -----
// A projection as convert-attn-to-linalg emits it: the bias broadcast into
// the output, the matmul onto it, the head split (expand_shape + transpose
// to [B, H, T, d]). One kernel: the epilogue computes bias + acc and stores
// it transposed; the matmul's own buffer is never written (nothing reads it
// later).
// CHECK-LABEL: func.func @epilogue_head_split(
// CHECK-SAME:      %[[X:[^:]+]]: memref<?x32xf32>, %[[W:[^:]+]]: memref<32x64xf32>, %[[B:[^:]+]]: memref<64xf32>)
// CHECK:         %[[C:.+]] = memref.alloc
// CHECK:         %[[D:.+]] = memref.alloc
// CHECK:         gpu.launch {{.*}} function(@attn_contraction_broadcast_transpose_kernel)
// CHECK:           scf.for
// CHECK:           scf.if
// CHECK:             %[[BIAS:.+]] = memref.load %[[B]]
// CHECK:             %[[V:.+]] = arith.addf %[[BIAS]], %{{.+}} : f32
// CHECK-NOT:         memref.store %{{.+}}, %[[C]]
// CHECK:             memref.store %[[V]], %[[D]]
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     linalg.
// CHECK:         return %[[D]]
// NOFUSE-LABEL: func.func @epilogue_head_split(
// NOFUSE:         function(@attn_broadcast_kernel)
// NOFUSE:         function(@attn_contraction_kernel)
// NOFUSE:         function(@attn_transpose_kernel)
func.func @epilogue_head_split(%x: memref<?x32xf32>, %w: memref<32x64xf32>, %b: memref<64xf32>) -> memref<1x4x?x16xf32> {
  %c0 = arith.constant 0 : index
  %t = memref.dim %x, %c0 : memref<?x32xf32>
  %c = memref.alloc(%t) : memref<?x64xf32>
  linalg.broadcast ins(%b : memref<64xf32>) outs(%c : memref<?x64xf32>) dimensions = [0]
  linalg.matmul ins(%x, %w : memref<?x32xf32>, memref<32x64xf32>) outs(%c : memref<?x64xf32>)
  %c4 = memref.expand_shape %c [[0, 1], [2, 3]] output_shape [1, %t, 4, 16] : memref<?x64xf32> into memref<1x?x4x16xf32>
  %d = memref.alloc(%t) : memref<1x4x?x16xf32>
  linalg.transpose ins(%c4 : memref<1x?x4x16xf32>) outs(%d : memref<1x4x?x16xf32>) permutation = [0, 2, 1, 3]
  return %d : memref<1x4x?x16xf32>
}

// -----
// An activation updating the output in place (the FFN's first layer): the
// epilogue loads C, adds the accumulator, applies it, and stores once.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @epilogue_in_place(
// CHECK-SAME:      %{{[^:]+}}: memref<?x32xf32>, %{{[^:]+}}: memref<32x64xf32>, %[[C:[^:]+]]: memref<?x64xf32>)
// CHECK:         gpu.launch {{.*}} function(@attn_contraction_generic_kernel)
// CHECK:           scf.if
// CHECK:             %[[OLD:.+]] = memref.load %[[C]]
// CHECK:             %[[V:.+]] = arith.addf %[[OLD]], %{{.+}} : f32
// CHECK:             %[[R:.+]] = arith.maximumf %[[V]], %{{.+}} : f32
// CHECK-NEXT:        memref.store %[[R]], %[[C]]
// CHECK-NEXT:      }
// CHECK-NOT:     gpu.launch
func.func @epilogue_in_place(%x: memref<?x32xf32>, %w: memref<32x64xf32>, %c: memref<?x64xf32>) {
  linalg.matmul ins(%x, %w : memref<?x32xf32>, memref<32x64xf32>) outs(%c : memref<?x64xf32>)
  linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%c : memref<?x64xf32>) {
  ^bb0(%v: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----
// A residual add into another buffer while the matmul's output is still
// read afterwards (copied out): the epilogue stores both.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @epilogue_output_still_read(
// CHECK-SAME:      %{{[^:]+}}: memref<8x32xf32>, %{{[^:]+}}: memref<32x64xf32>, %[[R:[^:]+]]: memref<8x64xf32>, %[[D:[^:]+]]: memref<8x64xf32>, %[[E:[^:]+]]: memref<8x64xf32>)
// CHECK:         %[[C:.+]] = memref.alloc
// CHECK:         gpu.launch {{.*}} function(@attn_contraction_fill_generic_kernel)
// CHECK:           scf.if
// CHECK:             %[[V:.+]] = arith.addf %{{.+}}, %{{.+}} : f32
// CHECK:             memref.store %[[V]], %[[C]]
// CHECK:             %[[RES:.+]] = memref.load %[[R]]
// CHECK:             %[[SUM:.+]] = arith.addf %[[V]], %[[RES]] : f32
// CHECK:             memref.store %[[SUM]], %[[D]]
// CHECK:         memref.copy %[[C]], %[[E]]
func.func @epilogue_output_still_read(%x: memref<8x32xf32>, %w: memref<32x64xf32>, %r: memref<8x64xf32>, %d: memref<8x64xf32>, %e: memref<8x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<8x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<8x64xf32>)
  linalg.matmul ins(%x, %w : memref<8x32xf32>, memref<32x64xf32>) outs(%c : memref<8x64xf32>)
  linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c, %r : memref<8x64xf32>, memref<8x64xf32>) outs(%d : memref<8x64xf32>) {
  ^bb0(%v: f32, %res: f32, %out: f32):
    %s = arith.addf %v, %res : f32
    linalg.yield %s : f32
  }
  memref.copy %c, %e : memref<8x64xf32> to memref<8x64xf32>
  return
}

// -----
// Not absorbed: an initialiser that reads the output (scaling it in place),
// and a consumer that reads the output with a reduction (a row sum, one
// block per row): three kernels.
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#rows = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @negative_epilogue(
// CHECK:         function(@attn_generic_kernel)
// CHECK:         function(@attn_contraction_kernel)
// CHECK:         function(@attn_generic_reduction_kernel)
func.func @negative_epilogue(%x: memref<8x32xf32>, %w: memref<32x64xf32>, %c: memref<8x64xf32>, %s: memref<8xf32>) {
  linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%c : memref<8x64xf32>) {
  ^bb0(%v: f32):
    %two = arith.constant 2.0 : f32
    %r = arith.mulf %v, %two : f32
    linalg.yield %r : f32
  }
  linalg.matmul ins(%x, %w : memref<8x32xf32>, memref<32x64xf32>) outs(%c : memref<8x64xf32>)
  linalg.generic {indexing_maps = [#id2, #rows], iterator_types = ["parallel", "reduction"]}
      ins(%c : memref<8x64xf32>) outs(%s : memref<8xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %r = arith.addf %acc, %v : f32
    linalg.yield %r : f32
  }
  return
}

// -----
// The head merge before the output projection: the attention output
// [B, H, T, d] transposed to [B, T, H, d] and flattened to the A operand.
// The kernel reads the heads where it stages A (the transposed buffer is
// never written), and adds the bias in its epilogue: one kernel.
// CHECK-LABEL: func.func @prologue_head_merge(
// CHECK-SAME:      %[[O:[^:]+]]: memref<1x4x?x16xf32>, %[[W:[^:]+]]: memref<64x32xf32>, %[[B:[^:]+]]: memref<32xf32>)
// CHECK:         %[[T:.+]] = memref.alloc(%{{.+}}) : memref<1x?x4x16xf32>
// CHECK:         gpu.launch {{.*}} function(@attn_contraction_transpose_in_broadcast_kernel)
// CHECK:           scf.for
// CHECK:             scf.if
// CHECK:               memref.load %[[O]]
// CHECK:             memref.store %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}] : memref<16x65xf32, #gpu.address_space<workgroup>>
// CHECK-NOT:     memref.store {{.*}}, %[[T]][
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     linalg.
// NOFUSE-LABEL: func.func @prologue_head_merge(
// NOFUSE:         function(@attn_transpose_kernel)
// NOFUSE:         function(@attn_broadcast_kernel)
// NOFUSE:         function(@attn_contraction_kernel)
func.func @prologue_head_merge(%o: memref<1x4x?x16xf32>, %w: memref<64x32xf32>, %b: memref<32xf32>) -> memref<?x32xf32> {
  %c2 = arith.constant 2 : index
  %t = memref.dim %o, %c2 : memref<1x4x?x16xf32>
  %m = memref.alloc(%t) : memref<1x?x4x16xf32>
  linalg.transpose ins(%o : memref<1x4x?x16xf32>) outs(%m : memref<1x?x4x16xf32>) permutation = [0, 2, 1, 3]
  %a = memref.collapse_shape %m [[0, 1], [2, 3]] : memref<1x?x4x16xf32> into memref<?x64xf32>
  %c = memref.alloc(%t) : memref<?x32xf32>
  linalg.broadcast ins(%b : memref<32xf32>) outs(%c : memref<?x32xf32>) dimensions = [0]
  linalg.matmul ins(%a, %w : memref<?x64xf32>, memref<64x32xf32>) outs(%c : memref<?x32xf32>)
  return %c : memref<?x32xf32>
}
