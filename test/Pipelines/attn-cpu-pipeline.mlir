// attn-cpu-pipeline and its named phases, on a 2-layer post-norm model
// (attention + LayerNorm per layer) with a dynamic sequence length.

// The whole pipeline reaches the LLVM dialect: nothing of attn, ml_program,
// linalg, tensor, memref, scf or bufferization is left; the two equal layers
// share one outlined function; the entry has its C interface; the manifest
// survives as a module attribute.
// RUN: attn-opt %s --attn-cpu-pipeline | FileCheck %s --check-prefix=LLVM \
// RUN:   --implicit-check-not="{{(= |^ *)(attn|ml_program|linalg|tensor|memref|scf|bufferization|cf)\.}}"
// LLVM: module attributes {attn_model.manifest = {entry = "forward"
// LLVM-DAG: llvm.func @forward(
// LLVM-DAG: llvm.func @_mlir_ciface_forward(
// LLVM-DAG: llvm.func @forward_layer0(
// LLVM-NOT: llvm.func @forward_layer1(

// Phase "linalg": linalg on tensors, parameters bound, layers outlined.
// RUN: attn-opt %s --attn-cpu-pipeline=stop-after=linalg | FileCheck %s \
// RUN:   --check-prefix=LINALG \
// RUN:   --implicit-check-not="{{(= |^ *)(attn|ml_program|memref)\.}}"
// LINALG-LABEL: func.func @forward(
// LINALG-SAME:    %[[P:.+]]: tensor<192xf32> {attn_model.params, bufferization.writable = false}
// LINALG-SAME:    %[[X:.+]]: tensor<1x?x4xf32> {bufferization.writable = false}
// LINALG-SAME:    attributes {llvm.emit_c_interface}
// LINALG:         %[[L0:.+]] = call @forward_layer0(%[[P]], %{{.+}}, %[[X]])
// LINALG:         %[[L1:.+]] = call @forward_layer0(%[[P]], %{{.+}}, %[[L0]])
// LINALG:         return %[[L1]]
// LINALG-LABEL: func.func private @forward_layer0(
// LINALG-SAME:    attributes {no_inline}
// LINALG:         tensor.extract_slice
// LINALG:         linalg.generic

// attn.attend: an scf.forall over the heads and blocks of 48 queries (the
// batch of 1 folded away), each with a loop over whole 512-key blocks, then
// one for the keys left (T is dynamic);
// attend-query-block-size=0 keeps one key loop for all queries.
// RUN: attn-opt %s --attn-cpu-pipeline=stop-after=linalg | FileCheck %s \
// RUN:   --check-prefix=QBLOCK
// QBLOCK-LABEL: func.func private @forward_layer0(
// QBLOCK:         scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (2, %{{.+}}) step (1, 48)
// QBLOCK:           scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c512
// QBLOCK:           scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c512
// RUN: attn-opt %s --attn-cpu-pipeline="stop-after=linalg threads=2 attend-query-block-size=0" \
// RUN:   | FileCheck %s --check-prefix=QBLOCK0
// QBLOCK0-LABEL: func.func private @forward_layer0(
// QBLOCK0-NOT:     scf.forall
// QBLOCK0:         scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c512

// Each LayerNorm (with its residual sum) runs as one forall over blocks of
// row-block-size rows: its statistics are computed inside, none outside;
// row-block-size=0 leaves one loop nest per op.
// RUN: attn-opt %s --attn-cpu-pipeline="stop-after=linalg row-block-size=16" \
// RUN:   | FileCheck %s --check-prefix=ROWS
// ROWS-LABEL: func.func private @forward_layer0(
// ROWS:         scf.forall
// ROWS-NOT:     iterator_types = ["parallel", "parallel", "reduction"]
// ROWS:         scf.forall (%{{.+}}) = (0) to (%{{.+}}) step (16)
// ROWS:           linalg.fill
// ROWS:           iterator_types = ["parallel", "parallel", "reduction"]
// ROWS:           math.rsqrt
// ROWS:           tensor.parallel_insert_slice
// ROWS-NOT:     linalg.generic
// ROWS:         return
// RUN: attn-opt %s --attn-cpu-pipeline="stop-after=linalg row-block-size=0" \
// RUN:   | FileCheck %s --check-prefix=ROWS0
// ROWS0-LABEL: func.func private @forward_layer0(
// ROWS0:         scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (2, %{{.+}}) step (1, 48)
// ROWS0-NOT:     scf.forall (
// ROWS0:         {{^    }}%{{.+}} = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// ROWS0-NOT:     scf.forall (
// ROWS0:         return

// Phase "bufferized": memrefs, still linalg, deallocations in place.
// RUN: attn-opt %s --attn-cpu-pipeline=stop-after=bufferized | FileCheck %s \
// RUN:   --check-prefix=BUF --implicit-check-not="{{(= |^ *)(attn|tensor)\.}}"
// BUF-LABEL: func.func @forward(
// BUF-SAME:    memref<192xf32>
// BUF-SAME:    memref<1x?x4xf32>
// BUF:         memref.alloc
// BUF:         linalg.generic
// BUF:         memref.dealloc

// Buffers are freed after their last use (attn-early-deallocs), not all at
// the end of the layer: the attention's inputs before the output
// projection runs.
// RUN: attn-opt %s --attn-cpu-pipeline=stop-after=bufferized | FileCheck %s \
// RUN:   --check-prefix=EARLY
// EARLY-LABEL: func.func private @forward_layer0(
// EARLY:         scf.forall
// EARLY:         memref.dealloc
// EARLY:         linalg.matmul
// EARLY:         return

// Phase "loops": scf loops on memrefs, no linalg.
// RUN: attn-opt %s --attn-cpu-pipeline=stop-after=loops | FileCheck %s \
// RUN:   --check-prefix=LOOPS --implicit-check-not="{{(= |^ *)linalg\.}}"
// LOOPS-LABEL: func.func private @forward_layer0(
// LOOPS:         scf.for
// LOOPS:         memref.load
// LOOPS:         memref.store

// With threads, the outermost parallel loop of each nest becomes an OpenMP
// work-sharing loop on 2 threads; nested ones stay sequential.
// RUN: attn-opt %s --attn-cpu-pipeline="stop-after=loops threads=2" \
// RUN:   | FileCheck %s --check-prefix=PAR
// PAR-LABEL: func.func private @forward_layer0(
// PAR:         scf.parallel
// PAR-NOT:       scf.parallel
// PAR:           scf.reduce
// RUN: attn-opt %s --attn-cpu-pipeline=threads=2 | FileCheck %s --check-prefix=OMP
// OMP:       llvm.func @forward_layer0(
// OMP:         omp.parallel num_threads(%{{.+}} : i32)
// OMP:           omp.wsloop

// Without outlining, one function holds both layers.
// RUN: attn-opt %s --attn-cpu-pipeline="stop-after=linalg outline-layers=false" \
// RUN:   | FileCheck %s --check-prefix=INLINE
// INLINE-NOT: func.func private
// INLINE:     func.func @forward(
// INLINE-NOT: call

module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.0.ln1.gamma(#ml_program.extern : tensor<4xf32>) : tensor<4xf32>
  ml_program.global private @layers.0.ln1.beta(#ml_program.extern : tensor<4xf32>) : tensor<4xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<4x4xf32>) : tensor<4x4xf32>
  ml_program.global private @layers.1.ln1.gamma(#ml_program.extern : tensor<4xf32>) : tensor<4xf32>
  ml_program.global private @layers.1.ln1.beta(#ml_program.extern : tensor<4xf32>) : tensor<4xf32>
  func.func @forward(%x: tensor<1x?x4xf32>) -> tensor<1x?x4xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<4x4xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<4x4xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<4x4xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<4x4xf32>
    %g0 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<4xf32>
    %b0 = ml_program.global_load_const @layers.0.ln1.beta : tensor<4xf32>
    %a0 = attn.mha %x, %x, %wq0, %wk0, %wv0, %wo0 heads(2) : (tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<1x?x4xf32>
    %r0 = arith.addf %x, %a0 : tensor<1x?x4xf32>
    %y0 = attn.layer_norm %r0, %g0, %b0 : (tensor<1x?x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x?x4xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<4x4xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<4x4xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<4x4xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<4x4xf32>
    %g1 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<4xf32>
    %b1 = ml_program.global_load_const @layers.1.ln1.beta : tensor<4xf32>
    %a1 = attn.mha %y0, %y0, %wq1, %wk1, %wv1, %wo1 heads(2) : (tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<1x?x4xf32>
    %r1 = arith.addf %y0, %a1 : tensor<1x?x4xf32>
    %y1 = attn.layer_norm %r1, %g1, %b1 : (tensor<1x?x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x?x4xf32>
    return %y1 : tensor<1x?x4xf32>
  }
}
