//===- ToMhe.cpp - TEMPORARY STUB, being implemented -----------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTOMHE
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

namespace {
struct AttnToMhePass : public mlir::attn::impl::AttnToMheBase<AttnToMhePass> {
  using AttnToMheBase::AttnToMheBase;
  void runOnOperation() override {
    getOperation()->emitError("AttnToMhe is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
