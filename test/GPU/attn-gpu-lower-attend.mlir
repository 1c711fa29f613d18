// RUN: attn-opt %s -split-input-file --attn-gpu-lower-attend="block-q=4 block-k=2" | FileCheck %s
// RUN: attn-opt %s -split-input-file --attn-gpu-lower-attend="max-head-width=1024 block-q=16" | FileCheck %s --check-prefix=WIDE

// The fused kernel: operands as read-only buffers, a fresh result buffer
// filled by one launch of block-q threads (one per query row: heads of 16)
// with the staged keys, values and one logit row per thread in shared
// memory, causal attention stopping at the tile's last key, and the result
// back as a tensor.
// CHECK-LABEL: func.func @causal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x10x16xf32>, %[[V:[^:]+]]: tensor<2x4x10x8xf32>)
// CHECK-DAG:     %[[QB:.+]] = bufferization.to_buffer %[[Q]] read_only : tensor<2x4x8x16xf32> to memref<2x4x8x16xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-DAG:     %[[KB:.+]] = bufferization.to_buffer %[[K]] read_only
// CHECK-DAG:     %[[VB:.+]] = bufferization.to_buffer %[[V]] read_only
// CHECK:         %[[OUT:.+]] = memref.alloc() : memref<2x4x8x8xf32>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}}) threads(%[[TX:[^,]+]], {{.*}}) in (%{{[^ ]+}} = %[[C4:[^,]+]], {{.*}}) function(@attn_attend_kernel)
// CHECK-SAME:        workgroup(%[[KS:[^ ]+]] : memref<2x16xf32, #gpu.address_space<workgroup>>, %[[VS:[^ ]+]] : memref<2x8xf32, #gpu.address_space<workgroup>>, %[[S:[^ ]+]] : memref<4x3xf32, #gpu.address_space<workgroup>>)
// The query row, in registers.
// CHECK:           scf.if {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK:             memref.load %[[QB]]
// The key loop carries m, l and dv accumulators.
// CHECK:           scf.for {{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK:             memref.load %[[KB]]
// CHECK:             memref.store {{.*}}, %[[KS]]
// CHECK:             memref.load %[[VB]]
// CHECK:             memref.store {{.*}}, %[[VS]]
// CHECK:             gpu.barrier
// CHECK:             scf.for
// CHECK:               memref.load %[[KS]]
// CHECK:               math.fma
// CHECK:               arith.cmpi ule
// CHECK:               memref.store {{.*}}, %[[S]][%[[TX]], {{.*}}]
// CHECK:               arith.maximumf
// CHECK:             math.exp
// CHECK:             scf.for
// CHECK:               memref.load %[[S]][%[[TX]], {{.*}}]
// CHECK:               math.exp
// CHECK:               memref.load %[[VS]]
// CHECK:               math.fma
// CHECK:             gpu.barrier
// CHECK:           memref.store {{.*}}, %[[OUT]]
// CHECK:           gpu.terminator
// CHECK:         %[[R:.+]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<2x4x8x8xf32> to tensor<2x4x8x8xf32>
// CHECK:         return %[[R]]
// CHECK-NOT:     attn.attend
// CHECK-NOT:     gpu.shuffle
func.func @causal(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x10x16xf32>, %v: tensor<2x4x10x8xf32>) -> tensor<2x4x8x8xf32> {
  %o = attn.attend %q, %k, %v causal
      : (tensor<2x4x8x16xf32>, tensor<2x4x10x16xf32>, tensor<2x4x10x8xf32>) -> tensor<2x4x8x8xf32>
  return %o : tensor<2x4x8x8xf32>
}

// -----
// Heads of 64: four threads per row (16 threads for block-q=4), each with 16
// query and 16 accumulator values; the quarters of each dot product are
// summed by a butterfly of two shuffles.
// CHECK-LABEL: func.func @threads_per_row(
// CHECK:         gpu.launch {{.*}} threads({{.*}}) in (%{{[^ ]+}} = %[[C16:[^,]+]], {{.*}}) function(@attn_attend_kernel)
// CHECK-SAME:        workgroup(%{{.+}} : memref<2x64xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<2x64xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<16x3xf32, #gpu.address_space<workgroup>>)
// CHECK:           scf.if {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK:           scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK:               %[[OTHER:[^,]+]], %{{.+}} = gpu.shuffle  xor %[[PART:[^,]+]], %[[C2:[^,]+]], %{{.+}} : f32
// CHECK-NEXT:          %[[SUM:.+]] = arith.addf %[[PART]], %[[OTHER]] : f32
// CHECK:               %[[OTHER2:[^,]+]], %{{.+}} = gpu.shuffle  xor %[[SUM]], %[[C1:[^,]+]], %{{.+}} : f32
// CHECK-NEXT:          arith.addf %[[SUM]], %[[OTHER2]] : f32
func.func @threads_per_row(%q: tensor<1x2x8x64xf32>, %k: tensor<1x2x8x64xf32>, %v: tensor<1x2x8x64xf32>) -> tensor<1x2x8x64xf32> {
  %o = attn.attend %q, %k, %v
      : (tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>, tensor<1x2x8x64xf32>) -> tensor<1x2x8x64xf32>
  return %o : tensor<1x2x8x64xf32>
}

// -----
// Dynamic B and T, and an i1 mask whose dynamic dims are checked against
// [B, H, Tq, Tk] on the host; masked logits become -inf.
// CHECK-LABEL: func.func @dynamic_i1_mask(
// CHECK:         %[[MB:.+]] = bufferization.to_buffer %{{.+}} read_only : tensor<?x1x1x?xi1> to memref<?x1x1x?xi1, strided<[?, ?, ?, ?], offset: ?>>
// CHECK:         cf.assert %{{.+}}, "attn mask dimension 0 does not match [B, H, Tq, Tk]; a dynamic mask dimension must not broadcast"
// CHECK:         cf.assert %{{.+}}, "attn mask dimension 3 does not match [B, H, Tq, Tk]; a dynamic mask dimension must not broadcast"
// CHECK:         memref.alloc(%{{.+}}, %{{.+}}) : memref<?x4x?x8xf32>
// CHECK:         gpu.launch
// CHECK:           %[[M:.+]] = scf.if %{{.+}} -> (i1) {
// CHECK-NEXT:        memref.load %[[MB]][{{.+}}] : memref<?x1x1x?xi1
// CHECK:           arith.select %[[M]], %{{.+}}, %{{.+}} : f32
// CHECK-NOT:     attn.attend
func.func @dynamic_i1_mask(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x?x16xf32>, %v: tensor<?x4x?x8xf32>, %mask: tensor<?x1x1x?xi1>) -> tensor<?x4x?x8xf32> {
  %o = attn.attend %q, %k, %v mask(%mask)
      : (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x4x?x8xf32>, tensor<?x1x1x?xi1>) -> tensor<?x4x?x8xf32>
  return %o : tensor<?x4x?x8xf32>
}

// -----
// An additive f32 mask of rank 2, broadcast over B and H, and a scale.
// CHECK-LABEL: func.func @f32_mask_rank2(
// CHECK:         gpu.launch
// CHECK:           %[[X:.+]] = arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK:           %[[M:.+]] = scf.if %{{.+}} -> (f32) {
// CHECK-NEXT:        memref.load %{{.+}}[%{{.+}}, %{{.+}}] : memref<8x10xf32, strided<[?, ?], offset: ?>>
// CHECK:           arith.addf %[[X]], %[[M]] : f32
// CHECK-NOT:     cf.assert
func.func @f32_mask_rank2(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x10x16xf32>, %v: tensor<2x4x10x8xf32>, %mask: tensor<8x10xf32>) -> tensor<2x4x8x8xf32> {
  %o = attn.attend %q, %k, %v mask(%mask) scale(5.000000e-01)
      : (tensor<2x4x8x16xf32>, tensor<2x4x10x16xf32>, tensor<2x4x10x8xf32>, tensor<8x10xf32>) -> tensor<2x4x8x8xf32>
  return %o : tensor<2x4x8x8xf32>
}

// -----
// negative_: a dynamic head width keeps attn.attend for convert-attn-to-linalg.
// CHECK-LABEL: func.func @negative_dynamic_head_width(
// CHECK:         attn.attend
// CHECK-NOT:     gpu.launch
func.func @negative_dynamic_head_width(%q: tensor<2x4x8x?xf32>, %k: tensor<2x4x10x?xf32>, %v: tensor<2x4x10x8xf32>) -> tensor<2x4x8x8xf32> {
  %o = attn.attend %q, %k, %v scale(2.500000e-01)
      : (tensor<2x4x8x?xf32>, tensor<2x4x10x?xf32>, tensor<2x4x10x8xf32>) -> tensor<2x4x8x8xf32>
  return %o : tensor<2x4x8x8xf32>
}

// -----
// f16 (and bf16) operands: read into f32 (the staged keys and values and
// the shared logits stay f32), the output rounded back to f16.
// CHECK-LABEL: func.func @f16(
// CHECK:         %[[OUT:.+]] = memref.alloc() : memref<2x4x8x8xf16>
// CHECK:         gpu.launch
// CHECK-SAME:      workgroup(%{{[^ ]+}} : memref<2x16xf32, #gpu.address_space<workgroup>>, %{{[^ ]+}} : memref<2x8xf32, #gpu.address_space<workgroup>>
// CHECK:           memref.load {{.*}} : memref<2x4x8x16xf16, strided
// CHECK:           arith.extf %{{.+}} : f16 to f32
// CHECK:           arith.truncf %{{.+}} : f32 to f16
// CHECK:           memref.store %{{.+}}, %[[OUT]]
// CHECK-NOT:     attn.attend
func.func @f16(%q: tensor<2x4x8x16xf16>, %k: tensor<2x4x10x16xf16>, %v: tensor<2x4x10x8xf16>) -> tensor<2x4x8x8xf16> {
  %o = attn.attend %q, %k, %v
      : (tensor<2x4x8x16xf16>, tensor<2x4x10x16xf16>, tensor<2x4x10x8xf16>) -> tensor<2x4x8x8xf16>
  return %o : tensor<2x4x8x8xf16>
}

// -----
// negative_: f64 keeps attn.attend (the kernel reads f32, f16 and bf16).
// CHECK-LABEL: func.func @negative_f64(
// CHECK:         attn.attend
// CHECK-NOT:     gpu.launch
func.func @negative_f64(%q: tensor<2x4x8x16xf64>, %k: tensor<2x4x10x16xf64>, %v: tensor<2x4x10x8xf64>) -> tensor<2x4x8x8xf64> {
  %o = attn.attend %q, %k, %v
      : (tensor<2x4x8x16xf64>, tensor<2x4x10x16xf64>, tensor<2x4x10x8xf64>) -> tensor<2x4x8x8xf64>
  return %o : tensor<2x4x8x8xf64>
}

// -----
// negative_: dk + dv = 576 exceeds max-head-width (512 by default); a larger
// limit lowers it, with 32 threads per row and 8 keys per step to fit in
// 48 KB of shared memory.
// CHECK-LABEL: func.func @negative_too_wide(
// CHECK:         attn.attend
// CHECK-NOT:     gpu.launch
// WIDE-LABEL:  func.func @negative_too_wide(
// WIDE:          gpu.launch {{.*}} workgroup(%{{.+}} : memref<8x288xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<8x288xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<512x9xf32, #gpu.address_space<workgroup>>)
// WIDE-NOT:      attn.attend
func.func @negative_too_wide(%q: tensor<1x2x8x288xf32>, %k: tensor<1x2x8x288xf32>, %v: tensor<1x2x8x288xf32>) -> tensor<1x2x8x288xf32> {
  %o = attn.attend %q, %k, %v
      : (tensor<1x2x8x288xf32>, tensor<1x2x8x288xf32>, tensor<1x2x8x288xf32>) -> tensor<1x2x8x288xf32>
  return %o : tensor<1x2x8x288xf32>
}
