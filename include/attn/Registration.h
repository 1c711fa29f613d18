//===- Registration.h - one place that registers attn -----------*- C++ -*-===//

#ifndef ATTN_REGISTRATION_H
#define ATTN_REGISTRATION_H

namespace mlir {
class DialectRegistry;
namespace attn {

/// Adds the attn dialect and the dialects its passes create to `registry`.
void registerAttnDialects(DialectRegistry &registry);

/// Registers every attn pass and pipeline with the global registry, so that
/// `--attn-*` flags and textual pipelines can name them.
void registerAllAttnPasses();

} // namespace attn
} // namespace mlir

#endif // ATTN_REGISTRATION_H
