// RUN: attn-opt %s -split-input-file --attn-gpu-check-toolkit="format=isa toolkit=/nonexistent" -verify-diagnostics

// PTX that calls libdevice needs the toolkit's libdevice to be linked.
// expected-error @below {{the kernels call libdevice functions (__nv_*) but the CUDA toolkit '/nonexistent' has no nvvm/libdevice/libdevice.10.bc, so the PTX would not assemble; pass toolkit=<dir> to attn-nvvm-pipeline (or --cuda-toolkit to attn-compile) or set CUDA_HOME}}
module attributes {gpu.container_module} {
  gpu.module @kernels {
    llvm.func @__nv_expf(f32) -> f32
    llvm.func @k(%x: f32) attributes {gpu.kernel, nvvm.kernel} {
      %y = llvm.call @__nv_expf(%x) : (f32) -> f32
      llvm.return
    }
  }
}

// -----
// PTX without libdevice calls needs no toolkit.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k() kernel {
      gpu.return
    }
  }
}
