//===- Manifest.h - the manifest of a compiled model ------------*- C++ -*-===//
//
// What a compiled model needs from its user, as JSON: the entry point, its
// input and output (dynamic dims are -1), the parameters with their shapes,
// dtypes and offsets in the packed buffer, the FLOP count as a polynomial in
// the batch size and the sequence length, and the target it was compiled for.
// attn-compile writes it (model.json, and inside the library, returned by
// attn_model_manifest()); attn-run and Python read it. docs/abi.md documents
// the format.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_MANIFEST_H
#define ATTN_RUNTIME_MANIFEST_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace attn::rt {

/// The value of the manifest's "format" key.
constexpr llvm::StringLiteral kManifestFormat = "attn-model-manifest";
/// The manifest version this code reads and writes.
constexpr int64_t kManifestVersion = 1;

struct ManifestTensor {
  std::string name;
  std::string dtype = "f32";
  std::vector<int64_t> shape; ///< -1 = dynamic.
  /// One symbol per dim ("B", "T", "D"; "" = none), or empty: dims with the
  /// same symbol, across all inputs, must have the same size.
  std::vector<std::string> dims;
  /// For an attention-mask input: "additive" ([T, T], added to the scores)
  /// or "key_padding" ([B, T], added per key); "" otherwise.
  std::string mask;
};

struct ManifestParam {
  std::string name;
  std::string dtype = "f32";
  std::vector<int64_t> shape;
  int64_t offset = 0; ///< In elements, into the packed buffer.
  std::string init;   ///< attn.init of the global ("" if none).
  int64_t numElements() const;
};

/// One term `coeff * B^b * T^t` of the FLOP count; B is dim 0 and T dim 1 of
/// the input.
struct FlopTerm {
  double coeff = 0;
  int64_t b = 0;
  int64_t t = 0;
};

struct ManifestTarget {
  std::string kind = "cpu";
  std::string triple;
  std::string cpu;
  std::string features;
  int64_t threads = 1;
};

struct Manifest {
  int64_t version = kManifestVersion;
  int64_t abiVersion = 2; ///< ATTN_MODEL_ABI_VERSION of the library.
  std::string entry = "forward";
  std::vector<ManifestTensor> inputs;
  std::vector<ManifestTensor> outputs;
  int64_t paramSize = 0;
  int64_t paramAlignment = 1;
  std::vector<ManifestParam> params;
  std::vector<FlopTerm> flops; ///< Empty when unknown.
  ManifestTarget target;

  /// The input called `name`, or nullptr.
  const ManifestTensor *lookupInput(llvm::StringRef name) const;
  /// The parameter called `name`, or nullptr.
  const ManifestParam *lookupParam(llvm::StringRef name) const;
  /// FLOPs of one call on an input of `inputShape`; nullopt when the
  /// manifest has no count.
  std::optional<double> flopsFor(llvm::ArrayRef<int64_t> inputShape) const;

  llvm::json::Value toJSON() const;
  /// Parses and validates (types, shapes, offsets inside the buffer, unique
  /// names). `nameForErrors` names the source in messages.
  static llvm::Expected<Manifest> parse(llvm::StringRef json,
                                        llvm::StringRef nameForErrors);
};

} // namespace attn::rt

#endif // ATTN_RUNTIME_MANIFEST_H
