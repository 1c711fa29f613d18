// Round trip of every attn op in every form: each optional operand present and
// absent, every unit/optional attribute, masks of each element type and rank,
// static and dynamic shapes, f32/f16/bf16. The first RUN line round trips the
// custom assembly format, the second goes through the generic form.
//
// RUN: attn-opt %s -split-input-file | attn-opt -split-input-file | FileCheck %s
// RUN: attn-opt %s -split-input-file -mlir-print-op-generic | attn-opt -split-input-file | FileCheck %s

// Minimal self-attention: no bias, no mask, default scale, static shapes.
// CHECK-LABEL: func.func @mha_minimal(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_minimal(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Every optional operand and attribute at once, in format order.
// CHECK-LABEL: func.func @mha_everything(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[BQ:[^:]+]]: tensor<64xf32>, %[[BK:[^:]+]]: tensor<64xf32>, %[[BV:[^:]+]]: tensor<64xf32>, %[[BO:[^:]+]]: tensor<64xf32>, %[[MASK:[^:]+]]: tensor<2x4x8x8xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bq(%[[BQ]]) bk(%[[BK]]) bv(%[[BV]]) bo(%[[BO]]) mask(%[[MASK]]) heads(4) causal scale(2.500000e-01) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x4x8x8xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_everything(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bq: tensor<64xf32>, %bk: tensor<64xf32>, %bv: tensor<64xf32>, %bo: tensor<64xf32>, %mask: tensor<2x4x8x8xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) mask(%mask) heads(4) causal scale(2.500000e-01)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<2x4x8x8xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Only bq: each optional bias is placed in its own segment.
// CHECK-LABEL: func.func @mha_only_bq(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[BQ:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bq(%[[BQ]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_only_bq(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bq: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Only bk: each optional bias is placed in its own segment.
// CHECK-LABEL: func.func @mha_only_bk(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[BK:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bk(%[[BK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_only_bk(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bk: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bk(%bk) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Only bv: each optional bias is placed in its own segment.
// CHECK-LABEL: func.func @mha_only_bv(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[BV:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bv(%[[BV]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_only_bv(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bv: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bv(%bv) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Only bo: each optional bias is placed in its own segment.
// CHECK-LABEL: func.func @mha_only_bo(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[BO:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bo(%[[BO]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_only_bo(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bo: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bo(%bo) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Only bq, bo: each optional bias is placed in its own segment.
// CHECK-LABEL: func.func @mha_only_bq_bo(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[BQ:[^:]+]]: tensor<64xf32>, %[[BO:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bq(%[[BQ]]) bo(%[[BO]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_only_bq_bo(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bq: tensor<64xf32>, %bo: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bo(%bo) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Only bk, bv: each optional bias is placed in its own segment.
// CHECK-LABEL: func.func @mha_only_bk_bv(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[BK:[^:]+]]: tensor<64xf32>, %[[BV:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bk(%[[BK]]) bv(%[[BV]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_only_bk_bv(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %bk: tensor<64xf32>, %bv: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bk(%bk) bv(%bv) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Additive mask of rank 2 that broadcasts to [B, H, Tq, Tk].
// CHECK-LABEL: func.func @mha_mask_f32_rank2(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[MASK:[^:]+]]: tensor<8x8xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] mask(%[[MASK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_mask_f32_rank2(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %mask: tensor<8x8xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Additive mask of rank 3 that broadcasts to [B, H, Tq, Tk].
// CHECK-LABEL: func.func @mha_mask_f32_rank3(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[MASK:[^:]+]]: tensor<4x8x8xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] mask(%[[MASK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<4x8x8xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_mask_f32_rank3(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %mask: tensor<4x8x8xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<4x8x8xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Additive mask of rank 4 that broadcasts to [B, H, Tq, Tk].
// CHECK-LABEL: func.func @mha_mask_f32_rank4(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[MASK:[^:]+]]: tensor<2x1x8x8xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] mask(%[[MASK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<2x1x8x8xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_mask_f32_rank4(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %mask: tensor<2x1x8x8xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<2x1x8x8xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Boolean mask of rank 2 that broadcasts to [B, H, Tq, Tk].
// CHECK-LABEL: func.func @mha_mask_i1_rank2(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[MASK:[^:]+]]: tensor<8x8xi1>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] mask(%[[MASK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xi1>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_mask_i1_rank2(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %mask: tensor<8x8xi1>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<8x8xi1>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Boolean mask of rank 3 that broadcasts to [B, H, Tq, Tk].
// CHECK-LABEL: func.func @mha_mask_i1_rank3(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[MASK:[^:]+]]: tensor<1x1x8xi1>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] mask(%[[MASK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<1x1x8xi1>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_mask_i1_rank3(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %mask: tensor<1x1x8xi1>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<1x1x8xi1>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Boolean mask of rank 4 that broadcasts to [B, H, Tq, Tk].
// CHECK-LABEL: func.func @mha_mask_i1_rank4(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[MASK:[^:]+]]: tensor<2x1x1x8xi1>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] mask(%[[MASK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<2x1x1x8xi1>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_mask_i1_rank4(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %mask: tensor<2x1x1x8xi1>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<2x1x1x8xi1>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Causal flag alone (unit attribute, no mask).
// CHECK-LABEL: func.func @mha_causal(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] heads(4) causal :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_causal(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4) causal
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Explicit scale alone.
// CHECK-LABEL: func.func @mha_scale(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] heads(4) scale(1.250000e-01) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_scale(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4) scale(1.250000e-01)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// A negative explicit scale is finite, so it is accepted and printed exactly.
// CHECK-LABEL: func.func @mha_scale_negative(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] heads(4) scale(-5.000000e-01) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_scale_negative(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4) scale(-5.000000e-01)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Dynamic batch and sequence length with a dynamic i1 mask and causal flag.
// CHECK-LABEL: func.func @mha_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[MASK:[^:]+]]: tensor<?x?xi1>) -> tensor<?x?x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] mask(%[[MASK]]) heads(4) causal :
// CHECK-SAME:      (tensor<?x?x64xf32>, tensor<?x?x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<?x?xi1>) -> tensor<?x?x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<?x?x64xf32>
func.func @mha_dynamic(%x: tensor<?x?x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %mask: tensor<?x?xi1>) -> tensor<?x?x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(4) causal
      : (tensor<?x?x64xf32>, tensor<?x?x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<?x?xi1>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----
// Dynamic projection widths: dk is unknown, so the scale is explicit.
// CHECK-LABEL: func.func @mha_dynamic_widths(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x?xf32>, %[[WK:[^:]+]]: tensor<64x?xf32>, %[[WV:[^:]+]]: tensor<64x?xf32>, %[[WO:[^:]+]]: tensor<?x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] heads(4) scale(2.500000e-01) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x?xf32>, tensor<64x?xf32>, tensor<64x?xf32>, tensor<?x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_dynamic_widths(%x: tensor<2x8x64xf32>, %wq: tensor<64x?xf32>, %wk: tensor<64x?xf32>, %wv: tensor<64x?xf32>, %wo: tensor<?x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4) scale(2.500000e-01)
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x?xf32>, tensor<64x?xf32>, tensor<64x?xf32>, tensor<?x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Cross-attention: query and key/value differ (Tq=8, Tk=12) and dv (12) != dk (8).
// CHECK-LABEL: func.func @mha_cross(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x8x64xf32>, %[[KV:[^:]+]]: tensor<2x12x64xf32>, %[[WQ:[^:]+]]: tensor<64x32xf32>, %[[WK:[^:]+]]: tensor<64x32xf32>, %[[WV:[^:]+]]: tensor<64x48xf32>, %[[WO:[^:]+]]: tensor<48x64xf32>, %[[BQ:[^:]+]]: tensor<32xf32>, %[[BK:[^:]+]]: tensor<32xf32>, %[[BV:[^:]+]]: tensor<48xf32>, %[[BO:[^:]+]]: tensor<64xf32>, %[[MASK:[^:]+]]: tensor<2x1x8x12xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[Q]], %[[KV]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bq(%[[BQ]]) bk(%[[BK]]) bv(%[[BV]]) bo(%[[BO]]) mask(%[[MASK]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x12x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x48xf32>, tensor<48x64xf32>, tensor<32xf32>, tensor<32xf32>, tensor<48xf32>, tensor<64xf32>, tensor<2x1x8x12xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_cross(%q: tensor<2x8x64xf32>, %kv: tensor<2x12x64xf32>, %wq: tensor<64x32xf32>, %wk: tensor<64x32xf32>, %wv: tensor<64x48xf32>, %wo: tensor<48x64xf32>, %bq: tensor<32xf32>, %bk: tensor<32xf32>, %bv: tensor<48xf32>, %bo: tensor<64xf32>, %mask: tensor<2x1x8x12xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %q, %kv, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) mask(%mask) heads(4)
      : (tensor<2x8x64xf32>, tensor<2x12x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x48xf32>, tensor<48x64xf32>, tensor<32xf32>, tensor<32xf32>, tensor<48xf32>, tensor<64xf32>, tensor<2x1x8x12xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// f16 element type throughout; the additive mask is f16 too.
// CHECK-LABEL: func.func @mha_f16(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf16>, %[[WQ:[^:]+]]: tensor<64x64xf16>, %[[WK:[^:]+]]: tensor<64x64xf16>, %[[WV:[^:]+]]: tensor<64x64xf16>, %[[WO:[^:]+]]: tensor<64x64xf16>, %[[BQ:[^:]+]]: tensor<64xf16>, %[[MASK:[^:]+]]: tensor<8x8xf16>) -> tensor<2x8x64xf16>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bq(%[[BQ]]) mask(%[[MASK]]) heads(4) causal :
// CHECK-SAME:      (tensor<2x8x64xf16>, tensor<2x8x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64xf16>, tensor<8x8xf16>) -> tensor<2x8x64xf16>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf16>
func.func @mha_f16(%x: tensor<2x8x64xf16>, %wq: tensor<64x64xf16>, %wk: tensor<64x64xf16>, %wv: tensor<64x64xf16>, %wo: tensor<64x64xf16>, %bq: tensor<64xf16>, %mask: tensor<8x8xf16>) -> tensor<2x8x64xf16> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) mask(%mask) heads(4) causal
      : (tensor<2x8x64xf16>, tensor<2x8x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64x64xf16>, tensor<64xf16>, tensor<8x8xf16>) -> tensor<2x8x64xf16>
  return %y : tensor<2x8x64xf16>
}

// -----
// bf16 element type throughout; the additive mask is bf16 too.
// CHECK-LABEL: func.func @mha_bf16(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xbf16>, %[[WQ:[^:]+]]: tensor<64x64xbf16>, %[[WK:[^:]+]]: tensor<64x64xbf16>, %[[WV:[^:]+]]: tensor<64x64xbf16>, %[[WO:[^:]+]]: tensor<64x64xbf16>, %[[BQ:[^:]+]]: tensor<64xbf16>, %[[MASK:[^:]+]]: tensor<8x8xbf16>) -> tensor<2x8x64xbf16>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] bq(%[[BQ]]) mask(%[[MASK]]) heads(4) causal :
// CHECK-SAME:      (tensor<2x8x64xbf16>, tensor<2x8x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64xbf16>, tensor<8x8xbf16>) -> tensor<2x8x64xbf16>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xbf16>
func.func @mha_bf16(%x: tensor<2x8x64xbf16>, %wq: tensor<64x64xbf16>, %wk: tensor<64x64xbf16>, %wv: tensor<64x64xbf16>, %wo: tensor<64x64xbf16>, %bq: tensor<64xbf16>, %mask: tensor<8x8xbf16>) -> tensor<2x8x64xbf16> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) mask(%mask) heads(4) causal
      : (tensor<2x8x64xbf16>, tensor<2x8x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64x64xbf16>, tensor<64xbf16>, tensor<8x8xbf16>) -> tensor<2x8x64xbf16>
  return %y : tensor<2x8x64xbf16>
}

// -----
// Unknown discardable attributes survive next to the custom syntax.
// CHECK-LABEL: func.func @mha_extra_attr(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.mha %[[X]], %[[X]], %[[WQ]], %[[WK]], %[[WV]], %[[WO]] heads(4) {tag = "layer 3"} :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @mha_extra_attr(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4) {tag = "layer 3"}
      : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Projection with a bias.
// CHECK-LABEL: func.func @project_bias(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W:[^:]+]]: tensor<64x64xf32>, %[[B:[^:]+]]: tensor<64xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[Q:.+]] = attn.project %[[X]], %[[W]] bias(%[[B]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[Q]] : tensor<2x4x8x16xf32>
func.func @project_bias(%x: tensor<2x8x64xf32>, %w: tensor<64x64xf32>, %b: tensor<64xf32>) -> tensor<2x4x8x16xf32> {
  %q = attn.project %x, %w bias(%b) heads(4)
      : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x4x8x16xf32>
  return %q : tensor<2x4x8x16xf32>
}

// -----
// Projection without a bias, to a different head width (d = 8).
// CHECK-LABEL: func.func @project_no_bias(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W:[^:]+]]: tensor<64x32xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[Q:.+]] = attn.project %[[X]], %[[W]] heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x32xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[Q]] : tensor<2x4x8x8xf32>
func.func @project_no_bias(%x: tensor<2x8x64xf32>, %w: tensor<64x32xf32>) -> tensor<2x4x8x8xf32> {
  %q = attn.project %x, %w heads(4)
      : (tensor<2x8x64xf32>, tensor<64x32xf32>) -> tensor<2x4x8x8xf32>
  return %q : tensor<2x4x8x8xf32>
}

// -----
// Projection with dynamic B and T, f16.
// CHECK-LABEL: func.func @project_dynamic_f16(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf16>, %[[W:[^:]+]]: tensor<64x64xf16>, %[[B:[^:]+]]: tensor<64xf16>) -> tensor<?x4x?x16xf16>
// CHECK:         %[[Q:.+]] = attn.project %[[X]], %[[W]] bias(%[[B]]) heads(4) :
// CHECK-SAME:      (tensor<?x?x64xf16>, tensor<64x64xf16>, tensor<64xf16>) -> tensor<?x4x?x16xf16>{{$}}
// CHECK:         return %[[Q]] : tensor<?x4x?x16xf16>
func.func @project_dynamic_f16(%x: tensor<?x?x64xf16>, %w: tensor<64x64xf16>, %b: tensor<64xf16>) -> tensor<?x4x?x16xf16> {
  %q = attn.project %x, %w bias(%b) heads(4)
      : (tensor<?x?x64xf16>, tensor<64x64xf16>, tensor<64xf16>) -> tensor<?x4x?x16xf16>
  return %q : tensor<?x4x?x16xf16>
}

// -----
// Multiple head embeddings, mode add.
// CHECK-LABEL: func.func @head_embed_add(
// CHECK-SAME:      %[[P:[^:]+]]: tensor<2x8x16xf32>, %[[E:[^:]+]]: tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[Q:.+]] = attn.head_embed %[[P]], %[[E]] mode(add) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[Q]] : tensor<2x4x8x16xf32>
func.func @head_embed_add(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf32>) -> tensor<2x4x8x16xf32> {
  %q = attn.head_embed %p, %e mode(add)
      : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
  return %q : tensor<2x4x8x16xf32>
}

// -----
// Multiple head embeddings, mode mul.
// CHECK-LABEL: func.func @head_embed_mul(
// CHECK-SAME:      %[[P:[^:]+]]: tensor<2x8x16xf32>, %[[E:[^:]+]]: tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[Q:.+]] = attn.head_embed %[[P]], %[[E]] mode(mul) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[Q]] : tensor<2x4x8x16xf32>
func.func @head_embed_mul(%p: tensor<2x8x16xf32>, %e: tensor<4x16xf32>) -> tensor<2x4x8x16xf32> {
  %q = attn.head_embed %p, %e mode(mul)
      : (tensor<2x8x16xf32>, tensor<4x16xf32>) -> tensor<2x4x8x16xf32>
  return %q : tensor<2x4x8x16xf32>
}

// -----
// Head embedding with dynamic B and T, bf16.
// CHECK-LABEL: func.func @head_embed_dynamic_bf16(
// CHECK-SAME:      %[[P:[^:]+]]: tensor<?x?x16xbf16>, %[[E:[^:]+]]: tensor<4x16xbf16>) -> tensor<?x4x?x16xbf16>
// CHECK:         %[[Q:.+]] = attn.head_embed %[[P]], %[[E]] mode(add) :
// CHECK-SAME:      (tensor<?x?x16xbf16>, tensor<4x16xbf16>) -> tensor<?x4x?x16xbf16>{{$}}
// CHECK:         return %[[Q]] : tensor<?x4x?x16xbf16>
func.func @head_embed_dynamic_bf16(%p: tensor<?x?x16xbf16>, %e: tensor<4x16xbf16>) -> tensor<?x4x?x16xbf16> {
  %q = attn.head_embed %p, %e mode(add)
      : (tensor<?x?x16xbf16>, tensor<4x16xbf16>) -> tensor<?x4x?x16xbf16>
  return %q : tensor<?x4x?x16xbf16>
}

// -----
// Scores with every option absent.
// CHECK-LABEL: func.func @scores_minimal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_minimal(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with every option present.
// CHECK-LABEL: func.func @scores_everything(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) causal scale(5.000000e-01) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_everything(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %mask: tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k mask(%mask) causal scale(5.000000e-01)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with a i1 mask of rank 2.
// CHECK-LABEL: func.func @scores_mask_i1_rank2(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<8x8xi1>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<8x8xi1>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_mask_i1_rank2(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %mask: tensor<8x8xi1>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<8x8xi1>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with a i1 mask of rank 3.
// CHECK-LABEL: func.func @scores_mask_i1_rank3(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<4x1x8xi1>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<4x1x8xi1>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_mask_i1_rank3(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %mask: tensor<4x1x8xi1>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<4x1x8xi1>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with a i1 mask of rank 4.
// CHECK-LABEL: func.func @scores_mask_i1_rank4(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<2x1x1x8xi1>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x1x8xi1>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_mask_i1_rank4(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %mask: tensor<2x1x1x8xi1>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x1x8xi1>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with a f32 mask of rank 2.
// CHECK-LABEL: func.func @scores_mask_f32_rank2(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<1x8xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<1x8xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_mask_f32_rank2(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %mask: tensor<1x8xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<1x8xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with a f32 mask of rank 3.
// CHECK-LABEL: func.func @scores_mask_f32_rank3(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<4x8x8xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<4x8x8xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_mask_f32_rank3(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %mask: tensor<4x8x8xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<4x8x8xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with a f32 mask of rank 4.
// CHECK-LABEL: func.func @scores_mask_f32_rank4(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<2x4x8x1xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x1xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_mask_f32_rank4(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %mask: tensor<2x4x8x1xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x1xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with the causal flag only.
// CHECK-LABEL: func.func @scores_causal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] causal :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_causal(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k causal
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores with the scale only.
// CHECK-LABEL: func.func @scores_scale(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] scale(1.000000e+00) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_scale(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k scale(1.000000e+00)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores of a query over a longer key sequence (Tq=8, Tk=12).
// CHECK-LABEL: func.func @scores_cross(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x12x16xf32>) -> tensor<2x4x8x12xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x12x16xf32>) -> tensor<2x4x8x12xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x12xf32>
func.func @scores_cross(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x12x16xf32>) -> tensor<2x4x8x12xf32> {
  %m = attn.scores %q, %k
      : (tensor<2x4x8x16xf32>, tensor<2x4x12x16xf32>) -> tensor<2x4x8x12xf32>
  return %m : tensor<2x4x8x12xf32>
}

// -----
// Scores with dynamic B, Tq and Tk.
// CHECK-LABEL: func.func @scores_dynamic(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x4x?x16xf32>, %[[K:[^:]+]]: tensor<?x4x?x16xf32>, %[[MASK:[^:]+]]: tensor<?x?xi1>) -> tensor<?x4x?x?xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] mask(%[[MASK]]) causal :
// CHECK-SAME:      (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x?xi1>) -> tensor<?x4x?x?xf32>{{$}}
// CHECK:         return %[[M]] : tensor<?x4x?x?xf32>
func.func @scores_dynamic(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x?x16xf32>, %mask: tensor<?x?xi1>) -> tensor<?x4x?x?xf32> {
  %m = attn.scores %q, %k mask(%mask) causal
      : (tensor<?x4x?x16xf32>, tensor<?x4x?x16xf32>, tensor<?x?xi1>) -> tensor<?x4x?x?xf32>
  return %m : tensor<?x4x?x?xf32>
}

// -----
// Scores with a dynamic head width and the scale it then needs.
// CHECK-LABEL: func.func @scores_dynamic_dk(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x?xf32>, %[[K:[^:]+]]: tensor<2x4x8x?xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] scale(2.500000e-01) :
// CHECK-SAME:      (tensor<2x4x8x?xf32>, tensor<2x4x8x?xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @scores_dynamic_dk(%q: tensor<2x4x8x?xf32>, %k: tensor<2x4x8x?xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.scores %q, %k scale(2.500000e-01)
      : (tensor<2x4x8x?xf32>, tensor<2x4x8x?xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// Scores in bf16.
// CHECK-LABEL: func.func @scores_bf16(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xbf16>, %[[K:[^:]+]]: tensor<2x4x8x16xbf16>) -> tensor<2x4x8x8xbf16>
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] causal :
// CHECK-SAME:      (tensor<2x4x8x16xbf16>, tensor<2x4x8x16xbf16>) -> tensor<2x4x8x8xbf16>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xbf16>
func.func @scores_bf16(%q: tensor<2x4x8x16xbf16>, %k: tensor<2x4x8x16xbf16>) -> tensor<2x4x8x8xbf16> {
  %m = attn.scores %q, %k causal
      : (tensor<2x4x8x16xbf16>, tensor<2x4x8x16xbf16>) -> tensor<2x4x8x8xbf16>
  return %m : tensor<2x4x8x8xbf16>
}

// -----
// MGK scores with no mask, not causal.
// CHECK-LABEL: func.func @mgk_scores_minimal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x2x8x16xf32>, %[[PI:[^:]+]]: tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.mgk_scores %[[Q]], %[[K]], %[[PI]] sigma_sq(1.000000e+00) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @mgk_scores_minimal(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>) -> tensor<2x4x8x8xf32> {
  %m = attn.mgk_scores %q, %k, %pi sigma_sq(1.000000e+00)
      : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// MGK scores with an i1 mask and the causal flag.
// CHECK-LABEL: func.func @mgk_scores_mask_causal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x2x8x16xf32>, %[[PI:[^:]+]]: tensor<4x2xf32>, %[[MASK:[^:]+]]: tensor<8x8xi1>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[M:.+]] = attn.mgk_scores %[[Q]], %[[K]], %[[PI]] mask(%[[MASK]]) sigma_sq(5.000000e-01) causal :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>, tensor<8x8xi1>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         return %[[M]] : tensor<2x4x8x8xf32>
func.func @mgk_scores_mask_causal(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x2x8x16xf32>, %pi: tensor<4x2xf32>, %mask: tensor<8x8xi1>) -> tensor<2x4x8x8xf32> {
  %m = attn.mgk_scores %q, %k, %pi mask(%mask) sigma_sq(5.000000e-01) causal
      : (tensor<2x4x8x16xf32>, tensor<2x4x2x8x16xf32>, tensor<4x2xf32>, tensor<8x8xi1>) -> tensor<2x4x8x8xf32>
  return %m : tensor<2x4x8x8xf32>
}

// -----
// MGK scores with an f32 mask, dynamic B/T and a dynamic component count.
// CHECK-LABEL: func.func @mgk_scores_dynamic(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x4x?x16xf32>, %[[K:[^:]+]]: tensor<?x4x?x?x16xf32>, %[[PI:[^:]+]]: tensor<4x?xf32>, %[[MASK:[^:]+]]: tensor<?x1x1x?xf32>) -> tensor<?x4x?x?xf32>
// CHECK:         %[[M:.+]] = attn.mgk_scores %[[Q]], %[[K]], %[[PI]] mask(%[[MASK]]) sigma_sq(2.000000e+00) :
// CHECK-SAME:      (tensor<?x4x?x16xf32>, tensor<?x4x?x?x16xf32>, tensor<4x?xf32>, tensor<?x1x1x?xf32>) -> tensor<?x4x?x?xf32>{{$}}
// CHECK:         return %[[M]] : tensor<?x4x?x?xf32>
func.func @mgk_scores_dynamic(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x?x?x16xf32>, %pi: tensor<4x?xf32>, %mask: tensor<?x1x1x?xf32>) -> tensor<?x4x?x?xf32> {
  %m = attn.mgk_scores %q, %k, %pi mask(%mask) sigma_sq(2.000000e+00)
      : (tensor<?x4x?x16xf32>, tensor<?x4x?x?x16xf32>, tensor<4x?xf32>, tensor<?x1x1x?xf32>) -> tensor<?x4x?x?xf32>
  return %m : tensor<?x4x?x?xf32>
}

// -----
// Apply a static map to values with dv != dk.
// CHECK-LABEL: func.func @apply_static(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<2x4x8x12xf32>, %[[V:[^:]+]]: tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32>
// CHECK:         %[[O:.+]] = attn.apply %[[M]], %[[V]] :
// CHECK-SAME:      (tensor<2x4x8x12xf32>, tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32>{{$}}
// CHECK:         return %[[O]] : tensor<2x4x8x32xf32>
func.func @apply_static(%m: tensor<2x4x8x12xf32>, %v: tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32> {
  %o = attn.apply %m, %v
      : (tensor<2x4x8x12xf32>, tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32>
  return %o : tensor<2x4x8x32xf32>
}

// -----
// Apply with dynamic B, Tq and Tk, f16.
// CHECK-LABEL: func.func @apply_dynamic_f16(
// CHECK-SAME:      %[[M:[^:]+]]: tensor<?x4x?x?xf16>, %[[V:[^:]+]]: tensor<?x4x?x16xf16>) -> tensor<?x4x?x16xf16>
// CHECK:         %[[O:.+]] = attn.apply %[[M]], %[[V]] :
// CHECK-SAME:      (tensor<?x4x?x?xf16>, tensor<?x4x?x16xf16>) -> tensor<?x4x?x16xf16>{{$}}
// CHECK:         return %[[O]] : tensor<?x4x?x16xf16>
func.func @apply_dynamic_f16(%m: tensor<?x4x?x?xf16>, %v: tensor<?x4x?x16xf16>) -> tensor<?x4x?x16xf16> {
  %o = attn.apply %m, %v
      : (tensor<?x4x?x?xf16>, tensor<?x4x?x16xf16>) -> tensor<?x4x?x16xf16>
  return %o : tensor<?x4x?x16xf16>
}

// -----
// Fused attention with every option absent.
// CHECK-LABEL: func.func @attend_minimal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[V:[^:]+]]: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[O]] : tensor<2x4x8x16xf32>
func.func @attend_minimal(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32> {
  %o = attn.attend %q, %k, %v
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// Fused attention with an i1 mask, causal and scale.
// CHECK-LABEL: func.func @attend_everything(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[V:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<2x1x8x8xi1>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] mask(%[[MASK]]) causal scale(2.500000e-01) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x8x8xi1>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[O]] : tensor<2x4x8x16xf32>
func.func @attend_everything(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>, %mask: tensor<2x1x8x8xi1>) -> tensor<2x4x8x16xf32> {
  %o = attn.attend %q, %k, %v mask(%mask) causal scale(2.500000e-01)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x1x8x8xi1>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// Fused attention with an f32 mask of rank 3.
// CHECK-LABEL: func.func @attend_mask_f32(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[V:[^:]+]]: tensor<2x4x8x16xf32>, %[[MASK:[^:]+]]: tensor<4x8x8xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] mask(%[[MASK]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<4x8x8xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[O]] : tensor<2x4x8x16xf32>
func.func @attend_mask_f32(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>, %mask: tensor<4x8x8xf32>) -> tensor<2x4x8x16xf32> {
  %o = attn.attend %q, %k, %v mask(%mask)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<4x8x8xf32>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// Fused attention with the causal flag only.
// CHECK-LABEL: func.func @attend_causal(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[V:[^:]+]]: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] causal :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[O]] : tensor<2x4x8x16xf32>
func.func @attend_causal(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32> {
  %o = attn.attend %q, %k, %v causal
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// Fused attention with the scale only.
// CHECK-LABEL: func.func @attend_scale(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x8x16xf32>, %[[V:[^:]+]]: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] scale(3.000000e-01) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         return %[[O]] : tensor<2x4x8x16xf32>
func.func @attend_scale(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x8x16xf32>, %v: tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32> {
  %o = attn.attend %q, %k, %v scale(3.000000e-01)
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  return %o : tensor<2x4x8x16xf32>
}

// -----
// Fused cross-attention with dv (32) != dk (16) and Tk (12) != Tq (8).
// CHECK-LABEL: func.func @attend_cross(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<2x4x8x16xf32>, %[[K:[^:]+]]: tensor<2x4x12x16xf32>, %[[V:[^:]+]]: tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32>
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x12x16xf32>, tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32>{{$}}
// CHECK:         return %[[O]] : tensor<2x4x8x32xf32>
func.func @attend_cross(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x12x16xf32>, %v: tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32> {
  %o = attn.attend %q, %k, %v
      : (tensor<2x4x8x16xf32>, tensor<2x4x12x16xf32>, tensor<2x4x12x32xf32>) -> tensor<2x4x8x32xf32>
  return %o : tensor<2x4x8x32xf32>
}

// -----
// Fused attention with dynamic B and T, bf16.
// CHECK-LABEL: func.func @attend_dynamic_bf16(
// CHECK-SAME:      %[[Q:[^:]+]]: tensor<?x4x?x16xbf16>, %[[K:[^:]+]]: tensor<?x4x?x16xbf16>, %[[V:[^:]+]]: tensor<?x4x?x16xbf16>) -> tensor<?x4x?x16xbf16>
// CHECK:         %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] causal :
// CHECK-SAME:      (tensor<?x4x?x16xbf16>, tensor<?x4x?x16xbf16>, tensor<?x4x?x16xbf16>) -> tensor<?x4x?x16xbf16>{{$}}
// CHECK:         return %[[O]] : tensor<?x4x?x16xbf16>
func.func @attend_dynamic_bf16(%q: tensor<?x4x?x16xbf16>, %k: tensor<?x4x?x16xbf16>, %v: tensor<?x4x?x16xbf16>) -> tensor<?x4x?x16xbf16> {
  %o = attn.attend %q, %k, %v causal
      : (tensor<?x4x?x16xbf16>, tensor<?x4x?x16xbf16>, tensor<?x4x?x16xbf16>) -> tensor<?x4x?x16xbf16>
  return %o : tensor<?x4x?x16xbf16>
}

// -----
// Merge with an output bias.
// CHECK-LABEL: func.func @merge_bias(
// CHECK-SAME:      %[[H:[^:]+]]: tensor<2x4x8x16xf32>, %[[W:[^:]+]]: tensor<64x64xf32>, %[[B:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.merge %[[H]], %[[W]] bias(%[[B]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @merge_bias(%h: tensor<2x4x8x16xf32>, %w: tensor<64x64xf32>, %b: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.merge %h, %w bias(%b)
      : (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Merge without a bias, to a different model width.
// CHECK-LABEL: func.func @merge_no_bias(
// CHECK-SAME:      %[[H:[^:]+]]: tensor<2x4x8x16xf32>, %[[W:[^:]+]]: tensor<64x32xf32>) -> tensor<2x8x32xf32>
// CHECK:         %[[Y:.+]] = attn.merge %[[H]], %[[W]] :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<64x32xf32>) -> tensor<2x8x32xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x32xf32>
func.func @merge_no_bias(%h: tensor<2x4x8x16xf32>, %w: tensor<64x32xf32>) -> tensor<2x8x32xf32> {
  %y = attn.merge %h, %w
      : (tensor<2x4x8x16xf32>, tensor<64x32xf32>) -> tensor<2x8x32xf32>
  return %y : tensor<2x8x32xf32>
}

// -----
// Merge with dynamic B and T, f16.
// CHECK-LABEL: func.func @merge_dynamic_f16(
// CHECK-SAME:      %[[H:[^:]+]]: tensor<?x4x?x16xf16>, %[[W:[^:]+]]: tensor<64x64xf16>) -> tensor<?x?x64xf16>
// CHECK:         %[[Y:.+]] = attn.merge %[[H]], %[[W]] :
// CHECK-SAME:      (tensor<?x4x?x16xf16>, tensor<64x64xf16>) -> tensor<?x?x64xf16>{{$}}
// CHECK:         return %[[Y]] : tensor<?x?x64xf16>
func.func @merge_dynamic_f16(%h: tensor<?x4x?x16xf16>, %w: tensor<64x64xf16>) -> tensor<?x?x64xf16> {
  %y = attn.merge %h, %w
      : (tensor<?x4x?x16xf16>, tensor<64x64xf16>) -> tensor<?x?x64xf16>
  return %y : tensor<?x?x64xf16>
}

// -----
// LayerNorm with the default epsilon, which the printer elides.
// CHECK-LABEL: func.func @layer_norm_default(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[G:[^:]+]]: tensor<64xf32>, %[[B:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.layer_norm %[[X]], %[[G]], %[[B]] :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @layer_norm_default(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.layer_norm %x, %g, %b
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// LayerNorm with an explicit epsilon.
// CHECK-LABEL: func.func @layer_norm_epsilon(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[G:[^:]+]]: tensor<64xf32>, %[[B:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.layer_norm %[[X]], %[[G]], %[[B]] {epsilon = 9.99999997E-7 : f32} :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @layer_norm_epsilon(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.layer_norm %x, %g, %b {epsilon = 9.99999997E-7 : f32}
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// LayerNorm of a rank-2 bf16 tensor.
// CHECK-LABEL: func.func @layer_norm_rank2_bf16(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<8x64xbf16>, %[[G:[^:]+]]: tensor<64xbf16>, %[[B:[^:]+]]: tensor<64xbf16>) -> tensor<8x64xbf16>
// CHECK:         %[[Y:.+]] = attn.layer_norm %[[X]], %[[G]], %[[B]] :
// CHECK-SAME:      (tensor<8x64xbf16>, tensor<64xbf16>, tensor<64xbf16>) -> tensor<8x64xbf16>{{$}}
// CHECK:         return %[[Y]] : tensor<8x64xbf16>
func.func @layer_norm_rank2_bf16(%x: tensor<8x64xbf16>, %g: tensor<64xbf16>, %b: tensor<64xbf16>) -> tensor<8x64xbf16> {
  %y = attn.layer_norm %x, %g, %b
      : (tensor<8x64xbf16>, tensor<64xbf16>, tensor<64xbf16>) -> tensor<8x64xbf16>
  return %y : tensor<8x64xbf16>
}

// -----
// LayerNorm with dynamic B and T.
// CHECK-LABEL: func.func @layer_norm_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf32>, %[[G:[^:]+]]: tensor<64xf32>, %[[B:[^:]+]]: tensor<64xf32>) -> tensor<?x?x64xf32>
// CHECK:         %[[Y:.+]] = attn.layer_norm %[[X]], %[[G]], %[[B]] :
// CHECK-SAME:      (tensor<?x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<?x?x64xf32>
func.func @layer_norm_dynamic(%x: tensor<?x?x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.layer_norm %x, %g, %b
      : (tensor<?x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----
// Feed-forward of depth 1 without biases, activation relu.
// CHECK-LABEL: func.func @ffn_depth1_no_biases_relu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W0:[^:]+]]: tensor<64x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]]) activation(relu) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @ffn_depth1_no_biases_relu(%x: tensor<2x8x64xf32>, %w0: tensor<64x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.ffn %x weights(%w0) activation(relu)
      : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Feed-forward of depth 1 with biases, activation gelu.
// CHECK-LABEL: func.func @ffn_depth1_biases_gelu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W0:[^:]+]]: tensor<64x64xf32>, %[[B0:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]]) biases(%[[B0]]) activation(gelu) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @ffn_depth1_biases_gelu(%x: tensor<2x8x64xf32>, %w0: tensor<64x64xf32>, %b0: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.ffn %x weights(%w0) biases(%b0) activation(gelu)
      : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Feed-forward of depth 2 without biases, activation silu.
// CHECK-LABEL: func.func @ffn_depth2_no_biases_silu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W0:[^:]+]]: tensor<64x128xf32>, %[[W1:[^:]+]]: tensor<128x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]]) activation(silu) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @ffn_depth2_no_biases_silu(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1) activation(silu)
      : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Feed-forward of depth 2 with biases, activation leaky_relu.
// CHECK-LABEL: func.func @ffn_depth2_biases_leaky_relu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W0:[^:]+]]: tensor<64x128xf32>, %[[W1:[^:]+]]: tensor<128x64xf32>, %[[B0:[^:]+]]: tensor<128xf32>, %[[B1:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]]) biases(%[[B0]], %[[B1]]) activation(leaky_relu) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @ffn_depth2_biases_leaky_relu(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>, %b0: tensor<128xf32>, %b1: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(leaky_relu)
      : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Feed-forward of depth 2 with biases, activation relu, dynamic B and T.
// CHECK-LABEL: func.func @ffn_depth2_biases_relu_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf32>, %[[W0:[^:]+]]: tensor<64x128xf32>, %[[W1:[^:]+]]: tensor<128x64xf32>, %[[B0:[^:]+]]: tensor<128xf32>, %[[B1:[^:]+]]: tensor<64xf32>) -> tensor<?x?x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]]) biases(%[[B0]], %[[B1]]) activation(relu) :
// CHECK-SAME:      (tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<?x?x64xf32>
func.func @ffn_depth2_biases_relu_dynamic(%x: tensor<?x?x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x64xf32>, %b0: tensor<128xf32>, %b1: tensor<64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1) biases(%b0, %b1) activation(relu)
      : (tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----
// Feed-forward of depth 4 without biases, activation gelu.
// CHECK-LABEL: func.func @ffn_depth4_no_biases_gelu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W0:[^:]+]]: tensor<64x128xf32>, %[[W1:[^:]+]]: tensor<128x128xf32>, %[[W2:[^:]+]]: tensor<128x128xf32>, %[[W3:[^:]+]]: tensor<128x64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]], %[[W2]], %[[W3]]) activation(gelu) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @ffn_depth4_no_biases_gelu(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x128xf32>, %w2: tensor<128x128xf32>, %w3: tensor<128x64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1, %w2, %w3) activation(gelu)
      : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Feed-forward of depth 4 with biases, activation silu.
// CHECK-LABEL: func.func @ffn_depth4_biases_silu(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[W0:[^:]+]]: tensor<64x128xf32>, %[[W1:[^:]+]]: tensor<128x128xf32>, %[[W2:[^:]+]]: tensor<128x128xf32>, %[[W3:[^:]+]]: tensor<128x64xf32>, %[[B0:[^:]+]]: tensor<128xf32>, %[[B1:[^:]+]]: tensor<128xf32>, %[[B2:[^:]+]]: tensor<128xf32>, %[[B3:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]], %[[W2]], %[[W3]]) biases(%[[B0]], %[[B1]], %[[B2]], %[[B3]]) activation(silu) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @ffn_depth4_biases_silu(%x: tensor<2x8x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x128xf32>, %w2: tensor<128x128xf32>, %w3: tensor<128x64xf32>, %b0: tensor<128xf32>, %b1: tensor<128xf32>, %b2: tensor<128xf32>, %b3: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1, %w2, %w3) biases(%b0, %b1, %b2, %b3) activation(silu)
      : (tensor<2x8x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}

// -----
// Feed-forward of depth 4 with biases, activation leaky_relu, dynamic B and T.
// CHECK-LABEL: func.func @ffn_depth4_biases_leaky_relu_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x64xf32>, %[[W0:[^:]+]]: tensor<64x128xf32>, %[[W1:[^:]+]]: tensor<128x128xf32>, %[[W2:[^:]+]]: tensor<128x128xf32>, %[[W3:[^:]+]]: tensor<128x64xf32>, %[[B0:[^:]+]]: tensor<128xf32>, %[[B1:[^:]+]]: tensor<128xf32>, %[[B2:[^:]+]]: tensor<128xf32>, %[[B3:[^:]+]]: tensor<64xf32>) -> tensor<?x?x64xf32>
// CHECK:         %[[Y:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]], %[[W2]], %[[W3]]) biases(%[[B0]], %[[B1]], %[[B2]], %[[B3]]) activation(leaky_relu) :
// CHECK-SAME:      (tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<?x?x64xf32>
func.func @ffn_depth4_biases_leaky_relu_dynamic(%x: tensor<?x?x64xf32>, %w0: tensor<64x128xf32>, %w1: tensor<128x128xf32>, %w2: tensor<128x128xf32>, %w3: tensor<128x64xf32>, %b0: tensor<128xf32>, %b1: tensor<128xf32>, %b2: tensor<128xf32>, %b3: tensor<64xf32>) -> tensor<?x?x64xf32> {
  %y = attn.ffn %x weights(%w0, %w1, %w2, %w3) biases(%b0, %b1, %b2, %b3) activation(leaky_relu)
      : (tensor<?x?x64xf32>, tensor<64x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x64xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<64xf32>) -> tensor<?x?x64xf32>
  return %y : tensor<?x?x64xf32>
}

// -----
// Attentionless block with no norm and no bias.
// CHECK-LABEL: func.func @seq_mlp_minimal(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[W1:[^:]+]]: tensor<32x128xf32>) -> tensor<2x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] w0(%[[W0]]) w1(%[[W1]]) max_len(8) activation(relu) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x16xf32>
func.func @seq_mlp_minimal(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) -> tensor<2x8x16xf32> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu)
      : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----
// Attentionless block with both LayerNorms, both biases and an explicit epsilon.
// CHECK-LABEL: func.func @seq_mlp_everything(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[GI:[^:]+]]: tensor<128xf32>, %[[BI:[^:]+]]: tensor<128xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[B0:[^:]+]]: tensor<32xf32>, %[[GH:[^:]+]]: tensor<32xf32>, %[[BH:[^:]+]]: tensor<32xf32>, %[[W1:[^:]+]]: tensor<32x128xf32>, %[[B1:[^:]+]]: tensor<128xf32>) -> tensor<2x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) b0(%[[B0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) b1(%[[B1]]) max_len(8) activation(gelu) {epsilon = 9.765625E-4 : f32} :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x128xf32>, tensor<128xf32>) -> tensor<2x8x16xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x16xf32>
func.func @seq_mlp_everything(%x: tensor<2x8x16xf32>, %gi: tensor<128xf32>, %bi: tensor<128xf32>, %w0: tensor<128x32xf32>, %b0: tensor<32xf32>, %gh: tensor<32xf32>, %bh: tensor<32xf32>, %w1: tensor<32x128xf32>, %b1: tensor<128xf32>) -> tensor<2x8x16xf32> {
  %y = attn.seq_mlp %x norm_in(%gi, %bi) w0(%w0) b0(%b0) norm_hidden(%gh, %bh) w1(%w1) b1(%b1) max_len(8) activation(gelu) {epsilon = 9.765625E-4 : f32}
      : (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x128xf32>, tensor<128xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----
// Only the input LayerNorm (its two operands sit before w0).
// CHECK-LABEL: func.func @seq_mlp_norm_in(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[GI:[^:]+]]: tensor<128xf32>, %[[BI:[^:]+]]: tensor<128xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[W1:[^:]+]]: tensor<32x128xf32>) -> tensor<2x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) w1(%[[W1]]) max_len(8) activation(silu) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x16xf32>
func.func @seq_mlp_norm_in(%x: tensor<2x8x16xf32>, %gi: tensor<128xf32>, %bi: tensor<128xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>) -> tensor<2x8x16xf32> {
  %y = attn.seq_mlp %x norm_in(%gi, %bi) w0(%w0) w1(%w1) max_len(8) activation(silu)
      : (tensor<2x8x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----
// Only the hidden LayerNorm (its two operands sit between w0 and w1).
// CHECK-LABEL: func.func @seq_mlp_norm_hidden(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[GH:[^:]+]]: tensor<32xf32>, %[[BH:[^:]+]]: tensor<32xf32>, %[[W1:[^:]+]]: tensor<32x128xf32>) -> tensor<2x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] w0(%[[W0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) max_len(8) activation(leaky_relu) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x16xf32>
func.func @seq_mlp_norm_hidden(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %gh: tensor<32xf32>, %bh: tensor<32xf32>, %w1: tensor<32x128xf32>) -> tensor<2x8x16xf32> {
  %y = attn.seq_mlp %x w0(%w0) norm_hidden(%gh, %bh) w1(%w1) max_len(8) activation(leaky_relu)
      : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----
// Only the first bias.
// CHECK-LABEL: func.func @seq_mlp_b0(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[B0:[^:]+]]: tensor<32xf32>, %[[W1:[^:]+]]: tensor<32x128xf32>) -> tensor<2x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] w0(%[[W0]]) b0(%[[B0]]) w1(%[[W1]]) max_len(8) activation(relu) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x16xf32>
func.func @seq_mlp_b0(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %b0: tensor<32xf32>, %w1: tensor<32x128xf32>) -> tensor<2x8x16xf32> {
  %y = attn.seq_mlp %x w0(%w0) b0(%b0) w1(%w1) max_len(8) activation(relu)
      : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32x128xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----
// Only the second bias.
// CHECK-LABEL: func.func @seq_mlp_b1(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[W1:[^:]+]]: tensor<32x128xf32>, %[[B1:[^:]+]]: tensor<128xf32>) -> tensor<2x8x16xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] w0(%[[W0]]) w1(%[[W1]]) b1(%[[B1]]) max_len(8) activation(relu) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>, tensor<128xf32>) -> tensor<2x8x16xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x16xf32>
func.func @seq_mlp_b1(%x: tensor<2x8x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x128xf32>, %b1: tensor<128xf32>) -> tensor<2x8x16xf32> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) b1(%b1) max_len(8) activation(relu)
      : (tensor<2x8x16xf32>, tensor<128x32xf32>, tensor<32x128xf32>, tensor<128xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----
// Dynamic B and T (T <= max_len is checked at run time).
// CHECK-LABEL: func.func @seq_mlp_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x16xf32>, %[[GI:[^:]+]]: tensor<128xf32>, %[[BI:[^:]+]]: tensor<128xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[B0:[^:]+]]: tensor<32xf32>, %[[W1:[^:]+]]: tensor<32x128xf32>, %[[B1:[^:]+]]: tensor<128xf32>) -> tensor<?x?x16xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) b0(%[[B0]]) w1(%[[W1]]) b1(%[[B1]]) max_len(8) activation(relu) :
// CHECK-SAME:      (tensor<?x?x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32x128xf32>, tensor<128xf32>) -> tensor<?x?x16xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<?x?x16xf32>
func.func @seq_mlp_dynamic(%x: tensor<?x?x16xf32>, %gi: tensor<128xf32>, %bi: tensor<128xf32>, %w0: tensor<128x32xf32>, %b0: tensor<32xf32>, %w1: tensor<32x128xf32>, %b1: tensor<128xf32>) -> tensor<?x?x16xf32> {
  %y = attn.seq_mlp %x norm_in(%gi, %bi) w0(%w0) b0(%b0) w1(%w1) b1(%b1) max_len(8) activation(relu)
      : (tensor<?x?x16xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128x32xf32>, tensor<32xf32>, tensor<32x128xf32>, tensor<128xf32>) -> tensor<?x?x16xf32>
  return %y : tensor<?x?x16xf32>
}

// -----
// A sequence shorter than max_len and an output width E (8) != D (16).
// CHECK-LABEL: func.func @seq_mlp_short_narrow(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x5x16xf32>, %[[W0:[^:]+]]: tensor<128x32xf32>, %[[W1:[^:]+]]: tensor<32x64xf32>) -> tensor<1x5x8xf32>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] w0(%[[W0]]) w1(%[[W1]]) max_len(8) activation(relu) :
// CHECK-SAME:      (tensor<1x5x16xf32>, tensor<128x32xf32>, tensor<32x64xf32>) -> tensor<1x5x8xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<1x5x8xf32>
func.func @seq_mlp_short_narrow(%x: tensor<1x5x16xf32>, %w0: tensor<128x32xf32>, %w1: tensor<32x64xf32>) -> tensor<1x5x8xf32> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu)
      : (tensor<1x5x16xf32>, tensor<128x32xf32>, tensor<32x64xf32>) -> tensor<1x5x8xf32>
  return %y : tensor<1x5x8xf32>
}

// -----
// seq_mlp in f16.
// CHECK-LABEL: func.func @seq_mlp_f16(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf16>, %[[W0:[^:]+]]: tensor<128x32xf16>, %[[W1:[^:]+]]: tensor<32x128xf16>) -> tensor<2x8x16xf16>
// CHECK:         %[[Y:.+]] = attn.seq_mlp %[[X]] w0(%[[W0]]) w1(%[[W1]]) max_len(8) activation(gelu) :
// CHECK-SAME:      (tensor<2x8x16xf16>, tensor<128x32xf16>, tensor<32x128xf16>) -> tensor<2x8x16xf16>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x16xf16>
func.func @seq_mlp_f16(%x: tensor<2x8x16xf16>, %w0: tensor<128x32xf16>, %w1: tensor<32x128xf16>) -> tensor<2x8x16xf16> {
  %y = attn.seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(gelu)
      : (tensor<2x8x16xf16>, tensor<128x32xf16>, tensor<32x128xf16>) -> tensor<2x8x16xf16>
  return %y : tensor<2x8x16xf16>
}

// -----
// Per-head attentionless block with no norm and no bias.
// CHECK-LABEL: func.func @head_seq_mlp_minimal(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[W0:[^:]+]]: tensor<4x128x32xf32>, %[[W1:[^:]+]]: tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
// CHECK:         %[[Y:.+]] = attn.head_seq_mlp %[[X]] w0(%[[W0]]) w1(%[[W1]]) max_len(8) activation(relu) :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x4x8x4xf32>
func.func @head_seq_mlp_minimal(%x: tensor<2x8x16xf32>, %w0: tensor<4x128x32xf32>, %w1: tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32> {
  %y = attn.head_seq_mlp %x w0(%w0) w1(%w1) max_len(8) activation(relu)
      : (tensor<2x8x16xf32>, tensor<4x128x32xf32>, tensor<4x32x32xf32>) -> tensor<2x4x8x4xf32>
  return %y : tensor<2x4x8x4xf32>
}

// -----
// Per-head attentionless block with both LayerNorms and both biases.
// CHECK-LABEL: func.func @head_seq_mlp_everything(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x16xf32>, %[[GI:[^:]+]]: tensor<4x128xf32>, %[[BI:[^:]+]]: tensor<4x128xf32>, %[[W0:[^:]+]]: tensor<4x128x32xf32>, %[[B0:[^:]+]]: tensor<4x32xf32>, %[[GH:[^:]+]]: tensor<4x32xf32>, %[[BH:[^:]+]]: tensor<4x32xf32>, %[[W1:[^:]+]]: tensor<4x32x32xf32>, %[[B1:[^:]+]]: tensor<4x32xf32>) -> tensor<2x4x8x4xf32>
// CHECK:         %[[Y:.+]] = attn.head_seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) b0(%[[B0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) b1(%[[B1]]) max_len(8) activation(leaky_relu) {epsilon = 1.000000e-03 : f32} :
// CHECK-SAME:      (tensor<2x8x16xf32>, tensor<4x128xf32>, tensor<4x128xf32>, tensor<4x128x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32x32xf32>, tensor<4x32xf32>) -> tensor<2x4x8x4xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x4x8x4xf32>
func.func @head_seq_mlp_everything(%x: tensor<2x8x16xf32>, %gi: tensor<4x128xf32>, %bi: tensor<4x128xf32>, %w0: tensor<4x128x32xf32>, %b0: tensor<4x32xf32>, %gh: tensor<4x32xf32>, %bh: tensor<4x32xf32>, %w1: tensor<4x32x32xf32>, %b1: tensor<4x32xf32>) -> tensor<2x4x8x4xf32> {
  %y = attn.head_seq_mlp %x norm_in(%gi, %bi) w0(%w0) b0(%b0) norm_hidden(%gh, %bh) w1(%w1) b1(%b1) max_len(8) activation(leaky_relu) {epsilon = 1.000000e-03 : f32}
      : (tensor<2x8x16xf32>, tensor<4x128xf32>, tensor<4x128xf32>, tensor<4x128x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32x32xf32>, tensor<4x32xf32>) -> tensor<2x4x8x4xf32>
  return %y : tensor<2x4x8x4xf32>
}

// -----
// Per-head attentionless block with dynamic B and T and only the hidden norm.
// CHECK-LABEL: func.func @head_seq_mlp_dynamic(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<?x?x16xf32>, %[[W0:[^:]+]]: tensor<4x128x32xf32>, %[[GH:[^:]+]]: tensor<4x32xf32>, %[[BH:[^:]+]]: tensor<4x32xf32>, %[[W1:[^:]+]]: tensor<4x32x32xf32>) -> tensor<?x4x?x4xf32>
// CHECK:         %[[Y:.+]] = attn.head_seq_mlp %[[X]] w0(%[[W0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) max_len(8) activation(silu) :
// CHECK-SAME:      (tensor<?x?x16xf32>, tensor<4x128x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32x32xf32>) -> tensor<?x4x?x4xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<?x4x?x4xf32>
func.func @head_seq_mlp_dynamic(%x: tensor<?x?x16xf32>, %w0: tensor<4x128x32xf32>, %gh: tensor<4x32xf32>, %bh: tensor<4x32xf32>, %w1: tensor<4x32x32xf32>) -> tensor<?x4x?x4xf32> {
  %y = attn.head_seq_mlp %x w0(%w0) norm_hidden(%gh, %bh) w1(%w1) max_len(8) activation(silu)
      : (tensor<?x?x16xf32>, tensor<4x128x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32x32xf32>) -> tensor<?x4x?x4xf32>
  return %y : tensor<?x4x?x4xf32>
}

// -----
// The decomposed vocabulary chained as attn-decompose writes it.
// CHECK-LABEL: func.func @decomposed_chain(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x8x64xf32>, %[[WQ:[^:]+]]: tensor<64x64xf32>, %[[WK:[^:]+]]: tensor<64x64xf32>, %[[WV:[^:]+]]: tensor<64x64xf32>, %[[WO:[^:]+]]: tensor<64x64xf32>, %[[B:[^:]+]]: tensor<64xf32>) -> tensor<2x8x64xf32>
// CHECK:         %[[Q:.+]] = attn.project %[[X]], %[[WQ]] bias(%[[B]]) heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         %[[K:.+]] = attn.project %[[X]], %[[WK]] heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         %[[V:.+]] = attn.project %[[X]], %[[WV]] heads(4) :
// CHECK-SAME:      (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         %[[M:.+]] = attn.scores %[[Q]], %[[K]] causal :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>{{$}}
// CHECK:         %[[O:.+]] = attn.apply %[[M]], %[[V]] :
// CHECK-SAME:      (tensor<2x4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>{{$}}
// CHECK:         %[[Y:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[B]]) :
// CHECK-SAME:      (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>{{$}}
// CHECK:         return %[[Y]] : tensor<2x8x64xf32>
func.func @decomposed_chain(%x: tensor<2x8x64xf32>, %wq: tensor<64x64xf32>, %wk: tensor<64x64xf32>, %wv: tensor<64x64xf32>, %wo: tensor<64x64xf32>, %b: tensor<64xf32>) -> tensor<2x8x64xf32> {
  %q = attn.project %x, %wq bias(%b) heads(4)
      : (tensor<2x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x4x8x16xf32>
  %k = attn.project %x, %wk heads(4)
      : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
  %v = attn.project %x, %wv heads(4)
      : (tensor<2x8x64xf32>, tensor<64x64xf32>) -> tensor<2x4x8x16xf32>
  %m = attn.scores %q, %k causal
      : (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x8xf32>
  %o = attn.apply %m, %v
      : (tensor<2x4x8x8xf32>, tensor<2x4x8x16xf32>) -> tensor<2x4x8x16xf32>
  %y = attn.merge %o, %wo bias(%b)
      : (tensor<2x4x8x16xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<2x8x64xf32>
  return %y : tensor<2x8x64xf32>
}
