// convert-attn-to-linalg on attn.attend: an online-softmax (flash) scf.for
// over key blocks that never materialises the [Tq, Tk] map. Numerics (every
// block size, masks, causal, fully masked rows): test/Execution.
//
// No line of the output may name a map shape (128x128, 100x100): the
// implicit CHECK-NOTs hold over the whole output, not only between two
// CHECKs.
//
// RUN: attn-opt %s -split-input-file --convert-attn-to-linalg \
// RUN:   | FileCheck %s --implicit-check-not=attn. \
// RUN:       --implicit-check-not=128x128 --implicit-check-not=100x100
// RUN: attn-opt %s -split-input-file \
// RUN:   --convert-attn-to-linalg=attend-block-size=32 \
// RUN:   | FileCheck %s --check-prefix=BLOCK32 --implicit-check-not=attn. \
// RUN:       --implicit-check-not=128x128 --implicit-check-not=100x100

// Tq = Tk = 128 in static blocks of 64 keys: no tensor holds a 128x128 map,
// the state (m, l, acc) is carried by the loop and updated in place, the
// output is acc / l.
// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[$ROW:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG:   #[[$ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @attend_static(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x128x16xf32>, %[[K:[^:]+]]: tensor<2x4x128x16xf32>, %[[V:[^:]+]]: tensor<2x4x128x8xf32>)
// CHECK-NOT:     linalg.softmax
// CHECK:         %[[Q3:.+]] = tensor.collapse_shape %[[Q]] {{\[}}[0, 1], [2], [3]] : tensor<2x4x128x16xf32> into tensor<8x128x16xf32>
// CHECK:         %[[K3:.+]] = tensor.collapse_shape %[[K]] {{.*}} into tensor<8x128x16xf32>
// CHECK:         %[[V3:.+]] = tensor.collapse_shape %[[V]] {{.*}} into tensor<8x128x8xf32>
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[M0:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<2x4x128xf32>)
// CHECK:         %[[L0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x4x128xf32>)
// CHECK:         %[[ACC0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x4x128x8xf32>)
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[C128:.+]] = arith.constant 128 : index
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK-NOT:     scf.for
// CHECK:         %[[LOOP:.+]]:3 = scf.for %[[J:.+]] = %[[C0]] to %[[C128]] step %[[C64]] iter_args(%[[M:.+]] = %[[M0]], %[[L:.+]] = %[[L0]], %[[ACC:.+]] = %[[ACC0]]) -> (tensor<2x4x128xf32>, tensor<2x4x128xf32>, tensor<2x4x128x8xf32>)
// CHECK:           %[[KB:.+]] = tensor.extract_slice %[[K3]][0, %[[J]], 0] [8, 64, 16] [1, 1, 1] : tensor<8x128x16xf32> to tensor<8x64x16xf32>
// CHECK:           %[[VB:.+]] = tensor.extract_slice %[[V3]][0, %[[J]], 0] [8, 64, 8] [1, 1, 1] : tensor<8x128x8xf32> to tensor<8x64x8xf32>
// CHECK:           %[[S:.+]] = linalg.batch_matmul {{.*}} ins(%[[Q3]], %[[KB]] : tensor<8x128x16xf32>, tensor<8x64x16xf32>) outs(%{{.+}} : tensor<8x128x64xf32>)
// CHECK:           %[[S4:.+]] = tensor.expand_shape %[[S]] {{.*}} into tensor<2x4x128x64xf32>
// CHECK:           %[[LOGITS:.+]] = linalg.generic {{.*}} ins(%[[S4]] : tensor<2x4x128x64xf32>)
// CHECK:             arith.mulf
// CHECK:           %[[BMAX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[LOGITS]] : tensor<2x4x128x64xf32>)
// CHECK:             arith.maxnumf
// CHECK:           %[[UPD:.+]]:2 = linalg.generic {indexing_maps = [#[[$ID3]], #[[$ID3]], #[[$ID3]]], {{.*}}} ins(%[[BMAX]] : tensor<2x4x128xf32>) outs(%[[M]], %{{.+}} : tensor<2x4x128xf32>, tensor<2x4x128xf32>)
// CHECK:           ^bb0(%[[BM:.+]]: f32, %[[MOLD:.+]]: f32, %{{.+}}: f32):
// CHECK:             %[[MNEW:.+]] = arith.maxnumf %[[MOLD]], %[[BM]] : f32
// CHECK:             %[[DIFF:.+]] = arith.subf %[[MOLD]], %[[MNEW]] : f32
// CHECK:             %[[NONE:.+]] = arith.cmpf oeq, %[[MNEW]], %[[NEGINF]] : f32
// CHECK:             %[[EXP:.+]] = math.exp %[[DIFF]] : f32
// CHECK:             %[[ALPHA:.+]] = arith.select %[[NONE]], %{{.+}}, %[[EXP]] : f32
// CHECK:             linalg.yield %[[MNEW]], %[[ALPHA]] : f32, f32
// CHECK:           %[[LSCALED:.+]] = linalg.generic {{.*}} ins(%[[UPD]]#1 : tensor<2x4x128xf32>) outs(%[[L]] : tensor<2x4x128xf32>)
// CHECK:             arith.mulf
// p = exp(logit - m), against 0 instead of m where m = -inf: a select on
// the row's m, not one per score.
// CHECK:           %[[P:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], {{.*}}} ins(%[[LOGITS]], %[[UPD]]#0 : tensor<2x4x128x64xf32>, tensor<2x4x128xf32>)
// CHECK:           ^bb0(%[[LG:.+]]: f32, %[[ROWM:.+]]: f32, %{{.+}}: f32):
// CHECK:             %[[NOKEY:.+]] = arith.cmpf oeq, %[[ROWM]], %{{.+}} : f32
// CHECK:             %[[SHIFT:.+]] = arith.select %[[NOKEY]], %{{.+}}, %[[ROWM]] : f32
// CHECK:             %[[SHIFTED:.+]] = arith.subf %[[LG]], %[[SHIFT]] : f32
// CHECK:             %[[PE:.+]] = math.exp %[[SHIFTED]] : f32
// CHECK:             linalg.yield %[[PE]] : f32
// CHECK:           %[[LNEW:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]] : tensor<2x4x128x64xf32>) outs(%[[LSCALED]] : tensor<2x4x128xf32>)
// CHECK:             arith.addf
// CHECK:           %[[ASCALED:.+]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$ID]]], {{.*}}} ins(%[[UPD]]#1 : tensor<2x4x128xf32>) outs(%[[ACC]] : tensor<2x4x128x8xf32>)
// CHECK:             arith.mulf
// CHECK:           %[[P3:.+]] = tensor.collapse_shape %[[P]] {{.*}} into tensor<8x128x64xf32>
// CHECK:           %[[A3:.+]] = tensor.collapse_shape %[[ASCALED]] {{.*}} into tensor<8x128x8xf32>
// CHECK:           %[[PV:.+]] = linalg.batch_matmul ins(%[[P3]], %[[VB]] : tensor<8x128x64xf32>, tensor<8x64x8xf32>) outs(%[[A3]] : tensor<8x128x8xf32>)
// CHECK:           %[[ANEW:.+]] = tensor.expand_shape %[[PV]] {{.*}} into tensor<2x4x128x8xf32>
// CHECK:           scf.yield %[[UPD]]#0, %[[LNEW]], %[[ANEW]] : tensor<2x4x128xf32>, tensor<2x4x128xf32>, tensor<2x4x128x8xf32>
// CHECK:         %[[OUT:.+]] = linalg.generic {indexing_maps = [#[[$ROW]], #[[$ID]]], {{.*}}} ins(%[[LOOP]]#1 : tensor<2x4x128xf32>) outs(%[[LOOP]]#2 : tensor<2x4x128x8xf32>)
// CHECK:         ^bb0(%[[SUM:.+]]: f32, %[[A:.+]]: f32):
// CHECK:           %[[EMPTY:.+]] = arith.cmpf oeq, %[[SUM]], %{{.+}} : f32
// CHECK:           %[[INV:.+]] = arith.divf %{{.+}}, %[[SUM]] : f32
// CHECK:           %[[RINV:.+]] = arith.select %[[EMPTY]], %{{.+}}, %[[INV]] : f32
// CHECK:           arith.mulf %[[A]], %[[RINV]] : f32
// CHECK:         return %[[OUT]] : tensor<2x4x128x8xf32>

// The block size is a pass option.
// BLOCK32-LABEL: func.func @attend_static(
// BLOCK32:         %[[C32:.+]] = arith.constant 32 : index
// BLOCK32:         scf.for %{{.+}} = %{{.+}} to %{{.+}} step %[[C32]]
// BLOCK32:           linalg.batch_matmul {{.*}} outs(%{{.+}} : tensor<8x128x32xf32>)
func.func @attend_static(%q: tensor<2x4x128x16xf32>, %k: tensor<2x4x128x16xf32>, %v: tensor<2x4x128x8xf32>) -> tensor<2x4x128x8xf32> {
  %o = attn.attend %q, %k, %v : (tensor<2x4x128x16xf32>, tensor<2x4x128x16xf32>, tensor<2x4x128x8xf32>) -> tensor<2x4x128x8xf32>
  return %o : tensor<2x4x128x8xf32>
}

// -----
// Dynamic B, Tq and Tk: the whole blocks of 64 keys run in one loop, with
// static block shapes; the Tk % 64 keys left run in a second loop (of at most
// one iteration) that carries the first one's state. The f32 mask
// [B, 1, Tq, Tk] is sliced to the block; causal compares the query index
// with j + the key index inside the block.
// CHECK-DAG:   #[[$MASK:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-LABEL: func.func @attend_dynamic_mask_causal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x4x?x16xf32>, %[[K:[^:]+]]: tensor<?x4x?x16xf32>, %[[V:[^:]+]]: tensor<?x4x?x16xf32>, %[[MSK:[^:]+]]: tensor<?x1x?x?xf32>)
// CHECK-DAG:     %[[TK:.+]] = tensor.dim %[[K]], %c2
// CHECK:         cf.assert
// CHECK:         %[[C64:.+]] = arith.constant 64 : index
// CHECK:         %[[REM:.+]] = arith.remui %[[TK]], %[[C64]] : index
// CHECK:         %[[WHOLE:.+]] = arith.subi %[[TK]], %[[REM]] : index
// CHECK:         %[[LOOP:.+]]:3 = scf.for %[[J:.+]] = %{{.+}} to %[[WHOLE]] step %[[C64]] iter_args
// CHECK:           tensor.extract_slice %{{.+}}[0, %[[J]], 0] [%{{.+}}, 64, 16] [1, 1, 1] : tensor<?x?x16xf32> to tensor<?x64x16xf32>
// CHECK:           %[[MB:.+]] = tensor.extract_slice %[[MSK]][0, 0, 0, %[[J]]] [%{{.+}}, 1, %{{.+}}, 64] [1, 1, 1, 1] : tensor<?x1x?x?xf32> to tensor<?x1x?x64xf32>
// CHECK:           linalg.generic {indexing_maps = [#{{.+}}, #[[$MASK]], #{{.+}}], {{.*}}} ins(%{{.+}}, %[[MB]] : tensor<?x4x?x64xf32>, tensor<?x1x?x64xf32>)
// CHECK:             arith.addf
// CHECK:             %[[I:.+]] = linalg.index 2 : index
// CHECK:             %[[JB:.+]] = linalg.index 3 : index
// CHECK:             %[[KEY:.+]] = arith.addi %[[JB]], %[[J]] : index
// CHECK:             arith.cmpi ule, %[[KEY]], %[[I]] : index
// CHECK:           scf.yield
// CHECK:         scf.for %[[J2:.+]] = %[[WHOLE]] to %[[TK]] step %[[C64]] iter_args(%{{.+}} = %[[LOOP]]#0, %{{.+}} = %[[LOOP]]#1, %{{.+}} = %[[LOOP]]#2)
// CHECK:           %[[LEN:.+]] = arith.subi %[[TK]], %[[J2]] : index
// CHECK:           tensor.extract_slice %{{.+}}[0, %[[J2]], 0] [%{{.+}}, %[[LEN]], 16] [1, 1, 1] : tensor<?x?x16xf32> to tensor<?x?x16xf32>
// CHECK:           tensor.extract_slice %[[MSK]][0, 0, 0, %[[J2]]] [%{{.+}}, 1, %{{.+}}, %[[LEN]]] [1, 1, 1, 1] : tensor<?x1x?x?xf32> to tensor<?x1x?x?xf32>
// CHECK:           scf.yield
func.func @attend_dynamic_mask_causal(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x?x16xf32>, %v: tensor<?x4x?x16xf32>, %m: tensor<?x1x?x?xf32>) -> tensor<?x4x?x16xf32> {
  %o = attn.attend %q, %k, %v mask(%m) causal
      : (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x1x?x?xf32>) -> tensor<?x4x?x16xf32>
  return %o : tensor<?x4x?x16xf32>
}

// -----
// A static Tk that 64 does not divide: one whole block, then the 36 keys
// left; an i1 mask that broadcasts over keys ([Tq, 1]) is not sliced.
// CHECK-LABEL: func.func @attend_ragged_i1_mask(
// CHECK-SAME:      %[[MSK:[^:]+]]: tensor<100x1xi1>)
// CHECK-DAG:     %[[C100:.+]] = arith.constant 100 : index
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK:         %[[WHOLE:.+]] = arith.constant 64 : index
// CHECK:         scf.for %[[J:.+]] = %{{.+}} to %[[WHOLE]] step %[[C64]]
// CHECK-NOT:       tensor.extract_slice %[[MSK]]
// CHECK:           linalg.generic {{.*}} ins(%{{.+}}, %[[MSK]] : tensor<1x2x100x64xf32>, tensor<100x1xi1>)
// CHECK:             arith.select
// CHECK:         scf.for %{{.+}} = %[[WHOLE]] to %[[C100]] step %[[C64]]
// CHECK:           linalg.generic {{.*}} ins(%{{.+}}, %[[MSK]] : tensor<1x2x100x?xf32>, tensor<100x1xi1>)
func.func @attend_ragged_i1_mask(%q: tensor<1x2x100x16xf32>, %k: tensor<1x2x100x16xf32>, %v: tensor<1x2x100x16xf32>, %m: tensor<100x1xi1>) -> tensor<1x2x100x16xf32> {
  %o = attn.attend %q, %k, %v mask(%m)
      : (tensor<1x2x100x16xf32>, tensor<1x2x100x16xf32>, tensor<1x2x100x16xf32>, tensor<100x1xi1>) -> tensor<1x2x100x16xf32>
  return %o : tensor<1x2x100x16xf32>
}

// -----
// A dynamic head width needs an explicit scale; bf16 works like f32.
// CHECK-LABEL: func.func @attend_bf16_dynamic_width(
// CHECK:         arith.constant 0xFF80 : bf16
// CHECK:         scf.for
// CHECK:           arith.constant 1.250000e-01 : bf16
// CHECK:         return {{.*}} : tensor<1x2x8x?xbf16>
func.func @attend_bf16_dynamic_width(%q: tensor<1x2x8x?xbf16>, %k: tensor<1x2x8x?xbf16>, %v: tensor<1x2x8x?xbf16>) -> tensor<1x2x8x?xbf16> {
  %o = attn.attend %q, %k, %v scale(1.250000e-01)
      : (tensor<1x2x8x?xbf16>, tensor<1x2x8x?xbf16>, tensor<1x2x8x?xbf16>) -> tensor<1x2x8x?xbf16>
  return %o : tensor<1x2x8x?xbf16>
}
