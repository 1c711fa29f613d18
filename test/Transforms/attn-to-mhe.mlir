// attn-to-mhe replaces each per-head projection of an attention layer by a
// shared projection (attn.project heads(1), collapsed to [B, T, d]) plus a
// per-head embedding (attn.head_embed). Checked: the IR of each role, the new
// parameters (name, shape, attn.init) and that wq/wk/wv/bq/bk/bv are gone
// (implicit-check-not), every option, and the composition with
// attn-reuse-map. Cases the pass must not rewrite are in
// attn-to-mhe-invalid.mlir with their remarks.
//
// RUN: attn-opt %s -split-input-file --attn-to-mhe | FileCheck %s --implicit-check-not=attn.mha --implicit-check-not='{{attn\.[wb][qkv][ (]}}'
// RUN: attn-opt %s -split-input-file --attn-to-mhe="mode=mul init=mean-heads" | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=MUL
// RUN: attn-opt %s -split-input-file --attn-to-mhe=init=train | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=TRAIN
// RUN: attn-opt %s -split-input-file --attn-reuse-map=group-size=2 --attn-to-mhe | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=REUSE --implicit-check-not='{{attn\.[wb][qkv][ (]}}'
// RUN: attn-opt %s -split-input-file --attn-tie-kv --attn-to-mhe 2>/dev/null | attn-opt -split-input-file --verify-each | FileCheck %s --check-prefix=TIED

// One post-norm encoder layer as attn-model writes it (every bias, dynamic
// T): attn.mha is decomposed, then q, k and v each become shared projection
// + head embedding; wo/bo, LayerNorms and FFN are untouched.
// CHECK-LABEL: module @post_norm_all_biases
// CHECK:         ml_program.global private @layers.0.attn.wo(#{{.+}}) : tensor<8x8xf32>{{$}}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bo(#{{.+}}) : tensor<8xf32>{{$}}
// CHECK-NEXT:    ml_program.global private @layers.0.ln1.gamma(
// CHECK-NEXT:    ml_program.global private @layers.0.ln1.beta(
// CHECK-NEXT:    ml_program.global private @layers.0.ffn.w0(
// CHECK-NEXT:    ml_program.global private @layers.0.ffn.b0(
// CHECK-NEXT:    ml_program.global private @layers.0.ffn.w1(
// CHECK-NEXT:    ml_program.global private @layers.0.ffn.b1(
// CHECK-NEXT:    ml_program.global private @layers.0.ln2.gamma(
// CHECK-NEXT:    ml_program.global private @layers.0.ln2.beta(
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wq_shared(#{{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wq"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bq_shared(#{{.+}}) : tensor<4xf32> {attn.init = "mean-heads:layers.0.attn.bq"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.eq(#{{.+}}) : tensor<2x4xf32> {attn.init = "zeros"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk_shared(#{{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wk"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bk_shared(#{{.+}}) : tensor<4xf32> {attn.init = "mean-heads:layers.0.attn.bk"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.ek(#{{.+}}) : tensor<2x4xf32> {attn.init = "zeros"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wv_shared(#{{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wv"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.bv_shared(#{{.+}}) : tensor<4xf32> {attn.init = "mean-heads:layers.0.attn.bv"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.ev(#{{.+}}) : tensor<2x4xf32> {attn.init = "zeros"}
// CHECK-LABEL:   func.func @forward(
// CHECK-SAME:        %[[X:.+]]: tensor<1x?x8xf32>) -> tensor<1x?x8xf32>
// CHECK-DAG:       %[[WO:.+]] = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
// CHECK-DAG:       %[[BO:.+]] = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
// CHECK:           %[[WQ:.+]] = ml_program.global_load_const @layers.0.attn.wq_shared : tensor<8x4xf32>
// CHECK-NEXT:      %[[BQ:.+]] = ml_program.global_load_const @layers.0.attn.bq_shared : tensor<4xf32>
// CHECK-NEXT:      %[[EQ:.+]] = ml_program.global_load_const @layers.0.attn.eq : tensor<2x4xf32>
// CHECK-NEXT:      %[[PQ:.+]] = attn.project %[[X]], %[[WQ]] bias(%[[BQ]]) heads(1) : (tensor<1x?x8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<1x1x?x4xf32>
// CHECK-NEXT:      %[[FQ:.+]] = tensor.collapse_shape %[[PQ]] {{\[}}[0, 1], [2], [3]] : tensor<1x1x?x4xf32> into tensor<1x?x4xf32>
// CHECK-NEXT:      %[[Q:.+]] = attn.head_embed %[[FQ]], %[[EQ]] mode(add) : (tensor<1x?x4xf32>, tensor<2x4xf32>) -> tensor<1x2x?x4xf32>
// CHECK-NEXT:      %[[WK:.+]] = ml_program.global_load_const @layers.0.attn.wk_shared : tensor<8x4xf32>
// CHECK-NEXT:      %[[BK:.+]] = ml_program.global_load_const @layers.0.attn.bk_shared : tensor<4xf32>
// CHECK-NEXT:      %[[EK:.+]] = ml_program.global_load_const @layers.0.attn.ek : tensor<2x4xf32>
// CHECK-NEXT:      %[[PK:.+]] = attn.project %[[X]], %[[WK]] bias(%[[BK]]) heads(1)
// CHECK-NEXT:      %[[FK:.+]] = tensor.collapse_shape %[[PK]]
// CHECK-NEXT:      %[[K:.+]] = attn.head_embed %[[FK]], %[[EK]] mode(add)
// CHECK-NEXT:      %[[WV:.+]] = ml_program.global_load_const @layers.0.attn.wv_shared : tensor<8x4xf32>
// CHECK-NEXT:      %[[BV:.+]] = ml_program.global_load_const @layers.0.attn.bv_shared : tensor<4xf32>
// CHECK-NEXT:      %[[EV:.+]] = ml_program.global_load_const @layers.0.attn.ev : tensor<2x4xf32>
// CHECK-NEXT:      %[[PV:.+]] = attn.project %[[X]], %[[WV]] bias(%[[BV]]) heads(1)
// CHECK-NEXT:      %[[FV:.+]] = tensor.collapse_shape %[[PV]]
// CHECK-NEXT:      %[[V:.+]] = attn.head_embed %[[FV]], %[[EV]] mode(add)
// CHECK-NEXT:      %[[MAP:.+]] = attn.scores %[[Q]], %[[K]] : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
// CHECK-NEXT:      %[[O:.+]] = attn.apply %[[MAP]], %[[V]] : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
// CHECK-NEXT:      %[[A:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]]) : (tensor<1x2x?x4xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
// CHECK-NEXT:      %[[R:.+]] = arith.addf %[[X]], %[[A]]
// CHECK-NEXT:      attn.layer_norm %[[R]]
// CHECK:           attn.ffn
// CHECK:           return

// mode=mul: same parameters, embeddings start at "ones", heads combine by product.
// MUL-LABEL: module @post_norm_all_biases
// MUL:         @layers.0.attn.wq_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wq"}
// MUL:         @layers.0.attn.eq({{.+}}) : tensor<2x4xf32> {attn.init = "ones"}
// MUL:         @layers.0.attn.ek({{.+}}) : tensor<2x4xf32> {attn.init = "ones"}
// MUL:         @layers.0.attn.ev({{.+}}) : tensor<2x4xf32> {attn.init = "ones"}
// MUL-LABEL:   func.func @forward(
// MUL-COUNT-3:   attn.head_embed {{.+}} mode(mul) : (tensor<1x?x4xf32>, tensor<2x4xf32>) -> tensor<1x2x?x4xf32>
// MUL-NOT:       mode(add)
// MUL:           return

// init=train: the nine new parameters are all to be trained.
// TRAIN-LABEL: module @post_norm_all_biases
// TRAIN-COUNT-9: {attn.init = "train"}
// TRAIN-NOT:     attn.init
// TRAIN-LABEL:   func.func @forward(
module @post_norm_all_biases {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.0.ffn.b0(#ml_program.extern : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @layers.0.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.0.ffn.b1(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bq = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %bv = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %bo = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %b1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %fb0 = ml_program.global_load_const @layers.0.ffn.b0 : tensor<16xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %fb1 = ml_program.global_load_const @layers.0.ffn.b1 : tensor<8xf32>
    %g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %b2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>,
           tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r = arith.addf %x, %a : tensor<1x?x8xf32>
    %n = attn.layer_norm %r, %g1, %b1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f = attn.ffn %n weights(%w0, %w1) biases(%fb0, %fb1) activation(silu)
        : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r2 = arith.addf %n, %f : tensor<1x?x8xf32>
    %y = attn.layer_norm %r2, %g2, %b2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// Two pre-norm layers without biases, dynamic B and T: every layer gets its
// own shared projections and no shared bias is invented.
// CHECK-LABEL: module @pre_norm_two_layers_no_biases
// CHECK:         ml_program.global private @layers.0.attn.wo(
// CHECK:         ml_program.global private @layers.1.attn.wo(
// CHECK-NOT:     _shared({{.+}}) : tensor<4xf32>
// CHECK:         ml_program.global private @layers.0.attn.wq_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wq"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.eq({{.+}}) : tensor<2x4xf32> {attn.init = "zeros"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wk_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wk"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.ek(
// CHECK-NEXT:    ml_program.global private @layers.0.attn.wv_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wv"}
// CHECK-NEXT:    ml_program.global private @layers.0.attn.ev(
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wq_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.1.attn.wq"}
// CHECK-NEXT:    ml_program.global private @layers.1.attn.eq(
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wk_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.1.attn.wk"}
// CHECK-NEXT:    ml_program.global private @layers.1.attn.ek(
// CHECK-NEXT:    ml_program.global private @layers.1.attn.wv_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.1.attn.wv"}
// CHECK-NEXT:    ml_program.global private @layers.1.attn.ev(
// CHECK-LABEL:   func.func @forward(
// CHECK-SAME:        %[[X:.+]]: tensor<?x?x8xf32>)
// CHECK:           %[[N0:.+]] = attn.layer_norm %[[X]], %layers.0.ln1.gamma
// CHECK:           %[[PQ0:.+]] = attn.project %[[N0]], %{{.+}} heads(1) : (tensor<?x?x8xf32>, tensor<8x4xf32>) -> tensor<?x1x?x4xf32>
// CHECK:           tensor.collapse_shape %[[PQ0]] {{\[}}[0, 1], [2], [3]] : tensor<?x1x?x4xf32> into tensor<?x?x4xf32>
// CHECK:           attn.project %[[N0]], %{{.+}} heads(1)
// CHECK:           attn.project %[[N0]], %{{.+}} heads(1)
// CHECK:           %[[MAP0:.+]] = attn.scores {{.+}} -> tensor<?x2x?x?xf32>
// CHECK:           attn.apply %[[MAP0]]
// CHECK:           %[[N1:.+]] = attn.layer_norm %{{.+}}, %layers.1.ln1.gamma
// CHECK-COUNT-3:   attn.project %[[N1]], %{{.+}} heads(1) : (tensor<?x?x8xf32>, tensor<8x4xf32>) -> tensor<?x1x?x4xf32>
// CHECK:           attn.scores
// CHECK:           attn.apply
// CHECK:           return

// attn-reuse-map first: layer 1 applies layer 0's map, so it only has values
// to convert (this is the composition of the two passes).
// REUSE-LABEL: module @pre_norm_two_layers_no_biases
// REUSE:         @layers.0.attn.wq_shared(
// REUSE:         @layers.0.attn.wk_shared(
// REUSE:         @layers.0.attn.wv_shared(
// REUSE-NOT:     @layers.1.attn.{{[we][qk]}}
// REUSE:         @layers.1.attn.wv_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.1.attn.wv"}
// REUSE-NEXT:    @layers.1.attn.ev({{.+}}) : tensor<2x4xf32> {attn.init = "zeros"}
// REUSE-LABEL:   func.func @forward(
// REUSE:           %[[MAP:.+]] = attn.scores
// REUSE:           attn.apply %[[MAP]]
// REUSE:           %[[V1:.+]] = attn.head_embed {{.+}}, %layers.1.attn.ev mode(add)
// REUSE-NOT:       attn.scores
// REUSE:           attn.apply %[[MAP]], %[[V1]]
// REUSE:           return

// attn-tie-kv first: the values are the keys, so each layer gets query and
// key embeddings only, and its map applies to the key heads.
// TIED-LABEL: module @pre_norm_two_layers_no_biases
// TIED-NOT:     @layers.{{[01]}}.attn.{{wv_shared|ev}}
// TIED-LABEL:   func.func @forward(
// TIED:           %[[K0:.+]] = attn.head_embed {{.+}}, %layers.0.attn.ek mode(add)
// TIED-NEXT:      %[[MAP0:.+]] = attn.scores %{{.+}}, %[[K0]]
// TIED-NEXT:      attn.apply %[[MAP0]], %[[K0]]
// TIED:           %[[K1:.+]] = attn.head_embed {{.+}}, %layers.1.attn.ek mode(add)
// TIED-NEXT:      %[[MAP1:.+]] = attn.scores %{{.+}}, %[[K1]]
// TIED-NEXT:      attn.apply %[[MAP1]], %[[K1]]
module @pre_norm_two_layers_no_biases {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.0.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.0.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.0.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.1.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.1.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<?x?x8xf32>) -> tensor<?x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %g10 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %b10 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w00 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %w10 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %g20 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %b20 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %n0 = attn.layer_norm %x, %g10, %b10 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %a0 = attn.mha %n0, %n0, %wq0, %wk0, %wv0, %wo0 heads(2)
        : (tensor<?x?x8xf32>, tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<?x?x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<?x?x8xf32>
    %m0 = attn.layer_norm %r0, %g20, %b20 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %f0 = attn.ffn %m0 weights(%w00, %w10) activation(gelu) : (tensor<?x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<?x?x8xf32>
    %y0 = arith.addf %r0, %f0 : tensor<?x?x8xf32>
    %wq1 = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %wk1 = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %g11 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %b11 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %w01 = ml_program.global_load_const @layers.1.ffn.w0 : tensor<8x16xf32>
    %w11 = ml_program.global_load_const @layers.1.ffn.w1 : tensor<16x8xf32>
    %g21 = ml_program.global_load_const @layers.1.ln2.gamma : tensor<8xf32>
    %b21 = ml_program.global_load_const @layers.1.ln2.beta : tensor<8xf32>
    %n1 = attn.layer_norm %y0, %g11, %b11 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %a1 = attn.mha %n1, %n1, %wq1, %wk1, %wv1, %wo1 heads(2)
        : (tensor<?x?x8xf32>, tensor<?x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<?x?x8xf32>
    %r1 = arith.addf %y0, %a1 : tensor<?x?x8xf32>
    %m1 = attn.layer_norm %r1, %g21, %b21 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %f1 = attn.ffn %m1 weights(%w01, %w11) activation(gelu) : (tensor<?x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<?x?x8xf32>
    %y1 = arith.addf %r1, %f1 : tensor<?x?x8xf32>
    return %y1 : tensor<?x?x8xf32>
  }
}

// -----

// Fused cross-attention with an i1 mask and the causal flag, dv (6) != dk
// (4): keys and values read the memory, the query reads x; attn.attend keeps
// its mask and flag and only sees new heads.
// CHECK-LABEL: module @cross_attend_mask_causal
// CHECK:         @layers.0.attn.wv_shared({{.+}}) : tensor<8x6xf32> {attn.init = "mean-heads:layers.0.attn.wv"}
// CHECK-NEXT:    @layers.0.attn.bv_shared({{.+}}) : tensor<6xf32> {attn.init = "mean-heads:layers.0.attn.bv"}
// CHECK-NEXT:    @layers.0.attn.ev({{.+}}) : tensor<2x6xf32> {attn.init = "zeros"}
// CHECK-LABEL:   func.func @forward(
// CHECK-SAME:        %[[X:[^:]+]]: tensor<2x?x8xf32>, %[[MEM:[^:]+]]: tensor<2x?x8xf32>, %[[MASK:[^:]+]]: tensor<2x1x?x?xi1>)
// CHECK:           attn.project %[[X]], %{{.+}} heads(1)
// CHECK:           %[[Q:.+]] = attn.head_embed
// CHECK:           attn.project %[[MEM]], %{{.+}} heads(1)
// CHECK:           %[[K:.+]] = attn.head_embed
// CHECK:           attn.project %[[MEM]], %{{.+}} bias(%{{.+}}) heads(1) : (tensor<2x?x8xf32>, tensor<8x6xf32>, tensor<6xf32>) -> tensor<2x1x?x6xf32>
// CHECK:           %[[V:.+]] = attn.head_embed {{.+}} : (tensor<2x?x6xf32>, tensor<2x6xf32>) -> tensor<2x2x?x6xf32>
// CHECK:           %[[O:.+]] = attn.attend %[[Q]], %[[K]], %[[V]] mask(%[[MASK]]) causal :
// CHECK:           attn.merge %[[O]]
module @cross_attend_mask_causal {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x12xf32>) : tensor<8x12xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<12x8xf32>) : tensor<12x8xf32>
  ml_program.global private @layers.0.attn.bv(#ml_program.extern : tensor<12xf32>) : tensor<12xf32>
  func.func @forward(%x: tensor<2x?x8xf32>, %mem: tensor<2x?x8xf32>, %mask: tensor<2x1x?x?xi1>) -> tensor<2x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x12xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<12x8xf32>
    %bv = ml_program.global_load_const @layers.0.attn.bv : tensor<12xf32>
    %q = attn.project %x, %wq heads(2) : (tensor<2x?x8xf32>, tensor<8x8xf32>) -> tensor<2x2x?x4xf32>
    %k = attn.project %mem, %wk heads(2) : (tensor<2x?x8xf32>, tensor<8x8xf32>) -> tensor<2x2x?x4xf32>
    %v = attn.project %mem, %wv bias(%bv) heads(2) : (tensor<2x?x8xf32>, tensor<8x12xf32>, tensor<12xf32>) -> tensor<2x2x?x6xf32>
    %o = attn.attend %q, %k, %v mask(%mask) causal
        : (tensor<2x2x?x4xf32>, tensor<2x2x?x4xf32>, tensor<2x2x?x6xf32>, tensor<2x1x?x?xi1>) -> tensor<2x2x?x6xf32>
    %y = attn.merge %o, %wo : (tensor<2x2x?x6xf32>, tensor<12x8xf32>) -> tensor<2x?x8xf32>
    return %y : tensor<2x?x8xf32>
  }
}

// -----

// Key-value tying (values are the key heads): the keys are converted once and
// the values keep reading them; no value parameters appear.
// CHECK-LABEL: module @tied_keys_values
// CHECK-NOT:     @layers.0.attn.{{wv_shared|bv_shared|ev}}
// CHECK:         @layers.0.attn.wk_shared(
// CHECK-NEXT:    @layers.0.attn.bk_shared({{.+}}) : tensor<4xf32> {attn.init = "mean-heads:layers.0.attn.bk"}
// CHECK-NEXT:    @layers.0.attn.ek(
// CHECK-NOT:     @layers.0.attn.{{wv_shared|bv_shared|ev}}
// CHECK-LABEL:   func.func @forward(
// CHECK:           %[[Q:.+]] = attn.head_embed
// CHECK:           %[[K:.+]] = attn.head_embed
// CHECK-NOT:       attn.head_embed
// CHECK:           %[[MAP:.+]] = attn.scores %[[Q]], %[[K]]
// CHECK-NEXT:      attn.apply %[[MAP]], %[[K]]
module @tied_keys_values {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %q = attn.project %x, %wq heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k = attn.project %x, %wk bias(%bk) heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x2x?x4xf32>
    %map = attn.scores %q, %k : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %o = attn.apply %map, %k : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %y = attn.merge %o, %wo : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// Attention-map reuse written out (layer 1 applies layer 0's map): layer 1
// has no query or key projection, so only its values are converted.
// CHECK-LABEL: module @reuse_layer_values_only
// CHECK:         @layers.0.attn.wv_shared(
// CHECK-NOT:     @layers.1.attn.{{[we][qk]}}
// CHECK:         @layers.1.attn.wv_shared({{.+}}) : tensor<8x8xf32> {attn.init = "mean-heads:layers.1.attn.wv"}
// CHECK-NEXT:    @layers.1.attn.bv_shared({{.+}}) : tensor<8xf32> {attn.init = "mean-heads:layers.1.attn.bv"}
// CHECK-NEXT:    @layers.1.attn.ev({{.+}}) : tensor<2x8xf32> {attn.init = "zeros"}
// CHECK-LABEL:   func.func @forward(
// CHECK:           %[[MAP:.+]] = attn.scores {{.+}} causal
// CHECK:           attn.apply %[[MAP]]
// CHECK:           %[[H:.+]] = arith.addf
// CHECK:           %[[PV1:.+]] = attn.project %[[H]], %{{.+}} bias(%{{.+}}) heads(1) : (tensor<1x16x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<1x1x16x8xf32>
// CHECK:           %[[V1:.+]] = attn.head_embed {{.+}} : (tensor<1x16x8xf32>, tensor<2x8xf32>) -> tensor<1x2x16x8xf32>
// CHECK-NOT:       attn.scores
// CHECK:           attn.apply %[[MAP]], %[[V1]]
module @reuse_layer_values_only {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.1.attn.bv(#ml_program.extern : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  func.func @forward(%x: tensor<1x16x8xf32>) -> tensor<1x16x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q = attn.project %x, %wq0 heads(2) : (tensor<1x16x8xf32>, tensor<8x8xf32>) -> tensor<1x2x16x4xf32>
    %k = attn.project %x, %wk0 heads(2) : (tensor<1x16x8xf32>, tensor<8x8xf32>) -> tensor<1x2x16x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x16x8xf32>, tensor<8x8xf32>) -> tensor<1x2x16x4xf32>
    %map = attn.scores %q, %k causal : (tensor<1x2x16x4xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x16x16xf32>
    %o0 = attn.apply %map, %v0 : (tensor<1x2x16x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x16x4xf32>
    %a0 = attn.merge %o0, %wo0 : (tensor<1x2x16x4xf32>, tensor<8x8xf32>) -> tensor<1x16x8xf32>
    %h = arith.addf %x, %a0 : tensor<1x16x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x16xf32>
    %bv1 = ml_program.global_load_const @layers.1.attn.bv : tensor<16xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<16x8xf32>
    %v1 = attn.project %h, %wv1 bias(%bv1) heads(2) : (tensor<1x16x8xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<1x2x16x8xf32>
    %o1 = attn.apply %map, %v1 : (tensor<1x2x16x16xf32>, tensor<1x2x16x8xf32>) -> tensor<1x2x16x8xf32>
    %a1 = attn.merge %o1, %wo1 : (tensor<1x2x16x8xf32>, tensor<16x8xf32>) -> tensor<1x16x8xf32>
    %y = arith.addf %h, %a1 : tensor<1x16x8xf32>
    return %y : tensor<1x16x8xf32>
  }
}

// -----

// Two layers reading the same projection weights (cross-layer parameter
// sharing): they keep sharing, through one set of new parameters.
// CHECK-LABEL: module @weights_shared_across_layers
// CHECK-COUNT-1: @layers.0.attn.wq_shared({{.+}}) : tensor<8x4xf32> {attn.init = "mean-heads:layers.0.attn.wq"}
// CHECK-NOT:     @layers.1.attn.{{w[qkv]_shared|e[qkv]}}
// CHECK-LABEL:   func.func @forward(
// CHECK-COUNT-2:   ml_program.global_load_const @layers.0.attn.wq_shared
// CHECK-NOT:       @layers.1.attn.{{w[qkv]_shared|e[qkv]}}
// CHECK:           return
module @weights_shared_across_layers {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %a0 = attn.mha %x, %x, %wq, %wk, %wv, %wo0 heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %a1 = attn.mha %a0, %a0, %wq, %wk, %wv, %wo1 heads(2)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %a1 : tensor<1x?x8xf32>
  }
}

// -----

// Parameters that an earlier rewrite created: the mean of a copy names the
// copy's source, the mean of "train" or "ones" stays "train" or "ones".
// CHECK-LABEL: module @derived_origins
// CHECK:         @layers.0.attn.wq_shared({{.+}}) : tensor<8x2xf32> {attn.init = "mean-heads:teacher.attn.wq"}
// CHECK-NEXT:    @layers.0.attn.eq({{.+}}) : tensor<4x2xf32> {attn.init = "zeros"}
// CHECK-NEXT:    @layers.0.attn.wk_shared({{.+}}) : tensor<8x2xf32> {attn.init = "train"}
// CHECK-NEXT:    @layers.0.attn.ek(
// CHECK-NEXT:    @layers.0.attn.wv_shared({{.+}}) : tensor<8x2xf32> {attn.init = "ones"}
// CHECK-LABEL:   func.func @forward(
// CHECK:           attn.scores {{.+}} scale(5.000000e-01) : (tensor<1x4x?x2xf32>, tensor<1x4x?x2xf32>) -> tensor<1x4x?x?xf32>
module @derived_origins {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32> {attn.init = "copy:teacher.attn.wq"}
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32> {attn.init = "train"}
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32> {attn.init = "ones"}
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo heads(4) scale(5.000000e-01)
        : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    return %a : tensor<1x?x8xf32>
  }
}
