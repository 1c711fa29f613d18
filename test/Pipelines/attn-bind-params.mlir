// RUN: attn-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect \
// RUN:   --attn-bind-params \
// RUN:   | FileCheck %s
// RUN: attn-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect \
// RUN:   --attn-bind-params=alignment=1 | FileCheck %s --check-prefix=PACKED

// Parameters of rank 2, 1 and 0 become slices of one packed argument at
// offsets aligned to 16 elements; the table and the signature go into the
// manifest; the globals go; the entry gets its C interface.
// CHECK-LABEL: module attributes {attn_model.manifest = {
// CHECK-SAME:    entry = "forward"
// CHECK-SAME:    inputs = [{dtype = "f32", name = "x", shape = array<i64: 1, -1, 3>}]
// CHECK-SAME:    outputs = [{dtype = "f32", name = "y", shape = array<i64: 1, -1, 2>}]
// CHECK-SAME:    param_alignment = 16 : i64, param_size = 48 : i64
// CHECK-SAME:    params = [{dtype = "f32", init = "copy:w", name = "layers.0.w", offset = 0 : i64, shape = array<i64: 3, 2>},
// CHECK-SAME:              {dtype = "f32", name = "layers.0.b", offset = 16 : i64, shape = array<i64: 2>},
// CHECK-SAME:              {dtype = "f32", name = "layers.0.s", offset = 32 : i64, shape = array<i64>}]
// CHECK-NOT:   ml_program.global
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    %[[P:[a-z0-9]+]]: tensor<48xf32> {attn_model.params, bufferization.writable = false},
// CHECK-SAME:    %[[X:[a-z0-9]+]]: tensor<1x?x3xf32> {bufferization.writable = false})
// CHECK-SAME:    -> tensor<1x?x2xf32> attributes {llvm.emit_c_interface}
// CHECK:         %[[WS:.+]] = tensor.extract_slice %[[P]][0] [6] [1] : tensor<48xf32> to tensor<6xf32>
// CHECK:         %[[W:.+]] = tensor.expand_shape %[[WS]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK:         %[[B:.+]] = tensor.extract_slice %[[P]][16] [2] [1] : tensor<48xf32> to tensor<2xf32>
// CHECK:         %[[SS:.+]] = tensor.extract_slice %[[P]][32] [1] [1] : tensor<48xf32> to tensor<1xf32>
// CHECK:         %[[S:.+]] = tensor.collapse_shape %[[SS]] [] : tensor<1xf32> into tensor<f32>
// CHECK:         "test.use"(%[[X]], %[[W]], %[[B]], %[[S]])
// PACKED:      param_alignment = 1 : i64, param_size = 9 : i64
// PACKED-SAME: offset = 0 : i64
// PACKED-SAME: offset = 6 : i64
// PACKED-SAME: offset = 8 : i64
module {
  ml_program.global private @layers.0.w(#ml_program.extern : tensor<3x2xf32>) : tensor<3x2xf32> {attn.init = "copy:w"}
  ml_program.global private @layers.0.b(#ml_program.extern : tensor<2xf32>) : tensor<2xf32>
  ml_program.global private @layers.0.s(#ml_program.extern : tensor<f32>) : tensor<f32>
  func.func @forward(%x: tensor<1x?x3xf32>) -> tensor<1x?x2xf32> {
    %w = ml_program.global_load_const @layers.0.w : tensor<3x2xf32>
    %b = ml_program.global_load_const @layers.0.b : tensor<2xf32>
    %s = ml_program.global_load_const @layers.0.s : tensor<f32>
    %y = "test.use"(%x, %w, %b, %s) : (tensor<1x?x3xf32>, tensor<3x2xf32>, tensor<2xf32>, tensor<f32>) -> tensor<1x?x2xf32>
    return %y : tensor<1x?x2xf32>
  }
}

// -----

// A global nothing reads is no parameter and goes; one with an initial
// value becomes a constant.
// CHECK-LABEL: module attributes {attn_model.manifest
// CHECK-SAME:    param_size = 0 : i64, params = []
// CHECK-NOT:   ml_program.global
// CHECK:       func.func @forward(%{{.+}}: tensor<0xf32> {attn_model.params, bufferization.writable = false}
// CHECK:         arith.constant dense<1.000000e+00> : tensor<2xf32>
module {
  ml_program.global private @unused(#ml_program.extern : tensor<2xf32>) : tensor<2xf32>
  ml_program.global private @one(dense<1.0> : tensor<2xf32>) : tensor<2xf32>
  func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
    %c = ml_program.global_load_const @one : tensor<2xf32>
    %y = arith.addf %x, %c : tensor<2xf32>
    return %y : tensor<2xf32>
  }
}

// -----

// expected-error @+1 {{parameter 'half' must be a statically shaped f32 tensor to be bound, got 'tensor<2xf16>'}}
ml_program.global private @half(#ml_program.extern : tensor<2xf16>) : tensor<2xf16>
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  %h = ml_program.global_load_const @half : tensor<2xf16>
  "test.use"(%h) : (tensor<2xf16>) -> ()
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{parameter 'dyn' must be a statically shaped f32 tensor to be bound, got 'tensor<?xf32>'}}
ml_program.global private @dyn(#ml_program.extern : tensor<?xf32>) : tensor<?xf32>
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  %d = ml_program.global_load_const @dyn : tensor<?xf32>
  "test.use"(%d) : (tensor<?xf32>) -> ()
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{no entry function @forward with a body}}
module {
  func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

ml_program.global private @w(#ml_program.extern : tensor<2xf32>) : tensor<2xf32>
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
func.func @helper() -> tensor<2xf32> {
  // expected-error @+1 {{parameter 'w' is read outside the entry function @forward}}
  %w = ml_program.global_load_const @w : tensor<2xf32>
  return %w : tensor<2xf32>
}

// -----

ml_program.global private mutable @state(dense<0.0> : tensor<2xf32>) : tensor<2xf32>
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{mutable globals cannot be bound as parameters}}
  %s = ml_program.global_load @state : tensor<2xf32>
  return %s : tensor<2xf32>
}

// -----

// expected-error @+1 {{entry argument #0 must be a ranked f32 tensor, got 'tensor<2xi32>'}}
func.func @forward(%x: tensor<2xi32>) -> tensor<2xi32> {
  return %x : tensor<2xi32>
}

// -----

// expected-error @+1 {{parameters are already bound (the module has an 'attn_model.manifest' attribute)}}
module attributes {attn_model.manifest = {}} {
  func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// Named inputs (attn-model --mask): the manifest lists them in argument
// order with their dim symbols and mask kind; the attributes leave the
// arguments, which keep only bufferization.writable.
// CHECK-LABEL: module attributes {attn_model.manifest
// CHECK-SAME:    inputs = [{dims = ["B", "T", "D"], dtype = "f32", name = "x", shape = array<i64: 1, -1, 4>},
// CHECK-SAME:              {dims = ["T", "T"], dtype = "f32", mask = "additive", name = "mask", shape = array<i64: -1, -1>}]
// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    %{{.+}}: tensor<1x?x4xf32> {bufferization.writable = false},
// CHECK-SAME:    %{{.+}}: tensor<?x?xf32> {bufferization.writable = false})
func.func @forward(%x: tensor<1x?x4xf32> {attn.dims = ["B", "T", "D"], attn.name = "x"},
                   %m: tensor<?x?xf32> {attn.dims = ["T", "T"], attn.mask = "additive", attn.name = "mask"})
    -> tensor<1x?x4xf32> {
  return %x : tensor<1x?x4xf32>
}

// -----

// expected-error @+1 {{entry argument #1: duplicate input name 'x'}}
func.func @forward(%x: tensor<2xf32> {attn.name = "x"}, %y: tensor<2xf32> {attn.name = "x"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{entry argument #0: 'attn.name' must be a non-empty string}}
func.func @forward(%x: tensor<2xf32> {attn.name = ""}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{entry argument #0: 'attn.dims' must be an array of 2 strings}}
func.func @forward(%x: tensor<2x3xf32> {attn.dims = ["T"]}) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}

// -----

// expected-error @+1 {{entry argument #1: 'attn.mask' must be "additive" or "key_padding"}}
func.func @forward(%x: tensor<2xf32>, %m: tensor<2x2xf32> {attn.mask = "causal"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// Boolean masks are not inputs of a compiled model (its ABI takes f32; the
// front ends turn bool masks into additive ones).
// expected-error @+1 {{entry argument #1 must be a ranked f32 tensor, got 'tensor<4x4xi1>'}}
func.func @forward(%x: tensor<2xf32>, %m: tensor<4x4xi1>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
