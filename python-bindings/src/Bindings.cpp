//===- Bindings.cpp - shared pieces of the _attn_mlir module --------------===//
//
// See Bindings.h.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include <cstring>

namespace attn_python {

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

/// `_attn_mlir.MLIRError`, a RuntimeError subclass (set at module init).
py::object &mlirErrorType() {
  static py::object type;
  return type;
}

/// Raises MLIRError("<what>:\n<diagnostics>") with a `diagnostics` attribute.
[[noreturn]] void raiseMLIRError(const std::string &what,
                                 const std::string &diagnostics) {
  std::string message = what;
  if (!diagnostics.empty())
    message += ":\n" + diagnostics;
  py::object error = mlirErrorType()(message);
  error.attr("diagnostics") = diagnostics;
  PyErr_SetObject(mlirErrorType().ptr(), error.ptr());
  throw py::error_already_set();
}

std::string toString(MlirStringRef ref) { return {ref.data, ref.length}; }

MlirStringRef toRef(const std::string &s) {
  return mlirStringRefCreate(s.data(), s.size());
}

void appendToString(MlirStringRef chunk, void *userData) {
  static_cast<std::string *>(userData)->append(chunk.data, chunk.length);
}



//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//



void collectTensor(MlirAttnTensor view, void *userData) {
  auto *tensors = static_cast<std::vector<OwnedTensor> *>(userData);
  OwnedTensor tensor;
  tensor.name = toString(view.name);
  tensor.dtype = toString(view.dtype);
  tensor.shape.assign(view.shape, view.shape + view.rank);
  const auto *bytes = static_cast<const uint8_t *>(view.data);
  tensor.data.assign(bytes, bytes + view.numBytes);
  tensors->push_back(std::move(tensor));
}

/// NumPy's name for a safetensors dtype; BF16 has none and becomes float32.
std::optional<std::string> numpyDtype(const std::string &dtype) {
  static const std::map<std::string, std::string> names = {
      {"F32", "float32"}, {"F16", "float16"}, {"F64", "float64"},
      {"I64", "int64"},   {"I32", "int32"},   {"I8", "int8"},
      {"U8", "uint8"},    {"BOOL", "bool"}};
  auto it = names.find(dtype);
  if (it == names.end())
    return std::nullopt;
  return it->second;
}

/// The safetensors name of a NumPy dtype, or nullopt.
std::optional<std::string> safetensorsDtype(const py::dtype &dtype) {
  static const std::map<std::string, std::string> names = {
      {"float32", "F32"}, {"float16", "F16"}, {"float64", "F64"},
      {"int64", "I64"},   {"int32", "I32"},   {"int8", "I8"},
      {"uint8", "U8"},    {"bool", "BOOL"}};
  std::string name = py::str(dtype.attr("name"));
  auto it = names.find(name);
  if (it == names.end())
    return std::nullopt;
  return it->second;
}

py::array toArray(OwnedTensor &tensor) {
  std::vector<py::ssize_t> shape(tensor.shape.begin(), tensor.shape.end());
  if (tensor.dtype == "BF16") {
    // bfloat16 is the upper half of a float32.
    py::array_t<float> array(shape);
    size_t count = tensor.data.size() / 2;
    float *out = array.mutable_data();
    for (size_t i = 0; i < count; ++i) {
      uint32_t bits =
          uint32_t(tensor.data[2 * i]) | uint32_t(tensor.data[2 * i + 1]) << 8;
      bits <<= 16;
      std::memcpy(&out[i], &bits, sizeof(float));
    }
    return std::move(array);
  }
  std::optional<std::string> name = numpyDtype(tensor.dtype);
  if (!name)
    throw py::value_error("tensor '" + tensor.name + "' has unknown dtype " +
                          tensor.dtype);
  py::array array(py::dtype(*name), shape);
  if (!tensor.data.empty())
    std::memcpy(array.mutable_data(), tensor.data.data(), tensor.data.size());
  return array;
}

} // namespace attn_python
