// RUN: attn-opt %s --attn-gpu-check-toolkit="format=ptx" -verify-diagnostics

// The formats are those of gpu-module-to-binary for NVVM.
// expected-error @below {{unknown GPU binary format 'ptx' (isa, bin or fatbin)}}
module {
}
