//===- EarlyDeallocs.cpp - each buffer freed after its last use -----------===//
//
// MLIR's ownership-based deallocation frees a block's buffers at the end of
// the block. In a layer function that keeps every temporary of the layer
// live until it returns; in a reuse group's function, every temporary of
// all its layers. The runtime's workspace could otherwise hand the buffer
// of one op, still in cache, to the next. This pass moves each
// unconditional memref.dealloc of a buffer allocated in the same block to
// just after the block's last op that uses the buffer or a view of it. See
// Passes.td.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Block.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNEARLYDEALLOCS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// The op of `block` after which `buffer` is no longer used, or null when
/// that cannot be told: a value derived from it (a view, a loop result, a
/// pointer) leaves through the block's terminator.
Operation *lastUse(Value buffer, Operation *dealloc) {
  Block *block = dealloc->getBlock();
  // The buffer and every value derived from it by an op that uses it.
  llvm::SetVector<Value> aliases;
  aliases.insert(buffer);
  Operation *last = buffer.getDefiningOp();
  for (unsigned i = 0; i < aliases.size(); ++i) {
    for (OpOperand &use : aliases[i].getUses()) {
      Operation *user = use.getOwner();
      if (user == dealloc)
        continue;
      Operation *inBlock = block->findAncestorOpInBlock(*user);
      if (!inBlock || inBlock == block->getTerminator())
        return nullptr;
      if (last->isBeforeInBlock(inBlock))
        last = inBlock;
      // What a nested terminator yields aliases the results of its parent.
      Operation *aliasing =
          user->hasTrait<OpTrait::IsTerminator>() ? user->getParentOp() : user;
      // Every result, not only memrefs: a pointer taken as an index
      // (memref.extract_aligned_pointer_as_index) must not outlive the
      // buffer either.
      for (Value result : aliasing->getResults())
        aliases.insert(result);
    }
  }
  return last;
}

struct EarlyDeallocsPass
    : public mlir::attn::impl::AttnEarlyDeallocsBase<EarlyDeallocsPass> {
  void runOnOperation() override {
    SmallVector<memref::DeallocOp> deallocs;
    getOperation()->walk([&](memref::DeallocOp dealloc) {
      auto alloc = dealloc.getMemref().getDefiningOp<memref::AllocOp>();
      if (alloc && alloc->getBlock() == dealloc->getBlock())
        deallocs.push_back(dealloc);
    });
    for (memref::DeallocOp dealloc : deallocs) {
      Operation *last = lastUse(dealloc.getMemref(), dealloc);
      if (last && last->isBeforeInBlock(dealloc))
        dealloc->moveAfter(last);
    }
  }
};
} // namespace
