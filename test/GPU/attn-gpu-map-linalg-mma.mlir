// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg="mma=f16" --canonicalize | FileCheck %s --check-prefix=F16
// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg="mma=bf16" --canonicalize | FileCheck %s --check-prefix=BF16
// RUN: attn-opt %s -split-input-file --attn-gpu-map-linalg="mma=tf32" --canonicalize | FileCheck %s --check-prefix=TF32

// The tiled contraction on tensor cores: the f32 operands are converted
// where they are staged in shared memory (f16 / bf16 tiles; tf32 keeps f32
// tiles), and each of the 8 warps issues four m16n8 mma.sync per K step of
// 16 (two K steps of 8 for tf32), accumulating in f32; the epilogue is the
// f32 one. f16 and tf32 use nvgpu.mma.sync, bf16 nvvm.mma.sync (MLIR 22's
// nvgpu lowering cannot type a bf16 mma).
// F16-LABEL: func.func @matmul(
// F16:         gpu.launch {{.*}} function(@attn_contraction_mma_f16_kernel)
// F16-SAME:        workgroup(%[[AS:[^ ]+]] : memref<16x65xf16, #gpu.address_space<workgroup>>, %[[BS:[^ ]+]] : memref<16x65xf16, #gpu.address_space<workgroup>>)
// F16:           scf.for {{.*}} -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// F16:             %[[H:.+]] = arith.truncf %{{.+}} : f32 to f16
// F16:             memref.store %[[H]], %[[AS]]
// F16:             gpu.barrier
// F16:             %[[A:.+]] = vector.from_elements {{.*}} : vector<4x2xf16>
// F16:             %[[B:.+]] = vector.from_elements {{.*}} : vector<2x2xf16>
// F16:             %[[C:.+]] = vector.from_elements {{.*}} : vector<2x2xf32>
// F16:             nvgpu.mma.sync(%[[A]], %[[B]], %[[C]]) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// F16-COUNT-3:     nvgpu.mma.sync
// F16-NOT:         nvgpu.mma.sync
// F16:             gpu.barrier
// F16:           scf.if
// F16:             memref.load
// F16:             arith.addf
// F16-NOT:     linalg.
// BF16-LABEL: func.func @matmul(
// BF16:         function(@attn_contraction_mma_bf16_kernel)
// BF16-SAME:        workgroup(%{{[^ ]+}} : memref<16x65xbf16, #gpu.address_space<workgroup>>, %{{[^ ]+}} : memref<16x65xbf16, #gpu.address_space<workgroup>>)
// BF16:             arith.truncf %{{.+}} : f32 to bf16
// BF16:             vector.bitcast %{{.+}} : vector<2xbf16> to vector<1xi32>
// BF16:             nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// BF16-COUNT-3:     nvvm.mma.sync
// BF16:             llvm.extractvalue
// TF32-LABEL: func.func @matmul(
// TF32:         function(@attn_contraction_mma_tf32_kernel)
// TF32-SAME:        workgroup(%{{[^ ]+}} : memref<16x65xf32, #gpu.address_space<workgroup>>, %{{[^ ]+}} : memref<16x65xf32, #gpu.address_space<workgroup>>)
// TF32-NOT:         arith.truncf
// TF32:             nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled} : (vector<4x1xf32>, vector<2x1xf32>, vector<2x2xf32>) -> vector<2x2xf32>
// TF32-COUNT-7:     nvgpu.mma.sync
// TF32-NOT:         nvgpu.mma.sync
func.func @matmul(%a: memref<?x64xf32>, %b: memref<64x48xf32>, %c: memref<?x48xf32>) {
  linalg.matmul ins(%a, %b : memref<?x64xf32>, memref<64x48xf32>) outs(%c : memref<?x48xf32>)
  return
}

// -----
// negative: f16 operands keep the FMA kernel (the tensor-core kernel takes
// f32 contractions and converts them itself).
// F16-LABEL: func.func @negative_f16_operands(
// F16:         function(@attn_contraction_kernel)
// F16-NOT:     mma.sync
func.func @negative_f16_operands(%a: memref<32x64xf16>, %b: memref<64x48xf16>, %c: memref<32x48xf16>) {
  linalg.matmul ins(%a, %b : memref<32x64xf16>, memref<64x48xf16>) outs(%c : memref<32x48xf16>)
  return
}
