//===- CompiledModel.h - a compiled model loaded in-process -----*- C++ -*-===//
//
// C++ view of a shared library written by attn-compile: loads it, checks its
// ABI version, parses its manifest, and wraps the C API of ModelApi.h with
// llvm::Error and host tensors. Used by attn-run and the Python package.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_RUNTIME_COMPILEDMODEL_H
#define ATTN_RUNTIME_COMPILEDMODEL_H

#include "attn/Runtime/Manifest.h"
#include "attn/Runtime/ModelApi.h"
#include "attn/Runtime/Tensor.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace attn::rt {

class CompiledModel {
public:
  /// Loads the library at `path` (it stays loaded for the life of the
  /// process), checks the ABI version, parses the manifest and creates one
  /// model instance.
  static llvm::Expected<std::unique_ptr<CompiledModel>>
  load(llvm::StringRef path);
  ~CompiledModel();

  const Manifest &manifest() const { return manifestData; }
  const std::string &path() const { return libraryPath; }

  /// Binds parameter `name` (an f32 tensor of exactly the manifest shape).
  llvm::Error setParam(llvm::StringRef name, const Tensor &value);

  /// Runs the model on all its inputs, in manifest order (F32 tensors; the
  /// library checks their shapes and that dims with the same symbol agree);
  /// the output is allocated to fit.
  llvm::Expected<Tensor> run(llvm::ArrayRef<const Tensor *> inputs);
  /// Runs the model into `output`, which must already have the right size
  /// (as returned by an earlier run on inputs of the same shapes); no
  /// allocation on the host side.
  llvm::Error runInto(llvm::ArrayRef<const Tensor *> inputs, Tensor &output);

  /// run() and runInto() for a model with one input; a model that takes
  /// more fails with a message naming its inputs.
  llvm::Expected<Tensor> forward(const Tensor &input);
  llvm::Error forwardInto(const Tensor &input, Tensor &output);

  /// The output shape for an input of `inputShape`, when the manifest
  /// determines it: static dims, and dynamic dims at the positions of the
  /// input's dynamic dims when input and output have equal rank (as for an
  /// encoder). nullopt otherwise.
  std::optional<std::vector<int64_t>>
  guessOutputShape(llvm::ArrayRef<int64_t> inputShape) const;

private:
  CompiledModel() = default;
  llvm::Error statusError(int32_t status, const char *what) const;
  /// Checks the count and dtypes of `inputs` and collects their pointers.
  llvm::Error prepareInputs(llvm::ArrayRef<const Tensor *> inputs,
                            std::vector<const float *> &data,
                            std::vector<const int64_t *> &shapes,
                            std::vector<int32_t> &ranks) const;

  struct Api;
  std::unique_ptr<Api> api;
  attn_model *model = nullptr;
  Manifest manifestData;
  std::string libraryPath;
  mutable std::vector<char> errorBuffer;
};

} // namespace attn::rt

#endif // ATTN_RUNTIME_COMPILEDMODEL_H
