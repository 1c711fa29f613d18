//===- Passes.h - passes of the GPU (NVVM) path -----------------*- C++ -*-===//

#ifndef ATTN_GPU_PASSES_H
#define ATTN_GPU_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::attn {

#define GEN_PASS_DECL
#include "attn/GPU/Passes.h.inc"

/// Attaches the memory effects that upstream buffer deallocation needs to
/// GPU ops that declare none (gpu.launch_func reads and writes its buffer
/// operands). attn-gpu-device-buffers adds them to its context.
void registerGpuBufferDeallocationModels(DialectRegistry &registry);

#define GEN_PASS_REGISTRATION
#include "attn/GPU/Passes.h.inc"

} // namespace mlir::attn

#endif // ATTN_GPU_PASSES_H
