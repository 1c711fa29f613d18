// attn.scores with a mask per (batch, head) and dynamic B and T, dk = 20,
// and the map applied to two values of dv = 24 (a reused map: the first
// apply runs in the scores' query blocks, attn-fuse-attend leaves both);
// the output is their sum (attention-head-blocks.test).
func.func @forward(%q: tensor<?x3x?x20xf32> {attn.name = "q"},
                   %k: tensor<?x3x?x20xf32> {attn.name = "k"},
                   %v: tensor<?x3x?x24xf32> {attn.name = "v"},
                   %v2: tensor<?x3x?x24xf32> {attn.name = "v2"},
                   %mask: tensor<?x3x?x?xf32> {attn.name = "mask"})
    -> tensor<?x3x?x24xf32> {
  %map = attn.scores %q, %k mask(%mask) scale(2.500000e-01)
      : (tensor<?x3x?x20xf32>, tensor<?x3x?x20xf32>, tensor<?x3x?x?xf32>)
      -> tensor<?x3x?x?xf32>
  %y = attn.apply %map, %v
      : (tensor<?x3x?x?xf32>, tensor<?x3x?x24xf32>) -> tensor<?x3x?x24xf32>
  %y2 = attn.apply %map, %v2
      : (tensor<?x3x?x?xf32>, tensor<?x3x?x24xf32>) -> tensor<?x3x?x24xf32>
  %sum = arith.addf %y, %y2 : tensor<?x3x?x24xf32>
  return %sum : tensor<?x3x?x24xf32>
}
