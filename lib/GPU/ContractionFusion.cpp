//===- ContractionFusion.cpp - what the contraction kernel absorbs --------===//
//
// Finds, on buffers, the linalg ops around a tileable contraction that its
// kernel can compute instead of separate kernels (ContractionFusion in
// include/attn/GPU/Transforms.h):
//
//   P  (the initializer)  an all-parallel op that fully writes the
//                         contraction's output buffer C without reading it,
//                         just before the contraction: the bias broadcast
//                         (`linalg.broadcast ins(b) outs(C)`) or a fill.
//                         The kernel's epilogue computes P's value at each
//                         output point instead of loading C.
//   E  (the epilogue)     an all-parallel op just after the contraction that
//                         reads C, directly or through expand/collapse
//                         reshapes, with a permutation map: an activation,
//                         a residual add, a head transpose
//                         (`linalg.transpose ins(expand(C)) outs(D)`). Every
//                         output point of C is one point of E; the kernel
//                         evaluates E's payload on the value in registers
//                         and stores E's result.
//   producers             an all-parallel op before the contraction (and
//                         P) that fully writes the buffer an operand reads
//                         through reshapes, when nothing reads that buffer
//                         afterwards: the head merge before the output
//                         projection. The kernel evaluates it where it
//                         stages the operand.
//
// "Just before / after" means that only ops without memory effects (views,
// dims, index arithmetic) or with allocation effects only lie in between, so
// that no other op can observe C between P, the contraction and E. After E,
// C itself is stored only when something may read it later: it is not stored
// when C is a local allocation whose next use in the function is a full
// overwrite (the next projection's bias broadcast into the same buffer) or
// that has no later use.
//
//===----------------------------------------------------------------------===//

#include "attn/GPU/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace mlir::attn;

namespace {

/// The buffer `v` is a view of (through view-like ops), or `v`.
Value getRoot(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>()) {
    if (view.getViewSource() == v)
      break;
    v = view.getViewSource();
  }
  return v;
}

/// Ops that cannot read or write any buffer contents.
bool isTransparent(Operation *op) {
  if (isMemoryEffectFree(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects || op->getNumRegions() != 0)
    return false;
  SmallVector<MemoryEffects::EffectInstance> list;
  effects.getEffects(list);
  return llvm::all_of(list, [](const MemoryEffects::EffectInstance &e) {
    return isa<MemoryEffects::Allocate>(e.getEffect());
  });
}

/// The op before / after `op` in its block, skipping transparent ops.
Operation *neighbour(Operation *op, bool forward) {
  Operation *cur = forward ? op->getNextNode() : op->getPrevNode();
  while (cur && isTransparent(cur) && !cur->hasTrait<OpTrait::IsTerminator>())
    cur = forward ? cur->getNextNode() : cur->getPrevNode();
  return cur;
}

bool allParallel(linalg::LinalgOp op) {
  return llvm::all_of(op.getIteratorTypesArray(), [](utils::IteratorType t) {
    return t == utils::IteratorType::parallel;
  });
}

/// The chain of expand/collapse_shape ops from `from` to `to`, first op
/// first; failure when `to` is not such a view of `from`.
FailureOr<SmallVector<Operation *>> reshapeChain(Value from, Value to) {
  SmallVector<Operation *> chain;
  while (to != from) {
    Operation *def = to.getDefiningOp();
    if (auto expand = dyn_cast_or_null<memref::ExpandShapeOp>(def))
      to = expand.getSrc();
    else if (auto collapse = dyn_cast_or_null<memref::CollapseShapeOp>(def))
      to = collapse.getSrc();
    else
      return failure();
    chain.push_back(def);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

/// Whether `op` (a linalg op) writes all of `root`'s buffer without reading
/// it: all parallel, `root` only reached through one init of identity-like
/// (reshape) view with a permutation map, not used by the payload.
bool overwritesWithoutReading(linalg::LinalgOp op, Value root) {
  if (!op.hasPureBufferSemantics() || !allParallel(op))
    return false;
  bool writes = false;
  for (OpOperand &operand : op->getOpOperands()) {
    if (getRoot(operand.get()) != root)
      continue;
    if (!op.isDpsInit(&operand) || op.payloadUsesValueFromOperand(&operand) ||
        !op.getMatchingIndexingMap(&operand).isPermutation() ||
        failed(reshapeChain(root, operand.get())))
      return false;
    writes = true;
  }
  return writes;
}

/// Whether the contents of `buffer` after `last` are never read: a local
/// allocation of the function body whose next use after `last` overwrites
/// it all, or that has none.
bool isDeadAfter(Value buffer, Operation *last) {
  Value root = getRoot(buffer);
  auto alloc = root.getDefiningOp<memref::AllocOp>();
  Block *block = last->getBlock();
  if (!alloc || alloc->getBlock() != block ||
      !isa<func::FuncOp>(block->getParentOp()))
    return false;
  // Every op of the block that uses the buffer (through views, or inside
  // its regions).
  SmallVector<Value> worklist{root};
  SmallVector<Operation *> users;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      auto view = dyn_cast<ViewLikeOpInterface>(user);
      if (view && view.getViewSource() == v) {
        for (Value r : user->getResults())
          worklist.push_back(r);
        continue;
      }
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      if (!ancestor)
        return false;
      users.push_back(ancestor);
    }
  }
  Operation *next = nullptr;
  for (Operation *user : users)
    if (last->isBeforeInBlock(user) && (!next || user->isBeforeInBlock(next)))
      next = user;
  if (!next)
    return true;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(next);
  return linalgOp && overwritesWithoutReading(linalgOp, root);
}

/// Whether `op` can be P of `contraction`.
bool isFusableInit(linalg::LinalgOp op, linalg::LinalgOp contraction) {
  Value out = contraction.getDpsInitOperand(0)->get();
  if (!op || !op.hasPureBufferSemantics() || !allParallel(op) ||
      op.getNumDpsInits() != 1 || op.getDpsInitOperand(0)->get() != out)
    return false;
  OpOperand *init = op.getDpsInitOperand(0);
  if (op.payloadUsesValueFromOperand(init) ||
      !op.getMatchingIndexingMap(init).isPermutation())
    return false;
  // Its inputs must not be the buffer it initialises.
  Value root = getRoot(out);
  return llvm::none_of(op.getDpsInputOperands(), [&](OpOperand *input) {
    return getRoot(input->get()) == root;
  });
}

} // namespace

ContractionFusion mlir::attn::findContractionFusion(linalg::LinalgOp op) {
  ContractionFusion fusion;
  if (!isTileableContraction(op))
    return fusion;
  Value out = op.getDpsInitOperand(0)->get();
  Value root = getRoot(out);
  Value lhsRoot = getRoot(op.getDpsInputOperand(0)->get());
  Value rhsRoot = getRoot(op.getDpsInputOperand(1)->get());
  if (root == lhsRoot || root == rhsRoot)
    return fusion;

  if (auto prev = dyn_cast_or_null<linalg::LinalgOp>(neighbour(op, false));
      prev && isFusableInit(prev, op))
    fusion.init = prev;

  // The producer of an operand's buffer, just before (and before P).
  Operation *before = neighbour(fusion.init ? &*fusion.init : &*op, false);
  if (auto producer = dyn_cast_or_null<linalg::LinalgOp>(before);
      producer && producer.hasPureBufferSemantics() && allParallel(producer) &&
      producer.getNumDpsInits() == 1) {
    OpOperand *written = producer.getDpsInitOperand(0);
    Value buffer = written->get();
    for (int i = 0; i < 2; ++i) {
      Value operand = op.getDpsInputOperand(i)->get();
      FailureOr<SmallVector<Operation *>> chain =
          reshapeChain(buffer, operand);
      if (failed(chain) || getRoot(buffer) != buffer ||
          producer.payloadUsesValueFromOperand(written) ||
          !producer.getMatchingIndexingMap(written).isPermutation())
        continue;
      // Its inputs must not be its output, C, or read by P.
      bool safe = llvm::none_of(
          producer.getDpsInputOperands(), [&](OpOperand *input) {
            Value r = getRoot(input->get());
            return r == buffer || r == root;
          });
      if (fusion.init)
        safe &= llvm::none_of(fusion.init.getDpsInputOperands(),
                              [&](OpOperand *input) {
                                return getRoot(input->get()) == buffer;
                              });
      if (!safe || !isDeadAfter(buffer, op))
        continue;
      fusion.producers[i] = producer;
      fusion.producerReshapes[i] = std::move(*chain);
      break;
    }
  }

  auto next = dyn_cast_or_null<linalg::LinalgOp>(neighbour(op, true));
  if (!next || !next.hasPureBufferSemantics() || !allParallel(next) ||
      next.getNumDpsInits() != 1 || next->getBlock() != op->getBlock())
    return fusion;
  // Exactly one input of E reads C, through reshapes, with a permutation;
  // or none does and E updates C in place (its init, read by its payload).
  OpOperand *reads = nullptr;
  for (OpOperand *input : next.getDpsInputOperands()) {
    if (getRoot(input->get()) != root)
      continue;
    if (reads)
      return fusion;
    reads = input;
  }
  OpOperand *init = next.getDpsInitOperand(0);
  if (!reads && getRoot(init->get()) == root &&
      next.payloadUsesValueFromOperand(init))
    reads = init;
  if (!reads || !next.getMatchingIndexingMap(reads).isPermutation())
    return fusion;
  FailureOr<SmallVector<Operation *>> chain =
      reshapeChain(out, reads->get());
  if (failed(chain))
    return fusion;
  // E's output: C itself in place (the same view and map as its input), or
  // a buffer that no operand of the contraction or E reads.
  Value initRoot = getRoot(init->get());
  bool inPlace = false;
  if (initRoot == root) {
    if (init->get() != reads->get() ||
        next.getMatchingIndexingMap(init) != next.getMatchingIndexingMap(reads))
      return fusion;
    inPlace = true;
  } else {
    if (initRoot == lhsRoot || initRoot == rhsRoot)
      return fusion;
    for (OpOperand *input : next.getDpsInputOperands())
      if (getRoot(input->get()) == initRoot)
        return fusion;
  }
  fusion.epilogue = next;
  fusion.epilogueInput = reads->getOperandNumber();
  fusion.reshapes = std::move(*chain);
  fusion.storeResult = !inPlace && !isDeadAfter(out, next);
  return fusion;
}
