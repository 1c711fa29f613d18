// One attn.attend with an additive mask and a dynamic sequence length
// (softmax-special-values.test).
func.func @forward(%q: tensor<1x2x?x16xf32> {attn.name = "q"},
                   %k: tensor<1x2x?x16xf32> {attn.name = "k"},
                   %v: tensor<1x2x?x16xf32> {attn.name = "v"},
                   %mask: tensor<1x1x?x?xf32> {attn.name = "mask"})
    -> tensor<1x2x?x16xf32> {
  %y = attn.attend %q, %k, %v mask(%mask) scale(2.500000e-01)
      : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>,
         tensor<1x1x?x?xf32>) -> tensor<1x2x?x16xf32>
  return %y : tensor<1x2x?x16xf32>
}
