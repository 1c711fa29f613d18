//===- VectorizeRows.cpp - generics vectorized along a contiguous row
//------===//
//
// Rewrites linalg.generic ops on buffers whose innermost loop is contiguous
// in every operand (element-wise maps, head transposes, softmax maxima and
// sums, LayerNorm statistics) into vector loops, reductions accumulated in
// registers. See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "BufferLoops.h"
#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNVECTORIZEROWS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using mlir::attn::indicesOf;
using mlir::attn::innermostContiguous;

namespace {
constexpr int64_t kLanes = attn::kF32Lanes;
/// Independent accumulators per reduction: a chain of dependent max or add
/// instructions would wait on their latency.
constexpr int64_t kAccumulators = 4;

/// `out = combine(out, x)`: one reduction output of the generic.
struct ReductionOutput {
  unsigned init;       // index among the generic's inits
  Operation *combiner; // the payload op that combines
  Value partial;       // x, in the payload
  float identity;      // the combiner's identity
};

/// A generic vectorized along its loop `r`: the only reduction loop, or the
/// innermost loop when all are parallel.
struct RowOp {
  linalg::GenericOp op;
  unsigned r;
  int64_t size; // the static size of r, or dynamic
  SmallVector<ReductionOutput> reductions;
};

/// The value that leaves `x` unchanged under the reduction `combiner`, for
/// the combiners the pass handles.
std::optional<float> identityOf(Operation *combiner) {
  constexpr float inf = std::numeric_limits<float>::infinity();
  return llvm::TypeSwitch<Operation *, std::optional<float>>(combiner)
      .Case<arith::AddFOp>([](auto) { return 0.0f; })
      .Case<arith::MulFOp>([](auto) { return 1.0f; })
      .Case<arith::MaximumFOp, arith::MaxNumFOp>([&](auto) { return -inf; })
      .Case<arith::MinimumFOp, arith::MinNumFOp>([&](auto) { return inf; })
      .Default([](Operation *) { return std::nullopt; });
}

std::optional<RowOp> match(linalg::GenericOp op, bool reductions) {
  unsigned numReductions = op.getNumReductionLoops();
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      numReductions > 1 || (numReductions && !reductions))
    return std::nullopt;
  RowOp row;
  row.op = op;
  row.r = op.getNumLoops() - 1;
  if (numReductions)
    row.r = *llvm::find_if(
        llvm::seq<unsigned>(0, op.getNumLoops()), [&](unsigned d) {
          return linalg::isReductionIterator(op.getIteratorTypesArray()[d]);
        });
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = cast<MemRefType>(operand.get().getType());
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!type.getElementType().isF32() || !map.isProjectedPermutation())
      return std::nullopt;
    if (!map.isFunctionOfDim(row.r))
      continue;
    // Vectors along r: r is the operand's innermost, contiguous dim.
    auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
    if (!last || last.getPosition() != row.r ||
        !innermostContiguous(operand.get()))
      return std::nullopt;
  }
  Block *body = op.getBlock();
  if (!llvm::all_of(*body, attn::isVectorizablePayload))
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  for (OpOperand &init : op.getDpsInitsMutable()) {
    unsigned i = init.getOperandNumber() - op.getNumDpsInputs();
    if (op.getMatchingIndexingMap(&init).isFunctionOfDim(row.r))
      continue; // element-wise along r
    BlockArgument acc = op.getMatchingBlockArgument(&init);
    Operation *combiner = yield.getOperand(i).getDefiningOp();
    std::optional<float> identity =
        combiner ? identityOf(combiner) : std::nullopt;
    if (!identity || !acc.hasOneUse() || !combiner->hasOneUse() ||
        combiner->getBlock() != body)
      return std::nullopt;
    Value lhs = combiner->getOperand(0), rhs = combiner->getOperand(1);
    if (lhs != acc && rhs != acc)
      return std::nullopt;
    row.reductions.push_back({i, combiner, lhs == acc ? rhs : lhs, *identity});
  }
  row.size = op.getStaticLoopRanges()[row.r];
  // Rows shorter than a vector stay scalar.
  if (!ShapedType::isDynamic(row.size) && row.size < kLanes)
    return std::nullopt;
  return row;
}

/// Clears the body of `loop` (the builder adds an scf.yield when the loop
/// carries no values) for the caller to fill and terminate.
void setInsertionPointToEmptyBody(OpBuilder &b, scf::ForOp loop) {
  Block *body = loop.getBody();
  if (!body->empty())
    body->getTerminator()->erase();
  b.setInsertionPointToEnd(body);
}

/// Emits the vector loops of one row; `dimValues` holds the ivs of the
/// other loops.
class RowEmitter {
public:
  RowEmitter(const RowOp &row, SmallVector<Value> dimValues, Value rowSize)
      : row(row), op(row.op), dimValues(std::move(dimValues)),
        rowSize(rowSize) {}

  void emit(OpBuilder &b, Location loc);

private:
  Type vectorOf(Type scalar) { return VectorType::get({kLanes}, scalar); }
  Value identity(OpBuilder &b, Location loc, const ReductionOutput &ro) {
    auto type = cast<VectorType>(vectorOf(b.getF32Type()));
    return arith::ConstantOp::create(
        b, loc, type,
        DenseElementsAttr::get(type, b.getF32FloatAttr(ro.identity)));
  }
  Value combine(OpBuilder &b, Location loc, Operation *combiner, Value acc,
                Value x) {
    OperationState state(loc, combiner->getName(), ValueRange{acc, x},
                         TypeRange{acc.getType()}, combiner->getAttrs());
    return b.create(state)->getResult(0);
  }
  /// The lanes of `v` combined by a tree of shuffles: LLVM expands
  /// `vector.reduction <maximumf>` into a serial chain of scalar steps, each
  /// with the NaN and signed-zero checks, which costs more than the row's
  /// vector loop.
  Value reduceLanes(OpBuilder &b, Location loc, Operation *combiner, Value v) {
    for (int64_t half = kLanes / 2; half >= 1; half /= 2) {
      SmallVector<int64_t> upper;
      for (int64_t i = 0; i < kLanes; ++i)
        upper.push_back((i + half) % kLanes);
      Value shifted = vector::ShuffleOp::create(b, loc, v, v, upper);
      v = combine(b, loc, combiner, v, shifted);
    }
    return vector::ExtractOp::create(b, loc, v, ArrayRef<int64_t>{0});
  }
  void emitUniform(OpBuilder &b, Location loc);
  /// Computes the payload on the 16 elements from `k` (masked by `mask`
  /// when set), stores the element-wise outputs and returns `acc` combined
  /// with each reduction's vector of x.
  SmallVector<Value> emitChunk(OpBuilder &b, Location loc, Value k, Value mask,
                               ValueRange acc);

  const RowOp &row;
  linalg::GenericOp op;
  SmallVector<Value> dimValues;
  Value rowSize;
  /// Payload values that do not depend on r, computed once per row.
  IRMapping uniform;
};

void RowEmitter::emitUniform(OpBuilder &b, Location loc) {
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.isFunctionOfDim(row.r) || arg.use_empty())
      continue;
    if (llvm::any_of(row.reductions, [&](const ReductionOutput &ro) {
          return ro.init + op.getNumDpsInputs() == operand.getOperandNumber();
        }))
      continue; // read once, after the loop
    uniform.map(arg, memref::LoadOp::create(b, loc, operand.get(),
                                            indicesOf(map, dimValues)));
  }
  for (Operation &payload : op.getBlock()->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(payload)) {
      if (index.getDim() != row.r)
        uniform.map(index.getResult(), dimValues[index.getDim()]);
      continue;
    }
    bool isUniform = llvm::all_of(payload.getOperands(), [&](Value v) {
      return uniform.contains(v) || v.getParentBlock() != op.getBlock();
    });
    if (isUniform && !llvm::any_of(row.reductions, [&](auto &ro) {
          return ro.combiner == &payload;
        }))
      b.clone(payload, uniform);
  }
}

SmallVector<Value> RowEmitter::emitChunk(OpBuilder &b, Location loc, Value k,
                                         Value mask, ValueRange acc) {
  IRMapping map = uniform;
  SmallVector<Value> dv = dimValues;
  dv[row.r] = k;
  auto f32Vector = cast<VectorType>(vectorOf(b.getF32Type()));
  Value zero;
  if (mask)
    zero = arith::ConstantOp::create(
        b, loc, f32Vector,
        DenseElementsAttr::get(f32Vector, b.getF32FloatAttr(0)));
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    AffineMap indexing = op.getMatchingIndexingMap(&operand);
    if (!indexing.isFunctionOfDim(row.r) || arg.use_empty())
      continue;
    SmallVector<Value> indices = indicesOf(indexing, dv);
    Value v =
        mask ? vector::MaskedLoadOp::create(b, loc, f32Vector, operand.get(),
                                            indices, mask, zero)
                   .getResult()
             : vector::LoadOp::create(b, loc, f32Vector, operand.get(), indices)
                   .getResult();
    map.map(arg, v);
  }
  for (Operation &payload : op.getBlock()->without_terminator()) {
    if (llvm::all_of(payload.getResults(),
                     [&](Value v) { return map.contains(v); }))
      continue; // uniform
    if (llvm::any_of(row.reductions,
                     [&](auto &ro) { return ro.combiner == &payload; }))
      continue;
    if (auto index = dyn_cast<linalg::IndexOp>(payload)) {
      // The lanes' positions along r.
      auto indexVector = cast<VectorType>(vectorOf(b.getIndexType()));
      Value step = vector::StepOp::create(b, loc, indexVector);
      map.map(index.getResult(),
              arith::AddIOp::create(b, loc, step, attn::toLanes(b, loc, k)));
      continue;
    }
    attn::cloneOnVectors(b, loc, payload, map);
  }
  auto yield = cast<linalg::YieldOp>(op.getBlock()->getTerminator());
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap indexing = op.getMatchingIndexingMap(&init);
    if (!indexing.isFunctionOfDim(row.r))
      continue;
    unsigned i = init.getOperandNumber() - op.getNumDpsInputs();
    Value value =
        attn::toLanes(b, loc, map.lookupOrDefault(yield.getOperand(i)));
    SmallVector<Value> indices = indicesOf(indexing, dv);
    if (mask)
      vector::MaskedStoreOp::create(b, loc, init.get(), indices, mask, value);
    else
      vector::StoreOp::create(b, loc, value, init.get(), indices);
  }
  SmallVector<Value> next;
  for (auto [ro, a] : llvm::zip(row.reductions, acc)) {
    Value x = attn::toLanes(b, loc, map.lookupOrDefault(ro.partial));
    if (mask)
      x = arith::SelectOp::create(b, loc, mask, x, identity(b, loc, ro));
    next.push_back(combine(b, loc, ro.combiner, a, x));
  }
  return next;
}

void RowEmitter::emit(OpBuilder &b, Location loc) {
  emitUniform(b, loc);
  size_t numRed = row.reductions.size();
  bool staticSize = !ShapedType::isDynamic(row.size);
  int64_t accumulators =
      numRed == 0  ? 1
      : staticSize ? std::clamp<int64_t>(row.size / kLanes, 1, kAccumulators)
                   : kAccumulators;
  int64_t mainStep = accumulators * kLanes;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value step = arith::ConstantIndexOp::create(b, loc, mainStep);
  Value mainEnd = rowSize;
  bool hasRest = !staticSize || row.size % mainStep != 0;
  if (hasRest)
    mainEnd = arith::SubIOp::create(
        b, loc, rowSize, arith::RemUIOp::create(b, loc, rowSize, step));

  // accumulators x reductions vectors, each started from the identity.
  SmallVector<Value> identities, init;
  for (const ReductionOutput &ro : row.reductions)
    identities.push_back(identity(b, loc, ro));
  for (int64_t a = 0; a < accumulators; ++a)
    llvm::append_range(init, identities);
  auto mainLoop = scf::ForOp::create(b, loc, zero, mainEnd, step, init);
  {
    OpBuilder::InsertionGuard guard(b);
    setInsertionPointToEmptyBody(b, mainLoop);
    ValueRange iter = mainLoop.getRegionIterArgs();
    SmallVector<Value> next;
    for (int64_t a = 0; a < accumulators; ++a) {
      Value k = mainLoop.getInductionVar();
      if (a)
        k = arith::AddIOp::create(
            b, loc, k, arith::ConstantIndexOp::create(b, loc, a * kLanes));
      llvm::append_range(
          next, emitChunk(b, loc, k, Value(), iter.slice(a * numRed, numRed)));
    }
    scf::YieldOp::create(b, loc, next);
  }
  // Accumulators combined pairwise.
  SmallVector<Value> acc(mainLoop.getResults());
  for (int64_t width = 1; width < accumulators; width *= 2)
    for (int64_t a = 0; a + width < accumulators; a += 2 * width)
      for (size_t j = 0; j < numRed; ++j)
        acc[a * numRed + j] =
            combine(b, loc, row.reductions[j].combiner, acc[a * numRed + j],
                    acc[(a + width) * numRed + j]);
  acc.resize(numRed);

  // What is left, a vector at a time; masked where the size may be ragged.
  if (hasRest) {
    bool masked = !staticSize || row.size % kLanes != 0;
    auto rest =
        scf::ForOp::create(b, loc, mainEnd, rowSize,
                           arith::ConstantIndexOp::create(b, loc, kLanes), acc);
    OpBuilder::InsertionGuard guard(b);
    setInsertionPointToEmptyBody(b, rest);
    Value k = rest.getInductionVar();
    Value mask;
    if (masked)
      mask = vector::CreateMaskOp::create(
          b, loc, VectorType::get({kLanes}, b.getI1Type()),
          ValueRange{arith::SubIOp::create(b, loc, rowSize, k)});
    scf::YieldOp::create(b, loc,
                         emitChunk(b, loc, k, mask, rest.getRegionIterArgs()));
    acc.assign(rest.getResults().begin(), rest.getResults().end());
  }

  // Across the lanes, then into the output's initial value.
  for (auto [ro, v] : llvm::zip(row.reductions, acc)) {
    OpOperand *init = op.getDpsInitOperand(ro.init);
    SmallVector<Value> indices =
        indicesOf(op.getMatchingIndexingMap(init), dimValues);
    Value lanes = reduceLanes(b, loc, ro.combiner, v);
    Value start = memref::LoadOp::create(b, loc, init->get(), indices);
    // The payload's operand order: `combine(out, x)` or `combine(x, out)`.
    bool accFirst = ro.combiner->getOperand(0) != ro.partial;
    Value result = accFirst ? combine(b, loc, ro.combiner, start, lanes)
                            : combine(b, loc, ro.combiner, lanes, start);
    memref::StoreOp::create(b, loc, result, init->get(), indices);
  }
}

void rewrite(const RowOp &row, bool parallel) {
  linalg::GenericOp op = row.op;
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Range, 4> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  SmallVector<Value> lbs, ubs, steps;
  SmallVector<unsigned> outer;
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (auto [d, range] : llvm::enumerate(ranges)) {
    if (d == row.r)
      continue;
    outer.push_back(d);
    lbs.push_back(getValueOrCreateConstantIndexOp(b, loc, range.offset));
    ubs.push_back(getValueOrCreateConstantIndexOp(b, loc, range.size));
    steps.push_back(one);
  }
  Value rowSize = getValueOrCreateConstantIndexOp(b, loc, ranges[row.r].size);
  auto body = [&](OpBuilder &nb, Location nloc, ValueRange ivs) {
    SmallVector<Value> dimValues(op.getNumLoops());
    for (auto [d, iv] : llvm::zip(outer, ivs))
      dimValues[d] = iv;
    RowEmitter(row, dimValues, rowSize).emit(nb, nloc);
  };
  attn::buildLoops(b, loc, lbs, ubs, steps, parallel && !outer.empty(), body);
  op.erase();
}

/// Transposes and copies that keep the innermost dim become generics: they
/// then copy whole rows of vectors.
void generalizeRowCopies(Operation *root) {
  SmallVector<linalg::LinalgOp> copies;
  root->walk([&](linalg::LinalgOp op) {
    if (auto transpose = dyn_cast<linalg::TransposeOp>(op.getOperation())) {
      ArrayRef<int64_t> perm = transpose.getPermutation();
      if (transpose.hasPureBufferSemantics() && !perm.empty() &&
          perm.back() == static_cast<int64_t>(perm.size()) - 1)
        copies.push_back(op);
    } else if (isa<linalg::CopyOp>(op.getOperation()) &&
               op.hasPureBufferSemantics()) {
      copies.push_back(op);
    }
  });
  IRRewriter rewriter(root->getContext());
  for (linalg::LinalgOp op : copies) {
    rewriter.setInsertionPoint(op);
    (void)linalg::generalizeNamedOp(rewriter, op);
  }
}

struct VectorizeRowsPass
    : public mlir::attn::impl::AttnVectorizeRowsBase<VectorizeRowsPass> {
  using AttnVectorizeRowsBase::AttnVectorizeRowsBase;

  void runOnOperation() override {
    generalizeRowCopies(getOperation());
    SmallVector<RowOp, 4> found;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (std::optional<RowOp> row = match(op, reductions))
        found.push_back(*row);
    });
    for (const RowOp &row : found)
      rewrite(row, parallel);
  }
};
} // namespace
