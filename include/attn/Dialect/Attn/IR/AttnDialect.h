//===- AttnDialect.h - attn dialect -----------------------------*- C++ -*-===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNDIALECT_H
#define ATTN_DIALECT_ATTN_IR_ATTNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "attn/Dialect/Attn/IR/AttnDialect.h.inc"

namespace mlir::attn {
/// Whether `init` is a valid `attn.init` origin: `copy:<name>`,
/// `mean-heads:<name>`, `slice:<name>`, `zeros`, `ones`, `random` or `train`
/// (the values must be trained or distilled).
bool isValidInitKind(llvm::StringRef init);
} // namespace mlir::attn

#endif // ATTN_DIALECT_ATTN_IR_ATTNDIALECT_H
