//===- attn-run.cpp - run and time a compiled attn model ------------------===//
//
// attn-run model.{so,mlir} [--params=p.safetensors | --random-params --seed=S]
//         [--input=NAME=file.npy ... | --random-inputs --seq-len=T]
//         [--output-dir=DIR] [--warmup=K --repeat=N --threads=N] [--json]
//
// Loads a model library written by attn-compile (or compiles a .mlir model
// in-process with the same driver first), binds its parameters by name,
// runs it, writes the output as .npy and reports the time per call
// (min/median/max) and the achieved GFLOP/s (FLOPs from the manifest); for
// a CUDA library also the GPU time per call from CUDA events.
//
//===----------------------------------------------------------------------===//

#ifdef ATTN_RUN_CUDA_EVENTS
#include "CudaEventTimer.h"
#endif
#include "attn/Model/EncoderBuilder.h"
#include "attn/Pipelines/Compile.h"
#include "attn/Registration.h"
#include "attn/Runtime/CompiledModel.h"
#include "attn/Runtime/Npy.h"
#include "attn/Runtime/SafeTensors.h"
#include "attn/Support/InputLimits.h"
#include "attn/Support/ToolOptions.h"

#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <chrono>
#include <limits>

using namespace mlir;
using ::attn::rt::CompiledModel;
using ::attn::rt::DType;
using ::attn::rt::Manifest;
using ::attn::rt::Tensor;
namespace cl = llvm::cl;

static cl::OptionCategory category("attn-run options");

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.so | model.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string>
    paramsPath("params", cl::desc("Parameters (safetensors, F32, by name)"),
               cl::value_desc("file"), cl::cat(category));
static cl::opt<bool> randomParams(
    "random-params",
    cl::desc("Seeded random parameters (the values attn-model "
             "--params-out --seed writes)"),
    cl::cat(category));
static cl::opt<uint64_t> seed("seed",
                              cl::desc("Seed of --random-params and "
                                       "--random-inputs"),
                              cl::init(0), cl::cat(category));
static cl::list<std::string> inputs(
    "input",
    cl::desc("Input NAME of the manifest from a .npy file (float32; a bool "
             "mask is PyTorch's: true = masked out); repeat for every "
             "input; a model with one input also takes --input=file.npy"),
    cl::value_desc("name=file"), cl::cat(category));
static cl::opt<bool> randomInputs(
    "random-inputs",
    cl::desc("Seeded random inputs: x uniform on [-1, 1); an additive mask "
             "causal (0 on and below the diagonal, -inf above); a key-"
             "padding mask that keeps the first max(1, T - (b+1)*T/(2B)) "
             "keys of batch row b"),
    cl::cat(category));
static cl::opt<int64_t> seqLen("seq-len",
                               cl::desc("Sequence length T of --random-inputs "
                                        "(for a dynamic T)"),
                               cl::init(0), cl::cat(category));
static cl::opt<int64_t> batch("batch",
                              cl::desc("Batch size of --random-inputs (for a "
                                       "dynamic B)"),
                              cl::init(1), cl::cat(category));
static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Write every output as DIR/<name>.npy"),
              cl::value_desc("dir"), cl::cat(category));
static cl::opt<bool>
    saveInputs("save-inputs",
               cl::desc("Also write the inputs to the output directory "
                        "(with --random-inputs: to reproduce a run)"),
               cl::cat(category));
static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed runs before the timed ones "
                                         "(the first call, which sizes the "
                                         "output, is always untimed)"),
                                cl::init(0), cl::cat(category));
static cl::opt<unsigned> repeat("repeat", cl::desc("Timed runs"), cl::init(1),
                                cl::cat(category));
static cl::opt<bool> json("json", cl::desc("Print the results as JSON"),
                          cl::cat(category));
static cl::opt<std::string>
    lowering("lowering",
             cl::desc("For a .mlir model: loops or vector (see attn-compile)"),
             cl::init("vector"), cl::cat(category));

namespace {
llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 message.str());
}

/// Compiles `path` (MLIR) to a library in a temporary directory and loads
/// it; the file is removed once loaded.
llvm::Expected<std::unique_ptr<CompiledModel>>
compileAndLoad(llvm::StringRef path, unsigned threads) {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  mlir::attn::registerAttnDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string error;
  OwningOpRef<ModuleOp> module =
      mlir::attn::parseModelFile(path, sourceMgr, context, error);
  if (!module && !error.empty())
    return makeError(error);
  if (!module)
    return makeError(path + ": cannot parse the model (see the errors above)");

  mlir::attn::CompileOptions options;
  options.threads = threads;
  options.lowering = lowering == "loops" ? mlir::attn::CpuLowering::Loops
                                         : mlir::attn::CpuLowering::Vector;
  SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("attn-run", dir))
    return makeError("cannot create a temporary directory: " + ec.message());
  SmallString<128> library(dir);
  llvm::sys::path::append(library, "model.so");
  llvm::Error err = mlir::attn::compileModule(*module, library, options);
  llvm::Expected<std::unique_ptr<CompiledModel>> model =
      err ? llvm::Expected<std::unique_ptr<CompiledModel>>(std::move(err))
          : CompiledModel::load(library);
  // Loaded libraries stay mapped after their files are gone.
  (void)llvm::sys::fs::remove_directories(dir);
  return model;
}

/// The parameters from a safetensors file, checked against the manifest.
llvm::Error bindFile(CompiledModel &model, llvm::StringRef path) {
  auto file = ::attn::rt::SafeTensorsFile::open(path);
  if (!file)
    return file.takeError();
  const Manifest &manifest = model.manifest();
  llvm::StringSet<> wanted;
  for (const auto &param : manifest.params) {
    wanted.insert(param.name);
    const ::attn::rt::SafeTensorInfo *info = file->lookup(param.name);
    if (!info)
      return makeError(path + ": no tensor '" + param.name +
                       "', a parameter of the model");
    if (info->dtype != DType::F32)
      return makeError(path + ": tensor '" + param.name + "' is " +
                       ::attn::rt::dtypeName(info->dtype) +
                       ", the model needs F32");
    if (info->shape != param.shape)
      return makeError(path + ": tensor '" + param.name + "' has shape " +
                       ::attn::rt::formatShape(info->shape) +
                       ", the model needs " +
                       ::attn::rt::formatShape(param.shape));
    llvm::Expected<Tensor> value = file->load(param.name);
    if (!value)
      return value.takeError();
    if (llvm::Error err = model.setParam(param.name, *value))
      return err;
  }
  SmallVector<std::string> unused;
  for (const auto &info : file->tensors())
    if (!wanted.contains(info.name))
      unused.push_back(info.name);
  if (!unused.empty())
    llvm::WithColor::warning(llvm::errs(), "attn-run")
        << path << ": " << unused.size()
        << " tensor(s) are not parameters of the model and were ignored "
           "(first: '"
        << unused.front() << "')\n";
  return llvm::Error::success();
}

/// Seeded random parameters: randomParameters() on globals rebuilt from the
/// manifest (same names, shapes and attn.init, hence the same values as for
/// the original model).
llvm::Error bindRandom(CompiledModel &model, uint64_t seedValue) {
  MLIRContext context;
  DialectRegistry registry;
  mlir::attn::registerAttnDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  for (const auto &param : model.manifest().params) {
    auto type = RankedTensorType::get(param.shape, b.getF32Type());
    auto global = ml_program::GlobalOp::create(
        b, loc, param.name, type, /*is_mutable=*/false,
        ml_program::ExternAttr::get(&context, type), b.getStringAttr("private"));
    if (!param.init.empty())
      global->setAttr("attn.init", b.getStringAttr(param.init));
  }
  auto values = mlir::attn::randomParameters(*module, seedValue);
  if (!values)
    return values.takeError();
  for (auto &named : *values)
    if (llvm::Error err = model.setParam(named.first, named.second))
      return err;
  return llvm::Error::success();
}

/// splitmix64, the generator of randomParameters.
uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The size of dynamic dim `i` of `spec` for --random-inputs: --batch for
/// the symbol B (dim 0 without symbols), --seq-len for T (dim 1).
llvm::Expected<int64_t> randomDimSize(const ::attn::rt::ManifestTensor &spec,
                                      size_t i) {
  llvm::StringRef symbol =
      i < spec.dims.size() ? llvm::StringRef(spec.dims[i]) : "";
  bool isBatch = symbol.empty() ? i == 0 : symbol == "B";
  bool isSeq = symbol.empty() ? i != 0 : symbol == "T";
  if (!isBatch && !isSeq)
    return makeError(llvm::formatv(
        "input '{0}' has a dynamic dim {1} ({2}) of shape {3}: "
        "--random-inputs sizes only B (--batch) and T (--seq-len)",
        spec.name, i, symbol, ::attn::rt::formatShape(spec.shape)));
  int64_t value = isBatch ? batch : seqLen;
  if (value <= 0)
    return makeError(llvm::formatv(
        "input '{0}' has a dynamic {1} (dim {2} of {3}): pass {4}", spec.name,
        isBatch ? "batch" : "sequence length", i,
        ::attn::rt::formatShape(spec.shape),
        isBatch ? "--batch=B" : "--seq-len=T"));
  return value;
}

llvm::Expected<Tensor> randomInput(const ::attn::rt::ManifestTensor &spec,
                                   uint64_t seedValue) {
  std::vector<int64_t> shape = spec.shape;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] >= 0)
      continue;
    llvm::Expected<int64_t> size = randomDimSize(spec, i);
    if (!size)
      return size.takeError();
    shape[i] = *size;
  }
  if (!::attn::rt::checkedByteSize(DType::F32, shape))
    return makeError("input shape " + ::attn::rt::formatShape(shape) +
                     " is too large");
  Tensor t = Tensor::zeros(DType::F32, shape);
  float *data = t.f32();
  const float negInf = -std::numeric_limits<float>::infinity();
  if (spec.mask == "additive" && shape.size() >= 2) {
    // Causal: query i attends to keys j <= i (in the last two dims).
    int64_t rows = shape[shape.size() - 2], cols = shape.back();
    for (int64_t n = 0, e = t.numElements(); n < e; ++n) {
      int64_t i = (n / cols) % rows, j = n % cols;
      data[n] = j <= i ? 0.0f : negInf;
    }
    return t;
  }
  if (spec.mask == "key_padding" && shape.size() == 2) {
    int64_t rows = shape[0], cols = shape[1];
    for (int64_t b = 0; b < rows; ++b) {
      int64_t keep =
          std::max<int64_t>(1, cols - (b + 1) * cols / (2 * rows));
      for (int64_t j = 0; j < cols; ++j)
        data[b * cols + j] = j < keep ? 0.0f : negInf;
    }
    return t;
  }
  uint64_t state = seedValue ^ 0x5eed1e55ULL;
  for (char c : spec.name)
    state = state * 131 + static_cast<unsigned char>(c);
  for (int64_t i = 0, e = t.numElements(); i < e; ++i) {
    double u = double(splitmix64(state) >> 40) * (1.0 / double(1 << 24));
    data[i] = static_cast<float>(2 * u - 1);
  }
  return t;
}

/// Reads input `spec` from `path`: float32, or for a mask a bool array in
/// PyTorch's convention (true = masked out), turned into an additive mask
/// (0 attends, -inf is masked out).
llvm::Expected<Tensor> readInputFile(const ::attn::rt::ManifestTensor &spec,
                                     llvm::StringRef path) {
  llvm::Expected<Tensor> t = ::attn::rt::readNpy(path);
  if (!t)
    return t.takeError();
  if (t->dtype == DType::Bool && !spec.mask.empty()) {
    Tensor additive = Tensor::zeros(DType::F32, t->shape);
    float *out = additive.f32();
    for (int64_t i = 0, e = t->numElements(); i < e; ++i)
      out[i] = t->data[i] ? -std::numeric_limits<float>::infinity() : 0.0f;
    return additive;
  }
  if (t->dtype != DType::F32)
    return makeError(path + ": input '" + spec.name +
                     "' must be float32 (<f4)" +
                     (spec.mask.empty() ? "" : " or bool (|b1)") + ", got " +
                     ::attn::rt::dtypeName(t->dtype));
  return t;
}

/// "x, mask" for messages.
std::string inputNames(const Manifest &manifest) {
  std::string names;
  for (const auto &t : manifest.inputs)
    names += (names.empty() ? "" : ", ") + t.name;
  return names;
}

/// Every input of the model, in manifest order, from the --input options.
llvm::Expected<std::vector<Tensor>> readInputs(const Manifest &manifest) {
  const auto &specs = manifest.inputs;
  std::vector<std::optional<std::string>> paths(specs.size());
  for (llvm::StringRef arg : inputs) {
    llvm::StringRef name, path = arg;
    // A path may contain '='; NAME is what comes before the first one when
    // that names an input (or, for a one-input model, anything but a path).
    if (arg.contains('=')) {
      auto [head, rest] = arg.split('=');
      if (manifest.lookupInput(head) ||
          (specs.size() > 1 || !head.ends_with(".npy")))
        std::tie(name, path) = std::make_pair(head, rest);
    }
    if (name.empty()) {
      if (specs.size() != 1)
        return makeError("--input=" + arg + ": the model has " +
                         llvm::Twine(specs.size()) + " inputs (" +
                         inputNames(manifest) +
                         "); name each one as --input=NAME=FILE.npy");
      name = specs.front().name;
    }
    auto it = llvm::find_if(specs, [&](const auto &t) { return t.name == name; });
    if (it == specs.end())
      return makeError("--input=" + arg + ": the model has no input '" + name +
                       "' (its inputs: " + inputNames(manifest) + ")");
    size_t index = it - specs.begin();
    if (paths[index])
      return makeError("--input=" + arg + ": input '" + name +
                       "' is given twice");
    paths[index] = path.str();
  }
  std::vector<Tensor> result;
  for (auto [spec, path] : llvm::zip(specs, paths)) {
    if (!path)
      return makeError("no input '" + spec.name + "': pass --input=" +
                       spec.name + "=FILE.npy (the model's inputs: " +
                       inputNames(manifest) + ") or --random-inputs");
    llvm::Expected<Tensor> t = readInputFile(spec, *path);
    if (!t)
      return t.takeError();
    result.push_back(std::move(*t));
  }
  return result;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int run(unsigned threads) {
  auto fail = [](llvm::Error err) {
    llvm::WithColor::error(llvm::errs(), "attn-run")
        << llvm::toString(std::move(err)) << "\n";
    return 1;
  };

  if (!paramsPath.empty() && randomParams)
    return fail(makeError("--params and --random-params exclude each other"));
  if (!inputs.empty() && randomInputs)
    return fail(makeError("--input and --random-inputs exclude each other"));
  if (repeat == 0)
    return fail(makeError("--repeat must be at least 1"));
  if (lowering != "loops" && lowering != "vector")
    return fail(makeError("unknown --lowering=" + lowering + " (loops, vector)"));
  if (saveInputs && outputDir.empty())
    return fail(makeError("--save-inputs needs --output-dir"));

  llvm::Expected<std::unique_ptr<CompiledModel>> loaded =
      llvm::StringRef(modelPath).ends_with(".mlir")
          ? compileAndLoad(modelPath, threads)
          : CompiledModel::load(modelPath);
  if (!loaded)
    return fail(loaded.takeError());
  CompiledModel &model = **loaded;
  const Manifest &manifest = model.manifest();
  if (!llvm::StringRef(modelPath).ends_with(".mlir") &&
      static_cast<int64_t>(threads) != manifest.target.threads)
    llvm::WithColor::warning(llvm::errs(), "attn-run")
        << modelPath << " was compiled for --threads="
        << manifest.target.threads
        << "; recompile it with attn-compile --threads=" << threads
        << " to change that\n";

  if (!paramsPath.empty()) {
    if (llvm::Error err = bindFile(model, paramsPath))
      return fail(std::move(err));
  } else if (randomParams) {
    if (llvm::Error err = bindRandom(model, seed))
      return fail(std::move(err));
  } else if (!manifest.params.empty()) {
    return fail(makeError("the model has " +
                          llvm::Twine(manifest.params.size()) +
                          " parameters: pass --params=FILE.safetensors or "
                          "--random-params"));
  }

  std::vector<Tensor> inputTensors;
  if (randomInputs) {
    for (const auto &spec : manifest.inputs) {
      llvm::Expected<Tensor> t = randomInput(spec, seed);
      if (!t)
        return fail(t.takeError());
      inputTensors.push_back(std::move(*t));
    }
  } else if (inputs.empty()) {
    return fail(makeError(
        manifest.inputs.size() == 1
            ? "no input: pass --input=" + manifest.inputs[0].name +
                  "=FILE.npy or --random-inputs"
            : "no input: pass --input=NAME=FILE.npy for each of the inputs " +
                  inputNames(manifest) + ", or --random-inputs"));
  } else {
    llvm::Expected<std::vector<Tensor>> read = readInputs(manifest);
    if (!read)
      return fail(read.takeError());
    inputTensors = std::move(*read);
  }
  std::vector<const Tensor *> inputPtrs;
  for (const Tensor &t : inputTensors)
    inputPtrs.push_back(&t);
  const Tensor *input = inputPtrs.front();

  // The first call sizes the output; warm-up and timed calls reuse it.
  llvm::Expected<Tensor> output = model.run(inputPtrs);
  if (!output)
    return fail(output.takeError());
  for (unsigned i = 1; i < warmup; ++i)
    if (llvm::Error err = model.runInto(inputPtrs, *output))
      return fail(std::move(err));
  // A CUDA library's calls are timed on the GPU's clock too.
#ifdef ATTN_RUN_CUDA_EVENTS
  std::optional<::attn::run::CudaEventTimer> gpuTimer;
  if (manifest.target.kind == "cuda") {
    auto timer = ::attn::run::CudaEventTimer::create();
    if (!timer)
      return fail(timer.takeError());
    gpuTimer.emplace(std::move(*timer));
  }
#endif
  std::vector<double> times, gpuTimes;
  for (unsigned i = 0; i < repeat; ++i) {
#ifdef ATTN_RUN_CUDA_EVENTS
    if (gpuTimer)
      if (llvm::Error err = gpuTimer->begin())
        return fail(std::move(err));
#endif
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error err = model.runInto(inputPtrs, *output))
      return fail(std::move(err));
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
#ifdef ATTN_RUN_CUDA_EVENTS
    if (gpuTimer) {
      llvm::Expected<double> ms = gpuTimer->finish();
      if (!ms)
        return fail(ms.takeError());
      gpuTimes.push_back(*ms);
    }
#endif
  }

  std::string outputFile;
  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail(makeError("cannot create " + outputDir + ": " + ec.message()));
    SmallString<256> path(outputDir.getValue());
    llvm::sys::path::append(path, manifest.outputs[0].name + ".npy");
    outputFile = std::string(path);
    if (llvm::Error err = ::attn::rt::writeNpy(outputFile, *output))
      return fail(std::move(err));
    if (saveInputs) {
      for (auto [spec, tensor] : llvm::zip(manifest.inputs, inputTensors)) {
        SmallString<256> inputPath(outputDir.getValue());
        llvm::sys::path::append(inputPath, spec.name + ".npy");
        if (llvm::Error err = ::attn::rt::writeNpy(inputPath, tensor))
          return fail(std::move(err));
      }
    }
  }

  double minMs = *std::min_element(times.begin(), times.end());
  double maxMs = *std::max_element(times.begin(), times.end());
  double medMs = median(times);
  auto summary = [](const std::vector<double> &v) {
    return llvm::json::Object{
        {"min", *std::min_element(v.begin(), v.end())},
        {"median", median(v)},
        {"max", *std::max_element(v.begin(), v.end())}};
  };
  std::optional<double> flops = manifest.flopsFor(input->shape);
  std::optional<double> gflops;
  if (flops && medMs > 0)
    gflops = *flops / (medMs * 1e6);

  if (json) {
    llvm::json::Array inShape, outShape;
    for (int64_t d : input->shape)
      inShape.push_back(d);
    for (int64_t d : output->shape)
      outShape.push_back(d);
    llvm::json::Object inShapes;
    for (auto [spec, tensor] : llvm::zip(manifest.inputs, inputTensors)) {
      llvm::json::Array dims;
      for (int64_t d : tensor.shape)
        dims.push_back(d);
      inShapes[spec.name] = std::move(dims);
    }
    llvm::json::Object result{
        {"model", modelPath.getValue()},
        {"input_shape", std::move(inShape)},
        {"input_shapes", std::move(inShapes)},
        {"output_shape", std::move(outShape)},
        {"warmup", static_cast<int64_t>(warmup)},
        {"repeat", static_cast<int64_t>(repeat)},
        {"threads", manifest.target.threads},
        {"time_ms", summary(times)},
        {"gpu_time_ms",
         gpuTimes.empty() ? llvm::json::Value(nullptr) : summary(gpuTimes)},
        {"flops", flops ? llvm::json::Value(*flops) : nullptr},
        {"gflops", gflops ? llvm::json::Value(*gflops) : nullptr},
        {"outputs", outputFile.empty()
                        ? llvm::json::Array{}
                        : llvm::json::Array{outputFile}},
    };
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(result)))
                 << "\n";
    return 0;
  }
  llvm::outs() << manifest.outputs[0].name << ": "
               << ::attn::rt::formatShape(output->shape);
  if (!outputFile.empty())
    llvm::outs() << " -> " << outputFile;
  llvm::outs() << "\n";
  llvm::outs() << llvm::formatv(
      "time per call over {0} run(s) after {1} warm-up: min {2:f3} ms, "
      "median {3:f3} ms, max {4:f3} ms\n",
      repeat, warmup, minMs, medMs, maxMs);
  if (!gpuTimes.empty())
    llvm::outs() << llvm::formatv(
        "GPU time per call (CUDA events): min {0:f3} ms, median {1:f3} ms, "
        "max {2:f3} ms\n",
        *std::min_element(gpuTimes.begin(), gpuTimes.end()), median(gpuTimes),
        *std::max_element(gpuTimes.begin(), gpuTimes.end()));
  if (gflops)
    llvm::outs() << llvm::format("%.4g GFLOP per call, %.2f GFLOP/s (median)\n",
                                 *flops / 1e9, *gflops);
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAllPasses();
  mlir::attn::registerAllAttnPasses();
  mlir::attn::releaseMLIRThreadsOption();
  cl::opt<unsigned> threads(
      "threads",
      cl::desc("Threads of the generated code when compiling a .mlir model "
               "(a library keeps those it was compiled with)"),
      cl::init(1), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "attn-run: runs and times a compiled attn "
                              "model\n");
  return run(threads);
}
