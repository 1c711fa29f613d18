//===- Dialects.cpp - C API: the attn dialect -----------------------------===//

#include "attn-c/Dialects.h"
#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Registration.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Attn, attn, mlir::attn::AttnDialect)

void mlirAttnRegisterDialects(MlirDialectRegistry registry) {
  mlir::attn::registerAttnDialects(*unwrap(registry));
}

void mlirAttnRegisterAllDialects(MlirDialectRegistry registry) {
  mlir::DialectRegistry &r = *unwrap(registry);
  mlir::registerAllDialects(r);
  mlir::registerAllExtensions(r);
  mlir::attn::registerAttnDialects(r);
}
