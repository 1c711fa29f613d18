//===- FuseAttend.cpp - TEMPORARY STUB, being implemented -----------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNFUSEATTEND
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

namespace {
struct AttnFuseAttendPass : public mlir::attn::impl::AttnFuseAttendBase<AttnFuseAttendPass> {
  using AttnFuseAttendBase::AttnFuseAttendBase;
  void runOnOperation() override {
    getOperation()->emitError("AttnFuseAttend is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
