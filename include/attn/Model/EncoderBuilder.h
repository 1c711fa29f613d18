//===- EncoderBuilder.h - Transformer encoders as attn IR -------*- C++ -*-===//
//
// Builds a stack of Transformer encoder layers (PyTorch's
// nn.TransformerEncoderLayer) in the attn dialect, and random parameters for
// any model that follows the parameter conventions of DESIGN.md section 2.
// Used by attn-model and the Python package.
//
// The module is a contract the passes rely on:
//   - one `ml_program.global private @<name>(#ml_program.extern : T) : T` per
//     parameter, named `layers.{i}.attn.{wq,wk,wv,wo,bq,bk,bv,bo}`,
//     `layers.{i}.ln1.{gamma,beta}`, `layers.{i}.ffn.{w0,b0,w1,b1}`,
//     `layers.{i}.ln2.{gamma,beta}`; weights are [in, out];
//   - `func.func @forward(%x: tensor<BxTxDxf32>) -> tensor<BxTxDxf32>`
//     (T = ? for a dynamic length), which reads the parameters of layer i
//     with `ml_program.global_load_const` right before the layer's ops;
//   - with a run-time mask (EncoderConfig::mask) @forward takes, after %x,
//     `%mask: tensor<TxTxf32>` (additive, PyTorch's float src_mask) and/or
//     `%key_padding_mask: tensor<BxTxf32>` (additive per key: 0 = attend,
//     -inf = padding), every layer's attn.mha reads one mask value: %mask
//     itself, or a `linalg.generic` at the top of @forward that broadcasts
//     the key-padding mask to [B, 1, 1, T] (adding %mask: [B, 1, T, T]);
//   - with masks, every argument carries `attn.name` (its name in the compiled model's
//     manifest), `attn.dims` (one symbol per dim, "B", "T", "D"; equal
//     symbols are equal sizes) and, for a mask, `attn.mask` ("additive" or
//     "key_padding");
//   - every op of layer i is located at NameLoc "layers.{i}".
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_MODEL_ENCODERBUILDER_H
#define ATTN_MODEL_ENCODERBUILDER_H

#include "attn/Dialect/Attn/IR/AttnEnums.h"
#include "attn/Runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
class MLIRContext;
namespace attn {

/// Shape and flavour of an encoder stack.
/// Run-time attention masks of an encoder's @forward (see the file comment).
enum class MaskInputs {
  None,       ///< @forward(%x)
  Additive,   ///< @forward(%x, %mask [T, T])
  KeyPadding, ///< @forward(%x, %key_padding_mask [B, T])
  Both,       ///< @forward(%x, %mask [T, T], %key_padding_mask [B, T])
};

/// "none", "additive", "key_padding" (also "padding"), "both".
std::optional<MaskInputs> symbolizeMaskInputs(llvm::StringRef name);
llvm::StringRef stringifyMaskInputs(MaskInputs mask);

/// Names of the argument attributes on @forward (see the file comment).
constexpr llvm::StringLiteral kInputNameAttr = "attn.name";
constexpr llvm::StringLiteral kInputDimsAttr = "attn.dims";
constexpr llvm::StringLiteral kInputMaskAttr = "attn.mask";

struct EncoderConfig {
  /// More layers are refused: the IR grows linearly (about 0.1 ms and 25 KB
  /// per layer), so a mistyped count would run for hours and exhaust memory
  /// instead of failing (docs/robustness.md).
  static constexpr int64_t kMaxLayers = 10000;

  int64_t layers = 16;
  int64_t dModel = 256;
  int64_t heads = 4; ///< Must divide dModel (d_head = dModel / heads).
  int64_t ffn = 1024;
  Activation activation = Activation::silu;
  /// Pre-norm: x + attn(ln1(x)), x + ffn(ln2(x)), no final norm. Post-norm
  /// (PyTorch's default, norm_first=False): ln1(x + attn(x)), ln2(x + ffn(x)).
  bool preNorm = false;
  bool causal = false;
  /// Run-time masks @forward takes (combined with `causal` if both are set).
  MaskInputs mask = MaskInputs::None;
  bool bias = true; ///< Without biases there are no bias globals at all.
  int64_t batch = 1;
  int64_t seqLen = 0; ///< 0 = dynamic.
  double layerNormEpsilon = 1e-5;

  /// Fails with a message naming the offending field: sizes must be positive
  /// (seqLen non-negative), layers at most kMaxLayers, heads must divide
  /// dModel, epsilon must be a positive finite number, and the weight shapes
  /// must fit in int64_t.
  llvm::Error validate() const;
};

/// Builds and verifies the encoder described by `config` (see the file
/// comment for the IR). Loads the dialects it needs into `context`. Returns
/// null, after emitting an error to the context's diagnostic handler, if the
/// config is invalid or the module does not verify.
OwningOpRef<ModuleOp> buildEncoder(MLIRContext &context,
                                   const EncoderConfig &config);

/// The entry of a model built from `config`: @forward with its arguments
/// (%x of [batch, seqLen, dModel], then the masks of `config.mask` with
/// their `attn.*` argument attributes) and a body that so far only holds
/// the mask broadcast, if any. `mask` is the value to give every attn.mha
/// (null without masks); the builder `body` continues after it.
struct ForwardEntry {
  func::FuncOp forward;
  Value x;
  Value mask;
};
ForwardEntry createForward(OpBuilder &builder, Location loc,
                           const EncoderConfig &config);

/// One f32 tensor per parameter global of `module` (every top-level
/// `ml_program.global` with an `#ml_program.extern` value), in module order,
/// named by symbol. Fails if a parameter is not a statically shaped f32
/// tensor.
///
/// Values are deterministic on every platform: each tensor draws from its own
/// splitmix64 stream seeded by `seed` and the parameter's name (so removing a
/// parameter does not change the others), and u = (next() >> 40) * 2^-24 is
/// mapped to s = 2u - 1, uniform on [-1, 1). By the last name component and
/// rank:
///   - `gamma` (LayerNorm scale): 1 + 0.1 * s; `beta` (shift): 0.1 * s, so that
///     a swapped gamma/beta changes results;
///   - rank >= 2 (weight [..., in, out]): s / sqrt(in), PyTorch's nn.Linear
///     bound with fan_in = the second-to-last (for [in, out], the first) dim;
///   - rank <= 1 (bias `X.bK`): s / sqrt(fan_in of the weight `X.wK`), or of
///     the bias's own length when there is no such weight;
///   - a global marked `attn.init = "zeros"` or `"ones"` gets that constant.
llvm::Expected<std::vector<std::pair<std::string, ::attn::rt::Tensor>>>
randomParameters(ModuleOp module, uint64_t seed);

} // namespace attn
} // namespace mlir

#endif // ATTN_MODEL_ENCODERBUILDER_H
