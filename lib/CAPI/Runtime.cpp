//===- Runtime.cpp - C API: host tensors and parameter files --------------===//

#include "attn-c/Runtime.h"
#include "attn/Runtime/SafeTensors.h"

#include "mlir/CAPI/Support.h"
#include "llvm/Support/FormatVariadic.h"

#include <cstring>

using namespace attn::rt;

static MlirLogicalResult fail(MlirStringCallback errorCallback,
                              void *errorUserData, const std::string &message) {
  if (errorCallback)
    errorCallback(wrap(llvm::StringRef(message)), errorUserData);
  return mlirLogicalResultFailure();
}

MlirLogicalResult mlirAttnReadSafeTensors(
    MlirStringRef path, MlirAttnTensorCallback callback, void *userData,
    void (*metadataCallback)(MlirStringRef, MlirStringRef, void *),
    MlirStringCallback errorCallback, void *errorUserData) {
  llvm::Expected<SafeTensorsFile> file = SafeTensorsFile::open(unwrap(path));
  if (!file)
    return fail(errorCallback, errorUserData, llvm::toString(file.takeError()));
  for (const SafeTensorInfo &info : file->tensors()) {
    llvm::ArrayRef<uint8_t> bytes = file->bytes(info);
    MlirAttnTensor view;
    view.name = wrap(llvm::StringRef(info.name));
    view.dtype = wrap(dtypeName(info.dtype));
    view.rank = static_cast<intptr_t>(info.shape.size());
    view.shape = info.shape.data();
    view.data = bytes.data();
    view.numBytes = bytes.size();
    callback(view, userData);
  }
  if (metadataCallback)
    for (const auto &[key, value] : file->metadata())
      metadataCallback(wrap(llvm::StringRef(key)), wrap(llvm::StringRef(value)),
                       userData);
  return mlirLogicalResultSuccess();
}

MlirLogicalResult mlirAttnWriteSafeTensors(
    MlirStringRef path, intptr_t numTensors, const MlirAttnTensor *tensors,
    intptr_t numMetadata, const MlirStringRef *metadataKeys,
    const MlirStringRef *metadataValues, MlirStringCallback errorCallback,
    void *errorUserData) {
  // The writer takes host tensors; copy the views into them.
  std::vector<Tensor> owned(numTensors);
  std::vector<NamedTensor> named;
  named.reserve(numTensors);
  for (intptr_t i = 0; i < numTensors; ++i) {
    const MlirAttnTensor &view = tensors[i];
    llvm::StringRef name = unwrap(view.name);
    std::optional<DType> dtype = parseDType(unwrap(view.dtype));
    if (!dtype)
      return fail(errorCallback, errorUserData,
                  llvm::formatv("tensor '{0}': unknown dtype '{1}'", name,
                                unwrap(view.dtype)));
    std::vector<int64_t> shape(view.shape, view.shape + view.rank);
    std::optional<uint64_t> size = checkedByteSize(*dtype, shape);
    if (!size || *size != view.numBytes)
      return fail(errorCallback, errorUserData,
                  llvm::formatv("tensor '{0}': {1} bytes do not hold a {2} "
                                "{3} tensor",
                                name, view.numBytes, formatShape(shape),
                                unwrap(view.dtype)));
    Tensor &tensor = owned[i];
    tensor.dtype = *dtype;
    tensor.shape = std::move(shape);
    const auto *begin = static_cast<const uint8_t *>(view.data);
    tensor.data.assign(begin, begin + view.numBytes);
    named.push_back({name.str(), &tensor});
  }
  std::map<std::string, std::string> metadata;
  for (intptr_t i = 0; i < numMetadata; ++i)
    metadata[unwrap(metadataKeys[i]).str()] = unwrap(metadataValues[i]).str();
  if (llvm::Error err = writeSafeTensors(unwrap(path), named, metadata))
    return fail(errorCallback, errorUserData, llvm::toString(std::move(err)));
  return mlirLogicalResultSuccess();
}
