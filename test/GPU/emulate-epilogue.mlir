// The fused epilogues of the tiled contraction kernel, without a GPU: each
// case is a linalg chain as convert-attn-to-linalg emits it (bias broadcast
// into the output, matmul accumulating onto it, then an element-wise
// consumer), which attn-gpu-map-linalg makes one kernel; the kernels run
// through attn-gpu-emulate-on-cpu and epilogue_reference.py recomputes every
// case with NumPy from the same inputs. M = 74 and N = 80 leave partial
// 64 x 64 tiles, K = 48 three K steps.
//
//   1. y = gelu(x W + b) + r       bias, exact-erf gelu, residual
//   2. y = silu(x W + b)           in place (the FFN's first layer)
//   3. y = x W + b                 split into 5 heads of 16 and transposed
//                                  to [B, H, T, d] (the head transpose)
//   4. y = leaky_relu(x W + b), and x W + b itself is returned too (the
//      output buffer is still read, so the kernel stores it as well)
//   5. y = relu(x W + b)           in place through a reshape to [B, T, N]
//   6. y = merge(h) W' + b'         the heads h [B, H, T, d] transposed back
//                                  and flattened to [B*T, H*d] (the head
//                                  merge before the output projection): the
//                                  kernel reads h where it stages A
//
// f32, the kernel sums in another order: 1e-4 relative + 1e-5 absolute.
//
// REQUIRES: libomp, numpy
// RUN: %attn_gpu_emulate %s | %mlir_run_omp | %python %S/epilogue_reference.py | FileCheck %s
// RUN: attn-opt %s --convert-elementwise-to-linalg --attn-fuse-elementwise \
// RUN:   --canonicalize --eliminate-empty-tensors \
// RUN:   --one-shot-bufferize=bufferize-function-boundaries --canonicalize \
// RUN:   --attn-gpu-map-linalg | FileCheck %s --check-prefix=KERNELS

// CHECK: case 1 shape [74, 80] match
// CHECK: case 2 shape [74, 80] match
// CHECK: case 3 shape [2, 5, 37, 16] match
// CHECK: case 4 shape [74, 80] match
// CHECK: case 5 shape [74, 80] match
// CHECK: case 6 shape [2, 37, 80] match
// CHECK: case 7 shape [74, 48] match

// Every chain is one kernel; only case 4 still stores x W + b.
// KERNELS-LABEL: func.func @case1(
// KERNELS-COUNT-1: gpu.launch
// KERNELS-SAME:      function(@attn_contraction_broadcast_generic_kernel)
// KERNELS-NOT:     gpu.launch
// KERNELS-LABEL: func.func @case2(
// KERNELS-COUNT-1: gpu.launch
// KERNELS-SAME:      function(@attn_contraction_broadcast_generic_kernel)
// KERNELS-NOT:     gpu.launch
// KERNELS-LABEL: func.func @case3(
// KERNELS-COUNT-1: gpu.launch
// KERNELS-SAME:      function(@attn_contraction_broadcast_transpose_kernel)
// KERNELS-NOT:     gpu.launch
// KERNELS-LABEL: func.func @case4(
// KERNELS-COUNT-1: gpu.launch
// KERNELS-SAME:      function(@attn_contraction_broadcast_generic_kernel)
// KERNELS-NOT:     gpu.launch
// KERNELS-LABEL: func.func @case5(
// KERNELS-COUNT-1: gpu.launch
// KERNELS-SAME:      function(@attn_contraction_broadcast_generic_kernel)
// KERNELS-NOT:     gpu.launch
// KERNELS-LABEL: func.func @case6(
// KERNELS-COUNT-1: gpu.launch
// KERNELS-SAME:      function(@attn_contraction_transpose_in_broadcast_kernel)
// KERNELS-NOT:     gpu.launch
// KERNELS-LABEL: func.func @main(

#id = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"})

// Deterministic values sin(c * i) of a linear index.
func.func @values(%n: index, %c: f32) -> tensor<?xf32> {
  %t = tensor.generate %n {
  ^bb0(%i: index):
    %k = arith.index_cast %i : index to i64
    %f = arith.sitofp %k : i64 to f32
    %x = arith.mulf %f, %c : f32
    %s = math.sin %x : f32
    tensor.yield %s : f32
  } : tensor<?xf32>
  return %t : tensor<?xf32>
}

func.func @case1(%x: tensor<74x48xf32>, %w: tensor<48x80xf32>, %b: tensor<80xf32>, %r: tensor<74x80xf32>) -> tensor<74x80xf32> {
  %e = tensor.empty() : tensor<74x80xf32>
  %bb = linalg.broadcast ins(%b : tensor<80xf32>) outs(%e : tensor<74x80xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w : tensor<74x48xf32>, tensor<48x80xf32>) outs(%bb : tensor<74x80xf32>) -> tensor<74x80xf32>
  %e2 = tensor.empty() : tensor<74x80xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %r : tensor<74x80xf32>, tensor<74x80xf32>) outs(%e2 : tensor<74x80xf32>) {
  ^bb0(%v: f32, %res: f32, %out: f32):
    %c = arith.constant 0.707106769 : f32
    %one = arith.constant 1.0 : f32
    %half = arith.constant 0.5 : f32
    %s = arith.mulf %v, %c : f32
    %erf = math.erf %s : f32
    %p = arith.addf %one, %erf : f32
    %hv = arith.mulf %v, %half : f32
    %g = arith.mulf %hv, %p : f32
    %sum = arith.addf %g, %res : f32
    linalg.yield %sum : f32
  } -> tensor<74x80xf32>
  return %y : tensor<74x80xf32>
}

func.func @case2(%x: tensor<74x48xf32>, %w: tensor<48x80xf32>, %b: tensor<80xf32>) -> tensor<74x80xf32> {
  %e = tensor.empty() : tensor<74x80xf32>
  %bb = linalg.broadcast ins(%b : tensor<80xf32>) outs(%e : tensor<74x80xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w : tensor<74x48xf32>, tensor<48x80xf32>) outs(%bb : tensor<74x80xf32>) -> tensor<74x80xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h : tensor<74x80xf32>) outs(%h : tensor<74x80xf32>) {
  ^bb0(%v: f32, %out: f32):
    %one = arith.constant 1.0 : f32
    %n = arith.negf %v : f32
    %ex = math.exp %n : f32
    %d = arith.addf %ex, %one : f32
    %s = arith.divf %v, %d : f32
    linalg.yield %s : f32
  } -> tensor<74x80xf32>
  return %y : tensor<74x80xf32>
}

func.func @case3(%x: tensor<74x48xf32>, %w: tensor<48x80xf32>, %b: tensor<80xf32>) -> tensor<2x5x37x16xf32> {
  %e = tensor.empty() : tensor<74x80xf32>
  %bb = linalg.broadcast ins(%b : tensor<80xf32>) outs(%e : tensor<74x80xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w : tensor<74x48xf32>, tensor<48x80xf32>) outs(%bb : tensor<74x80xf32>) -> tensor<74x80xf32>
  %h4 = tensor.expand_shape %h [[0, 1], [2, 3]] output_shape [2, 37, 5, 16] : tensor<74x80xf32> into tensor<2x37x5x16xf32>
  %e2 = tensor.empty() : tensor<2x5x37x16xf32>
  %t = linalg.transpose ins(%h4 : tensor<2x37x5x16xf32>) outs(%e2 : tensor<2x5x37x16xf32>) permutation = [0, 2, 1, 3]
  return %t : tensor<2x5x37x16xf32>
}

func.func @case4(%x: tensor<74x48xf32>, %w: tensor<48x80xf32>, %b: tensor<80xf32>) -> (tensor<74x80xf32>, tensor<74x80xf32>) {
  %e = tensor.empty() : tensor<74x80xf32>
  %bb = linalg.broadcast ins(%b : tensor<80xf32>) outs(%e : tensor<74x80xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w : tensor<74x48xf32>, tensor<48x80xf32>) outs(%bb : tensor<74x80xf32>) -> tensor<74x80xf32>
  %e2 = tensor.empty() : tensor<74x80xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h : tensor<74x80xf32>) outs(%e2 : tensor<74x80xf32>) {
  ^bb0(%v: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %slope = arith.constant 0.00999999977 : f32
    %pos = arith.cmpf ogt, %v, %zero : f32
    %l = arith.mulf %v, %slope : f32
    %s = arith.select %pos, %v, %l : f32
    linalg.yield %s : f32
  } -> tensor<74x80xf32>
  return %y, %h : tensor<74x80xf32>, tensor<74x80xf32>
}

func.func @case5(%x: tensor<74x48xf32>, %w: tensor<48x80xf32>, %b: tensor<80xf32>) -> tensor<2x37x80xf32> {
  %e = tensor.empty() : tensor<74x80xf32>
  %bb = linalg.broadcast ins(%b : tensor<80xf32>) outs(%e : tensor<74x80xf32>) dimensions = [0]
  %h = linalg.matmul ins(%x, %w : tensor<74x48xf32>, tensor<48x80xf32>) outs(%bb : tensor<74x80xf32>) -> tensor<74x80xf32>
  %h3 = tensor.expand_shape %h [[0, 1], [2]] output_shape [2, 37, 80] : tensor<74x80xf32> into tensor<2x37x80xf32>
  %y = linalg.generic {indexing_maps = [#id3], iterator_types = ["parallel", "parallel", "parallel"]}
      outs(%h3 : tensor<2x37x80xf32>) {
  ^bb0(%v: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x37x80xf32>
  return %y : tensor<2x37x80xf32>
}

func.func @case6(%h: tensor<2x5x37x16xf32>, %w: tensor<80x48xf32>, %b: tensor<48xf32>) -> tensor<74x48xf32> {
  %e = tensor.empty() : tensor<2x37x5x16xf32>
  %t = linalg.transpose ins(%h : tensor<2x5x37x16xf32>) outs(%e : tensor<2x37x5x16xf32>) permutation = [0, 2, 1, 3]
  %m = tensor.collapse_shape %t [[0, 1], [2, 3]] : tensor<2x37x5x16xf32> into tensor<74x80xf32>
  %e2 = tensor.empty() : tensor<74x48xf32>
  %bb = linalg.broadcast ins(%b : tensor<48xf32>) outs(%e2 : tensor<74x48xf32>) dimensions = [0]
  %y = linalg.matmul ins(%m, %w : tensor<74x80xf32>, tensor<80x48xf32>) outs(%bb : tensor<74x48xf32>) -> tensor<74x48xf32>
  return %y : tensor<74x48xf32>
}

func.func @main() {
  %c3552 = arith.constant 3552 : index
  %c3840 = arith.constant 3840 : index
  %c80 = arith.constant 80 : index
  %c5920 = arith.constant 5920 : index
  %cx = arith.constant 0.37 : f32
  %cw = arith.constant 0.11 : f32
  %cb = arith.constant 0.7 : f32
  %cr = arith.constant 0.05 : f32
  %xd = call @values(%c3552, %cx) : (index, f32) -> tensor<?xf32>
  %wd = call @values(%c3840, %cw) : (index, f32) -> tensor<?xf32>
  %bd = call @values(%c80, %cb) : (index, f32) -> tensor<?xf32>
  %rd = call @values(%c5920, %cr) : (index, f32) -> tensor<?xf32>
  %xs = tensor.cast %xd : tensor<?xf32> to tensor<3552xf32>
  %ws = tensor.cast %wd : tensor<?xf32> to tensor<3840xf32>
  %b = tensor.cast %bd : tensor<?xf32> to tensor<80xf32>
  %rs = tensor.cast %rd : tensor<?xf32> to tensor<5920xf32>
  %x = tensor.expand_shape %xs [[0, 1]] output_shape [74, 48] : tensor<3552xf32> into tensor<74x48xf32>
  %w = tensor.expand_shape %ws [[0, 1]] output_shape [48, 80] : tensor<3840xf32> into tensor<48x80xf32>
  %r = tensor.expand_shape %rs [[0, 1]] output_shape [74, 80] : tensor<5920xf32> into tensor<74x80xf32>

  %y1 = call @case1(%x, %w, %b, %r) : (tensor<74x48xf32>, tensor<48x80xf32>, tensor<80xf32>, tensor<74x80xf32>) -> tensor<74x80xf32>
  %p1 = tensor.cast %y1 : tensor<74x80xf32> to tensor<*xf32>
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()
  %y2 = call @case2(%x, %w, %b) : (tensor<74x48xf32>, tensor<48x80xf32>, tensor<80xf32>) -> tensor<74x80xf32>
  %p2 = tensor.cast %y2 : tensor<74x80xf32> to tensor<*xf32>
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()
  %y3 = call @case3(%x, %w, %b) : (tensor<74x48xf32>, tensor<48x80xf32>, tensor<80xf32>) -> tensor<2x5x37x16xf32>
  %p3 = tensor.cast %y3 : tensor<2x5x37x16xf32> to tensor<*xf32>
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()
  %y4:2 = call @case4(%x, %w, %b) : (tensor<74x48xf32>, tensor<48x80xf32>, tensor<80xf32>) -> (tensor<74x80xf32>, tensor<74x80xf32>)
  %p4 = tensor.cast %y4#0 : tensor<74x80xf32> to tensor<*xf32>
  call @printMemrefF32(%p4) : (tensor<*xf32>) -> ()
  %p5 = tensor.cast %y4#1 : tensor<74x80xf32> to tensor<*xf32>
  call @printMemrefF32(%p5) : (tensor<*xf32>) -> ()
  %y5 = call @case5(%x, %w, %b) : (tensor<74x48xf32>, tensor<48x80xf32>, tensor<80xf32>) -> tensor<2x37x80xf32>
  %p6 = tensor.cast %y5 : tensor<2x37x80xf32> to tensor<*xf32>
  call @printMemrefF32(%p6) : (tensor<*xf32>) -> ()
  %r4 = tensor.expand_shape %rs [[0, 1, 2, 3]] output_shape [2, 5, 37, 16] : tensor<5920xf32> into tensor<2x5x37x16xf32>
  %w2 = tensor.expand_shape %ws [[0, 1]] output_shape [80, 48] : tensor<3840xf32> into tensor<80x48xf32>
  %b2 = tensor.extract_slice %b[0] [48] [1] : tensor<80xf32> to tensor<48xf32>
  %y6 = call @case6(%r4, %w2, %b2) : (tensor<2x5x37x16xf32>, tensor<80x48xf32>, tensor<48xf32>) -> tensor<74x48xf32>
  %p7 = tensor.cast %y6 : tensor<74x48xf32> to tensor<*xf32>
  call @printMemrefF32(%p7) : (tensor<*xf32>) -> ()
  return
}
