//===- attn-compile.cpp - ahead-of-time compiler for attn models ----------===//
//
// attn-compile model.mlir -o model.so [--emit=...] [--pass-pipeline=...]
//
// Runs attn-cpu-pipeline in-process and writes the model as MLIR after a
// named phase, LLVM IR, an object or a shared library with its C header
// (model.h) and manifest (model.json). The work is in AttnCompile
// (include/attn/Pipelines/Compile.h), shared with attn-run and Python.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Compile.h"
#include "attn/Pipelines/CompileCuda.h"
#include "attn/Registration.h"
#include "attn/Support/InputLimits.h"
#include "attn/Support/ToolOptions.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("attn-compile options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::init("-"), cl::cat(category));
static cl::opt<std::string>
    outputFile("o",
               cl::desc("Output file (default: the input's name with the "
                        "extension of --emit; '-' = stdout for text)"),
               cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string>
    target("target",
           cl::desc("Target: cpu, or cuda (attn-nvvm-pipeline, docs/gpu.md)"),
           cl::init("cpu"), cl::cat(category));
// --target=cuda (lib/Pipelines/CompileCuda.cpp).
static cl::opt<std::string> chip("chip",
                                 cl::desc("--target=cuda: GPU architecture"),
                                 cl::init("sm_90"), cl::cat(category));
static cl::opt<std::string>
    gpuFormat("gpu-format",
              cl::desc("--target=cuda: fatbin (cubin + PTX), bin or isa (PTX)"),
              cl::init("fatbin"), cl::cat(category));
static cl::opt<std::string>
    gpuMma("gpu-mma",
           cl::desc("--target=cuda: tensor cores for the contractions (sm_80 "
                    "or newer): none, f16, bf16 or tf32 (f32 accumulation)"),
           cl::init("none"), cl::cat(category));
static cl::opt<std::string>
    cudaToolkit("cuda-toolkit",
                cl::desc("--target=cuda: the CUDA toolkit (default: "
                         "$CUDA_HOME, ..., /usr/local/cuda)"),
                cl::cat(category));
static cl::opt<std::string>
    cudaRuntime("cuda-runtime",
                cl::desc("--target=cuda: the CUDA runtime archive "
                         "(libAttnCudaRuntime.a)"),
                cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("What to write: linalg, bufferized, loops, llvm-dialect "
                  "(alias mlir): MLIR after that phase; llvm: LLVM IR; obj: "
                  "an object file; so: the model library with model.h and "
                  "model.json (default)"),
         cl::init("so"), cl::cat(category));
static cl::opt<std::string> passPipeline(
    "pass-pipeline",
    cl::desc("Textual pass pipeline replacing attn-cpu-pipeline, e.g. "
             "'builtin.module(attn-tie-kv,attn-cpu-pipeline)'"),
    cl::cat(category));
static cl::opt<std::string> lowering(
    "lowering",
    cl::desc("How linalg becomes loops: vector (register-tiled vector "
             "contractions, the default) or loops (the correctness baseline)"),
    cl::init("vector"), cl::cat(category));
static cl::opt<std::string> entry("entry", cl::desc("Entry function"),
                                  cl::init("forward"), cl::cat(category));
static cl::opt<std::string>
    mcpu("mcpu", cl::desc("Target CPU (host = this machine's, with its features)"),
         cl::init("host"), cl::cat(category));
static cl::opt<std::string>
    mattr("mattr",
          cl::desc("Extra CPU features, e.g. -avx512f to stay on AVX2"),
          cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level"),
                                  cl::init(3), cl::Prefix, cl::cat(category));
static cl::opt<bool> reassociate(
    "reassociate",
    cl::desc("Let LLVM reassociate f32 sums and form FMAs (vectorized "
             "reductions); --reassociate=false keeps the strict order"),
    cl::init(true), cl::cat(category));
static cl::opt<std::string>
    toolchainDir("toolchain-dir",
                 cl::desc("Directory of clang and ld.lld for linking"),
                 cl::cat(category));
static cl::opt<std::string>
    runtimeLibrary("runtime-library",
                   cl::desc("The model runtime archive (libAttnModelGlue.a)"),
                   cl::cat(category));
static cl::opt<bool> timePhases("time-phases",
                                cl::desc("Print the time of every phase"),
                                cl::cat(category));


int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAllPasses();
  mlir::attn::registerAllAttnPasses();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerAsmPrinterCLOptions();
  registerDefaultTimingManagerCLOptions();
  mlir::attn::releaseMLIRThreadsOption();
  cl::opt<unsigned> threads(
      "threads",
      cl::desc("Threads of the generated code (1 = sequential, N > 1 = "
               "OpenMP with N threads, 0 = OpenMP default)"),
      cl::init(1), cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "attn-compile: ahead-of-time compiler for attn "
                              "models\n");
  auto fail = [](const llvm::Twine &message) {
    llvm::WithColor::error(llvm::errs(), "attn-compile") << message << "\n";
    return 1;
  };

  if (target != "cpu" && target != "cuda")
    return fail("--target=" + target + " is not supported (cpu, cuda)");
  std::optional<mlir::attn::CudaEmitKind> cudaEmit;
  mlir::attn::CudaCompileOptions cuda;
  if (target == "cuda") {
    cudaEmit = mlir::attn::parseCudaEmitKind(emit);
    if (!cudaEmit)
      return fail("unknown --emit=" + emit +
                  " for --target=cuda (linalg, bufferized, gpu, kernels, "
                  "nvvm, llvm-dialect, ptx, llvm, obj, so)");
    cuda.chip = chip;
    cuda.toolkit = cudaToolkit;
    cuda.cudaRuntimeLibrary = cudaRuntime;
    if (gpuMma != "none" && gpuMma != "f16" && gpuMma != "bf16" &&
        gpuMma != "tf32")
      return fail("unknown --gpu-mma=" + gpuMma + " (none, f16, bf16, tf32)");
    cuda.mma = gpuMma;
    if (gpuFormat == "isa")
      cuda.format = mlir::attn::GpuBinaryFormat::Isa;
    else if (gpuFormat == "bin")
      cuda.format = mlir::attn::GpuBinaryFormat::Bin;
    else if (gpuFormat != "fatbin")
      return fail("unknown --gpu-format=" + gpuFormat + " (fatbin, bin, isa)");
  }
  std::optional<mlir::attn::EmitKind> emitKind =
      !cudaEmit ? mlir::attn::parseEmitKind(emit)
      : *cudaEmit == mlir::attn::CudaEmitKind::Object
          ? mlir::attn::EmitKind::Object
      : *cudaEmit == mlir::attn::CudaEmitKind::SharedLibrary
          ? mlir::attn::EmitKind::SharedLibrary
          : mlir::attn::EmitKind::LLVMDialect;
  if (!emitKind)
    return fail("unknown --emit=" + emit +
                " (linalg, bufferized, loops, llvm-dialect, llvm, obj, so)");
  mlir::attn::CompileOptions options;
  options.emit = *emitKind;
  options.entry = entry;
  options.threads = threads;
  options.passPipeline = passPipeline;
  options.cpu = mcpu;
  options.features = mattr;
  options.optLevel = optLevel;
  options.reassociate = reassociate;
  options.toolchainDir = toolchainDir;
  options.runtimeLibrary = runtimeLibrary;
  if (lowering == "loops")
    options.lowering = mlir::attn::CpuLowering::Loops;
  else if (lowering == "vector")
    options.lowering = mlir::attn::CpuLowering::Vector;
  else
    return fail("unknown --lowering=" + lowering + " (loops, vector)");
  if (timePhases)
    options.timing = &llvm::errs();
  options.configurePassManager = [](PassManager &pm) {
    return applyPassManagerCLOptions(pm);
  };

  std::string output = outputFile;
  if (output.empty()) {
    if (inputFile == "-")
      return fail("-o is required when reading stdin");
    llvm::SmallString<256> path(inputFile.getValue());
    std::string ext = llvm::StringSwitch<std::string>(emit)
                          .Case("llvm", "ll")
                          .Case("obj", "o")
                          .Case("so", "so")
                          .Case("ptx", "ptx")
                          .Default(emit + ".mlir");
    llvm::sys::path::replace_extension(path, ext);
    output = std::string(path);
  }
  if (output == "-" && (*emitKind == mlir::attn::EmitKind::Object ||
                        *emitKind == mlir::attn::EmitKind::SharedLibrary))
    return fail("cannot write --emit=" + emit + " to stdout");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  mlir::attn::registerAttnDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string error;
  OwningOpRef<ModuleOp> module =
      mlir::attn::parseModelFile(inputFile, sourceMgr, context, error);
  if (!module)
    return error.empty() ? 1 : fail(error);

  if (llvm::Error err =
          cudaEmit ? mlir::attn::compileCudaModule(*module, output, *cudaEmit,
                                                   options, cuda)
                   : mlir::attn::compileModule(*module, output, options))
    return fail(llvm::toString(std::move(err)));
  return 0;
}
