//===- AttnMlirModule.cpp - the _attn_mlir extension module ---------------===//
//
// The native half of the `attn_mlir` Python package: a thin pybind11 layer
// over the attn C API (include/attn-c) and MLIR's own C API. It includes no
// C++ header of MLIR or attn-mlir (STYLE.md practice 13), holds the GIL
// throughout, and turns every failure into `MLIRError` carrying the
// diagnostics the call produced. The pure-Python package (attn_mlir/) builds
// the user-facing API on top of it.
//
// C callbacks never raise: they copy into C++ containers, and Python
// objects are made once the C call has returned (the attn libraries are
// built without exceptions).
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include "attn-c/Compile.h"
#include "attn-c/Diagnostics.h"
#include "attn-c/Dialects.h"
#include "attn-c/Model.h"
#include "attn-c/Passes.h"
#include "attn-c/Report.h"
#include "attn-c/Runtime.h"

#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;
using namespace attn_python;

namespace {

//===----------------------------------------------------------------------===//
// Context and Module
//===----------------------------------------------------------------------===//

/// An MLIR context with every upstream and attn dialect and pass registered.
class AttnContext {
public:
  AttnContext() {
    MlirDialectRegistry registry = mlirDialectRegistryCreate();
    mlirAttnRegisterAllDialects(registry);
    context = mlirContextCreateWithRegistry(registry,
                                            /*threadingEnabled=*/false);
    mlirDialectRegistryDestroy(registry);
    mlirAttnRegisterAllPasses();
  }
  ~AttnContext() { mlirContextDestroy(context); }
  AttnContext(const AttnContext &) = delete;
  AttnContext &operator=(const AttnContext &) = delete;

  MlirContext get() const { return context; }

private:
  MlirContext context;
};

/// An owned module; keeps its context alive.
class AttnModule {
public:
  AttnModule(std::shared_ptr<AttnContext> context, MlirModule module)
      : context(std::move(context)), module(module) {}
  ~AttnModule() {
    if (!mlirModuleIsNull(module))
      mlirModuleDestroy(module);
  }
  AttnModule(const AttnModule &) = delete;
  AttnModule &operator=(const AttnModule &) = delete;

  std::string print(bool debugInfo, bool generic) const {
    MlirOpPrintingFlags flags = mlirOpPrintingFlagsCreate();
    if (debugInfo)
      mlirOpPrintingFlagsEnableDebugInfo(flags, /*enable=*/true,
                                         /*prettyForm=*/false);
    if (generic)
      mlirOpPrintingFlagsPrintGenericOpForm(flags);
    std::string text;
    mlirOperationPrintWithFlags(mlirModuleGetOperation(module), flags,
                                appendToString, &text);
    mlirOpPrintingFlagsDestroy(flags);
    return text;
  }

  std::unique_ptr<AttnModule> clone() const {
    MlirOperation copy = mlirOperationClone(mlirModuleGetOperation(module));
    return std::make_unique<AttnModule>(context, mlirModuleFromOperation(copy));
  }

  /// Runs `pipeline` in place; returns the diagnostics (remarks, warnings).
  std::string runPipeline(const std::string &pipeline) {
    DiagnosticScope diagnostics(context->get());
    MlirLogicalResult result = mlirAttnRunPassPipeline(module, toRef(pipeline));
    if (mlirLogicalResultIsFailure(result))
      raiseMLIRError("pass pipeline '" + pipeline + "' failed",
                     diagnostics.text());
    return diagnostics.text();
  }

  void verify() const {
    DiagnosticScope diagnostics(context->get());
    if (!mlirOperationVerify(mlirModuleGetOperation(module)))
      raiseMLIRError("the module does not verify", diagnostics.text());
  }

  /// [(name, shape or None, element type, init or None)] in module order.
  py::list params() const {
    struct Info {
      std::string name;
      std::optional<std::vector<int64_t>> shape;
      std::string elementType;
      std::string init;
    };
    std::vector<Info> infos;
    mlirAttnModuleForEachParam(
        module,
        [](MlirAttnParamInfo param, void *userData) {
          Info info;
          info.name = toString(param.name);
          info.init = toString(param.init);
          MlirType type = param.type;
          MlirType element = type;
          if (mlirTypeIsARankedTensor(type)) {
            element = mlirShapedTypeGetElementType(type);
            std::vector<int64_t> shape;
            bool isStatic = true;
            for (intptr_t i = 0, e = mlirShapedTypeGetRank(type); i < e; ++i) {
              if (mlirShapedTypeIsDynamicDim(type, i))
                isStatic = false;
              shape.push_back(mlirShapedTypeGetDimSize(type, i));
            }
            if (isStatic)
              info.shape = std::move(shape);
          }
          mlirTypePrint(element, appendToString, &info.elementType);
          static_cast<std::vector<Info> *>(userData)->push_back(
              std::move(info));
        },
        &infos);
    py::list result;
    for (Info &info : infos) {
      py::object shape = py::none();
      if (info.shape)
        shape = py::tuple(py::cast(*info.shape));
      py::object init = py::none();
      if (!info.init.empty())
        init = py::str(info.init);
      result.append(py::make_tuple(info.name, shape, info.elementType, init));
    }
    return result;
  }

  /// {name: float32 array} from the seeded generator of attn-model.
  py::dict randomParams(uint64_t seed) const {
    std::vector<OwnedTensor> tensors;
    DiagnosticScope diagnostics(context->get());
    if (mlirLogicalResultIsFailure(
            mlirAttnModuleRandomParams(module, seed, collectTensor, &tensors)))
      raiseMLIRError("cannot make random parameters", diagnostics.text());
    py::dict result;
    for (OwnedTensor &tensor : tensors)
      result[py::str(tensor.name)] = toArray(tensor);
    return result;
  }

  /// (totals dict, [layer dict], table text) of the cost model at seqLen.
  py::tuple cost(int64_t seqLen) const {
    struct Collected {
      std::vector<MlirAttnLayerCost> layers;
      std::vector<std::string> kinds;
    } collected;
    MlirAttnModelCost total;
    DiagnosticScope diagnostics(context->get());
    MlirLogicalResult result = mlirAttnModuleComputeCost(
        module, seqLen, &total,
        [](MlirAttnLayerCost layer, void *userData) {
          auto *c = static_cast<Collected *>(userData);
          c->kinds.push_back(toString(layer.kind));
          layer.kind = MlirStringRef{nullptr, 0};
          c->layers.push_back(layer);
        },
        &collected);
    if (mlirLogicalResultIsFailure(result))
      raiseMLIRError("cannot compute the cost of the model",
                     diagnostics.text());
    std::string table;
    std::string format = "table";
    if (mlirLogicalResultIsFailure(mlirAttnModulePrintCost(
            module, seqLen, toRef(format), appendToString, &table)))
      raiseMLIRError("cannot print the cost of the model", diagnostics.text());
    py::dict totals;
    totals["seq_len"] = total.seqLen;
    totals["batch"] = total.batch;
    totals["params"] = total.params;
    totals["attention_params"] = total.attentionParams;
    totals["state_per_position"] = total.statePerPosition;
    totals["flops"] = total.flops;
    totals["bytes"] = total.bytes;
    totals["map_bytes"] = total.mapBytes;
    py::list rows;
    for (size_t i = 0; i < collected.layers.size(); ++i) {
      const MlirAttnLayerCost &layer = collected.layers[i];
      py::dict row;
      row["index"] = layer.index;
      row["kind"] = collected.kinds[i];
      row["params"] = layer.params;
      row["state_per_position"] = layer.statePerPosition;
      row["flops"] = layer.flops;
      row["bytes"] = layer.bytes;
      row["map_bytes"] = layer.mapBytes;
      rows.append(row);
    }
    return py::make_tuple(totals, rows, table);
  }

  /// Lowers the module in place and writes `path` (attn-compile).
  void compile(const std::string &path, const py::kwargs &kwargs) {
    MlirAttnCompileOptions options = mlirAttnCompileOptionsGetDefault();
    std::vector<std::unique_ptr<std::string>> storage;
    auto text = [&](py::handle value) {
      storage.push_back(
          std::make_unique<std::string>(value.cast<std::string>()));
      return toRef(*storage.back());
    };
    for (auto item : kwargs) {
      std::string key = py::str(item.first);
      py::handle value = item.second;
      if (key == "emit")
        options.emit = text(value);
      else if (key == "threads")
        options.threads = value.cast<uint32_t>();
      else if (key == "lowering")
        options.lowering = text(value);
      else if (key == "attend_block_size")
        options.attendBlockSize = value.cast<int64_t>();
      else if (key == "pass_pipeline")
        options.passPipeline = text(value);
      else if (key == "cpu")
        options.cpu = text(value);
      else if (key == "features")
        options.features = text(value);
      else if (key == "opt_level")
        options.optLevel = value.cast<uint32_t>();
      else
        throw py::type_error("unknown compile option '" + key + "'");
    }
    DiagnosticScope diagnostics(context->get());
    if (mlirLogicalResultIsFailure(
            mlirAttnCompileModule(module, toRef(path), &options)))
      raiseMLIRError("cannot compile the model", diagnostics.text());
  }

private:
  std::shared_ptr<AttnContext> context;
  MlirModule module;
};

/// A compiled model library with one model instance.
class AttnCompiledModel {
public:
  explicit AttnCompiledModel(const std::string &path) {
    std::string error;
    model = mlirAttnCompiledModelLoad(toRef(path), appendToString, &error);
    if (mlirAttnCompiledModelIsNull(model))
      raiseMLIRError("cannot load '" + path + "'", error);
  }
  ~AttnCompiledModel() { mlirAttnCompiledModelDestroy(model); }
  AttnCompiledModel(const AttnCompiledModel &) = delete;
  AttnCompiledModel &operator=(const AttnCompiledModel &) = delete;

  std::string manifest() const {
    std::string json;
    mlirAttnCompiledModelGetManifest(model, appendToString, &json);
    return json;
  }

  void setParam(
      const std::string &name,
      py::array_t<float, py::array::c_style | py::array::forcecast> value) {
    std::vector<int64_t> shape(value.shape(), value.shape() + value.ndim());
    std::string dtype = "F32";
    MlirAttnTensor view{
        toRef(name),  toRef(dtype), static_cast<intptr_t>(shape.size()),
        shape.data(), value.data(), static_cast<size_t>(value.nbytes())};
    std::string error;
    if (mlirLogicalResultIsFailure(
            mlirAttnCompiledModelSetParam(model, view, appendToString, &error)))
      raiseMLIRError("cannot set parameter '" + name + "'", error);
  }

  py::array
  forward(py::array_t<float, py::array::c_style | py::array::forcecast> x) {
    std::vector<int64_t> shape(x.shape(), x.shape() + x.ndim());
    std::string name = "x", dtype = "F32";
    MlirAttnTensor view{
        toRef(name),  toRef(dtype), static_cast<intptr_t>(shape.size()),
        shape.data(), x.data(),     static_cast<size_t>(x.nbytes())};
    std::vector<OwnedTensor> outputs;
    std::string error;
    if (mlirLogicalResultIsFailure(mlirAttnCompiledModelForward(
            model, view, collectTensor, &outputs, appendToString, &error)))
      raiseMLIRError("the compiled model failed", error);
    return toArray(outputs.front());
  }

  /// Runs the model on named inputs (matched to the manifest by name).
  py::array
  run(const std::vector<std::string> &names,
      const std::vector<
          py::array_t<float, py::array::c_style | py::array::forcecast>>
          &arrays) {
    if (names.size() != arrays.size())
      throw py::value_error("run: names and arrays differ in length");
    std::string dtype = "F32";
    std::vector<std::vector<int64_t>> shapes;
    shapes.reserve(arrays.size());
    std::vector<MlirAttnTensor> views;
    for (size_t i = 0; i < arrays.size(); ++i) {
      const auto &a = arrays[i];
      shapes.emplace_back(a.shape(), a.shape() + a.ndim());
      views.push_back(MlirAttnTensor{
          toRef(names[i]), toRef(dtype),
          static_cast<intptr_t>(shapes.back().size()), shapes.back().data(),
          a.data(), static_cast<size_t>(a.nbytes())});
    }
    std::vector<OwnedTensor> outputs;
    std::string error;
    if (mlirLogicalResultIsFailure(mlirAttnCompiledModelRun(
            model, views.data(), static_cast<intptr_t>(views.size()),
            collectTensor, &outputs, appendToString, &error)))
      raiseMLIRError("the compiled model failed", error);
    return toArray(outputs.front());
  }

private:
  MlirAttnCompiledModel model;
};

std::unique_ptr<AttnModule> checkedModule(std::shared_ptr<AttnContext> context,
                                          MlirModule module,
                                          const DiagnosticScope &diagnostics,
                                          const std::string &what) {
  if (mlirModuleIsNull(module))
    raiseMLIRError(what, diagnostics.text());
  return std::make_unique<AttnModule>(std::move(context), module);
}

} // namespace

PYBIND11_MODULE(_attn_mlir, m) {
  m.doc() = "Native bindings of attn-mlir over its C API (use attn_mlir)";

  mlirErrorType() = py::exception<void>(m, "MLIRError", PyExc_RuntimeError);
  mlirErrorType().attr("__doc__") =
      "An MLIR operation failed; `diagnostics` holds MLIR's messages.";

  py::class_<AttnContext, std::shared_ptr<AttnContext>>(
      m, "Context",
      "An MLIR context with every upstream and attn dialect and pass")
      .def(py::init<>());

  py::class_<AttnModule>(m, "Module", "An owned MLIR module")
      .def("to_text", &AttnModule::print, py::arg("debug_info") = false,
           py::arg("generic") = false, "The module as MLIR text")
      .def("__str__",
           [](const AttnModule &self) { return self.print(false, false); })
      .def("clone", &AttnModule::clone, "A deep copy in the same context")
      .def("run_pipeline", &AttnModule::runPipeline, py::arg("pipeline"),
           "Runs a textual pass pipeline in place; returns the diagnostics "
           "text (remarks, warnings); raises MLIRError on failure")
      .def("verify", &AttnModule::verify)
      .def("params", &AttnModule::params,
           "[(name, shape or None, element type, attn.init or None)]")
      .def("compile", &AttnModule::compile, py::arg("path"),
           "Lowers the module in place and writes `path` (attn-compile); "
           "options: emit, threads, lowering, attend_block_size, "
           "pass_pipeline, cpu, features, opt_level")
      .def("cost", &AttnModule::cost, py::arg("seq_len") = 0,
           "(totals, [layers], table) of the cost model behind attn-report")
      .def("random_params", &AttnModule::randomParams, py::arg("seed"),
           "{name: ndarray} from attn-model's seeded generator");

  py::class_<AttnCompiledModel>(m, "CompiledModel",
                                "A compiled model library loaded in-process")
      .def(py::init<const std::string &>(), py::arg("path"))
      .def("manifest", &AttnCompiledModel::manifest, "The manifest (JSON)")
      .def("set_param", &AttnCompiledModel::setParam, py::arg("name"),
           py::arg("value"))
      .def("forward", &AttnCompiledModel::forward, py::arg("x"))
      .def("run", &AttnCompiledModel::run, py::arg("names"), py::arg("arrays"),
           "Runs on named float32 inputs (the manifest's names)");

  m.def(
      "parse",
      [](std::shared_ptr<AttnContext> context, const std::string &text,
         const std::string &sourceName) {
        DiagnosticScope diagnostics(context->get());
        MlirModule module =
            mlirAttnParseModule(context->get(), toRef(text), toRef(sourceName));
        return checkedModule(context, module, diagnostics,
                             "cannot parse '" + sourceName + "'");
      },
      py::arg("context"), py::arg("text"), py::arg("source_name") = "<string>");

  m.def(
      "build_encoder",
      [](std::shared_ptr<AttnContext> context, const py::kwargs &kwargs) {
        std::string activation, mask;
        MlirAttnEncoderConfig config =
            configFromKwargs(kwargs, activation, mask);
        DiagnosticScope diagnostics(context->get());
        MlirModule module = mlirAttnBuildEncoder(context->get(), &config);
        return checkedModule(context, module, diagnostics,
                             "cannot build the encoder");
      },
      py::arg("context"),
      "Builds an encoder; keyword arguments as encoder_defaults()");

  m.def(
      "build_self_attention",
      [](std::shared_ptr<AttnContext> context, const py::kwargs &kwargs) {
        std::string activation, mask;
        MlirAttnEncoderConfig config =
            configFromKwargs(kwargs, activation, mask);
        DiagnosticScope diagnostics(context->get());
        MlirModule module = mlirAttnBuildSelfAttention(context->get(), &config);
        return checkedModule(context, module, diagnostics,
                             "cannot build the attention model");
      },
      py::arg("context"),
      "One self-attention attn.mha; uses d_model, heads, causal, mask, "
      "bias, batch, seq_len");

  m.def("encoder_defaults", &encoderDefaults,
        "The defaults of attn-model as keyword arguments");
  m.def("read_safetensors", &readSafeTensors, py::arg("path"),
        "({name: ndarray}, {metadata}) of a safetensors file");
  m.def("write_safetensors", &writeSafeTensors, py::arg("path"),
        py::arg("tensors"),
        py::arg("metadata") = std::map<std::string, std::string>(),
        "Writes [(name, ndarray)] and string metadata to a safetensors file");
}
