//===- Compile.cpp - C API: compiling and running models ------------------===//

#include "attn-c/Compile.h"
#include "attn/Pipelines/Compile.h"
#include "attn/Runtime/CompiledModel.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::attn;
using ::attn::rt::CompiledModel;
using ::attn::rt::DType;
using ::attn::rt::Tensor;

MlirAttnCompileOptions mlirAttnCompileOptionsGetDefault(void) {
  static const CompileOptions defaults;
  static const std::string cpu = defaults.cpu, features = defaults.features;
  MlirAttnCompileOptions options;
  options.emit = wrap(StringRef("so"));
  options.threads = defaults.threads;
  options.lowering = wrap(
      StringRef(defaults.lowering == CpuLowering::Vector ? "vector" : "loops"));
  options.attendBlockSize = defaults.attendBlockSize;
  options.passPipeline = wrap(StringRef());
  options.cpu = wrap(StringRef(cpu));
  options.features = wrap(StringRef(features));
  options.optLevel = defaults.optLevel;
  return options;
}

/// attn-compile's --emit spellings.
static std::optional<EmitKind> parseEmit(StringRef emit) {
  return llvm::StringSwitch<std::optional<EmitKind>>(emit)
      .Case("so", EmitKind::SharedLibrary)
      .Case("obj", EmitKind::Object)
      .Case("llvm", EmitKind::LLVMIR)
      .Case("mlir", EmitKind::LLVMDialect)
      .Default(parseEmitKind(emit));
}

MlirLogicalResult mlirAttnCompileModule(MlirModule module,
                                        MlirStringRef outputPath,
                                        const MlirAttnCompileOptions *options) {
  ModuleOp op = unwrap(module);
  Location loc = op.getLoc();
  CompileOptions cpp;
  std::optional<EmitKind> emit = parseEmit(unwrap(options->emit));
  if (!emit) {
    emitError(loc) << "unknown emit kind '" << unwrap(options->emit)
                   << "' (expected so, obj, llvm, mlir, linalg, bufferized "
                      "or loops)";
    return wrap(failure());
  }
  cpp.emit = *emit;
  cpp.threads = options->threads;
  StringRef lowering = unwrap(options->lowering);
  if (lowering != "loops" && lowering != "vector") {
    emitError(loc) << "unknown lowering '" << lowering
                   << "' (expected loops or vector)";
    return wrap(failure());
  }
  cpp.lowering =
      lowering == "vector" ? CpuLowering::Vector : CpuLowering::Loops;
  cpp.attendBlockSize = options->attendBlockSize;
  cpp.passPipeline = unwrap(options->passPipeline).str();
  cpp.cpu = unwrap(options->cpu).str();
  cpp.features = unwrap(options->features).str();
  cpp.optLevel = options->optLevel;
  if (llvm::Error err = compileModule(op, unwrap(outputPath), cpp)) {
    emitError(loc) << llvm::toString(std::move(err));
    return wrap(failure());
  }
  return wrap(success());
}

static CompiledModel *unwrap(MlirAttnCompiledModel model) {
  return static_cast<CompiledModel *>(model.ptr);
}

static MlirLogicalResult fail(MlirStringCallback callback, void *userData,
                              llvm::Error err) {
  std::string message = llvm::toString(std::move(err));
  if (callback)
    callback(wrap(StringRef(message)), userData);
  return wrap(failure());
}

MlirAttnCompiledModel
mlirAttnCompiledModelLoad(MlirStringRef path, MlirStringCallback errorCallback,
                          void *errorUserData) {
  auto model = CompiledModel::load(unwrap(path));
  if (!model) {
    fail(errorCallback, errorUserData, model.takeError());
    return {nullptr};
  }
  return {model->release()};
}

void mlirAttnCompiledModelDestroy(MlirAttnCompiledModel model) {
  delete unwrap(model);
}

void mlirAttnCompiledModelGetManifest(MlirAttnCompiledModel model,
                                      MlirStringCallback callback,
                                      void *userData) {
  std::string json;
  llvm::raw_string_ostream os(json);
  os << unwrap(model)->manifest().toJSON();
  os.flush();
  callback(wrap(StringRef(json)), userData);
}

/// A host copy of an F32 view.
static llvm::Expected<Tensor> toTensor(MlirAttnTensor view) {
  if (unwrap(view.dtype) != "F32")
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("'{0}' has dtype {1}; compiled models take F32",
                      unwrap(view.name), unwrap(view.dtype)));
  Tensor tensor;
  tensor.dtype = DType::F32;
  tensor.shape.assign(view.shape, view.shape + view.rank);
  std::optional<uint64_t> size =
      ::attn::rt::checkedByteSize(DType::F32, tensor.shape);
  if (!size || *size != view.numBytes)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("'{0}': {1} bytes do not hold an F32 {2} tensor",
                      unwrap(view.name), view.numBytes,
                      ::attn::rt::formatShape(tensor.shape)));
  const auto *bytes = static_cast<const uint8_t *>(view.data);
  tensor.data.assign(bytes, bytes + view.numBytes);
  return tensor;
}

MlirLogicalResult
mlirAttnCompiledModelSetParam(MlirAttnCompiledModel model, MlirAttnTensor param,
                              MlirStringCallback errorCallback,
                              void *errorUserData) {
  llvm::Expected<Tensor> tensor = toTensor(param);
  if (!tensor)
    return fail(errorCallback, errorUserData, tensor.takeError());
  if (llvm::Error err = unwrap(model)->setParam(unwrap(param.name), *tensor))
    return fail(errorCallback, errorUserData, std::move(err));
  return wrap(success());
}

/// Calls `outputCallback` with `y`, named after the model's output.
static void deliverOutput(MlirAttnCompiledModel model, const Tensor &y,
                          MlirAttnTensorCallback outputCallback,
                          void *userData) {
  const auto &outputs = unwrap(model)->manifest().outputs;
  std::string name = outputs.empty() ? "y" : outputs.front().name;
  MlirAttnTensor view;
  view.name = wrap(StringRef(name));
  view.dtype = wrap(::attn::rt::dtypeName(y.dtype));
  view.rank = static_cast<intptr_t>(y.shape.size());
  view.shape = y.shape.data();
  view.data = y.data.data();
  view.numBytes = y.data.size();
  outputCallback(view, userData);
}

intptr_t mlirAttnCompiledModelGetNumInputs(MlirAttnCompiledModel model) {
  return static_cast<intptr_t>(unwrap(model)->manifest().inputs.size());
}

MlirLogicalResult
mlirAttnCompiledModelRun(MlirAttnCompiledModel model,
                         const MlirAttnTensor *inputs, intptr_t numInputs,
                         MlirAttnTensorCallback outputCallback, void *userData,
                         MlirStringCallback errorCallback,
                         void *errorUserData) {
  const auto &specs = unwrap(model)->manifest().inputs;
  auto error = [&](const llvm::Twine &message) {
    return fail(errorCallback, errorUserData,
                llvm::createStringError(llvm::inconvertibleErrorCode(),
                                        message.str()));
  };
  std::string names;
  for (const auto &spec : specs)
    names += (names.empty() ? "" : ", ") + spec.name;
  if (numInputs < 0 || (numInputs > 0 && !inputs))
    return error("invalid input list");
  std::vector<std::optional<Tensor>> tensors(specs.size());
  for (intptr_t i = 0; i < numInputs; ++i) {
    StringRef name = unwrap(inputs[i].name);
    auto it = llvm::find_if(specs, [&](const auto &s) { return s.name == name; });
    if (it == specs.end())
      return error("the model has no input '" + name + "' (its inputs: " +
                   names + ")");
    std::optional<Tensor> &slot = tensors[it - specs.begin()];
    if (slot)
      return error("input '" + name + "' is given twice");
    llvm::Expected<Tensor> tensor = toTensor(inputs[i]);
    if (!tensor)
      return fail(errorCallback, errorUserData, tensor.takeError());
    slot = std::move(*tensor);
  }
  std::vector<const Tensor *> ordered;
  for (auto [spec, tensor] : llvm::zip(specs, tensors)) {
    if (!tensor)
      return error("input '" + spec.name + "' is missing (the model's "
                   "inputs: " + names + ")");
    ordered.push_back(&*tensor);
  }
  llvm::Expected<Tensor> y = unwrap(model)->run(ordered);
  if (!y)
    return fail(errorCallback, errorUserData, y.takeError());
  deliverOutput(model, *y, outputCallback, userData);
  return wrap(success());
}

MlirLogicalResult
mlirAttnCompiledModelForward(MlirAttnCompiledModel model, MlirAttnTensor input,
                             MlirAttnTensorCallback outputCallback,
                             void *userData, MlirStringCallback errorCallback,
                             void *errorUserData) {
  llvm::Expected<Tensor> x = toTensor(input);
  if (!x)
    return fail(errorCallback, errorUserData, x.takeError());
  llvm::Expected<Tensor> y = unwrap(model)->forward(*x);
  if (!y)
    return fail(errorCallback, errorUserData, y.takeError());
  deliverOutput(model, *y, outputCallback, userData);
  return wrap(success());
}
