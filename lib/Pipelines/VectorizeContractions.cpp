//===- VectorizeContractions.cpp - register-tiled vector contractions -----===//
//
// Rewrites linalg contractions on buffers whose output and right operand
// share a static, contiguous innermost dim into register-tiled vector code.
// See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "BufferLoops.h"
#include "ContractionEpilogue.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNVECTORIZECONTRACTIONS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using mlir::attn::indicesOf;
using mlir::attn::innermostContiguous;

namespace {
constexpr int64_t kLanes = attn::kF32Lanes;

/// A contraction `C[..] += A[..] * B[..]` in the form the kernel handles.
struct Contraction {
  linalg::GenericOp op;
  Value a, b, c;
  AffineMap aMap, bMap, cMap;
  /// Loop dims: the tiled row dim (an M dim, innermost of C's M dims), the
  /// vectorized column dim (innermost of B and C), the reduction dims, and
  /// every other dim (looped around the tile).
  unsigned row, col;
  SmallVector<unsigned> reductions, others;
  int64_t colSize;
  /// Non-empty when the kernel reads `B` transposed by this permutation
  /// (`bMap` is already the map of the transposed copy).
  SmallVector<int64_t> bPermutation;
  /// The linalg.fill (of `initScalar`) or linalg.broadcast (of the row
  /// vector `initRow`, along every dim of C but the last) that writes all of
  /// C right before the contraction: the kernel starts its accumulators
  /// from it instead of storing C and loading it back, and it is erased.
  Operation *init = nullptr;
  Value initScalar, initRow;
  /// An element-wise generic right after the contraction that reads C
  /// (once per element, as an input or as its own output) and writes its
  /// output where C is: the kernel applies it to the accumulators and
  /// stores its result instead of C (ContractionEpilogue.h).
  linalg::GenericOp epilogue;
};

std::optional<unsigned> innermostDim(AffineMap map) {
  if (map.getNumResults() == 0)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!dim)
    return std::nullopt;
  return dim.getPosition();
}

/// The fill or row broadcast that initialises `c.c` just before `c.op`.
void findInit(Contraction &c) {
  Operation *prev = c.op->getPrevNode();
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(prev)) {
    if (fill.hasPureBufferSemantics() &&
        fill.getDpsInitOperand(0)->get() == c.c &&
        fill.getInputs()[0].getType().isF32()) {
      c.init = fill;
      c.initScalar = fill.getInputs()[0];
    }
    return;
  }
  auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(prev);
  if (!broadcast || !broadcast.hasPureBufferSemantics() ||
      broadcast.getInit() != c.c)
    return;
  Value row = broadcast.getInput();
  auto rowType = cast<MemRefType>(row.getType());
  int64_t rank = cast<MemRefType>(c.c.getType()).getRank();
  if (rowType.getRank() != 1 || !innermostContiguous(row) ||
      !llvm::equal(broadcast.getDimensions(), llvm::seq<int64_t>(0, rank - 1)))
    return;
  c.init = broadcast;
  c.initRow = row;
}

std::optional<Contraction> match(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  for (Value v : op->getOperands())
    if (!cast<MemRefType>(v.getType()).getElementType().isF32())
      return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.empty())
    return std::nullopt;
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isProjectedPermutation())
      return std::nullopt;

  Contraction c;
  c.op = op;
  c.c = op.getDpsInitOperand(0)->get();
  c.cMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  // B is the input that holds the N dims.
  OpOperand *in0 = op.getDpsInputOperand(0), *in1 = op.getDpsInputOperand(1);
  bool swap = !op.getMatchingIndexingMap(in1).isFunctionOfDim(dims->n.front());
  OpOperand *aOp = swap ? in1 : in0, *bOp = swap ? in0 : in1;
  c.a = aOp->get();
  c.b = bOp->get();
  c.aMap = op.getMatchingIndexingMap(aOp);
  c.bMap = op.getMatchingIndexingMap(bOp);

  std::optional<unsigned> cInner = innermostDim(c.cMap);
  std::optional<unsigned> bInner = innermostDim(c.bMap);
  if (!cInner || !llvm::is_contained(dims->n, *cInner) ||
      !innermostContiguous(c.c))
    return std::nullopt;
  // `B` contiguous along a reduction dim with the column dim further out
  // (q k^T): the kernel reads a transposed copy of `B` (see rewrite).
  if (bInner && cInner != bInner && llvm::is_contained(dims->k, *bInner) &&
      c.bMap.getNumResults() >= 2) {
    unsigned last = c.bMap.getNumResults() - 1;
    std::optional<unsigned> colPos =
        c.bMap.getResultPosition(getAffineDimExpr(*cInner, op.getContext()));
    if (!colPos)
      return std::nullopt;
    c.bPermutation = llvm::to_vector(llvm::seq<int64_t>(0, last + 1));
    std::swap(c.bPermutation[*colPos], c.bPermutation[last]);
    SmallVector<AffineExpr> exprs(c.bMap.getResults());
    std::swap(exprs[*colPos], exprs[last]);
    c.bMap = AffineMap::get(c.bMap.getNumDims(), 0, exprs, op.getContext());
    bInner = cInner;
  }
  if (cInner != bInner ||
      (c.bPermutation.empty() && !innermostContiguous(c.b)))
    return std::nullopt;
  c.col = *cInner;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // A dynamic or ragged column dim ends in masked vectors.
  c.colSize = ranges[c.col];
  // The row dim: the M dim that comes last in C.
  std::optional<unsigned> row;
  for (AffineExpr e : c.cMap.getResults()) {
    unsigned d = cast<AffineDimExpr>(e).getPosition();
    if (llvm::is_contained(dims->m, d))
      row = d;
  }
  if (!row)
    return std::nullopt;
  c.row = *row;
  c.reductions.assign(dims->k.begin(), dims->k.end());
  for (unsigned d = 0, e = op.getNumLoops(); d < e; ++d)
    if (d != c.row && d != c.col && !llvm::is_contained(c.reductions, d))
      c.others.push_back(d);
  return c;
}

/// Emits the register tile of `c` for the rows `rowIdx` and the `vecs`
/// column vectors starting at `col0`; `mask` (with `vecs` == 1) limits a
/// last, partial column vector.
void emitColumnTile(OpBuilder &b, Location loc, const Contraction &c,
                    SmallVector<Value> dimValues, ArrayRef<Value> rowIdx,
                    Value col0, int64_t vecs, Value mask, ArrayRef<Value> lbs,
                    ArrayRef<Value> ubs) {
  auto vecType = VectorType::get({kLanes}, b.getF32Type());
  int64_t rows = rowIdx.size();
  Value zeroVec;
  if (mask)
    zeroVec = arith::ConstantOp::create(
        b, loc, vecType, DenseElementsAttr::get(vecType, b.getF32FloatAttr(0)));
  auto load = [&](OpBuilder &nb, Location nloc, Value base,
                  ValueRange indices) -> Value {
    if (mask)
      return vector::MaskedLoadOp::create(nb, nloc, vecType, base, indices,
                                          mask, zeroVec);
    return vector::LoadOp::create(nb, nloc, vecType, base, indices);
  };
  SmallVector<Value> colIdx;
  for (int64_t j = 0; j < vecs; ++j)
    colIdx.push_back(j == 0 ? col0
                            : arith::AddIOp::create(
                                  b, loc, col0,
                                  arith::ConstantIndexOp::create(
                                      b, loc, j * kLanes)));

  // Accumulators: the C tile, or what its fill or row broadcast would have
  // stored there (C's last index is the column).
  SmallVector<Value> acc;
  Value filled;
  if (c.initScalar)
    filled = vector::BroadcastOp::create(b, loc, vecType, c.initScalar);
  SmallVector<Value> rowInit;
  for (int64_t j = 0; c.initRow && j < vecs; ++j)
    rowInit.push_back(load(b, loc, c.initRow, ValueRange{colIdx[j]}));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < vecs; ++j) {
      dimValues[c.row] = rowIdx[i];
      dimValues[c.col] = colIdx[j];
      if (filled)
        acc.push_back(filled);
      else if (c.initRow)
        acc.push_back(rowInit[j]);
      else
        acc.push_back(load(b, loc, c.c, indicesOf(c.cMap, dimValues)));
    }

  SmallVector<Value> kLbs, kUbs, kSteps;
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (unsigned d : c.reductions) {
    kLbs.push_back(lbs[d]);
    kUbs.push_back(ubs[d]);
    kSteps.push_back(one);
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, kLbs, kUbs, kSteps, acc,
      [&](OpBuilder &nb, Location nloc, ValueRange ivs, ValueRange iter) {
        SmallVector<Value> dv = dimValues;
        for (auto [d, iv] : llvm::zip(c.reductions, ivs))
          dv[d] = iv;
        SmallVector<Value> bVecs;
        for (int64_t j = 0; j < vecs; ++j) {
          dv[c.col] = colIdx[j];
          bVecs.push_back(load(nb, nloc, c.b, indicesOf(c.bMap, dv)));
        }
        scf::ValueVector next;
        for (int64_t i = 0; i < rows; ++i) {
          dv[c.row] = rowIdx[i];
          Value a = memref::LoadOp::create(nb, nloc, c.a, indicesOf(c.aMap, dv));
          Value aVec = vector::BroadcastOp::create(nb, nloc, vecType, a);
          for (int64_t j = 0; j < vecs; ++j)
            next.push_back(vector::FMAOp::create(nb, nloc, aVec, bVecs[j],
                                                 iter[i * vecs + j]));
        }
        return next;
      });
  ValueRange results = nest.loops.empty() ? ValueRange(acc)
                                          : nest.loops.front()->getResults();
  linalg::GenericOp epilogue = c.epilogue;
  Value dest = epilogue ? epilogue.getDpsInitOperand(0)->get() : c.c;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < vecs; ++j) {
      dimValues[c.row] = rowIdx[i];
      dimValues[c.col] = colIdx[j];
      SmallVector<Value> indices = indicesOf(c.cMap, dimValues);
      Value result = results[i * vecs + j];
      if (epilogue)
        result = attn::applyContractionEpilogue(b, loc, epilogue, c.c, result,
                                                indices, load);
      if (mask)
        vector::MaskedStoreOp::create(b, loc, dest, indices, mask, result);
      else
        vector::StoreOp::create(b, loc, result, dest, indices);
    }
}

/// Emits the kernel of `c` for the rows [rowLb, rowUb) (a multiple of
/// `rows` of them): for every column tile, a loop over the row tiles, so that
/// the column panel of `B` stays in cache across them. `dimValues` holds the
/// other dims' ivs. Columns that do not fill a tile (a dynamic or ragged
/// column dim) run one masked vector at a time.
void emitTile(OpBuilder &b, Location loc, const Contraction &c,
              SmallVector<Value> dimValues, Value rowLb, Value rowUb,
              int64_t rows, ArrayRef<Value> lbs, ArrayRef<Value> ubs) {
  bool staticCols = !ShapedType::isDynamic(c.colSize);
  int64_t vecs = 4;
  if (staticCols && c.colSize % kLanes == 0)
    vecs = (c.colSize / kLanes) % 4 == 0   ? 4
           : (c.colSize / kLanes) % 2 == 0 ? 2
                                           : 1;
  int64_t tileCols = vecs * kLanes;
  bool ragged = !staticCols || c.colSize % tileCols != 0;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value colEnd = staticCols
                     ? arith::ConstantIndexOp::create(b, loc, c.colSize)
                           .getResult()
                     : arith::SubIOp::create(b, loc, ubs[c.col], lbs[c.col])
                           .getResult();
  Value colStep = arith::ConstantIndexOp::create(b, loc, tileCols);
  Value rowStep = arith::ConstantIndexOp::create(b, loc, rows);
  Value mainEnd = colEnd;
  if (ragged)
    mainEnd = arith::SubIOp::create(
        b, loc, colEnd, arith::RemUIOp::create(b, loc, colEnd, colStep));
  // The row tiles of one column tile.
  auto rowTiles = [&](Value col0, int64_t tileVecs, Value mask) {
    auto rowLoop = scf::ForOp::create(b, loc, rowLb, rowUb, rowStep);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(rowLoop.getBody()->getTerminator());
    Value row0 = rowLoop.getInductionVar();
    SmallVector<Value> rowIdx;
    for (int64_t i = 0; i < rows; ++i)
      rowIdx.push_back(i == 0 ? row0
                              : arith::AddIOp::create(
                                    b, loc, row0,
                                    arith::ConstantIndexOp::create(b, loc, i)));
    emitColumnTile(b, loc, c, dimValues, rowIdx, col0, tileVecs, mask, lbs,
                   ubs);
  };
  {
    auto colLoop = scf::ForOp::create(b, loc, zero, mainEnd, colStep);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(colLoop.getBody()->getTerminator());
    rowTiles(colLoop.getInductionVar(), vecs, Value());
  }
  if (!ragged)
    return;
  auto tail = scf::ForOp::create(
      b, loc, mainEnd, colEnd, arith::ConstantIndexOp::create(b, loc, kLanes));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(tail.getBody()->getTerminator());
  Value left = arith::SubIOp::create(b, loc, colEnd, tail.getInductionVar());
  Value mask = vector::CreateMaskOp::create(
      b, loc, VectorType::get({kLanes}, b.getI1Type()), ValueRange{left});
  rowTiles(tail.getInductionVar(), 1, mask);
}

void rewrite(Contraction c, int64_t rows, int64_t blockRows, bool parallel,
             int64_t threads) {
  linalg::GenericOp op = c.op;
  OpBuilder b(op);
  Location loc = op.getLoc();
  // A `B` contiguous along the reduction (q k^T) is copied transposed into
  // a buffer of its own first (a linalg.transpose, lowered with the other
  // linalg ops): O(K * N) copies for O(M * K * N) multiply-adds, and the
  // kernel then reads whole column vectors. The pass runs after the
  // deallocation pipeline, so it frees the copy itself.
  Value transposed;
  if (!c.bPermutation.empty()) {
    auto type = cast<MemRefType>(c.b.getType());
    SmallVector<int64_t> shape;
    SmallVector<Value> dynamic;
    for (int64_t i : c.bPermutation) {
      shape.push_back(type.getDimSize(i));
      if (type.isDynamicDim(i))
        dynamic.push_back(memref::DimOp::create(b, loc, c.b, i));
    }
    auto copyType = MemRefType::get(shape, type.getElementType());
    transposed = memref::AllocOp::create(b, loc, copyType, dynamic,
                                         b.getI64IntegerAttr(64));
    linalg::TransposeOp::create(b, loc, c.b, transposed, c.bPermutation);
    c.b = transposed;
  }
  SmallVector<Range, 4> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  SmallVector<Value> lbs, ubs;
  for (Range r : ranges) {
    lbs.push_back(getValueOrCreateConstantIndexOp(b, loc, r.offset));
    ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, r.size));
  }
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> oLbs, oUbs, oSteps;
  for (unsigned d : c.others) {
    oLbs.push_back(lbs[d]);
    oUbs.push_back(ubs[d]);
    oSteps.push_back(one);
  }
  unsigned numLoops = op.getNumLoops();
  // Rows of a block: a multiple of the register tile.
  blockRows = std::max(rows, blockRows - blockRows % rows);
  bool shares = parallel && threads > 1;
  // The rows of C at `dimValues` (the other dims' ivs): with `thread`, only
  // that thread's share of the row tiles, and the last thread also takes
  // the rows that do not fill a tile.
  auto emitRows = [&](OpBuilder &nb, Location nloc,
                      SmallVector<Value> dimValues, Value thread) {
    // Rows: blocks of `blockRows` (whole register tiles; the last block
    // may be smaller), then the rows that do not fill a tile, one at a
    // time.
    Value size = arith::SubIOp::create(nb, nloc, ubs[c.row], lbs[c.row]);
    Value tile = arith::ConstantIndexOp::create(nb, nloc, rows);
    Value rem = arith::RemUIOp::create(nb, nloc, size, tile);
    Value mainEnd = arith::SubIOp::create(nb, nloc, ubs[c.row], rem);
    Value block = arith::ConstantIndexOp::create(nb, nloc, blockRows);
    // Blocks of `block` rows from `start`, up to `end`.
    auto blocks = [&](OpBuilder &bb, Value start, Value end) {
      auto loop = scf::ForOp::create(bb, nloc, start, end, block);
      OpBuilder::InsertionGuard guard(bb);
      bb.setInsertionPoint(loop.getBody()->getTerminator());
      Value from = loop.getInductionVar();
      Value to = arith::MinUIOp::create(
          bb, nloc, arith::AddIOp::create(bb, nloc, from, block), end);
      emitTile(bb, nloc, c, dimValues, from, to, rows, lbs, ubs);
    };
    // The last rows: tiles of half the rows (a single-row tile does rows x
    // less work per load of B), then single rows.
    auto tail = [&](OpBuilder &bb) {
      Value tailStart = mainEnd;
      int64_t half = rows / 2;
      if (half > 1) {
        Value halfTile = arith::ConstantIndexOp::create(bb, nloc, half);
        Value halfEnd = arith::SubIOp::create(
            bb, nloc, ubs[c.row],
            arith::RemUIOp::create(
                bb, nloc, arith::SubIOp::create(bb, nloc, ubs[c.row], mainEnd),
                halfTile));
        emitTile(bb, nloc, c, dimValues, mainEnd, halfEnd, half, lbs, ubs);
        tailStart = halfEnd;
      }
      emitTile(bb, nloc, c, dimValues, tailStart, ubs[c.row], 1, lbs, ubs);
    };
    if (thread) {
      // One contiguous share of whole row tiles per thread (shares differ
      // by at most one tile), cut into blocks: equal-sized blocks spread
      // over the threads in order leave up to a block's worth of rows more
      // to one thread.
      Value tiles = arith::DivUIOp::create(
          nb, nloc, arith::SubIOp::create(nb, nloc, mainEnd, lbs[c.row]), tile);
      Value numThreads = arith::ConstantIndexOp::create(nb, nloc, threads);
      Value share = arith::MulIOp::create(
          nb, nloc, arith::CeilDivUIOp::create(nb, nloc, tiles, numThreads),
          tile);
      Value offset = arith::MulIOp::create(nb, nloc, thread, share);
      Value start = arith::MinUIOp::create(
          nb, nloc, arith::AddIOp::create(nb, nloc, lbs[c.row], offset),
          mainEnd);
      Value end = arith::MinUIOp::create(
          nb, nloc, arith::AddIOp::create(nb, nloc, start, share), mainEnd);
      blocks(nb, start, end);
      Value last = arith::CmpIOp::create(
          nb, nloc, arith::CmpIPredicate::eq, thread,
          arith::ConstantIndexOp::create(nb, nloc, threads - 1));
      auto ifLast = scf::IfOp::create(nb, nloc, last, /*withElse=*/false);
      OpBuilder::InsertionGuard guard(nb);
      nb.setInsertionPoint(ifLast.thenBlock()->getTerminator());
      tail(nb);
      return;
    }
    if (parallel) {
      auto loop =
          scf::ParallelOp::create(nb, nloc, ValueRange{lbs[c.row]},
                                  ValueRange{mainEnd}, ValueRange{block});
      OpBuilder::InsertionGuard guard(nb);
      nb.setInsertionPoint(loop.getBody()->getTerminator());
      Value from = loop.getInductionVars()[0];
      Value to = arith::MinUIOp::create(
          nb, nloc, arith::AddIOp::create(nb, nloc, from, block), mainEnd);
      emitTile(nb, nloc, c, dimValues, from, to, rows, lbs, ubs);
    } else {
      blocks(nb, lbs[c.row], mainEnd);
    }
    tail(nb);
  };
  if (shares) {
    // One parallel loop over the other dims (the heads of a batch matmul)
    // and the threads' shares of each: one fork and join for all of them.
    SmallVector<Value> pLbs(oLbs), pUbs(oUbs), pSteps(oSteps);
    pLbs.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    pUbs.push_back(arith::ConstantIndexOp::create(b, loc, threads));
    pSteps.push_back(one);
    auto loop = scf::ParallelOp::create(b, loc, pLbs, pUbs, pSteps);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    SmallVector<Value> ivs(loop.getInductionVars());
    SmallVector<Value> dimValues(numLoops);
    for (auto [d, iv] : llvm::zip(c.others, ArrayRef<Value>(ivs).drop_back()))
      dimValues[d] = iv;
    emitRows(b, loc, dimValues, ivs.back());
  } else {
    scf::buildLoopNest(b, loc, oLbs, oUbs, oSteps,
                       [&](OpBuilder &nb, Location nloc, ValueRange ivs) {
                         SmallVector<Value> dimValues(numLoops);
                         for (auto [d, iv] : llvm::zip(c.others, ivs))
                           dimValues[d] = iv;
                         emitRows(nb, nloc, dimValues, Value());
                       });
  }
  if (transposed)
    memref::DeallocOp::create(b, loc, transposed);
  op.erase();
  if (c.init)
    c.init->erase();
  if (c.epilogue) {
    bool inPlace = c.epilogue.getDpsInitOperand(0)->get() == c.c;
    c.epilogue->erase();
    // C was replaced by the epilogue's output: nothing reads it any more.
    if (!inPlace) {
      for (Operation *user : llvm::make_early_inc_range(c.c.getUsers()))
        user->erase();
      c.c.getDefiningOp()->erase();
    }
  }
}

struct VectorizeContractionsPass
    : public mlir::attn::impl::AttnVectorizeContractionsBase<
          VectorizeContractionsPass> {
  using AttnVectorizeContractionsBase::AttnVectorizeContractionsBase;

  void runOnOperation() override {
    if (rows < 1 || rows > 8) {
      getOperation()->emitError("attn-vectorize-contractions: rows must be "
                                "between 1 and 8");
      return signalPassFailure();
    }
    SmallVector<Contraction, 4> found;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (std::optional<Contraction> c = match(op)) {
        findInit(*c);
        found.push_back(*c);
      }
    });
    // Not during the walk: an epilogue's allocations move before its
    // contraction, where the walk would visit them again.
    if (epilogues)
      for (Contraction &c : found)
        c.epilogue = attn::findContractionEpilogue(c.op, c.c, c.init);
    for (const Contraction &c : found) {
      // Inside a parallel loop (attention's query blocks) the loop over row
      // blocks would run sequentially anyway, and shares per thread would
      // only read `B` once per share.
      bool nested = c.op->getParentOfType<scf::ForallOp>() ||
                    c.op->getParentOfType<scf::ParallelOp>();
      rewrite(c, rows, blockRows, parallel && !nested, threads);
    }
  }
};
} // namespace
