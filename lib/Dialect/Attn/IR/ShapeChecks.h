//===- ShapeChecks.h - shape verification helpers ---------------*- C++ -*-===//
//
// Helpers shared by the attn op verifiers. A check names the operand, the
// expected and the actual shape; dynamic dimensions match anything.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_LIB_DIALECT_ATTN_IR_SHAPECHECKS_H
#define ATTN_LIB_DIALECT_ATTN_IR_SHAPECHECKS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace mlir::attn::detail {

/// A dimension the verifier does not know (or does not constrain).
constexpr int64_t kAny = ShapedType::kDynamic;

/// `[1, ?, 256]`.
std::string formatShape(ArrayRef<int64_t> shape);

/// A float attribute value for a message: `0.5`, `1e-05`, `inf`, `nan`.
std::string formatFloat(double value);

/// The more precise of two compatible dimensions.
int64_t mergeDim(int64_t a, int64_t b);

/// `a * b`, or kAny when either is unknown or the product overflows.
int64_t mulDim(int64_t a, int64_t b);

/// Verifies `value`'s type is a ranked tensor of `expected`'s rank whose
/// static dimensions equal the known entries of `expected`. `what` names the
/// value ("operand 'wq'"), `layout` names the dimensions ("[D, H*dk]").
LogicalResult checkShape(Operation *op, StringRef what, Value value,
                         ArrayRef<int64_t> expected, StringRef layout);

/// Verifies that a mask type broadcasts to `target` ([B, H, Tq, Tk]) with
/// numpy rules, and that its element type is i1 or `elementType`.
LogicalResult checkMask(Operation *op, Value mask, Type elementType,
                        ArrayRef<int64_t> target);

/// Verifies that a static `width` is a multiple of `heads`.
LogicalResult checkHeadsDivide(Operation *op, StringRef what, int64_t width,
                               int64_t heads, StringRef layout);

/// Verifies that every value (skipping null ones) has `elementType`.
LogicalResult checkElementType(Operation *op, ArrayRef<Value> values,
                               ArrayRef<StringRef> names, Type elementType);

/// The shape of a ranked tensor value.
ArrayRef<int64_t> shapeOf(Value value);

} // namespace mlir::attn::detail

#endif // ATTN_LIB_DIALECT_ATTN_IR_SHAPECHECKS_H
