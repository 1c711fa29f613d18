//===- OpenMPLoops.cpp - loop nests ready for convert-scf-to-openmp -------===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNPARALLELIZEOUTERLOOPS
#define GEN_PASS_DEF_ATTNINLINEALLOCASCOPES
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// Replaces `op` (no results, no reductions) by a nest of scf.for.
void sequentialize(scf::ParallelOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Value> ivs;
  for (auto [lb, ub, step] :
       llvm::zip(op.getLowerBound(), op.getUpperBound(), op.getStep())) {
    auto loop = scf::ForOp::create(b, loc, lb, ub, step);
    ivs.push_back(loop.getInductionVar());
    b.setInsertionPoint(loop.getBody()->getTerminator());
  }
  IRMapping mapping;
  mapping.map(op.getInductionVars(), ivs);
  for (Operation &inner : op.getBody()->without_terminator())
    b.clone(inner, mapping);
  op.erase();
}

struct ParallelizeOuterLoopsPass
    : public mlir::attn::impl::AttnParallelizeOuterLoopsBase<
          ParallelizeOuterLoopsPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> nested;
    getOperation()->walk([&](scf::ParallelOp op) {
      if (op->getParentOfType<scf::ParallelOp>() && op.getNumResults() == 0)
        nested.push_back(op);
    });
    // Innermost first, so that no erased loop is visited again.
    for (scf::ParallelOp op : llvm::reverse(nested))
      sequentialize(op);
  }
};

struct InlineAllocaScopesPass
    : public mlir::attn::impl::AttnInlineAllocaScopesBase<
          InlineAllocaScopesPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaScopeOp> scopes;
    getOperation()->walk([&](memref::AllocaScopeOp op) {
      bool allocates = false;
      op.getBodyRegion().walk([&](memref::AllocaOp alloca) {
        allocates |= alloca->getParentOfType<memref::AllocaScopeOp>() == op;
      });
      if (!allocates && op.getBodyRegion().hasOneBlock())
        scopes.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (memref::AllocaScopeOp op : scopes) {
      Block &body = op.getBodyRegion().front();
      auto ret = cast<memref::AllocaScopeReturnOp>(body.getTerminator());
      SmallVector<Value> results(ret.getResults());
      rewriter.eraseOp(ret);
      rewriter.inlineBlockBefore(&body, op);
      rewriter.replaceOp(op, results);
    }
  }
};
} // namespace
