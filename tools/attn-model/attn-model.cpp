//===- attn-model.cpp - writes Transformer encoders as attn MLIR ----------===//
//
// attn-model --layers=16 --d-model=256 --heads=4 --ffn=1024 -o model.mlir
//            [--mask=none|additive|key_padding|both]
//            [--params-out=params.safetensors --seed=S]
//
//===----------------------------------------------------------------------===//

#include "attn/Model/EncoderBuilder.h"
#include "attn/Registration.h"
#include "attn/Runtime/SafeTensors.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::attn;
namespace cl = llvm::cl;

static const EncoderConfig defaults;

static cl::OptionCategory category("attn-model options");

static cl::opt<int64_t> layers("layers", cl::desc("Number of encoder layers"),
                               cl::init(defaults.layers), cl::cat(category));
static cl::opt<int64_t> dModel("d-model", cl::desc("Model width D"),
                               cl::init(defaults.dModel), cl::cat(category));
static cl::opt<int64_t> heads("heads",
                              cl::desc("Attention heads (must divide D)"),
                              cl::init(defaults.heads), cl::cat(category));
static cl::opt<int64_t> ffn("ffn", cl::desc("Feed-forward hidden width"),
                            cl::init(defaults.ffn), cl::cat(category));
static cl::opt<std::string> activation(
    "activation",
    cl::desc("Feed-forward activation: relu, gelu (exact erf form), silu or "
             "leaky_relu"),
    cl::init(stringifyActivation(defaults.activation).str()),
    cl::cat(category));
static cl::opt<std::string>
    norm("norm",
         cl::desc("post: x = ln(x + f(x)) (PyTorch's default); pre: "
                  "x = x + f(ln(x)), no final norm"),
         cl::init("post"), cl::cat(category));
static cl::opt<bool> causal("causal", cl::desc("Causal self-attention"),
                            cl::cat(category));
static cl::opt<std::string> mask(
    "mask",
    cl::desc("Run-time attention masks @forward takes after x: none, "
             "additive (mask [T, T], added to the scores like PyTorch's "
             "float src_mask), key_padding (key_padding_mask [B, T]: 0 "
             "attends, -inf is padding; also 'padding') or both"),
    cl::init("none"), cl::cat(category));
static cl::opt<bool> noBias("no-bias",
                            cl::desc("No bias in attention and feed-forward"),
                            cl::cat(category));
static cl::opt<int64_t> batch("batch", cl::desc("Batch size B"),
                              cl::init(defaults.batch), cl::cat(category));
static cl::opt<int64_t> seqLen("seq-len",
                               cl::desc("Sequence length T (0 = dynamic)"),
                               cl::init(defaults.seqLen), cl::cat(category));
static cl::opt<double> epsilon("epsilon", cl::desc("LayerNorm epsilon"),
                               cl::init(defaults.layerNormEpsilon),
                               cl::cat(category));
static cl::opt<std::string> outputFilename("o", cl::desc("Output MLIR file"),
                                           cl::value_desc("file"),
                                           cl::init("-"), cl::cat(category));
static cl::opt<std::string>
    paramsOut("params-out",
              cl::desc("Also write random parameters (safetensors)"),
              cl::value_desc("file"), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed of --params-out"),
                              cl::init(0), cl::cat(category));

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static llvm::Expected<EncoderConfig> configFromOptions() {
  EncoderConfig config;
  config.layers = layers;
  config.dModel = dModel;
  config.heads = heads;
  config.ffn = ffn;
  std::optional<Activation> act = symbolizeActivation(activation);
  if (!act)
    return makeError(llvm::formatv(
        "unknown activation '{0}' (expected relu, gelu, silu or leaky_relu)",
        activation.getValue()));
  config.activation = *act;
  if (norm != "post" && norm != "pre")
    return makeError(llvm::formatv("unknown norm '{0}' (expected post or pre)",
                                   norm.getValue()));
  config.preNorm = norm == "pre";
  config.causal = causal;
  std::optional<MaskInputs> maskInputs = symbolizeMaskInputs(mask);
  if (!maskInputs)
    return makeError(llvm::formatv("unknown mask '{0}' (expected none, "
                                   "additive, key_padding or both)",
                                   mask.getValue()));
  config.mask = *maskInputs;
  config.bias = !noBias;
  config.batch = batch;
  config.seqLen = seqLen;
  config.layerNormEpsilon = epsilon;
  if (llvm::Error err = config.validate())
    return std::move(err);
  return config;
}

static llvm::Error writeParams(ModuleOp module, StringRef path) {
  auto params = randomParameters(module, seed);
  if (!params)
    return params.takeError();
  std::vector<::attn::rt::NamedTensor> named;
  for (const auto &[name, tensor] : *params)
    named.push_back({name, &tensor});
  return ::attn::rt::writeSafeTensors(
      path, named,
      {{"generator", "attn-model"}, {"seed", std::to_string(seed)}});
}

static llvm::Error run() {
  llvm::Expected<EncoderConfig> config = configFromOptions();
  if (!config)
    return config.takeError();

  DialectRegistry registry;
  registerAttnDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  OwningOpRef<ModuleOp> module = buildEncoder(context, *config);
  if (!module)
    return makeError("could not build the encoder");

  // Opened first, so that a bad -o leaves no parameter file behind; it is
  // deleted again if writing the parameters fails.
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &message);
  if (!output)
    return makeError(message);
  if (!paramsOut.empty())
    if (llvm::Error err = writeParams(*module, paramsOut))
      return err;
  // The trailing newline makes the output byte-identical to attn-opt's.
  module->print(output->os());
  output->os() << "\n";
  output->keep();
  return llvm::Error::success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // --mlir-print-debuginfo (hidden, as are LLVM's own flags) shows the
  // layers.{i} locations.
  registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "attn-model: writes a Transformer encoder as "
                              "attn MLIR\n");
  if (llvm::Error err = run()) {
    llvm::WithColor::error(llvm::errs(), "attn-model")
        << llvm::toString(std::move(err)) << "\n";
    return 1;
  }
  return 0;
}
