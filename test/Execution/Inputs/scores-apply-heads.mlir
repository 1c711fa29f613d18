// attn.scores and attn.apply with a mask per (batch, head) and dynamic B
// and T, dk = 20 and dv = 24 (attention-head-blocks.test).
func.func @forward(%q: tensor<?x3x?x20xf32> {attn.name = "q"},
                   %k: tensor<?x3x?x20xf32> {attn.name = "k"},
                   %v: tensor<?x3x?x24xf32> {attn.name = "v"},
                   %mask: tensor<?x3x?x?xf32> {attn.name = "mask"})
    -> tensor<?x3x?x24xf32> {
  %map = attn.scores %q, %k mask(%mask) scale(2.500000e-01)
      : (tensor<?x3x?x20xf32>, tensor<?x3x?x20xf32>, tensor<?x3x?x?xf32>)
      -> tensor<?x3x?x?xf32>
  %y = attn.apply %map, %v
      : (tensor<?x3x?x?xf32>, tensor<?x3x?x24xf32>) -> tensor<?x3x?x24xf32>
  return %y : tensor<?x3x?x24xf32>
}
