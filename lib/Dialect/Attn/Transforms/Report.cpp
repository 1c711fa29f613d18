//===- Report.cpp - TEMPORARY STUB, being implemented -----------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNREPORT
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

namespace {
struct AttnReportPass : public mlir::attn::impl::AttnReportBase<AttnReportPass> {
  using AttnReportBase::AttnReportBase;
  void runOnOperation() override {
    getOperation()->emitError("AttnReport is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
