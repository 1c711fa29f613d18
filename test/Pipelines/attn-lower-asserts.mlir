// RUN: attn-opt %s --attn-lower-asserts | FileCheck %s --implicit-check-not=cf.assert

// A failing run-time check calls the model runtime's error handler (which
// returns from the ABI entry point with an error) instead of aborting; one
// constant string per distinct message.
// CHECK:       llvm.mlir.global internal constant @[[MSG:[a-z_0-9]+]]("sequence length exceeds max_len 4\00")
// CHECK-NOT:   llvm.mlir.global
// CHECK:       llvm.func @__attn_model_runtime_error(!llvm.ptr) attributes {no_unwind, passthrough = ["noreturn"]}
// CHECK-LABEL: func.func @check(
// CHECK-SAME:    %[[OK:.+]]: i1, %[[OK2:.+]]: i1)
// CHECK:         %[[TRUE:.+]] = arith.constant true
// CHECK:         %[[BAD:.+]] = arith.xori %[[OK]], %[[TRUE]] : i1
// CHECK:         scf.if %[[BAD]] {
// CHECK:           %[[P:.+]] = llvm.mlir.addressof @[[MSG]] : !llvm.ptr
// CHECK:           llvm.call @__attn_model_runtime_error(%[[P]]) : (!llvm.ptr) -> ()
// CHECK:         }
// CHECK:         scf.if
// CHECK:           llvm.mlir.addressof @[[MSG]]
func.func @check(%ok: i1, %ok2: i1) {
  cf.assert %ok, "sequence length exceeds max_len 4"
  cf.assert %ok2, "sequence length exceeds max_len 4"
  return
}
