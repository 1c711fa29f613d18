//===- VectorizeTransposes.cpp - 16x16 register transposes ----------------===//
//
// Rewrites linalg.transpose ops on f32 buffers that swap the two innermost
// dims (attention's keys, transposed once for the score kernels) into tiles
// of 16 row loads, an in-register transpose and 16 row stores. See
// Passes.td.
//
//===----------------------------------------------------------------------===//

#include "BufferLoops.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNVECTORIZETRANSPOSES
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using mlir::attn::innermostContiguous;

namespace {
/// A tile is one AVX-512 register of f32 per row: the upstream 16x16
/// shuffle lowering transposes it in 64 shuffles.
constexpr int64_t kTile = attn::kF32Lanes;

/// Whether `perm` keeps every dim but the two innermost, which it swaps.
bool swapsInnermostDims(ArrayRef<int64_t> perm) {
  int64_t rank = perm.size();
  if (rank < 2)
    return false;
  for (int64_t d = 0; d < rank - 2; ++d)
    if (perm[d] != d)
      return false;
  return perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2;
}

bool isTileTranspose(linalg::TransposeOp op) {
  if (!op.hasPureBufferSemantics() || !swapsInnermostDims(op.getPermutation()))
    return false;
  auto type = cast<MemRefType>(op.getInput().getType());
  // Dims known to be shorter than a tile (a head of 8) fill no tile.
  for (int64_t size : type.getShape().take_back(2))
    if (!ShapedType::isDynamic(size) && size < kTile)
      return false;
  return type.getElementType().isF32() && innermostContiguous(op.getInput()) &&
         innermostContiguous(op.getInit());
}

/// `size` rounded down to whole tiles.
OpFoldResult wholeTiles(OpBuilder &b, Location loc, OpFoldResult size) {
  if (std::optional<int64_t> c = getConstantIntValue(size))
    return b.getIndexAttr(*c - *c % kTile);
  Value v = getValueOrCreateConstantIndexOp(b, loc, size);
  Value tile = arith::ConstantIndexOp::create(b, loc, kTile);
  return arith::SubIOp::create(b, loc, v,
                               arith::RemUIOp::create(b, loc, v, tile))
      .getResult();
}

/// One 16x16 tile: input rows [i, i+16) x columns [j, j+16) to output rows
/// [j, j+16) x columns [i, i+16). Returns the vector.transpose.
Operation *emitTile(OpBuilder &b, Location loc, Value in, Value out,
                    ValueRange outer, Value i, Value j) {
  auto rowType = VectorType::get({kTile}, b.getF32Type());
  auto tileType = VectorType::get({kTile, kTile}, b.getF32Type());
  auto at = [&](Value row, int64_t offset, Value col) {
    SmallVector<Value> indices(outer);
    indices.push_back(
        offset
            ? arith::AddIOp::create(
                  b, loc, row, arith::ConstantIndexOp::create(b, loc, offset))
                  .getResult()
            : row);
    indices.push_back(col);
    return indices;
  };
  Value tile =
      arith::ConstantOp::create(b, loc, tileType, b.getZeroAttr(tileType));
  for (int64_t r = 0; r < kTile; ++r) {
    Value row = vector::LoadOp::create(b, loc, rowType, in, at(i, r, j));
    tile = vector::InsertOp::create(b, loc, row, tile, r);
  }
  auto transposed =
      vector::TransposeOp::create(b, loc, tile, ArrayRef<int64_t>{1, 0});
  for (int64_t c = 0; c < kTile; ++c) {
    Value row = vector::ExtractOp::create(b, loc, transposed, c);
    vector::StoreOp::create(b, loc, row, out, at(j, c, i));
  }
  return transposed;
}

/// in[.., rowOffset : +rows, colOffset : +cols] transposed into the matching
/// part of out, as a linalg.transpose that the loop lowering handles.
void emitRest(OpBuilder &b, Location loc, linalg::TransposeOp op,
              ArrayRef<OpFoldResult> outerSizes, OpFoldResult rowOffset,
              OpFoldResult rows, OpFoldResult colOffset, OpFoldResult cols) {
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  SmallVector<OpFoldResult> offsets(outerSizes.size(), zero);
  SmallVector<OpFoldResult> sizes(outerSizes);
  SmallVector<OpFoldResult> strides(outerSizes.size() + 2, one);
  auto part = [&](Value source, OpFoldResult rowOff, OpFoldResult n,
                  OpFoldResult colOff, OpFoldResult m) {
    SmallVector<OpFoldResult> o(offsets), s(sizes);
    o.append({rowOff, colOff});
    s.append({n, m});
    return memref::SubViewOp::create(b, loc, source, o, s, strides);
  };
  Value input = part(op.getInput(), rowOffset, rows, colOffset, cols);
  Value init = part(op.getInit(), colOffset, cols, rowOffset, rows);
  linalg::TransposeOp::create(b, loc, input, init, op.getPermutation());
}

/// Rewrites `op`; appends the ops of its tiles to `tileOps`.
void rewrite(linalg::TransposeOp op, bool parallel,
             SmallVectorImpl<Operation *> &tileOps) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value in = op.getInput(), out = op.getInit();
  SmallVector<OpFoldResult> sizes = memref::getMixedSizes(b, loc, in);
  OpFoldResult cols = sizes.pop_back_val();
  OpFoldResult rows = sizes.pop_back_val();
  OpFoldResult rowsTiled = wholeTiles(b, loc, rows);
  OpFoldResult colsTiled = wholeTiles(b, loc, cols);

  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value tile = arith::ConstantIndexOp::create(b, loc, kTile);
  SmallVector<Value> lbs(sizes.size() + 1, zero), ubs, steps(sizes.size(), one);
  for (OpFoldResult size : sizes)
    ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, rowsTiled));
  steps.push_back(tile);
  Value colsEnd = getValueOrCreateConstantIndexOp(b, loc, colsTiled);

  auto body = [&](OpBuilder &nb, Location nloc, ValueRange ivs) {
    auto columns = scf::ForOp::create(nb, nloc, zero, colsEnd, tile);
    OpBuilder::InsertionGuard guard(nb);
    nb.setInsertionPointToStart(columns.getBody());
    Value i = ivs.back(), j = columns.getInductionVar();
    emitTile(nb, nloc, in, out, ivs.drop_back(), i, j);
    columns.getBody()->walk([&](Operation *o) { tileOps.push_back(o); });
  };
  attn::buildLoops(b, loc, lbs, ubs, steps, parallel, body);

  // The rows below the last whole tile (every column), then the columns
  // right of the last whole tile (the tiled rows).
  auto ragged = [](OpFoldResult size) {
    std::optional<int64_t> c = getConstantIntValue(size);
    return !c || *c % kTile != 0;
  };
  auto minus = [&](OpFoldResult a, OpFoldResult c) -> OpFoldResult {
    std::optional<int64_t> ca = getConstantIntValue(a);
    std::optional<int64_t> cc = getConstantIntValue(c);
    if (ca && cc)
      return b.getIndexAttr(*ca - *cc);
    Value d = arith::SubIOp::create(b, loc,
                                    getValueOrCreateConstantIndexOp(b, loc, a),
                                    getValueOrCreateConstantIndexOp(b, loc, c));
    return getAsOpFoldResult(d);
  };
  OpFoldResult zeroAttr = b.getIndexAttr(0);
  if (ragged(rows))
    emitRest(b, loc, op, sizes, rowsTiled, minus(rows, rowsTiled), zeroAttr,
             cols);
  if (ragged(cols))
    emitRest(b, loc, op, sizes, zeroAttr, rowsTiled, colsTiled,
             minus(cols, colsTiled));
  op.erase();
}

struct VectorizeTransposesPass
    : public mlir::attn::impl::AttnVectorizeTransposesBase<
          VectorizeTransposesPass> {
  using AttnVectorizeTransposesBase::AttnVectorizeTransposesBase;

  void runOnOperation() override {
    SmallVector<linalg::TransposeOp> found;
    getOperation()->walk([&](linalg::TransposeOp op) {
      if (isTileTranspose(op))
        found.push_back(op);
    });
    SmallVector<Operation *> tileOps;
    for (linalg::TransposeOp op : found)
      rewrite(op, parallel, tileOps);
    if (tileOps.empty())
      return;

    // The tiles' transposes to shuffles of rows; the 2-D vectors around
    // them fold away (extracts of inserted rows).
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::Shuffle16x16);
    vector::ShapeCastOp::getCanonicalizationPatterns(patterns, ctx);
    vector::ExtractOp::getCanonicalizationPatterns(patterns, ctx);
    vector::InsertOp::getCanonicalizationPatterns(patterns, ctx);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    // A transpose the patterns leave is still correct: convert-vector-to-llvm
    // lowers it element by element.
    (void)applyOpPatternsGreedily(tileOps, std::move(patterns), config);
  }
};
} // namespace
