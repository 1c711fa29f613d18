//===- Bindings.h - shared pieces of the _attn_mlir module -----*- C++ -*-===//
//
// What the files of the extension module share: MLIRError, string
// conversions, diagnostic capture, tensors copied out of C callbacks, and
// the functions each file binds. Private to python-bindings/src.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PYTHON_BINDINGS_H
#define ATTN_PYTHON_BINDINGS_H

#include "attn-c/Diagnostics.h"
#include "attn-c/Model.h"
#include "attn-c/Runtime.h"

#include "mlir-c/Support.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace attn_python {

namespace py = pybind11;

/// `_attn_mlir.MLIRError`, a RuntimeError subclass (set at module init).
py::object &mlirErrorType();

/// Raises MLIRError("<what>:\n<diagnostics>") with a `diagnostics` attribute.
[[noreturn]] void raiseMLIRError(const std::string &what,
                                 const std::string &diagnostics);

std::string toString(MlirStringRef ref);
MlirStringRef toRef(const std::string &s);
/// An MlirStringCallback appending to the std::string `userData`.
void appendToString(MlirStringRef chunk, void *userData);

/// Captures the diagnostics of a context while it lives.
class DiagnosticScope {
public:
  explicit DiagnosticScope(MlirContext context)
      : capture(mlirAttnDiagnosticCaptureCreate(context)) {}
  ~DiagnosticScope() { mlirAttnDiagnosticCaptureDestroy(capture); }
  DiagnosticScope(const DiagnosticScope &) = delete;
  DiagnosticScope &operator=(const DiagnosticScope &) = delete;

  std::string text() const {
    return toString(mlirAttnDiagnosticCaptureGetText(capture));
  }
  bool hasErrors() const {
    return mlirAttnDiagnosticCaptureGetNumErrors(capture) != 0;
  }

private:
  MlirAttnDiagnosticCapture capture;
};

/// A tensor copied out of a C callback.
struct OwnedTensor {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};

/// An MlirAttnTensorCallback appending to the std::vector<OwnedTensor>
/// `userData`.
void collectTensor(MlirAttnTensor view, void *userData);
/// NumPy's name for a safetensors dtype; BF16 has none and becomes float32.
std::optional<std::string> numpyDtype(const std::string &dtype);
/// The safetensors name of a NumPy dtype, or nullopt.
std::optional<std::string> safetensorsDtype(const py::dtype &dtype);
py::array toArray(OwnedTensor &tensor);

// SafeTensorsBindings.cpp
py::tuple readSafeTensors(const std::string &path);
void writeSafeTensors(
    const std::string &path,
    const std::vector<std::pair<std::string, py::array>> &tensors,
    const std::map<std::string, std::string> &metadata);

// EncoderConfigBindings.cpp
/// An encoder config from keyword arguments; unknown keys are errors. The
/// strings the config points to live in the two storage arguments.
MlirAttnEncoderConfig configFromKwargs(const py::kwargs &kwargs,
                                       std::string &activationStorage,
                                       std::string &maskStorage);
py::dict encoderDefaults();

} // namespace attn_python

#endif // ATTN_PYTHON_BINDINGS_H
