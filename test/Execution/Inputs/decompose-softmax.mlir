// Transform library of the CPU execution tests: linalg.softmax has no loop
// lowering, so it is decomposed through its AggregatedOpInterface (max,
// sub + exp, sum, div generics) before bufferization.
module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(
      %root: !transform.any_op {transform.readonly}) {
    %softmax = transform.structured.match ops{["linalg.softmax"]} in %root
        : (!transform.any_op) -> !transform.any_op
    %decomposed = transform.structured.decompose_interface %softmax
        : (!transform.any_op) -> !transform.any_op
    transform.yield
  }
}
