//===- Passes.h - attn conversion passes ------------------------*- C++ -*-===//

#ifndef ATTN_CONVERSION_ATTNTOLINALG_PASSES_H
#define ATTN_CONVERSION_ATTNTOLINALG_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::attn {

#define GEN_PASS_DECL
#include "attn/Conversion/AttnToLinalg/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "attn/Conversion/AttnToLinalg/Passes.h.inc"

} // namespace mlir::attn

#endif // ATTN_CONVERSION_ATTNTOLINALG_PASSES_H
