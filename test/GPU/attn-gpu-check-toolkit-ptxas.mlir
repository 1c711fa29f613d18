// RUN: attn-opt %s -split-input-file --attn-gpu-check-toolkit="format=bin toolkit=/nonexistent" -verify-diagnostics

// A cubin needs ptxas from the toolkit.
// expected-error @below {{format=bin needs ptxas but the CUDA toolkit '/nonexistent' has no bin/ptxas; pass toolkit=<dir> to attn-nvvm-pipeline (or --cuda-toolkit to attn-compile) or set CUDA_HOME}}
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k() kernel {
      gpu.return
    }
  }
}

// -----
// Without kernels there is nothing to compile and nothing to check.
module {
  func.func @host() {
    return
  }
}
