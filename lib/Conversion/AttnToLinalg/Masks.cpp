//===- Masks.cpp - attention masks and causal in the attn lowerings -------===//
//
// How a mask broadcasts to the map [B, H, Tq, Tk], the slices of it that a
// block of queries or keys reads, its run-time shape check, and masked or
// causal logits. Declared in LoweringUtils.h.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <string>

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::lowering;

AffineMap lowering::maskMap(MLIRContext *ctx, RankedTensorType maskType,
                            unsigned numDims, ArrayRef<unsigned> mapDims) {
  int64_t rank = maskType.getRank();
  int64_t offset = static_cast<int64_t>(mapDims.size()) - rank;
  SmallVector<AffineExpr> exprs;
  for (int64_t dim = 0; dim < rank; ++dim) {
    if (maskType.getDimSize(dim) == 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(mapDims[offset + dim], ctx));
  }
  return AffineMap::get(numDims, 0, exprs, ctx);
}

namespace {
/// Positions [offset, offset + len) of map dim `mapDim`.
struct MapRange {
  unsigned mapDim;
  OpFoldResult offset, len;
};

/// `mask` (of `maskSizes`) restricted to `ranges` of the map [B, H, Tq, Tk]
/// it broadcasts to, in one slice. Masks align on the right (map dim 3 is
/// the mask's last dim); a dim the mask lacks or holds as 1 broadcasts and
/// stays whole.
Value sliceMaskRanges(OpBuilder &b, Location loc, Value mask,
                      ArrayRef<OpFoldResult> maskSizes,
                      ArrayRef<MapRange> ranges) {
  auto type = cast<RankedTensorType>(mask.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes(maskSizes);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  bool sliced = false;
  for (const MapRange &range : ranges) {
    int64_t dim = rank - (4 - static_cast<int64_t>(range.mapDim));
    if (dim < 0 || type.getDimSize(dim) == 1)
      continue;
    offsets[dim] = range.offset;
    sizes[dim] = range.len;
    sliced = true;
  }
  if (!sliced)
    return mask;
  return tensor::ExtractSliceOp::create(b, loc, mask, offsets, sizes, strides);
}
} // namespace

Value lowering::sliceMask(OpBuilder &b, Location loc, Value mask,
                          ArrayRef<OpFoldResult> maskSizes, unsigned mapDim,
                          Value offset, OpFoldResult len) {
  return sliceMaskRanges(b, loc, mask, maskSizes, {{mapDim, offset, len}});
}

void lowering::assertMaskBroadcasts(OpBuilder &b, Location loc, Value mask,
                                    ArrayRef<OpFoldResult> mapSizes) {
  auto maskType = cast<RankedTensorType>(mask.getType());
  int64_t offset = static_cast<int64_t>(mapSizes.size()) - maskType.getRank();
  for (int64_t dim = 0, e = maskType.getRank(); dim < e; ++dim) {
    int64_t size = maskType.getDimSize(dim);
    OpFoldResult target = mapSizes[offset + dim];
    if (size == 1 ||
        (!ShapedType::isDynamic(size) && getConstantIntValue(target)))
      continue;
    Value actual = tensor::DimOp::create(b, loc, mask, dim);
    Value expected = getValueOrCreateConstantIndexOp(b, loc, target);
    Value equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        actual, expected);
    std::string message = "attn mask dimension " + std::to_string(dim) +
                          " does not match [B, H, Tq, Tk]; a dynamic mask "
                          "dimension must not broadcast";
    cf::AssertOp::create(b, loc, equal, message);
  }
}

Value lowering::applyMask(OpBuilder &b, Location loc, Value logit,
                          Value maskElement, Value negInf) {
  if (maskElement.getType().isInteger(1))
    return arith::SelectOp::create(b, loc, maskElement, logit, negInf);
  return arith::AddFOp::create(b, loc, logit, maskElement);
}

Value lowering::applyCausal(OpBuilder &b, Location loc, Value logit,
                            Value query, Value key, Value negInf) {
  Value allowed =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, key, query);
  return arith::SelectOp::create(b, loc, allowed, logit, negInf);
}

Value lowering::sliceMaskToBlock(OpBuilder &b, Location loc, Value mask,
                                 const QueryBlock &block) {
  OpFoldResult one = b.getIndexAttr(1);
  return sliceMaskRanges(b, loc, mask, sizesOf(b, loc, mask),
                         {{0, block.batch, one},
                          {1, block.head, one},
                          {2, block.start, block.len}});
}
