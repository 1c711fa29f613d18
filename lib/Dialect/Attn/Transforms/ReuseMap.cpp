//===- ReuseMap.cpp - TEMPORARY STUB, being implemented -----------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNREUSEMAP
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

namespace {
struct AttnReuseMapPass : public mlir::attn::impl::AttnReuseMapBase<AttnReuseMapPass> {
  using AttnReuseMapBase::AttnReuseMapBase;
  void runOnOperation() override {
    getOperation()->emitError("AttnReuseMap is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
