// RUN: attn-opt %s --split-input-file --allow-unregistered-dialect \
// RUN:   --attn-bind-params --attn-outline-layers | FileCheck %s

// Two layers of the same structure share one function, called with the
// offset of each layer's first parameter; the op between the layers that
// reads no parameter belongs to the layer before it.
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    %[[P:.+]]: tensor<64xf32> {{.+}}, %[[X:.+]]: tensor<?x2xf32>
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[Y0:.+]] = call @forward_layer0(%[[P]], %[[C0]], %[[X]])
// CHECK:         %[[C32:.+]] = arith.constant 32 : index
// CHECK:         %[[Y1:.+]] = call @forward_layer0(%[[P]], %[[C32]], %[[Y0]])
// CHECK:         return %[[Y1]]
// CHECK-LABEL: func.func private @forward_layer0(
// CHECK-SAME:    %[[PP:.+]]: tensor<64xf32>, %[[BASE:.+]]: index, %[[IN:.+]]: tensor<?x2xf32>)
// CHECK-SAME:    attributes {no_inline}
// CHECK:         %[[OW:.+]] = arith.addi %[[BASE]], %{{.+}} : index
// CHECK:         tensor.extract_slice %[[PP]][%[[OW]]] [4] [1]
// CHECK:         %[[C16:.+]] = arith.constant 16 : index
// CHECK:         %[[OB:.+]] = arith.addi %[[BASE]], %[[C16]] : index
// CHECK:         tensor.extract_slice %[[PP]][%[[OB]]] [2] [1]
// CHECK:         "test.mm"
// CHECK:         "test.relu"
// CHECK-NOT:   func.func
module {
  ml_program.global private @layers.0.w(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  ml_program.global private @layers.0.b(#ml_program.extern : tensor<2xf32>) : tensor<2xf32>
  ml_program.global private @layers.1.w(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  ml_program.global private @layers.1.b(#ml_program.extern : tensor<2xf32>) : tensor<2xf32>
  func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
    %w0 = ml_program.global_load_const @layers.0.w : tensor<2x2xf32>
    %b0 = ml_program.global_load_const @layers.0.b : tensor<2xf32>
    %m0 = "test.mm"(%x, %w0, %b0) : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
    %y0 = "test.relu"(%m0) : (tensor<?x2xf32>) -> tensor<?x2xf32>
    %w1 = ml_program.global_load_const @layers.1.w : tensor<2x2xf32>
    %b1 = ml_program.global_load_const @layers.1.b : tensor<2xf32>
    %m1 = "test.mm"(%y0, %w1, %b1) : (tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
    %y1 = "test.relu"(%m1) : (tensor<?x2xf32>) -> tensor<?x2xf32>
    return %y1 : tensor<?x2xf32>
  }
}

// -----

// Layers of different structure get a function each; a value of layer 0
// that layer 1 reads (a shared map) is passed along.
// CHECK-LABEL: func.func @forward(
// CHECK:         %[[R:.+]]:2 = call @forward_layer0(
// CHECK:         call @forward_layer1(%{{.+}}, %{{.+}}, %[[R]]#0, %[[R]]#1)
// CHECK-LABEL: func.func private @forward_layer0(
// CHECK-SAME:    -> (tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK-LABEL: func.func private @forward_layer1(
module {
  ml_program.global private @layers.0.w(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  ml_program.global private @layers.1.v(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
    %w0 = ml_program.global_load_const @layers.0.w : tensor<2x2xf32>
    %map = "test.map"(%x, %w0) : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
    %y0 = "test.apply"(%map, %x) : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<?x2xf32>
    %v1 = ml_program.global_load_const @layers.1.v : tensor<2x2xf32>
    %y1 = "test.apply2"(%map, %y0, %v1) : (tensor<?x2xf32>, tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
    return %y1 : tensor<?x2xf32>
  }
}

// -----

// Attention-map reuse: a layer that applies the map of an earlier layer
// joins that layer's function, so a map never crosses a call (its scores
// and applies are lowered together). Both groups of two layers have the
// same structure and share one function, called at each group's offset.
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    %[[P:.+]]: tensor<64xf32> {{.+}}, %[[X:.+]]: tensor<1x2x?x4xf32>
// CHECK:         %[[C0:.+]] = arith.constant 0 : index
// CHECK:         %[[G0:.+]] = call @forward_layer0(%[[P]], %[[C0]], %[[X]])
// CHECK:         %[[C32:.+]] = arith.constant 32 : index
// CHECK:         %[[G1:.+]] = call @forward_layer0(%[[P]], %[[C32]], %[[G0]])
// CHECK:         return %[[G1]]
// CHECK-LABEL: func.func private @forward_layer0(
// CHECK-SAME:    -> tensor<1x2x?x4xf32>
// CHECK:         %[[MAP:.+]] = attn.scores
// CHECK:         attn.apply %[[MAP]]
// CHECK:         "test.v"
// CHECK:         attn.apply %[[MAP]]
// CHECK-NOT:   func.func
module {
  ml_program.global private @layers.0.w(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  ml_program.global private @layers.1.w(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  ml_program.global private @layers.2.w(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  ml_program.global private @layers.3.w(#ml_program.extern : tensor<2x2xf32>) : tensor<2x2xf32>
  func.func @forward(%x: tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32> {
    %w0 = ml_program.global_load_const @layers.0.w : tensor<2x2xf32>
    %v0 = "test.v"(%x, %w0) : (tensor<1x2x?x4xf32>, tensor<2x2xf32>) -> tensor<1x2x?x4xf32>
    %map0 = attn.scores %v0, %v0 : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %y0 = attn.apply %map0, %v0 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %w1 = ml_program.global_load_const @layers.1.w : tensor<2x2xf32>
    %v1 = "test.v"(%y0, %w1) : (tensor<1x2x?x4xf32>, tensor<2x2xf32>) -> tensor<1x2x?x4xf32>
    %y1 = attn.apply %map0, %v1 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %w2 = ml_program.global_load_const @layers.2.w : tensor<2x2xf32>
    %v2 = "test.v"(%y1, %w2) : (tensor<1x2x?x4xf32>, tensor<2x2xf32>) -> tensor<1x2x?x4xf32>
    %map2 = attn.scores %v2, %v2 : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %y2 = attn.apply %map2, %v2 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %w3 = ml_program.global_load_const @layers.3.w : tensor<2x2xf32>
    %v3 = "test.v"(%y2, %w3) : (tensor<1x2x?x4xf32>, tensor<2x2xf32>) -> tensor<1x2x?x4xf32>
    %y3 = attn.apply %map2, %v3 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    return %y3 : tensor<1x2x?x4xf32>
  }
}
