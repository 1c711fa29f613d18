//===- JSONLimits.h - bounds on untrusted JSON ------------------*- C++ -*-===//
//
// llvm::json::parse recurses once per nested array or object, so a file of
// a few hundred KB of '[' overflows the stack. The readers of untrusted JSON
// (safetensors headers, model manifests) check the nesting depth with this
// scan first; it is iterative and skips strings.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_JSONLIMITS_H
#define ATTN_RUNTIME_JSONLIMITS_H

#include "llvm/ADT/StringRef.h"

namespace attn::rt {

/// Deepest nesting the runtime's JSON readers accept. Their formats need 4
/// levels; 64 leaves room for metadata and stays far from the stack limit
/// (also under AddressSanitizer).
constexpr unsigned kMaxJSONDepth = 64;

/// Whether `json` nests arrays and objects at most `limit` deep (strings,
/// with their escapes, are skipped; the text need not be valid JSON).
bool jsonNestingWithin(llvm::StringRef json, unsigned limit = kMaxJSONDepth);

} // namespace attn::rt

#endif // ATTN_RUNTIME_JSONLIMITS_H
