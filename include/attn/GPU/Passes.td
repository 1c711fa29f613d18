//===- Passes.td - passes of the GPU (NVVM) path -----------*- tablegen -*-===//
//
// The passes that take an attn model from linalg on buffers to kernels in
// gpu.launch ops with device-resident data. attn-nvvm-pipeline strings them
// together with upstream GPU passes (docs/gpu.md).
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_GPU_PASSES_TD
#define ATTN_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnGpuLowerAttend : Pass<"attn-gpu-lower-attend"> {
  let summary = "Lowers attn.attend to a fused online-softmax GPU kernel";
  let description = [{
    Replaces every `attn.attend` on f32, f16 or bf16 tensors (one type for
    all; f16 and bf16 are read into f32 and the output rounded back) whose
    head widths `dk` and
    `dv` are static (and `dk + dv <= max-head-width`) by one `gpu.launch`
    that makes one pass over the keys and values per query tile, the
    online-softmax (flash) algorithm:

    - a block owns `block-q` query rows of one (batch, head) pair; each row
      is owned by R consecutive threads (R = 1, 2, 4, ... so that every
      thread keeps at most `values-per-thread` (32) query and accumulator
      values in registers: R = 1 for heads of 16, 2 for 32, 4 for 64),
      thread `sub` of a row
      owning the head dimensions `sub + R * k`; the row keeps its running
      maximum `m`, denominator `l` and unnormalised output in registers;
    - per step the block stages `block-k` keys and values in shared memory
      (workgroup attributions, address space 3), coalesced (fewer keys when
      they would not fit in 48 KB), and every thread computes the row's
      logits (`scale * q k^T`, its part of the dot product summed over the
      row's threads with `gpu.shuffle xor`, then the mask, then the causal
      limit, as `convert-attn-to-linalg` orders them) into its own
      shared-memory row, rescales its state once by `exp(m - m')` and adds
      `exp(s - m') v`;
    - causal attention stops at the last key block the tile can see;
    - control flow is uniform across the block (rows past the end compute
      with a zero query and store nothing), as shuffles and barriers need;
    - a row whose keys are all masked gets 0, as on the CPU.

    The kernel works on buffers: the operands go through
    `bufferization.to_buffer` (read-only) and the result is a fresh
    allocation wrapped in `bufferization.to_tensor restrict writable`, which
    one-shot bufferization accepts. Run it on tensors, after
    `attn-bind-params` and before `convert-attn-to-linalg`, which lowers
    the `attn.attend` ops this pass leaves (other element types, dynamic or
    too wide heads) to the linalg online-softmax loop.

    Dynamic mask dimensions are checked against `[B, H, Tq, Tk]` at run time
    with `cf.assert`, like the linalg lowering.
  }];
  let options = [
    Option<"blockQ", "block-q", "int64_t", /*default=*/"64",
           "query rows (threads) per thread block">,
    Option<"blockK", "block-k", "int64_t", /*default=*/"32",
           "keys staged in shared memory per step">,
    Option<"valuesPerThread", "values-per-thread", "int64_t",
           /*default=*/"32",
           "query and accumulator values a thread keeps in registers; "
           "rows get more threads until theirs fit">,
    Option<"maxHeadWidth", "max-head-width", "int64_t", /*default=*/"512",
           "largest dk + dv of the fused kernel; wider heads use the linalg "
           "lowering">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def AttnGpuLowerLayerNorm : Pass<"attn-gpu-lower-layer-norm"> {
  let summary = "Lowers attn.layer_norm to one GPU kernel per call";
  let description = [{
    Replaces every `attn.layer_norm` on f32 tensors by one `gpu.launch` in
    which a thread block owns a row (the last dimension, N values): its
    threads sum the row with strided loads (coalesced), combine the sums in
    a shared-memory tree for the mean, do the same for the squared
    deviations (the biased variance, two passes as in
    `convert-attn-to-linalg`), and write
    `(x - mean) / sqrt(var + epsilon) * gamma + beta`. Through linalg the
    same LayerNorm is five kernels with four round trips through global
    memory. Blocks have the power of two of threads that covers N, 32 to
    256.

    Like `attn-gpu-lower-attend` it works on buffers (`bufferization.to_buffer`
    of the operands, a fresh allocation wrapped in `bufferization.to_tensor
    restrict writable`); run it on tensors before `convert-attn-to-linalg`,
    which lowers what it leaves (other element types).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def AttnGpuMapLinalg : Pass<"attn-gpu-map-linalg", "::mlir::func::FuncOp"> {
  let summary = "Maps every linalg op on buffers to a GPU kernel in gpu.launch";
  let description = [{
    Runs on bufferized host functions and leaves no linalg op behind:

    - A contraction (a `linalg.matmul`, `linalg.batch_matmul` or
      `linalg.generic` whose body is a multiply-add, as
      `linalg::isaContractionOpInterface` decides) with at least one M and
      one N dimension becomes a tiled kernel: every thread block computes a
      `64 x 64` tile of the output (M and N are the products of the op's M
      and N loop dimensions, so a fused `[B, T, H, d]` projection is one
      GEMM), staging `16 x 64` tiles of both operands in shared memory
      (workgroup attributions) per step of K, each of its 256 threads
      accumulating a `4 x 4` micro-tile in registers. Partial tiles are
      zero-filled. Disabled with `tile-contractions=false`.
      With `mma=f16|bf16|tf32` (f32 contractions, sm_80 or newer) the
      products run on tensor cores: the operands are converted to the mma
      type where they are staged in shared memory, each of the 8 warps
      computes four `m16n8` tiles with `mma.sync` (`nvgpu.mma.sync` for
      f16 and tf32, `nvvm.mma.sync` for bf16, which MLIR 22's nvgpu
      lowering cannot type), accumulating in f32.
    - The kernel of a contraction also computes, in its epilogue (registers
      -> optional ops -> global store), the all-parallel op just before it
      that initialises its output without reading it (the bias broadcast of
      a projection, a fill) and the all-parallel op just after it that reads
      its output, directly or through expand/collapse_shape, with a
      permutation map (an activation, a residual add, the transpose that
      splits heads). The output itself is then stored only if something may
      still read it. Likewise an all-parallel op before it that writes the
      whole buffer one of its operands reads (through reshapes), with
      nothing reading that buffer later (the head merge before the output
      projection), is evaluated where the kernel stages that operand.
      Disabled with `fuse-epilogues=false`.
    - A reduction with one output and an associative combiner
      (`out = combine(out, g(inputs))`, combine one of addf, mulf,
      maximumf, minimumf, maxnumf, minnumf: the statistics of LayerNorm,
      the max and sum of a softmax row; not a contraction) becomes one block
      of 256 threads per output point: each thread reduces a strided part
      of the row (loads coalesce), then a tree in shared memory combines
      the 256 partial results. Disabled with `block-reductions=false`.
    - Every other op (element-wise generics, fills, transposes, other
      reductions) becomes one thread per
      point of its parallel iteration space (a 1-D grid of
      `threads-per-block` blocks, the innermost dimension fastest so that
      stores coalesce); the thread runs the reduction loops itself,
      accumulating in registers, and stores once.
    - A `memref.copy` between buffers that are not both contiguous becomes
      a copy kernel; contiguous copies stay for `attn-gpu-device-buffers`,
      which turns them into `gpu.memcpy`.

    Launch sizes come from the op's loop bounds at run time, so dynamic
    batch and sequence lengths work; an empty iteration space launches one
    block that does nothing.
  }];
  let options = [
    Option<"threadsPerBlock", "threads-per-block", "int64_t",
           /*default=*/"256", "threads per block of the element-wise kernels">,
    Option<"tileContractions", "tile-contractions", "bool",
           /*default=*/"true",
           "use the shared-memory tiled kernel for contractions">,
    Option<"blockReductions", "block-reductions", "bool", /*default=*/"true",
           "one thread block per output point of a reduction with an "
           "associative combiner, with a shared-memory tree">,
    Option<"mma", "mma", "std::string", /*default=*/"\"none\"",
           "tensor cores for the tiled contractions (sm_80 or newer): none "
           "(f32 FMA), f16, bf16 or tf32 operands with f32 accumulation">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "compute the output's initialiser and an element-wise consumer "
           "in the tiled contraction kernel">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def AttnGpuDeviceBuffers : Pass<"attn-gpu-device-buffers", "::mlir::func::FuncOp"> {
  let summary = "Puts the data of host functions in device memory";
  let description = [{
    After `attn-gpu-map-linalg` all arithmetic runs in kernels; this pass
    makes the buffers they touch device memory, so that the compiled entry
    point keeps the CPU ABI (host pointers in, a host buffer out):

    - every `memref.alloc` of host code becomes `gpu.alloc`, every
      `memref.dealloc` `gpu.dealloc`, every `memref.copy` (contiguous, see
      `attn-gpu-map-linalg`) `gpu.memcpy`;
    - every memref argument the function reads is copied to a device buffer
      at entry (`gpu.alloc` + `gpu.memcpy`);
    - every constant (`memref.get_global`) that a kernel reads is copied to
      a device buffer where it is read;
    - every returned memref is copied to a fresh host buffer
      (`memref.alloc` + `gpu.memcpy`), which the caller owns.

    With `resident-params`, the argument that `attn-bind-params` packed the
    parameters into (`attn_model.params`) is taken to be device memory
    already and is not copied; the function is marked
    `attn_model.device_params`, which tells `attn-compile` that the model
    runtime must pass a device copy of the parameters (which it keeps
    between calls and refreshes after `attn_model_set_param`).

    It fails with an error on host code that still reads or writes buffer
    contents outside a kernel (for example a `memref.load`), on a `memref.alloca`,
    and on arguments or results that are not contiguous.
    Deallocation of the device buffers is left to
    `buffer-deallocation-pipeline` and `attn-gpu-device-deallocs`.
  }];
  let options = [
    Option<"residentParams", "resident-params", "bool", /*default=*/"false",
           "Take the packed-parameter argument (attn_model.params) as "
           "device memory instead of copying it at every call">,
  ];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def AttnGpuDeviceDeallocs : Pass<"attn-gpu-device-deallocs", "::mlir::func::FuncOp"> {
  let summary = "Frees device buffers with gpu.dealloc";
  let description = [{
    `buffer-deallocation-pipeline` frees every buffer with `memref.dealloc`,
    also those that `attn-gpu-device-buffers` allocated with `gpu.alloc`.
    After `attn-gpu-device-buffers` the only host allocations left in a
    function are the results it returns (never freed there) and the lists
    that the deallocation lowering itself allocates; so this pass rewrites
    every `memref.dealloc` into `gpu.dealloc` unless its operand comes
    (through casts and views) from a `memref.alloc`.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def AttnGpuEmulateOnCpu : Pass<"attn-gpu-emulate-on-cpu", "::mlir::ModuleOp"> {
  let summary = "Runs gpu.launch kernels on the CPU, one OpenMP team per block";
  let description = [{
    A testing aid for machines without a GPU: replaces every `gpu.launch` by
    a sequential loop over its blocks; each block allocates its workgroup
    buffers on the heap and runs the kernel body in an `omp.parallel` team
    of exactly as many threads as the block has (`omp_get_thread_num` is
    the linear thread id), with `gpu.barrier` as `omp.barrier`. Kernels
    therefore run with real concurrency and synchronisation, so that the
    numerics of the kernels that attn-gpu-map-linalg and
    attn-gpu-lower-attend build can be compared with the CPU lowering on
    the CPU. A team that OpenMP cannot make as large as the block fails a
    run-time check instead of computing wrong numbers.

    Run it on buffers with host memory (after `attn-gpu-map-linalg`, instead
    of `attn-gpu-device-buffers`), then lower to LLVM as for the CPU, and run
    with libomp (`OMP_WAIT_POLICY=passive` keeps 256-thread teams on a few
    cores fast). Kernels may use `gpu.barrier`, f32 `gpu.shuffle` (through a
    per-block buffer between two barriers, so every thread of the block
    must execute it, as every lane of a warp must on a GPU), the f16
    m16n8k16 and tf32 m16n8k8 `nvgpu.mma.sync` of the tensor-core
    contraction kernel (each warp's A and B assembled from the lanes'
    fragments in per-block buffers by the PTX ISA's fragment layouts, the
    products and sums in f32, tf32 operands truncated to 10 mantissa
    bits; every thread must execute it too), block and
    thread ids and sizes of the launch, and workgroup buffers only through
    loads and stores.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::cf::ControlFlowDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::omp::OpenMPDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def AttnGpuMergeKernelModules : Pass<"attn-gpu-merge-kernel-modules", "::mlir::ModuleOp"> {
  let summary = "Puts every outlined kernel into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` makes one `gpu.module` per kernel, so a model of
    a few dozen kernels becomes as many GPU binaries, each compiled by its
    own ptxas run and loaded by its own `cuModuleLoadData` when the model
    library is loaded. This pass moves every kernel into one module named
    `module-name`, each kernel renamed after the module it came from (which
    outlining made unique, e.g. `attn_generic_kernel_7`), and updates the
    `gpu.launch_func` ops. Modules with targets or non-kernel contents are
    left alone.
  }];
  let options = [
    Option<"moduleName", "module-name", "std::string",
           /*default=*/"\"attn_kernels\"", "name of the merged gpu.module">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def AttnGpuCheckToolkit : Pass<"attn-gpu-check-toolkit", "::mlir::ModuleOp"> {
  let summary = "Checks that gpu-module-to-binary will find the CUDA toolkit";
  let description = [{
    Run before `gpu-module-to-binary`. `format=bin` and `format=fatbin` run
    ptxas (and fatbinary) from the toolkit; `format=isa` needs the toolkit's
    libdevice when a kernel calls a `__nv_*` math function, else the PTX
    keeps unresolved calls. The pass fails with an error that names the
    `toolkit` option and `CUDA_HOME` when what the format needs is missing.
    `toolkit` is the directory to check (attn-nvvm-pipeline passes the one
    it resolved; empty means none was found).
  }];
  let options = [
    Option<"toolkit", "toolkit", "std::string", /*default=*/"\"\"",
           "CUDA toolkit directory (empty: none found)">,
    Option<"format", "format", "std::string", /*default=*/"\"fatbin\"",
           "gpu-module-to-binary format: isa, bin or fatbin">,
  ];
}

#endif // ATTN_GPU_PASSES_TD
