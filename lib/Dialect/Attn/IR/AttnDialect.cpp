//===- AttnDialect.cpp - attn dialect registration ------------------------===//

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::attn;

#include "attn/Dialect/Attn/IR/AttnDialect.cpp.inc"
#include "attn/Dialect/Attn/IR/AttnEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "attn/Dialect/Attn/IR/AttnAttrs.cpp.inc"

void AttnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "attn/Dialect/Attn/IR/AttnOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "attn/Dialect/Attn/IR/AttnAttrs.cpp.inc"
      >();
}

bool mlir::attn::isValidInitKind(StringRef init) {
  auto [kind, source] = init.split(':');
  if (llvm::is_contained({"copy", "mean-heads", "slice"}, kind))
    return !source.empty();
  return llvm::is_contained({"zeros", "ones", "random", "train"}, kind) &&
         !init.contains(':');
}

LogicalResult AttnDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  if (attr.getName() != kInitAttrName)
    return op->emitError() << "unknown attn dialect attribute '"
                           << attr.getName().getValue() << "'";
  auto init = dyn_cast<StringAttr>(attr.getValue());
  if (!init || !isValidInitKind(init.getValue()))
    return op->emitError()
           << "'attn.init' must be a string: copy:<name>, mean-heads:<name>, "
              "slice:<name>, zeros, ones, random or train; got "
           << attr.getValue();
  return success();
}
