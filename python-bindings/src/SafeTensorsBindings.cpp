//===- SafeTensorsBindings.cpp - read/write_safetensors for Python -------===//
//
// Safetensors files as NumPy arrays, through the attn C API (attn-c/Runtime.h).
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include "attn-c/Runtime.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace attn_python {

//===----------------------------------------------------------------------===//
// Safetensors
//===----------------------------------------------------------------------===//

py::tuple readSafeTensors(const std::string &path) {
  struct Result {
    std::vector<OwnedTensor> tensors;
    std::vector<std::pair<std::string, std::string>> metadata;
  } result;
  std::string error;
  MlirLogicalResult status = mlirAttnReadSafeTensors(
      toRef(path),
      [](MlirAttnTensor view, void *userData) {
        collectTensor(view, &static_cast<Result *>(userData)->tensors);
      },
      &result,
      [](MlirStringRef key, MlirStringRef value, void *userData) {
        static_cast<Result *>(userData)->metadata.emplace_back(toString(key),
                                                               toString(value));
      },
      appendToString, &error);
  if (mlirLogicalResultIsFailure(status))
    raiseMLIRError("cannot read '" + path + "'", error);
  py::dict tensors;
  for (OwnedTensor &tensor : result.tensors)
    tensors[py::str(tensor.name)] = toArray(tensor);
  py::dict metadata;
  for (auto &[key, value] : result.metadata)
    metadata[py::str(key)] = py::str(value);
  return py::make_tuple(tensors, metadata);
}

void writeSafeTensors(
    const std::string &path,
    const std::vector<std::pair<std::string, py::array>> &tensors,
    const std::map<std::string, std::string> &metadata) {
  // Keep contiguous copies alive while the views point into them.
  std::vector<py::array> arrays;
  std::vector<std::string> names, dtypes;
  std::vector<std::vector<int64_t>> shapes;
  arrays.reserve(tensors.size());
  names.reserve(tensors.size());
  dtypes.reserve(tensors.size());
  shapes.reserve(tensors.size());
  for (const auto &[name, array] : tensors) {
    std::optional<std::string> dtype = safetensorsDtype(array.dtype());
    if (!dtype)
      throw py::type_error("tensor '" + name + "' has dtype " +
                           std::string(py::str(array.dtype())) +
                           ", which safetensors files of attn-mlir do not "
                           "hold");
    arrays.push_back(
        py::array::ensure(array, py::array::c_style | py::array::forcecast));
    names.push_back(name);
    dtypes.push_back(*dtype);
    const py::array &a = arrays.back();
    shapes.emplace_back(a.shape(), a.shape() + a.ndim());
  }
  std::vector<MlirAttnTensor> views(tensors.size());
  for (size_t i = 0; i < views.size(); ++i) {
    views[i].name = toRef(names[i]);
    views[i].dtype = toRef(dtypes[i]);
    views[i].rank = static_cast<intptr_t>(shapes[i].size());
    views[i].shape = shapes[i].data();
    views[i].data = arrays[i].data();
    views[i].numBytes = static_cast<size_t>(arrays[i].nbytes());
  }
  std::vector<MlirStringRef> keys, values;
  for (const auto &[key, value] : metadata) {
    keys.push_back(toRef(key));
    values.push_back(toRef(value));
  }
  std::string error;
  if (mlirLogicalResultIsFailure(mlirAttnWriteSafeTensors(
          toRef(path), static_cast<intptr_t>(views.size()), views.data(),
          static_cast<intptr_t>(keys.size()), keys.data(), values.data(),
          appendToString, &error)))
    raiseMLIRError("cannot write '" + path + "'", error);
}

} // namespace attn_python
