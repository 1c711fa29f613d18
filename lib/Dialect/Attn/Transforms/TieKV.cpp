//===- TieKV.cpp - TEMPORARY STUB, being implemented -----------------------===//

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/Dialect/Attn/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTIEKV
#include "attn/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mlir::attn

namespace {
struct AttnTieKVPass : public mlir::attn::impl::AttnTieKVBase<AttnTieKVPass> {
  using AttnTieKVBase::AttnTieKVBase;
  void runOnOperation() override {
    getOperation()->emitError("AttnTieKV is not implemented yet");
    signalPassFailure();
  }
};
} // namespace
