// The phases of attn-nvvm-pipeline on a causal self-attention layer with a
// residual and a LayerNorm (dynamic T). None needs the CUDA toolkit; the
// last phase (GPU binary) is tested with ptxas in ptxas-ops.mlir.
//
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=linalg" | FileCheck %s --check-prefix=LINALG
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=linalg fuse-attend=false" | FileCheck %s --check-prefix=UNFUSED
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=bufferized" | FileCheck %s --check-prefix=BUFFERIZED
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=gpu" | FileCheck %s --check-prefix=GPU
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=gpu tile-contractions=false" | FileCheck %s --check-prefix=UNTILED
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=kernels" | FileCheck %s --check-prefix=KERNELS
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=nvvm chip=sm_80" | FileCheck %s --check-prefix=NVVM
// RUN: attn-opt %s --attn-nvvm-pipeline="stop-after=nvvm chip=sm_80 mma=f16" | FileCheck %s --check-prefix=MMA

// linalg: parameters bound, attention already the fused kernel (on buffers
// of the tensors), everything else linalg on tensors.
// LINALG-LABEL: func.func @forward(
// LINALG-SAME:      %{{.+}}: tensor<4160xf32> {attn_model.params, bufferization.writable = false}, %{{.+}}: tensor<1x?x32xf32> {bufferization.writable = false}) -> tensor<1x?x32xf32>
// LINALG:         linalg.matmul
// LINALG:         gpu.launch {{.*}} function(@attn_attend_kernel)
// LINALG:         bufferization.to_tensor {{.*}} restrict writable
// LINALG:         linalg.generic
// The LayerNorm is one kernel too (attn-gpu-lower-layer-norm).
// LINALG:         gpu.launch {{.*}} function(@attn_layer_norm_kernel)
// LINALG-NOT:     attn.
// LINALG-NOT:     ml_program.

// Without the fused kernel attention is the linalg online-softmax loop.
// UNFUSED-LABEL: func.func @forward(
// UNFUSED:         scf.for
// UNFUSED:           linalg.generic
// UNFUSED-NOT:     function(@attn_attend_kernel)

// bufferized: linalg on memrefs, nothing freed yet.
// BUFFERIZED-LABEL: func.func @forward(
// BUFFERIZED-SAME:      memref<4160xf32>
// BUFFERIZED:         linalg.generic {{.*}} outs(%{{.+}} : memref<
// BUFFERIZED-NOT:     memref.dealloc
// BUFFERIZED-NOT:     tensor<

// gpu: every op a kernel, data in device memory, the result copied back.
// The parameters are device memory already (resident-params, the default:
// the model runtime keeps a device copy); the input is copied at entry.
// GPU-LABEL: func.func @forward(
// GPU-SAME:      %[[P:[^:]+]]: memref<4160xf32> {attn_model.params}, %[[X:[^:]+]]: memref<1x?x32xf32>) -> memref<1x?x32xf32>
// GPU-SAME:      attributes {attn_model.device_params
// GPU-NOT:     gpu.memcpy %{{.+}}, %[[P]]
// GPU:         %[[DX:.+]] = gpu.alloc (%{{.+}}) : memref<1x?x32xf32>
// GPU:         gpu.memcpy %[[DX]], %[[X]]
// The Q, K and V projections are tiled contractions that split the heads
// in their epilogue (the transposes are not kernels of their own).
// GPU:         gpu.launch {{.*}} function(@attn_contraction_transpose_kernel) workgroup(%{{.+}} : memref<16x65xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<16x65xf32, #gpu.address_space<workgroup>>)
// GPU:         gpu.launch {{.*}} function(@attn_attend_kernel) workgroup(%{{.+}} : memref<32x16xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<32x16xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<64x33xf32, #gpu.address_space<workgroup>>)
// GPU:         %[[H:.+]] = memref.alloc(%{{.+}}) : memref<1x?x32xf32>
// GPU:         gpu.memcpy %[[H]], %{{.+}}
// GPU:         return %[[H]]
// GPU-NOT:     linalg.

// Without tiling, contractions are one thread per output with a K loop.
// UNTILED-LABEL: func.func @forward(
// UNTILED:         gpu.launch {{.*}} function(@attn_generic_kernel) {
// UNTILED-NOT:     attn_contraction

// kernels: outlined into one gpu.module, launched asynchronously on a
// stream, buffers freed.
// KERNELS:       module attributes {{{.*}}gpu.container_module
// KERNELS-LABEL: func.func @forward(
// KERNELS:         %[[T0:.+]] = gpu.wait async
// KERNELS:         gpu.alloc async [%[[T0]]]
// KERNELS:         gpu.launch_func async [%{{.+}}] @attn_kernels::@attn_contraction_transpose_kernel
// KERNELS:         gpu.launch_func async [%{{.+}}] @attn_kernels::@attn_attend_kernel blocks in (%{{.+}}, %{{.+}}, %{{.+}}) threads in (%[[C64:[^,]+]], %{{.+}}, %{{.+}})
// KERNELS:         gpu.dealloc async
// KERNELS:         gpu.wait [%{{.+}}]
// KERNELS:         return
// KERNELS:       gpu.module @attn_kernels {
// KERNELS:         gpu.func @attn_contraction_transpose_kernel({{.*}}) workgroup(%{{.+}} : memref<16x65xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<16x65xf32, #gpu.address_space<workgroup>>) kernel attributes {known_block_size = array<i32: 256, 1, 1>}
// KERNELS:         gpu.func @attn_attend_kernel({{.*}}) workgroup({{.*}}) kernel attributes {known_block_size = array<i32: 64, 1, 1>}
// KERNELS:           gpu.barrier
// KERNELS:           math.exp
// KERNELS-NOT:   gpu.module

// nvvm: the kernels in the NVVM dialect for the chosen chip, shared memory
// as address space 3 globals.
// NVVM:       gpu.module @attn_kernels [#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">] {
// NVVM:         llvm.mlir.global internal @__wg_attn_attend_kernel_0() {addr_space = 3 : i32} : !llvm.array<512 x f32>
// NVVM:         llvm.func @__nv_expf(f32) -> f32
// NVVM:         llvm.func @attn_attend_kernel({{.*}}) attributes {gpu.kernel, gpu.known_block_size = array<i32: 64, 1, 1>, nvvm.kernel, nvvm.maxntid = array<i32: 64, 1, 1>}
// NVVM:           llvm.mlir.addressof @__wg_attn_attend_kernel_0 : !llvm.ptr<3>
// NVVM:           nvvm.read.ptx.sreg.ctaid.x
// NVVM:           nvvm.read.ptx.sreg.tid.x
// NVVM:           nvvm.barrier0
// NVVM:           llvm.call @__nv_expf
// NVVM:           nvvm.barrier0

ml_program.global private @wq(#ml_program.extern : tensor<32x32xf32>) : tensor<32x32xf32>
ml_program.global private @wk(#ml_program.extern : tensor<32x32xf32>) : tensor<32x32xf32>
ml_program.global private @wv(#ml_program.extern : tensor<32x32xf32>) : tensor<32x32xf32>
ml_program.global private @wo(#ml_program.extern : tensor<32x32xf32>) : tensor<32x32xf32>
ml_program.global private @gamma(#ml_program.extern : tensor<32xf32>) : tensor<32xf32>
ml_program.global private @beta(#ml_program.extern : tensor<32xf32>) : tensor<32xf32>
func.func @forward(%x: tensor<1x?x32xf32>) -> tensor<1x?x32xf32> {
  %wq = ml_program.global_load_const @wq : tensor<32x32xf32>
  %wk = ml_program.global_load_const @wk : tensor<32x32xf32>
  %wv = ml_program.global_load_const @wv : tensor<32x32xf32>
  %wo = ml_program.global_load_const @wo : tensor<32x32xf32>
  %g = ml_program.global_load_const @gamma : tensor<32xf32>
  %b = ml_program.global_load_const @beta : tensor<32xf32>
  %a = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(2) causal
      : (tensor<1x?x32xf32>, tensor<1x?x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<1x?x32xf32>
  %r = arith.addf %x, %a : tensor<1x?x32xf32>
  %y = attn.layer_norm %r, %g, %b : (tensor<1x?x32xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x?x32xf32>
  return %y : tensor<1x?x32xf32>
}

// mma=f16: the projections' nvgpu.mma.sync are nvvm.mma.sync on f16 pairs
// in the NVVM phase (convert-nvgpu-to-nvvm in the gpu.module).
// MMA: llvm.func @attn_contraction_mma_f16_transpose_kernel(
// MMA:   nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// MMA-NOT: nvgpu.
