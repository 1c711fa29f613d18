//===- CompiledModel.cpp - a compiled model loaded in-process -------------===//

#include "attn/Runtime/CompiledModel.h"

#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"

using namespace attn::rt;

/// The C API of the library.
struct CompiledModel::Api {
  int32_t (*abiVersion)();
  const char *(*manifest)();
  const char *(*statusString)(int32_t);
  int32_t (*create)(attn_model **, char *, size_t);
  void (*destroy)(attn_model *);
  int32_t (*setParam)(attn_model *, const char *, const float *,
                      const int64_t *, int32_t, char *, size_t);
  int32_t (*run)(attn_model *, const float *const *, const int64_t *const *,
                 const int32_t *, int32_t, float *, int64_t, int64_t *, char *,
                 size_t);
};

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 message.str());
}

llvm::Expected<std::unique_ptr<CompiledModel>>
CompiledModel::load(llvm::StringRef path) {
  std::string error;
  // dlopen searches the library path for a name without a slash.
  llvm::SmallString<256> absolute(path);
  if (std::error_code ec = llvm::sys::fs::make_absolute(absolute))
    return makeError(path + ": " + ec.message());
  if (!llvm::sys::fs::exists(absolute))
    return makeError(path + ": no such file");
  std::string pathStr = std::string(absolute);
  llvm::sys::DynamicLibrary lib =
      llvm::sys::DynamicLibrary::getPermanentLibrary(pathStr.c_str(), &error);
  if (!lib.isValid())
    return makeError(path + ": cannot load the compiled model: " + error);

  auto result = std::unique_ptr<CompiledModel>(new CompiledModel());
  result->libraryPath = path.str();
  result->api = std::make_unique<Api>();
  Api &api = *result->api;
  auto resolve = [&](auto &fn, const char *name) -> llvm::Error {
    void *address = lib.getAddressOfSymbol(name);
    if (!address)
      return makeError(path + ": not a compiled attn model (no symbol '" +
                       name + "')");
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(address);
    return llvm::Error::success();
  };
  if (auto err = resolve(api.abiVersion, "attn_model_abi_version"))
    return std::move(err);
  int32_t version = api.abiVersion();
  if (version != ATTN_MODEL_ABI_VERSION)
    return makeError(path + ": compiled for model ABI version " +
                     llvm::Twine(version) + ", this runtime speaks version " +
                     llvm::Twine(ATTN_MODEL_ABI_VERSION) +
                     "; recompile it with this attn-compile");
  if (auto err = resolve(api.manifest, "attn_model_manifest"))
    return std::move(err);
  if (auto err = resolve(api.statusString, "attn_model_status_string"))
    return std::move(err);
  if (auto err = resolve(api.create, "attn_model_create"))
    return std::move(err);
  if (auto err = resolve(api.destroy, "attn_model_destroy"))
    return std::move(err);
  if (auto err = resolve(api.setParam, "attn_model_set_param"))
    return std::move(err);
  if (auto err = resolve(api.run, "attn_model_run"))
    return std::move(err);

  llvm::Expected<Manifest> manifest =
      Manifest::parse(api.manifest(), path.str() + " (embedded manifest)");
  if (!manifest)
    return manifest.takeError();
  result->manifestData = std::move(*manifest);
  if (result->manifestData.inputs.empty() ||
      result->manifestData.inputs.size() > ATTN_MODEL_MAX_INPUTS ||
      result->manifestData.outputs.size() != 1)
    return makeError(path + ": the model must have 1 to " +
                     llvm::Twine(ATTN_MODEL_MAX_INPUTS) +
                     " inputs and one output");

  result->errorBuffer.assign(1024, '\0');
  int32_t status = api.create(&result->model, result->errorBuffer.data(),
                              result->errorBuffer.size());
  if (status != ATTN_OK)
    return result->statusError(status, "cannot create the model");
  return result;
}

CompiledModel::~CompiledModel() {
  if (api && model)
    api->destroy(model);
}

llvm::Error CompiledModel::statusError(int32_t status, const char *what) const {
  return makeError(llvm::formatv("{0}: {1}: {2} ({3})", libraryPath, what,
                                 errorBuffer.data(), api->statusString(status))
                       .str());
}

llvm::Error CompiledModel::setParam(llvm::StringRef name, const Tensor &value) {
  if (value.dtype != DType::F32)
    return makeError(libraryPath + ": parameter '" + name + "' must be F32, got " +
                     dtypeName(value.dtype));
  std::string nameStr = name.str();
  int32_t status = api->setParam(
      model, nameStr.c_str(), value.f32(), value.shape.data(),
      static_cast<int32_t>(value.shape.size()), errorBuffer.data(),
      errorBuffer.size());
  if (status != ATTN_OK)
    return statusError(status, "cannot set a parameter");
  return llvm::Error::success();
}

std::optional<std::vector<int64_t>>
CompiledModel::guessOutputShape(llvm::ArrayRef<int64_t> inputShape) const {
  const ManifestTensor &in = manifestData.inputs[0];
  const ManifestTensor &out = manifestData.outputs[0];
  std::vector<int64_t> shape = out.shape;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] >= 0)
      continue;
    if (in.shape.size() != shape.size() || inputShape.size() != shape.size() ||
        in.shape[i] >= 0)
      return std::nullopt;
    shape[i] = inputShape[i];
  }
  return shape;
}

llvm::Error
CompiledModel::prepareInputs(llvm::ArrayRef<const Tensor *> inputs,
                             std::vector<const float *> &data,
                             std::vector<const int64_t *> &shapes,
                             std::vector<int32_t> &ranks) const {
  const std::vector<ManifestTensor> &specs = manifestData.inputs;
  if (inputs.size() != specs.size()) {
    std::string names;
    for (const ManifestTensor &t : specs)
      names += (names.empty() ? "" : ", ") + t.name;
    return makeError(llvm::formatv("{0}: the model takes {1} input(s) ({2}), "
                                   "got {3}",
                                   libraryPath, specs.size(), names,
                                   inputs.size())
                         .str());
  }
  for (auto [tensor, spec] : llvm::zip(inputs, specs)) {
    if (!tensor)
      return makeError(libraryPath + ": input '" + spec.name + "' is null");
    if (tensor->dtype != DType::F32)
      return makeError(libraryPath + ": input '" + spec.name +
                       "' must be F32, got " + dtypeName(tensor->dtype));
    data.push_back(tensor->f32());
    shapes.push_back(tensor->shape.data());
    ranks.push_back(static_cast<int32_t>(tensor->shape.size()));
  }
  return llvm::Error::success();
}

llvm::Error CompiledModel::runInto(llvm::ArrayRef<const Tensor *> inputs,
                                   Tensor &output) {
  std::vector<const float *> data;
  std::vector<const int64_t *> shapes;
  std::vector<int32_t> ranks;
  if (llvm::Error err = prepareInputs(inputs, data, shapes, ranks))
    return err;
  if (output.dtype != DType::F32)
    return makeError("the output tensor must be F32");
  std::vector<int64_t> outShape(
      std::max<size_t>(manifestData.outputs[0].shape.size(), 1), 0);
  int32_t status = api->run(model, data.data(), shapes.data(), ranks.data(),
                            static_cast<int32_t>(data.size()), output.f32(),
                            output.numElements(), outShape.data(),
                            errorBuffer.data(), errorBuffer.size());
  if (status != ATTN_OK)
    return statusError(status, "forward failed");
  outShape.resize(manifestData.outputs[0].shape.size());
  output.shape = std::move(outShape);
  return llvm::Error::success();
}

llvm::Expected<Tensor>
CompiledModel::run(llvm::ArrayRef<const Tensor *> inputs) {
  std::vector<const float *> data;
  std::vector<const int64_t *> shapes;
  std::vector<int32_t> ranks;
  if (llvm::Error err = prepareInputs(inputs, data, shapes, ranks))
    return std::move(err);
  std::vector<int64_t> guess =
      guessOutputShape(inputs.front()->shape)
          .value_or(std::vector<int64_t>{0});
  if (!checkedNumElements(guess))
    guess = {0};
  Tensor output = Tensor::zeros(DType::F32, guess);
  std::vector<int64_t> outShape(
      std::max<size_t>(manifestData.outputs[0].shape.size(), 1), 0);
  for (int attempt = 0; attempt < 2; ++attempt) {
    int32_t status = api->run(model, data.data(), shapes.data(), ranks.data(),
                              static_cast<int32_t>(data.size()), output.f32(),
                              output.numElements(), outShape.data(),
                              errorBuffer.data(), errorBuffer.size());
    outShape.resize(manifestData.outputs[0].shape.size());
    if (status == ATTN_ERR_OUTPUT_TOO_SMALL && attempt == 0 &&
        checkedByteSize(DType::F32, outShape)) {
      output = Tensor::zeros(DType::F32, outShape);
      outShape.resize(std::max<size_t>(outShape.size(), 1));
      continue;
    }
    if (status != ATTN_OK)
      return statusError(status, "forward failed");
    break;
  }
  output.shape = outShape;
  output.data.resize(output.numElements() * sizeof(float));
  return output;
}

llvm::Expected<Tensor> CompiledModel::forward(const Tensor &input) {
  return run({&input});
}

llvm::Error CompiledModel::forwardInto(const Tensor &input, Tensor &output) {
  return runInto({&input}, output);
}
