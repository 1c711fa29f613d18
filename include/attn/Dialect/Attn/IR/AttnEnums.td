//===- AttnEnums.td - attn enums and attributes ------------*- tablegen -*-===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNENUMS_TD
#define ATTN_DIALECT_ATTN_IR_ATTNENUMS_TD

include "attn/Dialect/Attn/IR/AttnDialect.td"
include "mlir/IR/EnumAttr.td"

def Attn_Activation : I32EnumAttr<"Activation",
    "element-wise activation of a feed-forward layer", [
      I32EnumAttrCase<"relu", 0>,
      I32EnumAttrCase<"gelu", 1>,      // exact erf form
      I32EnumAttrCase<"silu", 2>,
      I32EnumAttrCase<"leaky_relu", 3> // slope 0.01, as in Bozic et al.
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}
def Attn_ActivationAttr : EnumAttr<Attn_Dialect, Attn_Activation, "activation">;

def Attn_EmbedMode : I32EnumAttr<"EmbedMode",
    "how a per-head embedding combines with the shared projection (MHE)", [
      I32EnumAttrCase<"add", 0>,
      I32EnumAttrCase<"mul", 1>
    ]> {
  let cppNamespace = "::mlir::attn";
  let genSpecializedAttr = 0;
}
def Attn_EmbedModeAttr : EnumAttr<Attn_Dialect, Attn_EmbedMode, "embed_mode">;

#endif // ATTN_DIALECT_ATTN_IR_ATTNENUMS_TD
