//===- Toolkit.h - finding the CUDA toolkit ---------------------*- C++ -*-===//

#ifndef ATTN_GPU_TOOLKIT_H
#define ATTN_GPU_TOOLKIT_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::attn {

/// The CUDA toolkit directory that GPU compilation uses: `explicitPath` when
/// it is not empty (even if it does not exist, so that the caller can say
/// so), else the first existing directory among $CUDA_HOME, $CUDA_ROOT,
/// $CUDA_PATH, the toolkit CMake found when attn-mlir was configured and
/// /usr/local/cuda. Empty when there is none.
std::string resolveCudaToolkit(llvm::StringRef explicitPath = {});

/// What a `gpu-module-to-binary` format needs from the toolkit that
/// `toolkit` lacks, as a sentence; empty when nothing is missing.
/// `needsLibdevice`: whether kernels call libdevice (`__nv_*`) functions.
std::string missingFromCudaToolkit(llvm::StringRef toolkit,
                                   llvm::StringRef format, bool needsLibdevice);

} // namespace mlir::attn

#endif // ATTN_GPU_TOOLKIT_H
