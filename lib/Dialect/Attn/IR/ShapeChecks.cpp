//===- ShapeChecks.cpp - shape verification helpers -----------------------===//

#include "ShapeChecks.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::attn::detail;

std::string mlir::attn::detail::formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << '?';
    else
      os << dim;
  });
  os << ']';
  return text;
}

std::string mlir::attn::detail::formatFloat(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value < 0 ? "-inf" : "inf";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%g", value);
  return text;
}

int64_t mlir::attn::detail::mergeDim(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) ? b : a;
}

int64_t mlir::attn::detail::mulDim(int64_t a, int64_t b) {
  int64_t product;
  if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) ||
      llvm::MulOverflow(a, b, product))
    return kAny;
  return product;
}

ArrayRef<int64_t> mlir::attn::detail::shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

LogicalResult mlir::attn::detail::checkShape(Operation *op, StringRef what,
                                             Value value,
                                             ArrayRef<int64_t> expected,
                                             StringRef layout) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() != static_cast<int64_t>(expected.size()))
    return op->emitOpError()
           << what << " must have rank " << expected.size() << " " << layout
           << ", expected shape " << formatShape(expected) << " but got "
           << formatShape(type.getShape());
  for (auto [actualDim, expectedDim] : llvm::zip(type.getShape(), expected)) {
    if (ShapedType::isDynamic(actualDim) || ShapedType::isDynamic(expectedDim))
      continue;
    if (actualDim != expectedDim)
      return op->emitOpError()
             << what << " " << layout << " expected shape "
             << formatShape(expected) << " but got "
             << formatShape(type.getShape());
  }
  return success();
}

LogicalResult mlir::attn::detail::checkMask(Operation *op, Value mask,
                                            Type elementType,
                                            ArrayRef<int64_t> target) {
  auto type = cast<RankedTensorType>(mask.getType());
  Type maskElement = type.getElementType();
  if (!maskElement.isInteger(1) && maskElement != elementType)
    return op->emitOpError() << "operand 'mask' must be i1 (true = attend) or "
                             << elementType << " (additive) but has element type "
                             << maskElement;
  if (type.getRank() > static_cast<int64_t>(target.size()))
    return op->emitOpError()
           << "operand 'mask' of shape " << formatShape(type.getShape())
           << " has more dimensions than [B, H, Tq, Tk] = "
           << formatShape(target);
  size_t offset = target.size() - type.getRank();
  for (auto [index, dim] : llvm::enumerate(type.getShape())) {
    int64_t want = target[offset + index];
    if (dim == 1 || ShapedType::isDynamic(dim) || ShapedType::isDynamic(want) ||
        dim == want)
      continue;
    return op->emitOpError()
           << "operand 'mask' of shape " << formatShape(type.getShape())
           << " does not broadcast to [B, H, Tq, Tk] = " << formatShape(target);
  }
  return success();
}

LogicalResult mlir::attn::detail::checkHeadsDivide(Operation *op,
                                                   StringRef what,
                                                   int64_t width, int64_t heads,
                                                   StringRef layout) {
  if (ShapedType::isDynamic(width) || width % heads == 0)
    return success();
  return op->emitOpError() << what << " width " << width << " " << layout
                           << " is not a multiple of the head count " << heads;
}

LogicalResult mlir::attn::detail::checkElementType(Operation *op,
                                                   ArrayRef<Value> values,
                                                   ArrayRef<StringRef> names,
                                                   Type elementType) {
  for (auto [value, name] : llvm::zip(values, names)) {
    if (!value)
      continue;
    Type actual = cast<RankedTensorType>(value.getType()).getElementType();
    if (actual != elementType)
      return op->emitOpError()
             << name << " must have element type " << elementType
             << " like the input, but has " << actual;
  }
  return success();
}
