//===- AttnDialect.td - attn dialect definition ------------*- tablegen -*-===//
//
// The attn dialect: transformer attention as whole ops (attn.mha) and as the
// decomposed vocabulary every published variant is written in.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_DIALECT_ATTN_IR_ATTNDIALECT_TD
#define ATTN_DIALECT_ATTN_IR_ATTNDIALECT_TD

include "mlir/IR/OpBase.td"

def Attn_Dialect : Dialect {
  let name = "attn";
  let cppNamespace = "::mlir::attn";
  let summary = "Transformer attention and its cheaper published forms";
  let description = [{
    The `attn` dialect holds transformer attention on tensors. Models arrive
    with standard multi-head attention (`attn.mha`); `attn-decompose` writes
    it in the decomposed vocabulary (`attn.project`, `attn.scores`,
    `attn.apply`, `attn.merge`, ...), in which every rewrite of the toolkit
    (map reuse, tied keys and values, multiple head embeddings, feed-forward
    substitution, mixture of Gaussian keys) is expressed.

    Conventions: activations are `[B, T, D]`, heads are `[B, H, T, d]`,
    weights are `[in, out]` (`y = x * W + b`). B and T may be dynamic. Every
    op verifies the shape relations between its operands and names the
    operand, the expected and the actual shape when one does not hold.
  }];
  let useDefaultAttributePrinterParser = 1;
  // `attn.init` on a parameter global says where its values come from.
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    static constexpr ::llvm::StringLiteral kInitAttrName = "attn.init";
  }];
}

class Attn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Attn_Dialect, mnemonic, traits>;

#endif // ATTN_DIALECT_ATTN_IR_ATTNDIALECT_TD
