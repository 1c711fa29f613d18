//===- ToMgk.cpp - TEMPORARY STUB, being implemented -----------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTOMGK
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

namespace {
struct AttnToMgkPass : public mlir::attn::impl::AttnToMgkBase<AttnToMgkPass> {
  using AttnToMgkBase::AttnToMgkBase;
  void runOnOperation() override {
    getOperation()->emitError("AttnToMgk is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
