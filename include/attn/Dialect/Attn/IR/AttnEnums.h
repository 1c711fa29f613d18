//===- AttnEnums.h - attn enums and attributes ------------------*- C++ -*-===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNENUMS_H
#define ATTN_DIALECT_ATTN_IR_ATTNENUMS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "attn/Dialect/Attn/IR/AttnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "attn/Dialect/Attn/IR/AttnAttrs.h.inc"

#endif // ATTN_DIALECT_ATTN_IR_ATTNENUMS_H
