//===- VectorizeTransposes.cpp - 16x16 register transposes ----------------===//
//
// Rewrites linalg.transpose ops on f32 buffers that move the innermost dim
// (attention's keys, transposed once for the score kernels) into tiles of
// 16 row loads, an in-register transpose and 16 row stores. See Passes.td.
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

/// How a transpose moves its operand's dims: the input dim `rows` becomes
/// the output's innermost dim, and the input's innermost dim becomes output
/// dim `cols`. A tile is 16 input rows (along `rows`) of 16 contiguous
/// elements; transposed, 16 output rows (along `cols`) of 16 contiguous
/// elements.
struct TileDims {
  int64_t rank, rows, cols;
};

std::optional<TileDims> tileDims(linalg::TransposeOp op) {
  if (!op.hasPureBufferSemantics())
    return std::nullopt;
  ArrayRef<int64_t> perm = op.getPermutation();
  int64_t rank = perm.size();
  // A transpose that keeps the innermost dim copies whole rows
  // (attn-vectorize-rows).
  if (rank < 2 || perm.back() == rank - 1)
    return std::nullopt;
  auto type = cast<MemRefType>(op.getInput().getType());
  if (!type.getElementType().isF32() || !innermostContiguous(op.getInput()) ||
      !innermostContiguous(op.getInit()))
    return std::nullopt;
  TileDims dims{
      rank, perm.back(),
      static_cast<int64_t>(llvm::find(perm, rank - 1) - perm.begin())};
  // Dims known to be shorter than a tile (a head of 8) fill no tile.
  for (int64_t dim : {dims.rows, rank - 1}) {
    int64_t size = type.getDimSize(dim);
    if (!ShapedType::isDynamic(size) && size < kTile)
      return std::nullopt;
  }
  return dims;
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

/// One 16x16 tile: `inIndex` holds the input indices of its first element
/// (row i, column j); input rows i..i+15 become output rows j..j+15.
void emitTile(OpBuilder &b, Location loc, linalg::TransposeOp op,
              const TileDims &dims, ArrayRef<Value> inIndex) {
  auto rowType = VectorType::get({kTile}, b.getF32Type());
  auto tileType = VectorType::get({kTile, kTile}, b.getF32Type());
  ArrayRef<int64_t> perm = op.getPermutation();
  auto plus = [&](Value x, int64_t offset) -> Value {
    if (!offset)
      return x;
    return arith::AddIOp::create(
        b, loc, x, arith::ConstantIndexOp::create(b, loc, offset));
  };
  Value tile =
      arith::ConstantOp::create(b, loc, tileType, b.getZeroAttr(tileType));
  for (int64_t r = 0; r < kTile; ++r) {
    SmallVector<Value> at(inIndex);
    at[dims.rows] = plus(at[dims.rows], r);
    Value row = vector::LoadOp::create(b, loc, rowType, op.getInput(), at);
    tile = vector::InsertOp::create(b, loc, row, tile, r);
  }
  auto transposed =
      vector::TransposeOp::create(b, loc, tile, ArrayRef<int64_t>{1, 0});
  for (int64_t c = 0; c < kTile; ++c) {
    SmallVector<Value> at = llvm::map_to_vector(
        perm, [&](int64_t inDim) { return inIndex[inDim]; });
    at[dims.cols] = plus(at[dims.cols], c);
    Value row = vector::ExtractOp::create(b, loc, transposed, c);
    vector::StoreOp::create(b, loc, row, op.getInit(), at);
  }
}

/// The part of the transpose whose input has `offsets` and `sizes`, as a
/// linalg.transpose on subviews that the loop lowering handles.
void emitRest(OpBuilder &b, Location loc, linalg::TransposeOp op,
              ArrayRef<OpFoldResult> offsets, ArrayRef<OpFoldResult> sizes) {
  ArrayRef<int64_t> perm = op.getPermutation();
  SmallVector<OpFoldResult> strides(perm.size(), b.getIndexAttr(1));
  auto permuted = [&](ArrayRef<OpFoldResult> v) {
    return llvm::map_to_vector(perm, [&](int64_t d) { return v[d]; });
  };
  Value input =
      memref::SubViewOp::create(b, loc, op.getInput(), offsets, sizes, strides);
  Value init = memref::SubViewOp::create(
      b, loc, op.getInit(), permuted(offsets), permuted(sizes), strides);
  linalg::TransposeOp::create(b, loc, input, init, perm);
}

/// Rewrites `op`; appends the ops of its tiles to `tileOps`.
void rewrite(linalg::TransposeOp op, const TileDims &dims, bool parallel,
             SmallVectorImpl<Operation *> &tileOps) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t colDim = dims.rank - 1;
  SmallVector<OpFoldResult> sizes =
      memref::getMixedSizes(b, loc, op.getInput());
  OpFoldResult rowsTiled = wholeTiles(b, loc, sizes[dims.rows]);
  OpFoldResult colsTiled = wholeTiles(b, loc, sizes[colDim]);

  // Loops over the other dims (in the output's order, for its locality)
  // and the tiles' rows; the tiles' columns innermost.
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value tile = arith::ConstantIndexOp::create(b, loc, kTile);
  SmallVector<int64_t> loopDims;
  for (int64_t inDim : op.getPermutation())
    if (inDim != dims.rows && inDim != colDim)
      loopDims.push_back(inDim);
  loopDims.push_back(dims.rows);
  SmallVector<Value> lbs(loopDims.size(), zero), ubs, steps;
  for (int64_t inDim : loopDims) {
    bool tiled = inDim == dims.rows;
    ubs.push_back(getValueOrCreateConstantIndexOp(
        b, loc, tiled ? rowsTiled : sizes[inDim]));
    steps.push_back(tiled ? tile : one);
  }
  Value colsEnd = getValueOrCreateConstantIndexOp(b, loc, colsTiled);
  auto body = [&](OpBuilder &nb, Location nloc, ValueRange ivs) {
    auto columns = scf::ForOp::create(nb, nloc, zero, colsEnd, tile);
    OpBuilder::InsertionGuard guard(nb);
    nb.setInsertionPointToStart(columns.getBody());
    SmallVector<Value> inIndex(dims.rank);
    for (auto [inDim, iv] : llvm::zip(loopDims, ivs))
      inIndex[inDim] = iv;
    inIndex[colDim] = columns.getInductionVar();
    emitTile(nb, nloc, op, dims, inIndex);
    columns.getBody()->walk([&](Operation *o) { tileOps.push_back(o); });
  };
  attn::buildLoops(b, loc, lbs, ubs, steps, parallel, body);

  // The rows past the last whole tile (every column), then the columns past
  // the last whole tile (the tiled rows).
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
  SmallVector<OpFoldResult> offsets(dims.rank, b.getIndexAttr(0));
  if (ragged(sizes[dims.rows])) {
    SmallVector<OpFoldResult> o(offsets), n(sizes);
    o[dims.rows] = rowsTiled;
    n[dims.rows] = minus(sizes[dims.rows], rowsTiled);
    emitRest(b, loc, op, o, n);
  }
  if (ragged(sizes[colDim])) {
    SmallVector<OpFoldResult> o(offsets), n(sizes);
    o[colDim] = colsTiled;
    n[colDim] = minus(sizes[colDim], colsTiled);
    n[dims.rows] = rowsTiled;
    emitRest(b, loc, op, o, n);
  }
  op.erase();
}

struct VectorizeTransposesPass
    : public mlir::attn::impl::AttnVectorizeTransposesBase<
          VectorizeTransposesPass> {
  using AttnVectorizeTransposesBase::AttnVectorizeTransposesBase;

  void runOnOperation() override {
    SmallVector<std::pair<linalg::TransposeOp, TileDims>> found;
    getOperation()->walk([&](linalg::TransposeOp op) {
      if (std::optional<TileDims> dims = tileDims(op))
        found.push_back({op, *dims});
    });
    SmallVector<Operation *> tileOps;
    for (auto [op, dims] : found)
      rewrite(op, dims, parallel, tileOps);
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
