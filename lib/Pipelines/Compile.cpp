//===- Compile.cpp - ahead-of-time compilation of attn models -------------===//

#include "attn/Pipelines/Compile.h"
#include "attn/Pipelines/Pipelines.h"
#include "ModelLibrary.h"
#include "attn/Runtime/ModelApi.h"
#include "attn/Support/ModelAttributes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Operator.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <cstddef>

using namespace mlir;
using namespace mlir::attn;
using ::attn::rt::Manifest;

static const char kModelApiHeader[] =
#include "ModelApiHeader.inc"
    ;

llvm::StringRef mlir::attn::getModelApiHeader() { return kModelApiHeader; }

using namespace mlir::attn::detail;

namespace {

/// Wall-clock phase timer printing to CompileOptions::timing.
class PhaseTimer {
public:
  explicit PhaseTimer(llvm::raw_ostream *os) : os(os) {}
  ~PhaseTimer() {
    if (os && total > 0)
      *os << llvm::format("  %-28s %8.3f s\n", "total", total);
  }
  template <typename Fn>
  auto time(llvm::StringRef phase, Fn &&fn) {
    auto start = std::chrono::steady_clock::now();
    auto result = fn();
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    total += seconds;
    if (os)
      *os << llvm::format("  %-28s %8.3f s\n", phase.str().c_str(), seconds);
    return result;
  }

private:
  llvm::raw_ostream *os;
  double total = 0;
};

CpuPhase phaseOf(EmitKind emit) {
  switch (emit) {
  case EmitKind::Linalg:
    return CpuPhase::Linalg;
  case EmitKind::Bufferized:
    return CpuPhase::Bufferized;
  case EmitKind::Loops:
    return CpuPhase::Loops;
  default:
    return CpuPhase::LLVMDialect;
  }
}

bool isMLIRKind(EmitKind emit) {
  return emit == EmitKind::Linalg || emit == EmitKind::Bufferized ||
         emit == EmitKind::Loops || emit == EmitKind::LLVMDialect;
}

//===----------------------------------------------------------------------===//
// Target machine
//===----------------------------------------------------------------------===//

struct Target {
  std::unique_ptr<llvm::TargetMachine> machine;
  std::string triple, cpu, features;
};

llvm::Expected<Target> createTarget(const CompileOptions &options) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  Target target;
  target.triple = llvm::sys::getDefaultTargetTriple();
  llvm::Triple triple(target.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return makeError("no LLVM target for " + target.triple + ": " + error);

  SmallVector<std::string> features;
  if (options.cpu.empty() || options.cpu == "host") {
    target.cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
    SmallVector<std::string> names;
    for (const auto &feature : host)
      names.push_back((feature.second ? "+" : "-") + feature.first().str());
    llvm::sort(names);
    features.append(names.begin(), names.end());
  } else {
    target.cpu = options.cpu;
  }
  if (!options.features.empty())
    for (llvm::StringRef f : llvm::split(options.features, ','))
      if (!f.trim().empty())
        features.push_back(f.trim().str());
  target.features = llvm::join(features, ",");

  llvm::TargetOptions targetOptions;
  llvm::CodeGenOptLevel level =
      options.optLevel == 0   ? llvm::CodeGenOptLevel::None
      : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
      : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
                              : llvm::CodeGenOptLevel::Aggressive;
  target.machine.reset(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, targetOptions, llvm::Reloc::PIC_,
      llvm::CodeModel::Small, level));
  if (!target.machine)
    return makeError("cannot create a target machine for " + target.triple +
                     " (cpu " + target.cpu + ")");
  return target;
}

void optimize(llvm::Module &module, llvm::TargetMachine &machine,
              unsigned optLevel) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = optLevel > 1;
  tuning.SLPVectorization = optLevel > 1;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel level = optLevel == 0   ? llvm::OptimizationLevel::O0
                                  : optLevel == 1 ? llvm::OptimizationLevel::O1
                                  : optLevel == 2 ? llvm::OptimizationLevel::O2
                                                  : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager passes =
      optLevel == 0 ? builder.buildO0DefaultPipeline(level)
                    : builder.buildPerModuleDefaultPipeline(level);
  passes.run(module, mam);
}

llvm::Error emitObject(llvm::Module &module, llvm::TargetMachine &machine,
                       llvm::StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return makeError("cannot write " + path + ": " + ec.message());
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, os, nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return makeError("the target cannot emit object files");
  codegen.run(module);
  os.close();
  if (os.has_error())
    return makeError("cannot write " + path + ": " + os.error().message());
  return llvm::Error::success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

std::optional<EmitKind> mlir::attn::parseEmitKind(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<EmitKind>>(name)
      .Case("linalg", EmitKind::Linalg)
      .Case("bufferized", EmitKind::Bufferized)
      .Case("loops", EmitKind::Loops)
      .Case("llvm-dialect", EmitKind::LLVMDialect)
      .Case("mlir", EmitKind::LLVMDialect)
      .Case("llvm", EmitKind::LLVMIR)
      .Case("obj", EmitKind::Object)
      .Case("so", EmitKind::SharedLibrary)
      .Default(std::nullopt);
}

llvm::StringRef mlir::attn::stringifyEmitKind(EmitKind kind) {
  switch (kind) {
  case EmitKind::Linalg:
    return "linalg";
  case EmitKind::Bufferized:
    return "bufferized";
  case EmitKind::Loops:
    return "loops";
  case EmitKind::LLVMDialect:
    return "llvm-dialect";
  case EmitKind::LLVMIR:
    return "llvm";
  case EmitKind::Object:
    return "obj";
  case EmitKind::SharedLibrary:
    return "so";
  }
  llvm_unreachable("unknown emit kind");
}

namespace {
/// Whether the target of `options` (the host by default) has AVX-512F; an
/// unusable target answers no here and is reported when code is generated.
bool targetHasAvx512(const CompileOptions &options) {
  llvm::Expected<Target> target = createTarget(options);
  if (!target) {
    llvm::consumeError(target.takeError());
    return false;
  }
  const llvm::MCSubtargetInfo *info = target->machine->getMCSubtargetInfo();
  return info && info->checkFeatures("+avx512f");
}
} // namespace

LogicalResult mlir::attn::lowerModule(ModuleOp module,
                                      const CompileOptions &options) {
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  if (!options.passPipeline.empty()) {
    std::string error;
    llvm::raw_string_ostream errorStream(error);
    auto parsed = parsePassPipeline(options.passPipeline, errorStream);
    // Errors about the options, not the module: no operation dump.
    if (failed(parsed))
      return mlir::emitError(module.getLoc())
             << "invalid --pass-pipeline: " << error;
    if (parsed->getOpAnchorName() != ModuleOp::getOperationName() &&
        parsed->getOpAnchorName() != OpPassManager::getAnyOpAnchorName())
      return mlir::emitError(module.getLoc())
             << "--pass-pipeline must be anchored on builtin.module, not "
             << parsed->getOpAnchorName();
    static_cast<OpPassManager &>(pm) = *parsed;
  } else {
    AttnCpuPipelineOptions pipeline;
    pipeline.entry = options.entry;
    pipeline.threads = options.threads;
    pipeline.lowering = options.lowering;
    pipeline.attendBlockSize = options.attendBlockSize;
    // Vector accumulators reassociate the sums.
    pipeline.reassociateReductions = options.reassociate;
    pipeline.avx512 = targetHasAvx512(options);
    pipeline.stopAfter = phaseOf(options.emit);
    buildAttnCpuPipeline(pm, pipeline);
  }
  if (options.configurePassManager &&
      failed(options.configurePassManager(pm)))
    return failure();
  return pm.run(module);
}

llvm::Expected<Manifest> mlir::attn::getModelManifest(ModuleOp module) {
  auto dict = module->getAttrOfType<DictionaryAttr>(kManifestAttrName);
  if (!dict)
    return makeError("the module has no 'attn_model.manifest': its "
                     "parameters were not bound (attn-bind-params, part of "
                     "attn-cpu-pipeline, records it)");
  auto malformed = [](llvm::StringRef what) {
    return makeError("malformed 'attn_model.manifest': " + what);
  };
  Manifest m;
  m.abiVersion = ATTN_MODEL_ABI_VERSION;
  auto entry = dict.getAs<StringAttr>("entry");
  auto size = dict.getAs<IntegerAttr>("param_size");
  auto alignment = dict.getAs<IntegerAttr>("param_alignment");
  auto params = dict.getAs<ArrayAttr>("params");
  auto inputs = dict.getAs<ArrayAttr>("inputs");
  auto outputs = dict.getAs<ArrayAttr>("outputs");
  auto flops = dict.getAs<ArrayAttr>("flops");
  if (!entry || !size || !alignment || !params || !inputs || !outputs)
    return malformed("missing entry, param_size, param_alignment, params, "
                     "inputs or outputs");
  m.entry = entry.getValue().str();
  m.paramSize = size.getInt();
  m.paramAlignment = alignment.getInt();

  auto tensors = [&](ArrayAttr list,
                     std::vector<::attn::rt::ManifestTensor> &out) -> bool {
    for (Attribute a : list) {
      auto d = dyn_cast<DictionaryAttr>(a);
      auto name = d ? d.getAs<StringAttr>("name") : StringAttr();
      auto dtype = d ? d.getAs<StringAttr>("dtype") : StringAttr();
      auto shape = d ? d.getAs<DenseI64ArrayAttr>("shape") : DenseI64ArrayAttr();
      if (!name || !dtype || !shape)
        return false;
      ::attn::rt::ManifestTensor t;
      t.name = name.getValue().str();
      t.dtype = dtype.getValue().str();
      t.shape.assign(shape.asArrayRef().begin(), shape.asArrayRef().end());
      if (auto dims = d.getAs<ArrayAttr>("dims")) {
        if (dims.size() != t.shape.size())
          return false;
        for (Attribute dim : dims) {
          auto symbol = dyn_cast<StringAttr>(dim);
          if (!symbol)
            return false;
          t.dims.push_back(symbol.getValue().str());
        }
      }
      if (auto mask = d.getAs<StringAttr>("mask"))
        t.mask = mask.getValue().str();
      out.push_back(std::move(t));
    }
    return true;
  };
  if (!tensors(inputs, m.inputs) || !tensors(outputs, m.outputs))
    return malformed("bad inputs or outputs");
  for (Attribute a : params) {
    auto d = dyn_cast<DictionaryAttr>(a);
    auto name = d ? d.getAs<StringAttr>("name") : StringAttr();
    auto dtype = d ? d.getAs<StringAttr>("dtype") : StringAttr();
    auto shape = d ? d.getAs<DenseI64ArrayAttr>("shape") : DenseI64ArrayAttr();
    auto offset = d ? d.getAs<IntegerAttr>("offset") : IntegerAttr();
    if (!name || !dtype || !shape || !offset)
      return malformed("bad parameter entry");
    ::attn::rt::ManifestParam p;
    p.name = name.getValue().str();
    p.dtype = dtype.getValue().str();
    p.shape.assign(shape.asArrayRef().begin(), shape.asArrayRef().end());
    p.offset = offset.getInt();
    if (auto init = d.getAs<StringAttr>("init"))
      p.init = init.getValue().str();
    m.params.push_back(std::move(p));
  }
  if (flops) {
    for (Attribute a : flops) {
      auto d = dyn_cast<DictionaryAttr>(a);
      auto coeff = d ? d.getAs<FloatAttr>("coeff") : FloatAttr();
      auto b = d ? d.getAs<IntegerAttr>("b") : IntegerAttr();
      auto t = d ? d.getAs<IntegerAttr>("t") : IntegerAttr();
      if (!coeff || !b || !t)
        return malformed("bad flops term");
      m.flops.push_back({coeff.getValueAsDouble(), b.getInt(), t.getInt()});
    }
  }
  return m;
}

llvm::Error mlir::attn::compileModule(ModuleOp module,
                                      llvm::StringRef outputPath,
                                      const CompileOptions &options) {
  PhaseTimer timer(options.timing);
  if (options.timing)
    *options.timing << "attn-compile phases:\n";

  if (failed(timer.time("MLIR pipeline", [&] {
        return lowerModule(module, options);
      })))
    return makeError("lowering failed (see the errors above)");

  if (isMLIRKind(options.emit)) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os);
    return writeText(outputPath, text);
  }

  // The module must now be in the LLVM dialect.
  llvm::Expected<Manifest> manifest = getModelManifest(module);
  if (!manifest)
    return manifest.takeError();
  if (manifest->inputs.empty() ||
      manifest->inputs.size() > ATTN_MODEL_MAX_INPUTS ||
      manifest->outputs.size() != 1)
    return makeError("the entry @" + manifest->entry + " must take 1 to " +
                     llvm::Twine(ATTN_MODEL_MAX_INPUTS) +
                     " tensors and return one tensor to be compiled to a "
                     "model library (it takes " +
                     llvm::Twine(manifest->inputs.size()) + " and returns " +
                     llvm::Twine(manifest->outputs.size()) + ")");
  for (const auto &t : manifest->inputs)
    if (t.shape.size() > ATTN_MODEL_MAX_RANK)
      return makeError("input rank above ATTN_MODEL_MAX_RANK");
  for (const auto &t : manifest->outputs)
    if (t.shape.size() > ATTN_MODEL_MAX_RANK)
      return makeError("output rank above ATTN_MODEL_MAX_RANK");
  // The library runs inputs of positive sizes only (attn_model_forward): a
  // static size 0 would give a library that refuses every input.
  for (const auto &t : manifest->inputs)
    for (size_t i = 0; i < t.shape.size(); ++i)
      if (t.shape[i] == 0)
        return makeError("input '" + t.name + "' has the static size 0 in "
                         "dim " + llvm::Twine(i) + ": a model library runs "
                         "non-empty inputs only; make the dim dynamic or "
                         "positive (docs/robustness.md)");

  llvm::Expected<Target> target = createTarget(options);
  if (!target)
    return target.takeError();
  manifest->target.triple = target->triple;
  manifest->target.cpu = target->cpu;
  manifest->target.features = options.features;
  manifest->target.threads = options.threads;
  if (options.manifestTarget)
    manifest->target = *options.manifestTarget;
  std::string json;
  {
    llvm::raw_string_ostream os(json);
    os << llvm::formatv("{0:2}", manifest->toJSON()) << "\n";
  }

  // Set by attn-gpu-device-buffers{resident-params}; the LLVM function
  // keeps the attribute of the func.func it was converted from.
  Operation *entryFn = module.lookupSymbol(manifest->entry);
  bool paramsOnDevice = entryFn && entryFn->hasAttr(kDeviceParamsAttrName);

  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  module.getContext()->appendDialectRegistry(registry);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule = timer.time("translate to LLVM IR", [&] {
    return translateModuleToLLVMIR(module, llvmContext,
                                   "attn_model");
  });
  if (!llvmModule)
    return makeError("translation to LLVM IR failed (see the errors above)");
  llvmModule->setTargetTriple(llvm::Triple(target->triple));
  llvmModule->setDataLayout(target->machine->createDataLayout());
  if (llvm::Error err =
          buildModelDescriptor(*llvmModule, *manifest, json, paramsOnDevice))
    return err;
  // The compiled code runs on the chosen CPU only.
  for (llvm::Function &fn : *llvmModule) {
    if (fn.isDeclaration())
      continue;
    fn.addFnAttr("target-cpu", target->cpu);
    if (!target->features.empty())
      fn.addFnAttr("target-features", target->features);
  }
  if (options.reassociate)
    for (llvm::Function &fn : *llvmModule)
      for (llvm::Instruction &inst : llvm::instructions(fn))
        if (isa<llvm::FPMathOperator>(inst)) {
          inst.setHasAllowReassoc(true);
          inst.setHasAllowContract(true);
          inst.setHasAllowReciprocal(true);
        }
  if (llvm::verifyModule(*llvmModule, &llvm::errs()))
    return makeError("the LLVM IR does not verify");

  timer.time("LLVM optimization", [&] {
    optimize(*llvmModule, *target->machine, options.optLevel);
    return 0;
  });

  if (options.emit == EmitKind::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    return writeText(outputPath, text);
  }

  if (options.emit == EmitKind::Object)
    return timer.time("code generation", [&] {
      return emitObject(*llvmModule, *target->machine, outputPath);
    });

  SmallString<128> objectPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("attn-model", "o", objectPath))
    return makeError("cannot create a temporary file: " + ec.message());
  llvm::FileRemover removeObject(objectPath);
  if (llvm::Error err = timer.time("code generation", [&] {
        return emitObject(*llvmModule, *target->machine, objectPath);
      }))
    return err;
  if (llvm::Error err = timer.time("link", [&] {
        return linkModelLibrary(objectPath, outputPath, options);
      }))
    return err;
  if (llvm::Error err = writeText(siblingPath(outputPath, "h"), getModelApiHeader()))
    return err;
  return writeText(siblingPath(outputPath, "json"), json);
}
