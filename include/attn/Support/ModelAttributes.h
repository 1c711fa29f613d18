//===- ModelAttributes.h - attributes a compiled model carries --*- C++ -*-===//
//
// Names of the discardable attributes through which the passes of a model's
// compilation tell each other, and attn-compile, what they did.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_SUPPORT_MODELATTRIBUTES_H
#define ATTN_SUPPORT_MODELATTRIBUTES_H

#include "llvm/ADT/StringRef.h"

namespace mlir::attn {

/// On the module: the manifest that attn-bind-params records.
constexpr llvm::StringLiteral kManifestAttrName = "attn_model.manifest";

/// On the entry's argument that attn-bind-params packs the parameters into.
constexpr llvm::StringLiteral kPackedParamsAttrName = "attn_model.params";

/// On an entry function whose packed-parameter argument is device memory
/// (attn-gpu-device-buffers{resident-params}): the model runtime passes a
/// device copy it keeps between calls.
constexpr llvm::StringLiteral kDeviceParamsAttrName =
    "attn_model.device_params";

} // namespace mlir::attn

#endif // ATTN_SUPPORT_MODELATTRIBUTES_H
