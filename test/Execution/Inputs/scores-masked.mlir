// One attn.scores with an additive mask and a dynamic sequence length: the
// map itself is the output (softmax-special-values.test).
func.func @forward(%q: tensor<1x2x?x16xf32> {attn.name = "q"},
                   %k: tensor<1x2x?x16xf32> {attn.name = "k"},
                   %mask: tensor<1x1x?x?xf32> {attn.name = "mask"})
    -> tensor<1x2x?x?xf32> {
  %map = attn.scores %q, %k mask(%mask) scale(2.500000e-01)
      : (tensor<1x2x?x16xf32>, tensor<1x2x?x16xf32>, tensor<1x1x?x?xf32>)
      -> tensor<1x2x?x?xf32>
  return %map : tensor<1x2x?x?xf32>
}
