//===- ContractionEpilogue.h - element-wise ops in tiles --------*- C++ -*-===//
//
// attn-vectorize-contractions applies an element-wise generic that follows
// a contraction (an activation, the division of an apply by the map's row
// sums) to the accumulators of its register tiles before it stores them,
// instead of a pass of its own over the product. These find such a generic
// and emit it on the accumulators.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_PIPELINES_CONTRACTIONEPILOGUE_H
#define ATTN_LIB_PIPELINES_CONTRACTIONEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace mlir::attn {

/// The element-wise generic that `contraction` (writing C = `c`, after
/// `init`, its fill or bias broadcast, or null) can apply before storing:
/// the next op but allocations, views and deallocations of other buffers;
/// all loops
/// parallel and equal to C's dims (identity maps for C and the output);
/// C read once per element, either as an input while the output is a
/// fresh buffer (which then replaces C: an activation) or as the output
/// itself (in place: the division by row sums); other inputs read along
/// C's columns or constant along its rows; an element-wise payload. The
/// allocations and views in between move before the contraction.
/// Returns null where there is none.
linalg::GenericOp findContractionEpilogue(linalg::GenericOp contraction,
                                          Value c, Operation *init);

/// The epilogue `g` of a contraction writing C = `c`, applied to the
/// accumulator `acc` of C at `indices` (the epilogue's loops are C's dims);
/// `load` reads a vector, masked like the tile.
Value applyContractionEpilogue(
    OpBuilder &b, Location loc, linalg::GenericOp g, Value c, Value acc,
    ArrayRef<Value> indices,
    function_ref<Value(OpBuilder &, Location, Value, ValueRange)> load);

} // namespace mlir::attn

#endif // ATTN_LIB_PIPELINES_CONTRACTIONEPILOGUE_H
