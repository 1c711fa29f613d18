//===- SubstituteFF.cpp - TEMPORARY STUB, being implemented -----------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNSUBSTITUTEFF
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

namespace {
struct AttnSubstituteFFPass : public mlir::attn::impl::AttnSubstituteFFBase<AttnSubstituteFFPass> {
  using AttnSubstituteFFBase::AttnSubstituteFFBase;
  void runOnOperation() override {
    getOperation()->emitError("AttnSubstituteFF is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
