//===- ContractionEpilogue.cpp - element-wise ops in contraction tiles ----===//
//
// The epilogues of attn-vectorize-contractions: an element-wise generic
// right after a contraction, applied to the register tiles before they are
// stored. See ContractionEpilogue.h and Passes.td.
//
//===----------------------------------------------------------------------===//

#include "ContractionEpilogue.h"
#include "BufferLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using mlir::attn::indicesOf;
using mlir::attn::innermostContiguous;

namespace {
/// How the epilogue reads one of its inputs at a tile of C.
enum class EpilogueRead {
  Result,  ///< C itself: the accumulator
  Columns, ///< along C's columns (a bias): a vector at the column
  Row,     ///< constant along a row (row sums): a broadcast scalar
};

/// How the epilogue reads `operand`, given that its loops are C's dims.
std::optional<EpilogueRead> epilogueRead(linalg::GenericOp epilogue,
                                         OpOperand &operand, Value c) {
  AffineMap map = epilogue.getMatchingIndexingMap(&operand);
  unsigned col = epilogue.getNumLoops() - 1;
  if (operand.get() == c)
    return map.isIdentity() ? std::optional(EpilogueRead::Result)
                            : std::nullopt;
  if (!map.isProjectedPermutation())
    return std::nullopt;
  if (!map.isFunctionOfDim(col))
    return EpilogueRead::Row;
  auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (last && last.getPosition() == col && innermostContiguous(operand.get()))
    return EpilogueRead::Columns;
  return std::nullopt;
}
} // namespace

linalg::GenericOp attn::findContractionEpilogue(linalg::GenericOp contraction,
                                                Value c, Operation *init) {
  unsigned rank = cast<MemRefType>(c.getType()).getRank();
  SmallVector<Operation *> between;
  Operation *next = contraction->getNextNode();
  for (; next && !isa<linalg::GenericOp>(next); next = next->getNextNode()) {
    auto dealloc = dyn_cast<memref::DeallocOp>(next);
    if (dealloc && dealloc.getMemref() != c)
      continue;
    if (!isa<memref::AllocOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
             memref::SubViewOp, memref::DimOp, arith::ConstantOp>(next))
      return {};
    if (llvm::is_contained(next->getOperands(), c))
      return {};
    between.push_back(next);
  }
  auto g = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!g || !g.hasPureBufferSemantics() || g.getNumDpsInits() != 1 ||
      g.getNumLoops() != rank || g.getNumParallelLoops() != g.getNumLoops() ||
      !llvm::all_of(g.getBlock()->getOperations(), [](Operation &op) {
        return attn::isVectorizablePayload(op) && !isa<linalg::IndexOp>(op);
      }))
    return {};
  OpOperand *out = g.getDpsInitOperand(0);
  Value y = out->get();
  if (!g.getMatchingIndexingMap(out).isIdentity() || !innermostContiguous(y) ||
      cast<MemRefType>(y.getType()).getShape() !=
          cast<MemRefType>(c.getType()).getShape())
    return {};
  bool inPlace = y == c;
  // C is read exactly once: as the output (in place) or as one input.
  unsigned reads = inPlace && !g.getMatchingBlockArgument(out).use_empty();
  for (OpOperand *in : g.getDpsInputOperands()) {
    std::optional<EpilogueRead> read = epilogueRead(g, *in, c);
    if (!read)
      return {};
    reads += *read == EpilogueRead::Result;
  }
  if (reads != 1 || (!inPlace && !g.getMatchingBlockArgument(out).use_empty()))
    return {};
  // Replacing C by the output, C must have no other reader, and the
  // kernel writes the output, so that must be a buffer of its own.
  if (!inPlace) {
    if (!c.getDefiningOp<memref::AllocOp>() ||
        !llvm::all_of(c.getUsers(), [&](Operation *user) {
          return user == contraction || user == init || user == g ||
                 isa<memref::DeallocOp>(user);
        }))
      return {};
    // ... that nothing reads before the epilogue writes it: the tiles
    // write it while the contraction still reads its operands.
    if (!y.getDefiningOp<memref::AllocOp>() ||
        llvm::any_of(y.getUsers(), [&](Operation *user) {
          Operation *at = g->getBlock()->findAncestorOpInBlock(*user);
          return user != g && !isa<memref::DeallocOp>(user) &&
                 (!at || at->isBeforeInBlock(g));
        }))
      return {};
  }
  // What moves before the contraction must depend on nothing after it.
  for (Operation *op : between)
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp();
          def && def->getBlock() == contraction->getBlock() &&
          contraction->isBeforeInBlock(def) &&
          !llvm::is_contained(between, def))
        return {};
  for (Operation *op : between)
    op->moveBefore(contraction);
  return g;
}

Value attn::applyContractionEpilogue(
    OpBuilder &b, Location loc, linalg::GenericOp g, Value c, Value acc,
    ArrayRef<Value> indices,
    function_ref<Value(OpBuilder &, Location, Value, ValueRange)> load) {
  IRMapping map;
  for (OpOperand &operand : g->getOpOperands()) {
    BlockArgument arg = g.getMatchingBlockArgument(&operand);
    if (arg.use_empty())
      continue;
    if (g.isDpsInit(&operand)) {
      map.map(arg, acc); // in place: the output is C
      continue;
    }
    SmallVector<Value> at =
        indicesOf(g.getMatchingIndexingMap(&operand), indices);
    switch (*epilogueRead(g, operand, c)) {
    case EpilogueRead::Result:
      map.map(arg, acc);
      break;
    case EpilogueRead::Columns:
      map.map(arg, load(b, loc, operand.get(), at));
      break;
    case EpilogueRead::Row:
      map.map(arg,
              attn::toLanes(b, loc,
                            memref::LoadOp::create(b, loc, operand.get(), at)));
      break;
    }
  }
  for (Operation &payload : g.getBlock()->without_terminator())
    attn::cloneOnVectors(b, loc, payload, map);
  Value yielded = g.getBlock()->getTerminator()->getOperand(0);
  return attn::toLanes(b, loc, map.lookupOrDefault(yielded));
}
