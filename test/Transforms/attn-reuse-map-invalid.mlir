// Diagnostics of attn-reuse-map: a remark for every layer that cannot join
// the open group (at the layer, so at its attn.mha before decomposition), and
// an error at the module for every bad option. The remark cases run with
// group-size=4 and their output is checked too; cases that need other options
// are files of their own (split-file) and run alone.
// RUN: rm -rf %t && split-file %s %t
// RUN: attn-opt %t/common.mlir -split-input-file -verify-diagnostics --attn-reuse-map=group-size=4 | FileCheck %s
// RUN: attn-opt %t/foreign_map.mlir -verify-diagnostics --attn-reuse-map=group-size=2 | FileCheck %s --check-prefix=FOREIGN
// RUN: attn-opt %t/cannot_widen.mlir -verify-diagnostics --attn-reuse-map="group-size=2 value-expansion=2" | FileCheck %s --check-prefix=WIDEN
// RUN: attn-opt %t/wide_name_taken.mlir -verify-diagnostics --attn-reuse-map="group-size=2 value-expansion=2"
// RUN: attn-opt %t/group_size_zero.mlir -verify-diagnostics --attn-reuse-map=group-size=0
// RUN: attn-opt %t/value_expansion_zero.mlir -verify-diagnostics --attn-reuse-map=value-expansion=0
// RUN: attn-opt %t/groups_syntax.mlir -verify-diagnostics --attn-reuse-map=groups=0-x
// RUN: attn-opt %t/groups_reversed.mlir -verify-diagnostics --attn-reuse-map=groups=1-0
// RUN: attn-opt %t/groups_overlap.mlir -verify-diagnostics --attn-reuse-map=groups=0-1,1
// RUN: attn-opt %t/groups_descending.mlir -verify-diagnostics --attn-reuse-map=groups=1,0
// RUN: attn-opt %t/groups_out_of_bounds.mlir -verify-diagnostics --attn-reuse-map=groups=0-2
// RUN: attn-opt %t/groups_no_layers.mlir -verify-diagnostics --attn-reuse-map=groups=0

//--- common.mlir

// A mask change cuts the group: layer 1 has a mask where layer 0 has none and
// layer 3 another mask than layer 1; layer 2 joins the group layer 1 started.
// CHECK-LABEL: func.func @mask_change(
// CHECK-SAME:      %{{[^:]+}}: tensor<1x4x8xf32>, %{{[^:]+}}: tensor<8x8xf32>, %[[M1:[^:]+]]: tensor<4x4xf32>, %[[M2:[^:]+]]: tensor<4x4xi1>)
// CHECK:         %[[MAP0:.+]] = attn.scores %{{[^,]+}}, %{{[^ ]+}} :
// CHECK-NEXT:    attn.apply %[[MAP0]],
// CHECK:         %[[MAP1:.+]] = attn.scores %{{.+}}, %{{.+}} mask(%[[M1]]) :
// CHECK-NEXT:    attn.apply %[[MAP1]],
// CHECK-NOT:     attn.scores
// CHECK:         attn.apply %[[MAP1]],
// CHECK:         %[[MAP3:.+]] = attn.scores %{{.+}}, %{{.+}} mask(%[[M2]]) :
// CHECK-NEXT:    attn.apply %[[MAP3]],
func.func @mask_change(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>, %m1: tensor<4x4xf32>, %m2: tensor<4x4xi1>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: it has a mask but layer 0 has none}}
  %a1 = attn.mha %x1, %x1, %w, %w, %w, %w mask(%m1) heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<4x4xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  %a2 = attn.mha %x2, %x2, %w, %w, %w, %w mask(%m1) heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<4x4xf32>) -> tensor<1x4x8xf32>
  %x3 = arith.addf %x2, %a2 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 3 starts a new group: its mask differs from layer 1's}}
  %a3 = attn.mha %x3, %x3, %w, %w, %w, %w mask(%m2) heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<4x4xi1>) -> tensor<1x4x8xf32>
  %x4 = arith.addf %x3, %a3 : tensor<1x4x8xf32>
  return %x4 : tensor<1x4x8xf32>
}

// -----
// A mask on the first layer only: the second may not apply a masked map.
// CHECK-LABEL: func.func @mask_dropped(
// CHECK-COUNT-2: attn.scores
func.func @mask_dropped(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>, %m: tensor<4x4xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w mask(%m) heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<4x4xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: it has no mask but layer 0 has one}}
  %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2 : tensor<1x4x8xf32>
}

// -----
// Causal flags must agree, both ways round.
// CHECK-LABEL: func.func @causal_change(
// CHECK:         attn.scores %{{.+}}, %{{.+}} causal :
// CHECK:         attn.scores %{{[^,]+}}, %{{[^ ]+}} :
// CHECK:         attn.scores %{{.+}}, %{{.+}} causal :
func.func @causal_change(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) causal : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: it is not causal but layer 0 is}}
  %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 2 starts a new group: it is causal but layer 1 is not}}
  %a2 = attn.mha %x2, %x2, %w, %w, %w, %w heads(2) causal : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x3 = arith.addf %x2, %a2 : tensor<1x4x8xf32>
  return %x3 : tensor<1x4x8xf32>
}

// -----
// A different head count means a different map.
// CHECK-LABEL: func.func @heads_change(
// CHECK-COUNT-2: attn.scores
func.func @heads_change(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: it has 4 heads but layer 0 has 2}}
  %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(4) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2 : tensor<1x4x8xf32>
}

// -----
// Cross-attention over a longer memory: Tk differs, so the map type does.
// CHECK-LABEL: func.func @map_shape_change(
// CHECK:         attn.scores {{.+}} -> tensor<1x2x4x4xf32>
// CHECK:         attn.scores {{.+}} -> tensor<1x2x4x6xf32>
func.func @map_shape_change(%x: tensor<1x4x8xf32>, %mem: tensor<1x6x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: its map tensor<1x2x4x6xf32> differs from layer 0's map tensor<1x2x4x4xf32>}}
  %a1 = attn.mha %x1, %mem, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x6x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2 : tensor<1x4x8xf32>
}

// -----
// Equal dynamic types are not equal lengths: the second layer attends over
// another input whose length may differ.
// CHECK-LABEL: func.func @dynamic_query_length(
// CHECK-COUNT-2: attn.scores
func.func @dynamic_query_length(%x: tensor<1x?x8xf32>, %y: tensor<1x?x8xf32>, %w: tensor<8x8xf32>) -> (tensor<1x?x8xf32>, tensor<1x?x8xf32>) {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x?x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: its dynamic query length or batch size may differ from layer 0's (the queries come from different values)}}
  %a1 = attn.mha %y, %y, %w, %w, %w, %w heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
  %y1 = arith.addf %y, %a1 : tensor<1x?x8xf32>
  return %x1, %y1 : tensor<1x?x8xf32>, tensor<1x?x8xf32>
}

// -----
// Cross-attention layers over two memories of dynamic length.
// CHECK-LABEL: func.func @dynamic_key_length(
// CHECK-COUNT-2: attn.scores
func.func @dynamic_key_length(%x: tensor<1x4x8xf32>, %mem0: tensor<1x?x8xf32>, %mem1: tensor<1x?x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %mem0, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: its dynamic key length may differ from layer 0's (the keys come from different values)}}
  %a1 = attn.mha %x1, %mem1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2 : tensor<1x4x8xf32>
}

// -----
// The first layer's map lives in a nested region and cannot be used after it.
// CHECK-LABEL: func.func @map_does_not_dominate(
// CHECK:         scf.execute_region
// CHECK:           attn.scores
// CHECK:         attn.scores
func.func @map_does_not_dominate(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %x1 = scf.execute_region -> tensor<1x4x8xf32> {
    %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %r = arith.addf %x, %a0 : tensor<1x4x8xf32>
    scf.yield %r : tensor<1x4x8xf32>
  }
  // expected-remark@+1 {{layer 1 starts a new group: layer 0's map does not dominate it}}
  %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2 : tensor<1x4x8xf32>
}

// -----
// The second layer sits in a nested region: the first layer's map dominates
// it, but maps are only shared within one block.
// CHECK-LABEL: func.func @nested_follower(
// CHECK:         attn.scores
// CHECK:         scf.execute_region
// CHECK:           attn.scores
func.func @nested_follower(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  %x2 = scf.execute_region -> tensor<1x4x8xf32> {
    // expected-remark@+1 {{layer 1 starts a new group: it is in another block than layer 0's map}}
    %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %r = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    scf.yield %r : tensor<1x4x8xf32>
  }
  return %x2 : tensor<1x4x8xf32>
}

// -----
// The second layer's map is also returned (need_weights=True): it must stay.
// CHECK-LABEL: func.func @map_returned(
// CHECK:         %[[MAP0:.+]] = attn.scores
// CHECK:         %[[MAP1:.+]] = attn.scores
// CHECK:         attn.apply %[[MAP1]],
// CHECK:         return %{{.+}}, %[[MAP1]] :
func.func @map_returned(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<1x4x8xf32>, tensor<1x2x4x4xf32>) {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  %q1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map1 = attn.scores %q1, %k1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %h1 = attn.apply %map1, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark@+1 {{layer 1 starts a new group: its own map has other users}}
  %a1 = attn.merge %h1, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2, %map1 : tensor<1x4x8xf32>, tensor<1x2x4x4xf32>
}

// -----
// A map from an op the pass does not know: its mask and causal flag cannot be
// compared, so the layer keeps it.
// CHECK-LABEL: func.func @unknown_map(
// CHECK:         attn.scores
// CHECK:         %[[MAP1:.+]] = tensor.empty
// CHECK:         attn.apply %[[MAP1]],
func.func @unknown_map(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  %v1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map1 = tensor.empty() : tensor<1x2x4x4xf32>
  %h1 = attn.apply %map1, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark@+1 {{layer 1 starts a new group: its map is not computed by attn.scores or attn.mgk_scores}}
  %a1 = attn.merge %h1, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2 : tensor<1x4x8xf32>
}

// -----
// The pass's own output for group-size=2, run again with group-size=4: layer
// 2's map is applied by layer 3 already, so it cannot switch to layer 0's;
// nothing changes.
// CHECK-LABEL: func.func @regroup(
// CHECK:         %[[MAP0:.+]] = attn.scores
// CHECK-COUNT-2: attn.apply %[[MAP0]],
// CHECK:         %[[MAP2:.+]] = attn.scores
// CHECK-COUNT-2: attn.apply %[[MAP2]],
func.func @regroup(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map0 = attn.scores %q0, %k0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %h0 = attn.apply %map0, %v0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a0 = attn.merge %h0, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  %v1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %h1 = attn.apply %map0, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a1 = attn.merge %h1, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  %q2 = attn.project %x2, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k2 = attn.project %x2, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v2 = attn.project %x2, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map2 = attn.scores %q2, %k2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %h2 = attn.apply %map2, %v2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark@+1 {{layer 2 starts a new group: its own map is already applied by another layer}}
  %a2 = attn.merge %h2, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x3 = arith.addf %x2, %a2 : tensor<1x4x8xf32>
  %v3 = attn.project %x3, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %h3 = attn.apply %map2, %v3 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a3 = attn.merge %h3, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x4 = arith.addf %x3, %a3 : tensor<1x4x8xf32>
  return %x4 : tensor<1x4x8xf32>
}

//--- foreign_map.mlir
// Layer 3 applies layer 0's map (imported that way); with group-size=2 it
// interrupts the group layer 2 opens, and is left alone.
// FOREIGN-LABEL: func.func @foreign_map(
// FOREIGN:         %[[MAP0:.+]] = attn.scores
// FOREIGN-COUNT-2: attn.apply %[[MAP0]],
// FOREIGN:         %[[MAP2:.+]] = attn.scores
// FOREIGN-NEXT:    attn.apply %[[MAP2]],
// FOREIGN:         attn.apply %[[MAP0]],
func.func @foreign_map(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %q0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v0 = attn.project %x, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map0 = attn.scores %q0, %k0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %h0 = attn.apply %map0, %v0 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a0 = attn.merge %h0, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  %q1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v1 = attn.project %x1, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map1 = attn.scores %q1, %k1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %h1 = attn.apply %map1, %v1 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a1 = attn.merge %h1, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  %q2 = attn.project %x2, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %k2 = attn.project %x2, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %v2 = attn.project %x2, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %map2 = attn.scores %q2, %k2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %h2 = attn.apply %map2, %v2 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a2 = attn.merge %h2, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x3 = arith.addf %x2, %a2 : tensor<1x4x8xf32>
  %v3 = attn.project %x3, %w heads(2) : (tensor<1x4x8xf32>, tensor<8x8xf32>) -> tensor<1x2x4x4xf32>
  %h3 = attn.apply %map0, %v3 : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark@+1 {{layer 3 ends the group of layer 2: it already applies the map of layer 0 and is left alone}}
  %a3 = attn.merge %h3, %w : (tensor<1x2x4x4xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x4 = arith.addf %x3, %a3 : tensor<1x4x8xf32>
  return %x4 : tensor<1x4x8xf32>
}

//--- cannot_widen.mlir
// Value expansion needs parameters to replace; layer 1 reads its weights from
// function arguments, so it keeps its own map.
// WIDEN-LABEL: func.func @cannot_widen(
// WIDEN-NOT:     _e2
// WIDEN-COUNT-2: attn.scores
func.func @cannot_widen(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
  %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
  // expected-remark@+1 {{layer 1 starts a new group: its value weight is not a parameter, so value-expansion=2 cannot widen its values}}
  %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
  %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
  return %x2 : tensor<1x4x8xf32>
}

//--- wide_name_taken.mlir
// The widened parameter's name already exists: nothing is overwritten.
module {
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv_e2(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  func.func @forward(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    // expected-error@+1 {{cannot create parameter 'layers.1.attn.wv_e2': the name is taken}}
    %a1 = attn.mha %x1, %x1, %w, %w, %wv1, %wo1 heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    return %x2 : tensor<1x4x8xf32>
  }
}

//--- group_size_zero.mlir
// expected-error@+1 {{attn-reuse-map: 'group-size' must be at least 1}}
module {
}

//--- value_expansion_zero.mlir
// expected-error@+1 {{attn-reuse-map: 'value-expansion' must be at least 1}}
module {
}

//--- groups_syntax.mlir
// expected-error@+1 {{attn-reuse-map: cannot parse the 'groups' entry '0-x': expected a layer index 'N' or a range 'N-M'}}
module {
}

//--- groups_reversed.mlir
// expected-error@+1 {{attn-reuse-map: the 'groups' range '1-0' ends before it starts}}
module {
}

//--- groups_overlap.mlir
// expected-error@+1 {{attn-reuse-map: the 'groups' range '1' overlaps '0-1'}}
module {
}

//--- groups_descending.mlir
// expected-error@+1 {{attn-reuse-map: the 'groups' range '0' comes after '1'; list the ranges in ascending order}}
module {
}

//--- groups_out_of_bounds.mlir
// Two layers (0 and 1): a range up to layer 2 names a layer that is not there.
// expected-error@+1 {{attn-reuse-map: the 'groups' range '0-2' is out of bounds: the attention layers are numbered 0 to 1}}
module {
  func.func @forward(%x: tensor<1x4x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x4x8xf32> {
    %a0 = attn.mha %x, %x, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x1 = arith.addf %x, %a0 : tensor<1x4x8xf32>
    %a1 = attn.mha %x1, %x1, %w, %w, %w, %w heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8xf32>
    %x2 = arith.addf %x1, %a1 : tensor<1x4x8xf32>
    return %x2 : tensor<1x4x8xf32>
  }
}

//--- groups_no_layers.mlir
// expected-error@+1 {{attn-reuse-map: the 'groups' range '0' is out of bounds: the module has no attention layers}}
module {
}
