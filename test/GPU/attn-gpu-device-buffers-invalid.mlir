// RUN: attn-opt %s -split-input-file --attn-gpu-device-buffers -verify-diagnostics

// Host code may not read what kernels use.
func.func @host_load(%x: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @below {{host code accesses the contents of a buffer that GPU kernels use; only kernels may (map it with attn-gpu-map-linalg first)}}
  %v = memref.load %x[%c0] : memref<4xf32>
  return %v : f32
}

// -----
// Stack buffers cannot be shared with kernels.
func.func @alloca() {
  // expected-error @below {{a stack buffer in host code cannot be shared with GPU kernels}}
  %a = memref.alloca() : memref<4xf32>
  return
}

// -----
// gpu.memcpy copies one contiguous block.
func.func @strided_copy(%x: memref<4xf32, strided<[2]>>, %y: memref<4xf32>) {
  // expected-error @below {{a copy between buffers that are not both contiguous must be a kernel (map it with attn-gpu-map-linalg first)}}
  memref.copy %x, %y : memref<4xf32, strided<[2]>> to memref<4xf32>
  return
}

// -----
// Arguments are copied as one block: they must be contiguous.
// expected-error @below {{argument #0 must be a contiguous buffer to be copied to the GPU, got 'memref<4xf32, strided<[2]>>'}}
func.func @strided_argument(%x: memref<4xf32, strided<[2]>>) {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %x[%tx] : memref<4xf32, strided<[2]>>
    memref.store %v, %x[%tx] : memref<4xf32, strided<[2]>>
    gpu.terminator
  }
  return
}

// -----
// The result is copied to the caller as one block: it must be contiguous.
func.func @strided_result(%x: memref<8xf32>) -> memref<4xf32, strided<[2]>> {
  %s = memref.subview %x[0] [4] [2] : memref<8xf32> to memref<4xf32, strided<[2]>>
  // expected-error @below {{result #0 must be a contiguous buffer to be copied from the GPU, got 'memref<4xf32, strided<[2]>>'}}
  return %s : memref<4xf32, strided<[2]>>
}
