// attn-substitute-ff: attention replaced by feed-forward networks (Bozic et
// al.'s ALR, ALRR, ASLR and ELR; Irie et al.'s deeper feed-forward). Each
// part below runs with its own options; every output goes back through
// attn-opt, whose verifier must accept it. What a rewrite removes (ops and
// parameters) is proven gone with --implicit-check-not.
//
// RUN: split-file %s %t --leading-lines
//
// models.mlir: every variant on the same models. max-len=6 and D=8 give
// N*D = 48 and the default hidden width K = N*D/4 = 12.
// RUN: attn-opt %t/models.mlir -split-input-file \
// RUN:     --attn-substitute-ff="variant=alr max-len=6" \
// RUN:   | attn-opt -split-input-file \
// RUN:   | FileCheck %t/models.mlir --check-prefix=ALR \
// RUN:       --implicit-check-not=attn.mha --implicit-check-not=attn.project \
// RUN:       --implicit-check-not=attn.scores --implicit-check-not=attn.apply \
// RUN:       --implicit-check-not=attn.attend --implicit-check-not=attn.merge \
// RUN:       --implicit-check-not=.attn.
// RUN: attn-opt %t/models.mlir -split-input-file \
// RUN:     --attn-substitute-ff="variant=alrr max-len=6" \
// RUN:   | attn-opt -split-input-file \
// RUN:   | FileCheck %t/models.mlir --check-prefix=ALRR \
// RUN:       --implicit-check-not=attn.mha --implicit-check-not=attn.project \
// RUN:       --implicit-check-not=attn.scores --implicit-check-not=attn.apply \
// RUN:       --implicit-check-not=attn.attend --implicit-check-not=attn.merge \
// RUN:       --implicit-check-not=.attn. --implicit-check-not=.ln1.
// RUN: attn-opt %t/models.mlir -split-input-file \
// RUN:     --attn-substitute-ff="variant=aslr max-len=6" \
// RUN:   | attn-opt -split-input-file \
// RUN:   | FileCheck %t/models.mlir --check-prefix=ASLR \
// RUN:       --implicit-check-not=attn.mha --implicit-check-not=attn.project \
// RUN:       --implicit-check-not=attn.scores --implicit-check-not=attn.apply \
// RUN:       --implicit-check-not=attn.attend --implicit-check-not=.attn.wq \
// RUN:       --implicit-check-not=.attn.wk --implicit-check-not=.attn.wv \
// RUN:       --implicit-check-not=.attn.bq --implicit-check-not=.attn.bk \
// RUN:       --implicit-check-not=.attn.bv
// RUN: attn-opt %t/models.mlir -split-input-file \
// RUN:     --attn-substitute-ff="variant=elr max-len=6" \
// RUN:   | attn-opt -split-input-file \
// RUN:   | FileCheck %t/models.mlir --check-prefix=ELR \
// RUN:       --implicit-check-not=attn.mha --implicit-check-not=attn.project \
// RUN:       --implicit-check-not=attn.scores --implicit-check-not=attn.apply \
// RUN:       --implicit-check-not=attn.attend --implicit-check-not=attn.merge \
// RUN:       --implicit-check-not=.attn. --implicit-check-not=attn.layer_norm \
// RUN:       --implicit-check-not=attn.ffn --implicit-check-not=arith.addf \
// RUN:       --implicit-check-not=.ln1. --implicit-check-not=.ln2. \
// RUN:       --implicit-check-not=.ffn.
// RUN: attn-opt %t/models.mlir -split-input-file \
// RUN:     --attn-substitute-ff="variant=deep-ff max-len=6" \
// RUN:   | attn-opt -split-input-file \
// RUN:   | FileCheck %t/models.mlir --check-prefix=DEEP \
// RUN:       --implicit-check-not=attn.mha --implicit-check-not=attn.project \
// RUN:       --implicit-check-not=attn.scores --implicit-check-not=attn.apply \
// RUN:       --implicit-check-not=attn.attend --implicit-check-not=attn.merge \
// RUN:       --implicit-check-not=.attn. --implicit-check-not=.ln1. \
// RUN:       --implicit-check-not=attn.seq_mlp
//
// layers.mlir: the `layers` option replaces the listed layers only.
// RUN: attn-opt %t/layers.mlir -split-input-file \
// RUN:     --attn-substitute-ff="variant=alr max-len=6 layers=1" \
// RUN:   | attn-opt -split-input-file | FileCheck %t/layers.mlir --check-prefix=LAYER1
// RUN: attn-opt %t/layers.mlir -split-input-file \
// RUN:     --attn-substitute-ff="variant=alr max-len=6 layers=0" \
// RUN:   | attn-opt -split-input-file | FileCheck %t/layers.mlir --check-prefix=LAYER0
//
// options.mlir: hidden, depth and the default max-len.
// RUN: attn-opt %t/options.mlir --attn-substitute-ff="variant=alr max-len=6 hidden=5" \
// RUN:   | attn-opt | FileCheck %t/options.mlir --check-prefix=HIDDEN
// RUN: attn-opt %t/options.mlir --attn-substitute-ff="variant=aslr max-len=3 hidden=7" \
// RUN:   | attn-opt | FileCheck %t/options.mlir --check-prefix=HASLR
// RUN: attn-opt %t/options.mlir --attn-substitute-ff="variant=alr" \
// RUN:   | attn-opt | FileCheck %t/options.mlir --check-prefix=MAXLEN
// RUN: attn-opt %t/options.mlir --attn-substitute-ff="variant=deep-ff hidden=16 depth=2" \
// RUN:   | attn-opt | FileCheck %t/options.mlir --check-prefix=DEPTH2 \
// RUN:       --implicit-check-not=attn.init --implicit-check-not=.ln1. \
// RUN:       --implicit-check-not=.attn.
// RUN: attn-opt %t/options.mlir --attn-substitute-ff="variant=deep-ff hidden=16 depth=4" \
// RUN:   | attn-opt | FileCheck %t/options.mlir --check-prefix=DEPTH4 \
// RUN:       --implicit-check-not=.ln1. --implicit-check-not=.attn.
//
// deep-ff.mlir: deep-ff also removes masked and causal attention; a model
// without attention is left alone.
// RUN: attn-opt %t/deep-ff.mlir -split-input-file --attn-substitute-ff="variant=deep-ff" \
// RUN:   | attn-opt -split-input-file | FileCheck %t/deep-ff.mlir \
// RUN:       --implicit-check-not=attn.mha --implicit-check-not=attn.project \
// RUN:       --implicit-check-not=attn.scores --implicit-check-not=attn.apply \
// RUN:       --implicit-check-not=attn.attend --implicit-check-not=attn.merge \
// RUN:       --implicit-check-not=.attn. --implicit-check-not=.ln1.

//--- models.mlir

// Two post-norm layers with biases and dynamic T, as attn-model writes them.
//
// variant=alr: each attn.merge result becomes a seq_mlp of the layer
// input; the residual adds and both LayerNorms stay.
// ALR:         ml_program.global private @layers.1.ln2.beta(
// ALR-NEXT:    ml_program.global private @layers.0.alr.norm_in_gamma({{.+}}) : tensor<48xf32> {attn.init = "ones"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.norm_in_beta({{.+}}) : tensor<48xf32> {attn.init = "zeros"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.w0({{.+}}) : tensor<48x12xf32> {attn.init = "train"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.b0({{.+}}) : tensor<12xf32> {attn.init = "train"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.norm_hidden_gamma({{.+}}) : tensor<12xf32> {attn.init = "ones"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.norm_hidden_beta({{.+}}) : tensor<12xf32> {attn.init = "zeros"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.w1({{.+}}) : tensor<12x48xf32> {attn.init = "train"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.b1({{.+}}) : tensor<48xf32> {attn.init = "train"}
// ALR-NEXT:    ml_program.global private @layers.1.alr.norm_in_gamma(
// ALR-LABEL: func.func @post_norm(
// ALR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ALR-NEXT:    %[[G1:.+]] = ml_program.global_load_const @layers.0.ln1.gamma :
// ALR-NEXT:    %[[BE1:.+]] = ml_program.global_load_const @layers.0.ln1.beta :
// ALR:         %[[GI:.+]] = ml_program.global_load_const @layers.0.alr.norm_in_gamma : tensor<48xf32>
// ALR-NEXT:    %[[BI:.+]] = ml_program.global_load_const @layers.0.alr.norm_in_beta : tensor<48xf32>
// ALR-NEXT:    %[[W0:.+]] = ml_program.global_load_const @layers.0.alr.w0 : tensor<48x12xf32>
// ALR-NEXT:    %[[B0:.+]] = ml_program.global_load_const @layers.0.alr.b0 : tensor<12xf32>
// ALR-NEXT:    %[[GH:.+]] = ml_program.global_load_const @layers.0.alr.norm_hidden_gamma : tensor<12xf32>
// ALR-NEXT:    %[[BH:.+]] = ml_program.global_load_const @layers.0.alr.norm_hidden_beta : tensor<12xf32>
// ALR-NEXT:    %[[W1:.+]] = ml_program.global_load_const @layers.0.alr.w1 : tensor<12x48xf32>
// ALR-NEXT:    %[[B1:.+]] = ml_program.global_load_const @layers.0.alr.b1 : tensor<48xf32>
// ALR-NEXT:    %[[A:.+]] = attn.seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) b0(%[[B0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) b1(%[[B1]]) max_len(6) activation(leaky_relu) :
// ALR-SAME:      -> tensor<1x?x8xf32>
// ALR-NEXT:    %[[R:.+]] = arith.addf %[[X]], %[[A]] :
// ALR-NEXT:    %[[H:.+]] = attn.layer_norm %[[R]], %[[G1]], %[[BE1]] :
// ALR-NEXT:    %[[F:.+]] = attn.ffn %[[H]] weights(
// ALR-NEXT:    %[[S:.+]] = arith.addf %[[H]], %[[F]] :
// ALR-NEXT:    %[[Y0:.+]] = attn.layer_norm %[[S]],
// ALR:         %[[A1:.+]] = attn.seq_mlp %[[Y0]] norm_in(
// ALR-NEXT:    %[[R1:.+]] = arith.addf %[[Y0]], %[[A1]] :
// ALR-NEXT:    attn.layer_norm %[[R1]],
// ALR:         return
//
// variant=alrr: ln1(x + attn(x)) becomes seq_mlp(x); ln1's parameters go.
// ALRR:        ml_program.global private @layers.1.ln2.beta(
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.norm_in_gamma({{.+}}) : tensor<48xf32> {attn.init = "ones"}
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.norm_in_beta({{.+}}) : tensor<48xf32> {attn.init = "zeros"}
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.w0({{.+}}) : tensor<48x12xf32> {attn.init = "train"}
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.b0({{.+}}) : tensor<12xf32> {attn.init = "train"}
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.norm_hidden_gamma({{.+}}) : tensor<12xf32> {attn.init = "ones"}
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.norm_hidden_beta({{.+}}) : tensor<12xf32> {attn.init = "zeros"}
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.w1({{.+}}) : tensor<12x48xf32> {attn.init = "train"}
// ALRR-NEXT:   ml_program.global private @layers.0.alrr.b1({{.+}}) : tensor<48xf32> {attn.init = "train"}
// ALRR-NEXT:   ml_program.global private @layers.1.alrr.norm_in_gamma(
// ALRR-LABEL: func.func @post_norm(
// ALRR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ALRR:         %[[GI:.+]] = ml_program.global_load_const @layers.0.alrr.norm_in_gamma : tensor<48xf32>
// ALRR-NEXT:    %[[BI:.+]] = ml_program.global_load_const @layers.0.alrr.norm_in_beta : tensor<48xf32>
// ALRR-NEXT:    %[[W0:.+]] = ml_program.global_load_const @layers.0.alrr.w0 : tensor<48x12xf32>
// ALRR-NEXT:    %[[B0:.+]] = ml_program.global_load_const @layers.0.alrr.b0 : tensor<12xf32>
// ALRR-NEXT:    %[[GH:.+]] = ml_program.global_load_const @layers.0.alrr.norm_hidden_gamma : tensor<12xf32>
// ALRR-NEXT:    %[[BH:.+]] = ml_program.global_load_const @layers.0.alrr.norm_hidden_beta : tensor<12xf32>
// ALRR-NEXT:    %[[W1:.+]] = ml_program.global_load_const @layers.0.alrr.w1 : tensor<12x48xf32>
// ALRR-NEXT:    %[[B1:.+]] = ml_program.global_load_const @layers.0.alrr.b1 : tensor<48xf32>
// ALRR-NEXT:    %[[H:.+]] = attn.seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) b0(%[[B0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) b1(%[[B1]]) max_len(6) activation(leaky_relu) :
// ALRR-NEXT:    %[[F:.+]] = attn.ffn %[[H]] weights(
// ALRR-NEXT:    %[[S:.+]] = arith.addf %[[H]], %[[F]] :
// ALRR-NEXT:    %[[Y0:.+]] = attn.layer_norm %[[S]],
// ALRR:         %[[H1:.+]] = attn.seq_mlp %[[Y0]] norm_in(
// ALRR-NEXT:    %[[F1:.+]] = attn.ffn %[[H1]] weights(
// ALRR-NEXT:    arith.addf %[[H1]], %[[F1]] :
// ALRR:         return
//
// variant=aslr: the heads come from one network per head, [1, 2, T, 4];
// wo and bo stay, the Q/K/V projections go.
// ASLR:        ml_program.global private @layers.0.attn.wo(
// ASLR-NEXT:   ml_program.global private @layers.0.attn.bo(
// ASLR:        ml_program.global private @layers.1.ln2.beta(
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.norm_in_gamma({{.+}}) : tensor<2x48xf32> {attn.init = "ones"}
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.norm_in_beta({{.+}}) : tensor<2x48xf32> {attn.init = "zeros"}
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.w0({{.+}}) : tensor<2x48x12xf32> {attn.init = "train"}
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.b0({{.+}}) : tensor<2x12xf32> {attn.init = "train"}
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.norm_hidden_gamma({{.+}}) : tensor<2x12xf32> {attn.init = "ones"}
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.norm_hidden_beta({{.+}}) : tensor<2x12xf32> {attn.init = "zeros"}
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.w1({{.+}}) : tensor<2x12x24xf32> {attn.init = "train"}
// ASLR-NEXT:   ml_program.global private @layers.0.aslr.b1({{.+}}) : tensor<2x24xf32> {attn.init = "train"}
// ASLR-NEXT:   ml_program.global private @layers.1.aslr.norm_in_gamma(
// ASLR-LABEL: func.func @post_norm(
// ASLR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ASLR-NEXT:    %[[WO:.+]] = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
// ASLR-NEXT:    %[[BO:.+]] = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
// ASLR:         %[[GI:.+]] = ml_program.global_load_const @layers.0.aslr.norm_in_gamma : tensor<2x48xf32>
// ASLR-NEXT:    %[[BI:.+]] = ml_program.global_load_const @layers.0.aslr.norm_in_beta : tensor<2x48xf32>
// ASLR-NEXT:    %[[W0:.+]] = ml_program.global_load_const @layers.0.aslr.w0 : tensor<2x48x12xf32>
// ASLR-NEXT:    %[[B0:.+]] = ml_program.global_load_const @layers.0.aslr.b0 : tensor<2x12xf32>
// ASLR-NEXT:    %[[GH:.+]] = ml_program.global_load_const @layers.0.aslr.norm_hidden_gamma : tensor<2x12xf32>
// ASLR-NEXT:    %[[BH:.+]] = ml_program.global_load_const @layers.0.aslr.norm_hidden_beta : tensor<2x12xf32>
// ASLR-NEXT:    %[[W1:.+]] = ml_program.global_load_const @layers.0.aslr.w1 : tensor<2x12x24xf32>
// ASLR-NEXT:    %[[B1:.+]] = ml_program.global_load_const @layers.0.aslr.b1 : tensor<2x24xf32>
// ASLR-NEXT:    %[[O:.+]] = attn.head_seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) b0(%[[B0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) b1(%[[B1]]) max_len(6) activation(leaky_relu) :
// ASLR-SAME:      -> tensor<1x2x?x4xf32>
// ASLR-NEXT:    %[[A:.+]] = attn.merge %[[O]], %[[WO]] bias(%[[BO]]) :
// ASLR-NEXT:    %[[R:.+]] = arith.addf %[[X]], %[[A]] :
// ASLR-NEXT:    %[[H:.+]] = attn.layer_norm %[[R]],
// ASLR:         %[[Y0:.+]] = attn.layer_norm
// ASLR:         %[[O1:.+]] = attn.head_seq_mlp %[[Y0]] norm_in(
// ASLR-NEXT:    %[[A1:.+]] = attn.merge %[[O1]],
// ASLR-NEXT:    arith.addf %[[Y0]], %[[A1]] :
// ASLR:         return
//
// variant=elr: each whole layer becomes one seq_mlp; nothing of the
// layers stays.
// ELR:         module {
// ELR-NEXT:    ml_program.global private @layers.0.elr.norm_in_gamma({{.+}}) : tensor<48xf32> {attn.init = "ones"}
// ELR-NEXT:    ml_program.global private @layers.0.elr.norm_in_beta({{.+}}) : tensor<48xf32> {attn.init = "zeros"}
// ELR-NEXT:    ml_program.global private @layers.0.elr.w0({{.+}}) : tensor<48x12xf32> {attn.init = "train"}
// ELR-NEXT:    ml_program.global private @layers.0.elr.b0({{.+}}) : tensor<12xf32> {attn.init = "train"}
// ELR-NEXT:    ml_program.global private @layers.0.elr.norm_hidden_gamma({{.+}}) : tensor<12xf32> {attn.init = "ones"}
// ELR-NEXT:    ml_program.global private @layers.0.elr.norm_hidden_beta({{.+}}) : tensor<12xf32> {attn.init = "zeros"}
// ELR-NEXT:    ml_program.global private @layers.0.elr.w1({{.+}}) : tensor<12x48xf32> {attn.init = "train"}
// ELR-NEXT:    ml_program.global private @layers.0.elr.b1({{.+}}) : tensor<48xf32> {attn.init = "train"}
// ELR-NEXT:    ml_program.global private @layers.1.elr.norm_in_gamma(
// ELR-LABEL: func.func @post_norm(
// ELR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ELR-NEXT:     %[[GI:.+]] = ml_program.global_load_const @layers.0.elr.norm_in_gamma : tensor<48xf32>
// ELR-NEXT:     %[[BI:.+]] = ml_program.global_load_const @layers.0.elr.norm_in_beta : tensor<48xf32>
// ELR-NEXT:     %[[W0:.+]] = ml_program.global_load_const @layers.0.elr.w0 : tensor<48x12xf32>
// ELR-NEXT:     %[[B0:.+]] = ml_program.global_load_const @layers.0.elr.b0 : tensor<12xf32>
// ELR-NEXT:     %[[GH:.+]] = ml_program.global_load_const @layers.0.elr.norm_hidden_gamma : tensor<12xf32>
// ELR-NEXT:     %[[BH:.+]] = ml_program.global_load_const @layers.0.elr.norm_hidden_beta : tensor<12xf32>
// ELR-NEXT:     %[[W1:.+]] = ml_program.global_load_const @layers.0.elr.w1 : tensor<12x48xf32>
// ELR-NEXT:     %[[B1:.+]] = ml_program.global_load_const @layers.0.elr.b1 : tensor<48xf32>
// ELR-NEXT:     %[[Y0:.+]] = attn.seq_mlp %[[X]] norm_in(%[[GI]], %[[BI]]) w0(%[[W0]]) b0(%[[B0]]) norm_hidden(%[[GH]], %[[BH]]) w1(%[[W1]]) b1(%[[B1]]) max_len(6) activation(leaky_relu) :
// ELR:          %[[Y1:.+]] = attn.seq_mlp %[[Y0]] norm_in(
// ELR-NEXT:     return %[[Y1]] : tensor<1x?x8xf32>
//
// variant=deep-ff: the attention sublayers and ln1 go; each FFN becomes
// 8 -> 32 -> 32 -> 8 (depth 3, hidden 4*D), all new since no shape matches.
// DEEP:        module {
// DEEP-NEXT:   ml_program.global private @layers.0.ln2.gamma(
// DEEP-NEXT:   ml_program.global private @layers.0.ln2.beta(
// DEEP-NEXT:   ml_program.global private @layers.1.ln2.gamma(
// DEEP-NEXT:   ml_program.global private @layers.1.ln2.beta(
// DEEP-NEXT:   ml_program.global private @layers.0.ffn.w0({{.+}}) : tensor<8x32xf32> {attn.init = "train"}
// DEEP-NEXT:   ml_program.global private @layers.0.ffn.b0({{.+}}) : tensor<32xf32> {attn.init = "train"}
// DEEP-NEXT:   ml_program.global private @layers.0.ffn.w1({{.+}}) : tensor<32x32xf32> {attn.init = "train"}
// DEEP-NEXT:   ml_program.global private @layers.0.ffn.b1({{.+}}) : tensor<32xf32> {attn.init = "train"}
// DEEP-NEXT:   ml_program.global private @layers.0.ffn.w2({{.+}}) : tensor<32x8xf32> {attn.init = "train"}
// DEEP-NEXT:   ml_program.global private @layers.0.ffn.b2({{.+}}) : tensor<8xf32> {attn.init = "train"}
// DEEP-NEXT:   ml_program.global private @layers.1.ffn.w0({{.+}}) : tensor<8x32xf32> {attn.init = "train"}
// DEEP-NEXT:   ml_program.global private @layers.1.ffn.b0(
// DEEP-NEXT:   ml_program.global private @layers.1.ffn.w1(
// DEEP-NEXT:   ml_program.global private @layers.1.ffn.b1(
// DEEP-NEXT:   ml_program.global private @layers.1.ffn.w2(
// DEEP-NEXT:   ml_program.global private @layers.1.ffn.b2(
// DEEP-NOT:    ml_program.global
// DEEP-LABEL: func.func @post_norm(
// DEEP-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// DEEP-NEXT:    %[[G2:.+]] = ml_program.global_load_const @layers.0.ln2.gamma :
// DEEP-NEXT:    %[[BE2:.+]] = ml_program.global_load_const @layers.0.ln2.beta :
// DEEP-NEXT:    %[[W0:.+]] = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x32xf32>
// DEEP-NEXT:    %[[B0:.+]] = ml_program.global_load_const @layers.0.ffn.b0 : tensor<32xf32>
// DEEP-NEXT:    %[[W1:.+]] = ml_program.global_load_const @layers.0.ffn.w1 : tensor<32x32xf32>
// DEEP-NEXT:    %[[B1:.+]] = ml_program.global_load_const @layers.0.ffn.b1 : tensor<32xf32>
// DEEP-NEXT:    %[[W2:.+]] = ml_program.global_load_const @layers.0.ffn.w2 : tensor<32x8xf32>
// DEEP-NEXT:    %[[B2:.+]] = ml_program.global_load_const @layers.0.ffn.b2 : tensor<8xf32>
// DEEP-NEXT:    %[[F:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]], %[[W2]]) biases(%[[B0]], %[[B1]], %[[B2]]) activation(gelu) :
// DEEP-NEXT:    %[[S:.+]] = arith.addf %[[X]], %[[F]] :
// DEEP-NEXT:    %[[Y0:.+]] = attn.layer_norm %[[S]], %[[G2]], %[[BE2]] :
// DEEP:         %[[F1:.+]] = attn.ffn %[[Y0]] weights(
// DEEP-NEXT:    %[[S1:.+]] = arith.addf %[[Y0]], %[[F1]] :
// DEEP-NEXT:    %[[Y1:.+]] = attn.layer_norm %[[S1]],
// DEEP-NEXT:    return %[[Y1]]
module {
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
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.1.ffn.b0(#ml_program.extern : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @layers.1.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.1.ffn.b1(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @post_norm(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    // layers.0
    %l0_wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %l0_wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %l0_wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %l0_wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %l0_bq = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %l0_bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %l0_bv = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %l0_bo = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %l0_g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %l0_be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %l0_fw0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %l0_fb0 = ml_program.global_load_const @layers.0.ffn.b0 : tensor<16xf32>
    %l0_fw1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %l0_fb1 = ml_program.global_load_const @layers.0.ffn.b1 : tensor<8xf32>
    %l0_g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %l0_be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a0 = attn.mha %x, %x, %l0_wq, %l0_wk, %l0_wv, %l0_wo bq(%l0_bq) bk(%l0_bk) bv(%l0_bv) bo(%l0_bo) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %h0 = attn.layer_norm %r0, %l0_g1, %l0_be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f0 = attn.ffn %h0 weights(%l0_fw0, %l0_fw1) biases(%l0_fb0, %l0_fb1) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %s0 = arith.addf %h0, %f0 : tensor<1x?x8xf32>
    %y0 = attn.layer_norm %s0, %l0_g2, %l0_be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    // layers.1
    %l1_wq = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %l1_wk = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %l1_wv = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %l1_wo = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %l1_bq = ml_program.global_load_const @layers.1.attn.bq : tensor<8xf32>
    %l1_bk = ml_program.global_load_const @layers.1.attn.bk : tensor<8xf32>
    %l1_bv = ml_program.global_load_const @layers.1.attn.bv : tensor<8xf32>
    %l1_bo = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
    %l1_g1 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %l1_be1 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %l1_fw0 = ml_program.global_load_const @layers.1.ffn.w0 : tensor<8x16xf32>
    %l1_fb0 = ml_program.global_load_const @layers.1.ffn.b0 : tensor<16xf32>
    %l1_fw1 = ml_program.global_load_const @layers.1.ffn.w1 : tensor<16x8xf32>
    %l1_fb1 = ml_program.global_load_const @layers.1.ffn.b1 : tensor<8xf32>
    %l1_g2 = ml_program.global_load_const @layers.1.ln2.gamma : tensor<8xf32>
    %l1_be2 = ml_program.global_load_const @layers.1.ln2.beta : tensor<8xf32>
    %a1 = attn.mha %y0, %y0, %l1_wq, %l1_wk, %l1_wv, %l1_wo bq(%l1_bq) bk(%l1_bk) bv(%l1_bv) bo(%l1_bo) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r1 = arith.addf %y0, %a1 : tensor<1x?x8xf32>
    %h1 = attn.layer_norm %r1, %l1_g1, %l1_be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f1 = attn.ffn %h1 weights(%l1_fw0, %l1_fw1) biases(%l1_fb0, %l1_fb1) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %s1 = arith.addf %h1, %f1 : tensor<1x?x8xf32>
    %y1 = attn.layer_norm %s1, %l1_g2, %l1_be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    return %y1 : tensor<1x?x8xf32>
  }
}

// -----

// Two pre-norm layers with biases: x + attn(ln1(x)); x + ffn(ln2(x)).
//
// variant=alr: the network reads ln1(x), what the projections read.
// ALR-DAG:     ml_program.global private @layers.0.ln1.gamma(
// ALR-DAG:     ml_program.global private @layers.0.alr.w0({{.+}}) : tensor<48x12xf32> {attn.init = "train"}
// ALR-DAG:     ml_program.global private @layers.1.alr.w1({{.+}}) : tensor<12x48xf32> {attn.init = "train"}
// ALR-LABEL: func.func @pre_norm(
// ALR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ALR:         %[[N:.+]] = attn.layer_norm %[[X]],
// ALR:         %[[A:.+]] = attn.seq_mlp %[[N]] norm_in(%{{.+}}, %{{.+}}) w0(%{{.+}}) b0(%{{.+}}) norm_hidden(%{{.+}}, %{{.+}}) w1(%{{.+}}) b1(%{{.+}}) max_len(6) activation(leaky_relu) :
// ALR-NEXT:    %[[H:.+]] = arith.addf %[[X]], %[[A]] :
// ALR-NEXT:    %[[M:.+]] = attn.layer_norm %[[H]],
// ALR-NEXT:    %[[F:.+]] = attn.ffn %[[M]] weights(
// ALR-NEXT:    %[[Y0:.+]] = arith.addf %[[H]], %[[F]] :
// ALR:         %[[N1:.+]] = attn.layer_norm %[[Y0]],
// ALR:         %[[A1:.+]] = attn.seq_mlp %[[N1]] norm_in(
// ALR-NEXT:    arith.addf %[[Y0]], %[[A1]] :
// ALR:         return
//
// variant=alrr: x + attn(ln1(x)) becomes seq_mlp(x); ln1 goes.
// ALRR-DAG:    ml_program.global private @layers.0.alrr.w0({{.+}}) : tensor<48x12xf32> {attn.init = "train"}
// ALRR-DAG:    ml_program.global private @layers.1.alrr.b1({{.+}}) : tensor<48xf32> {attn.init = "train"}
// ALRR-LABEL: func.func @pre_norm(
// ALRR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ALRR:         %[[H:.+]] = attn.seq_mlp %[[X]] norm_in(%{{.+}}, %{{.+}}) w0(%{{.+}}) b0(%{{.+}}) norm_hidden(%{{.+}}, %{{.+}}) w1(%{{.+}}) b1(%{{.+}}) max_len(6) activation(leaky_relu) :
// ALRR-NEXT:    %[[M:.+]] = attn.layer_norm %[[H]],
// ALRR-NEXT:    %[[F:.+]] = attn.ffn %[[M]] weights(
// ALRR-NEXT:    %[[Y0:.+]] = arith.addf %[[H]], %[[F]] :
// ALRR:         %[[H1:.+]] = attn.seq_mlp %[[Y0]] norm_in(
// ALRR-NEXT:    %[[M1:.+]] = attn.layer_norm %[[H1]],
// ALRR-NEXT:    %[[F1:.+]] = attn.ffn %[[M1]] weights(
// ALRR-NEXT:    %[[Y1:.+]] = arith.addf %[[H1]], %[[F1]] :
// ALRR-NEXT:    return %[[Y1]]
//
// variant=aslr: the per-head networks read ln1(x); the merge and the
// residual stay.
// ASLR-DAG:    ml_program.global private @layers.0.ln1.gamma(
// ASLR-DAG:    ml_program.global private @layers.1.attn.wo(
// ASLR-DAG:    ml_program.global private @layers.1.aslr.w1({{.+}}) : tensor<2x12x24xf32> {attn.init = "train"}
// ASLR-LABEL: func.func @pre_norm(
// ASLR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ASLR:         %[[N:.+]] = attn.layer_norm %[[X]],
// ASLR:         %[[O:.+]] = attn.head_seq_mlp %[[N]] norm_in(
// ASLR-NEXT:    %[[A:.+]] = attn.merge %[[O]], %{{.+}} bias(%{{.+}}) :
// ASLR-NEXT:    %[[H:.+]] = arith.addf %[[X]], %[[A]] :
// ASLR:         %[[Y0:.+]] = arith.addf %[[H]],
// ASLR:         %[[N1:.+]] = attn.layer_norm %[[Y0]],
// ASLR:         %[[O1:.+]] = attn.head_seq_mlp %[[N1]] norm_in(
// ASLR-NEXT:    %[[A1:.+]] = attn.merge %[[O1]],
// ASLR-NEXT:    arith.addf %[[Y0]], %[[A1]] :
// ASLR:         return
//
// variant=elr: the layer output is the second residual sum; both layers go.
// ELR:         module {
// ELR-NEXT:    ml_program.global private @layers.0.elr.norm_in_gamma(
// ELR-LABEL: func.func @pre_norm(
// ELR-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// ELR:          %[[Y0:.+]] = attn.seq_mlp %[[X]] norm_in(%{{.+}}, %{{.+}}) w0(%{{.+}}) b0(%{{.+}}) norm_hidden(%{{.+}}, %{{.+}}) w1(%{{.+}}) b1(%{{.+}}) max_len(6) activation(leaky_relu) :
// ELR:          %[[Y1:.+]] = attn.seq_mlp %[[Y0]] norm_in(
// ELR-NEXT:     return %[[Y1]] : tensor<1x?x8xf32>
//
// variant=deep-ff: x + attn(ln1(x)) becomes x; ln2 and the (deeper) FFN
// stay.
// DEEP:        module {
// DEEP-NEXT:   ml_program.global private @layers.0.ln2.gamma(
// DEEP-NEXT:   ml_program.global private @layers.0.ln2.beta(
// DEEP-NEXT:   ml_program.global private @layers.1.ln2.gamma(
// DEEP-NEXT:   ml_program.global private @layers.1.ln2.beta(
// DEEP-NEXT:   ml_program.global private @layers.0.ffn.w0({{.+}}) : tensor<8x32xf32> {attn.init = "train"}
// DEEP-LABEL: func.func @pre_norm(
// DEEP-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// DEEP:         %[[M:.+]] = attn.layer_norm %[[X]],
// DEEP:         %[[F:.+]] = attn.ffn %[[M]] weights(%{{.+}}, %{{.+}}, %{{.+}}) biases(%{{.+}}, %{{.+}}, %{{.+}}) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<32xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
// DEEP-NEXT:    %[[Y0:.+]] = arith.addf %[[X]], %[[F]] :
// DEEP:         %[[M1:.+]] = attn.layer_norm %[[Y0]],
// DEEP:         %[[F1:.+]] = attn.ffn %[[M1]] weights(
// DEEP-NEXT:    %[[Y1:.+]] = arith.addf %[[Y0]], %[[F1]] :
// DEEP-NEXT:    return %[[Y1]]
module {
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
  ml_program.global private @layers.1.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.bq(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bk(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bv(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.attn.bo(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln1.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ffn.w0(#ml_program.extern : tensor<8x16xf32>) : tensor<8x16xf32>
  ml_program.global private @layers.1.ffn.b0(#ml_program.extern : tensor<16xf32>) : tensor<16xf32>
  ml_program.global private @layers.1.ffn.w1(#ml_program.extern : tensor<16x8xf32>) : tensor<16x8xf32>
  ml_program.global private @layers.1.ffn.b1(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln2.gamma(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  ml_program.global private @layers.1.ln2.beta(#ml_program.extern : tensor<8xf32>) : tensor<8xf32>
  func.func @pre_norm(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    // layers.0
    %l0_wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %l0_wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %l0_wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %l0_wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %l0_bq = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %l0_bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %l0_bv = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %l0_bo = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %l0_g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %l0_be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %l0_fw0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %l0_fb0 = ml_program.global_load_const @layers.0.ffn.b0 : tensor<16xf32>
    %l0_fw1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %l0_fb1 = ml_program.global_load_const @layers.0.ffn.b1 : tensor<8xf32>
    %l0_g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %l0_be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %n0 = attn.layer_norm %x, %l0_g1, %l0_be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %a0 = attn.mha %n0, %n0, %l0_wq, %l0_wk, %l0_wv, %l0_wo bq(%l0_bq) bk(%l0_bk) bv(%l0_bv) bo(%l0_bo) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %h0 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %m0 = attn.layer_norm %h0, %l0_g2, %l0_be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f0 = attn.ffn %m0 weights(%l0_fw0, %l0_fw1) biases(%l0_fb0, %l0_fb1) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %y0 = arith.addf %h0, %f0 : tensor<1x?x8xf32>
    // layers.1
    %l1_wq = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %l1_wk = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %l1_wv = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %l1_wo = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %l1_bq = ml_program.global_load_const @layers.1.attn.bq : tensor<8xf32>
    %l1_bk = ml_program.global_load_const @layers.1.attn.bk : tensor<8xf32>
    %l1_bv = ml_program.global_load_const @layers.1.attn.bv : tensor<8xf32>
    %l1_bo = ml_program.global_load_const @layers.1.attn.bo : tensor<8xf32>
    %l1_g1 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %l1_be1 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %l1_fw0 = ml_program.global_load_const @layers.1.ffn.w0 : tensor<8x16xf32>
    %l1_fb0 = ml_program.global_load_const @layers.1.ffn.b0 : tensor<16xf32>
    %l1_fw1 = ml_program.global_load_const @layers.1.ffn.w1 : tensor<16x8xf32>
    %l1_fb1 = ml_program.global_load_const @layers.1.ffn.b1 : tensor<8xf32>
    %l1_g2 = ml_program.global_load_const @layers.1.ln2.gamma : tensor<8xf32>
    %l1_be2 = ml_program.global_load_const @layers.1.ln2.beta : tensor<8xf32>
    %n1 = attn.layer_norm %y0, %l1_g1, %l1_be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %a1 = attn.mha %n1, %n1, %l1_wq, %l1_wk, %l1_wv, %l1_wo bq(%l1_bq) bk(%l1_bk) bv(%l1_bv) bo(%l1_bo) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %h1 = arith.addf %y0, %a1 : tensor<1x?x8xf32>
    %m1 = attn.layer_norm %h1, %l1_g2, %l1_be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f1 = attn.ffn %m1 weights(%l1_fw0, %l1_fw1) biases(%l1_fb0, %l1_fb1) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %y1 = arith.addf %h1, %f1 : tensor<1x?x8xf32>
    return %y1 : tensor<1x?x8xf32>
  }
}

// -----

// No biases anywhere, static T equal to max-len (6), batch 2, LayerNorm
// epsilon 1e-6: the new networks get no b0/b1, keep the static shape and
// use the model's epsilon.
// ALR:         ml_program.global private @layers.0.alr.w0({{.+}}) : tensor<48x12xf32> {attn.init = "train"}
// ALR-NEXT:    ml_program.global private @layers.0.alr.norm_hidden_gamma(
// ALR-NEXT:    ml_program.global private @layers.0.alr.norm_hidden_beta(
// ALR-NEXT:    ml_program.global private @layers.0.alr.w1({{.+}}) : tensor<12x48xf32> {attn.init = "train"}
// ALR-NOT:     ml_program.global
// ALR-LABEL: func.func @no_bias_static(
// ALR-SAME:      %[[X:[^:]+]]: tensor<2x6x8xf32>)
// ALR:         %[[A:.+]] = attn.seq_mlp %[[X]] norm_in(%{{[^)]+}}) w0(%{{[^)]+}}) norm_hidden(%{{[^)]+}}) w1(%{{[^)]+}}) max_len(6) activation(leaky_relu) {epsilon = 9.99999997E-7 : f32} :
// ALR-SAME:      -> tensor<2x6x8xf32>
// ALR-NEXT:    arith.addf %[[X]], %[[A]] : tensor<2x6x8xf32>
//
// ALRR-LABEL: func.func @no_bias_static(
// ALRR-SAME:      %[[X:[^:]+]]: tensor<2x6x8xf32>)
// ALRR:         %[[H:.+]] = attn.seq_mlp %[[X]] norm_in(%{{[^)]+}}) w0(%{{[^)]+}}) norm_hidden(%{{[^)]+}}) w1(%{{[^)]+}}) max_len(6) activation(leaky_relu) {epsilon = 9.99999997E-7 : f32} :
// ALRR-NEXT:    attn.ffn %[[H]] weights(
//
// ASLR:         ml_program.global private @layers.0.aslr.w0({{.+}}) : tensor<2x48x12xf32> {attn.init = "train"}
// ASLR-NEXT:    ml_program.global private @layers.0.aslr.norm_hidden_gamma(
// ASLR-NEXT:    ml_program.global private @layers.0.aslr.norm_hidden_beta(
// ASLR-NEXT:    ml_program.global private @layers.0.aslr.w1({{.+}}) : tensor<2x12x24xf32> {attn.init = "train"}
// ASLR-NOT:     ml_program.global
// ASLR-LABEL: func.func @no_bias_static(
// ASLR-SAME:      %[[X:[^:]+]]: tensor<2x6x8xf32>)
// ASLR:         %[[O:.+]] = attn.head_seq_mlp %[[X]] norm_in(%{{[^)]+}}) w0(%{{[^)]+}}) norm_hidden(%{{[^)]+}}) w1(%{{[^)]+}}) max_len(6) activation(leaky_relu) {epsilon = 9.99999997E-7 : f32} :
// ASLR-SAME:      -> tensor<2x2x6x4xf32>
// ASLR-NEXT:    attn.merge %[[O]], %{{[^ ]+}} : (tensor<2x2x6x4xf32>, tensor<8x8xf32>) -> tensor<2x6x8xf32>
//
// ELR-LABEL: func.func @no_bias_static(
// ELR-SAME:      %[[X:[^:]+]]: tensor<2x6x8xf32>)
// ELR:          %[[Y:.+]] = attn.seq_mlp %[[X]] norm_in(%{{[^)]+}}) w0(%{{[^)]+}}) norm_hidden(%{{[^)]+}}) w1(%{{[^)]+}}) max_len(6) activation(leaky_relu) {epsilon = 9.99999997E-7 : f32} :
// ELR-NEXT:     return %[[Y]] : tensor<2x6x8xf32>
//
// DEEP-LABEL: func.func @no_bias_static(
// DEEP-SAME:      %[[X:[^:]+]]: tensor<2x6x8xf32>)
// DEEP:         %[[F:.+]] = attn.ffn %[[X]] weights(%{{.+}}, %{{.+}}, %{{.+}}) activation(gelu) : (tensor<2x6x8xf32>, tensor<8x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>) -> tensor<2x6x8xf32>
// DEEP-NEXT:    arith.addf %[[X]], %[[F]] :
module {
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
  func.func @no_bias_static(%x: tensor<2x6x8xf32>) -> tensor<2x6x8xf32> {
    // layers.0
    %l0_wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %l0_wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %l0_wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %l0_wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %l0_g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %l0_be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %l0_fw0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %l0_fw1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %l0_g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %l0_be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a0 = attn.mha %x, %x, %l0_wq, %l0_wk, %l0_wv, %l0_wo heads(2) : (tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<2x6x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<2x6x8xf32>
    %h0 = attn.layer_norm %r0, %l0_g1, %l0_be1 {epsilon = 1.000000e-06 : f32} : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
    %f0 = attn.ffn %h0 weights(%l0_fw0, %l0_fw1) activation(gelu) : (tensor<2x6x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<2x6x8xf32>
    %s0 = arith.addf %h0, %f0 : tensor<2x6x8xf32>
    %y0 = attn.layer_norm %s0, %l0_g2, %l0_be2 {epsilon = 1.000000e-06 : f32} : (tensor<2x6x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x6x8xf32>
    return %y0 : tensor<2x6x8xf32>
  }
}

// -----

// A layer already in decomposed form with a fused attn.attend, no biases,
// dynamic B and T, residual adds written attention-first: matched the same.
// ALR-LABEL: func.func @fused_attend(
// ALR-SAME:      %[[X:[^:]+]]: tensor<?x?x8xf32>)
// ALR:         %[[A:.+]] = attn.seq_mlp %[[X]] norm_in(%{{[^)]+}}) w0(%{{[^)]+}}) norm_hidden(%{{[^)]+}}) w1(%{{[^)]+}}) max_len(6) activation(leaky_relu) :
// ALR-SAME:      -> tensor<?x?x8xf32>
// ALR-NEXT:    %[[R:.+]] = arith.addf %[[A]], %[[X]] :
// ALR-NEXT:    attn.layer_norm %[[R]],
//
// ALRR-LABEL: func.func @fused_attend(
// ALRR-SAME:      %[[X:[^:]+]]: tensor<?x?x8xf32>)
// ALRR:         %[[H:.+]] = attn.seq_mlp %[[X]] norm_in(
// ALRR-NEXT:    %[[F:.+]] = attn.ffn %[[H]] weights(
// ALRR-NEXT:    arith.addf %[[F]], %[[H]] :
//
// ASLR-LABEL: func.func @fused_attend(
// ASLR-SAME:      %[[X:[^:]+]]: tensor<?x?x8xf32>)
// ASLR:         %[[O:.+]] = attn.head_seq_mlp %[[X]] norm_in(
// ASLR-SAME:      -> tensor<?x2x?x4xf32>
// ASLR-NEXT:    %[[A:.+]] = attn.merge %[[O]],
// ASLR-NEXT:    arith.addf %[[A]], %[[X]] :
//
// ELR-LABEL: func.func @fused_attend(
// ELR-SAME:      %[[X:[^:]+]]: tensor<?x?x8xf32>)
// ELR:          %[[Y:.+]] = attn.seq_mlp %[[X]] norm_in(
// ELR-NEXT:     return %[[Y]] : tensor<?x?x8xf32>
//
// DEEP-LABEL: func.func @fused_attend(
// DEEP-SAME:      %[[X:[^:]+]]: tensor<?x?x8xf32>)
// DEEP:         %[[F:.+]] = attn.ffn %[[X]] weights(%{{.+}}, %{{.+}}, %{{.+}}) activation(relu) :
// DEEP-NEXT:    %[[S:.+]] = arith.addf %[[F]], %[[X]] :
// DEEP-NEXT:    attn.layer_norm %[[S]],
module {
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
  func.func @fused_attend(%x: tensor<?x?x8xf32>) -> tensor<?x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %q = attn.project %x, %wq heads(2) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x2x?x4xf32>
    %k = attn.project %x, %wk heads(2) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x2x?x4xf32>
    %v = attn.project %x, %wv heads(2) : (tensor<?x?x8xf32>, tensor<8x8xf32>) -> tensor<?x2x?x4xf32>
    %o = attn.attend %q, %k, %v : (tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>, tensor<?x2x?x4xf32>) -> tensor<?x2x?x4xf32>
    %a = attn.merge %o, %wo : (tensor<?x2x?x4xf32>, tensor<8x8xf32>) -> tensor<?x?x8xf32>
    %r = arith.addf %a, %x : tensor<?x?x8xf32>
    %h = attn.layer_norm %r, %g1, %be1 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    %f = attn.ffn %h weights(%w0, %w1) activation(relu) : (tensor<?x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<?x?x8xf32>
    %s = arith.addf %f, %h : tensor<?x?x8xf32>
    %y = attn.layer_norm %s, %g2, %be2 : (tensor<?x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<?x?x8xf32>
    return %y : tensor<?x?x8xf32>
  }
}

//--- layers.mlir

// Two post-norm layers without biases. layers=1: layer 0 keeps its
// (decomposed) attention and parameters; only layer 1's go.
// LAYER1:        ml_program.global private @layers.0.attn.wq(
// LAYER1-NEXT:   ml_program.global private @layers.0.attn.wk(
// LAYER1-NEXT:   ml_program.global private @layers.0.attn.wv(
// LAYER1-NEXT:   ml_program.global private @layers.0.attn.wo(
// LAYER1:        ml_program.global private @layers.0.ln2.beta(
// LAYER1-NEXT:   ml_program.global private @layers.1.ln1.gamma(
// LAYER1:        ml_program.global private @layers.1.ln2.beta(
// LAYER1-NEXT:   ml_program.global private @layers.1.alr.norm_in_gamma(
// LAYER1-LABEL: func.func @two_layers(
// LAYER1-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// LAYER1:         %[[Q:.+]] = attn.project %[[X]], %{{.+}} heads(2)
// LAYER1-NEXT:    %[[K:.+]] = attn.project %[[X]], %{{.+}} heads(2)
// LAYER1-NEXT:    %[[V:.+]] = attn.project %[[X]], %{{.+}} heads(2)
// LAYER1-NEXT:    %[[M:.+]] = attn.scores %[[Q]], %[[K]] :
// LAYER1-NEXT:    %[[O:.+]] = attn.apply %[[M]], %[[V]] :
// LAYER1-NEXT:    %[[A:.+]] = attn.merge %[[O]], %{{.+}} :
// LAYER1-NEXT:    %[[R:.+]] = arith.addf %[[X]], %[[A]] :
// LAYER1-NEXT:    %[[H:.+]] = attn.layer_norm %[[R]],
// LAYER1-NEXT:    %[[F:.+]] = attn.ffn %[[H]]
// LAYER1-NEXT:    %[[S:.+]] = arith.addf %[[H]], %[[F]] :
// LAYER1-NEXT:    %[[Y0:.+]] = attn.layer_norm %[[S]],
// LAYER1-NOT:     attn.project
// LAYER1:         %[[A1:.+]] = attn.seq_mlp %[[Y0]] norm_in(
// LAYER1-NEXT:    arith.addf %[[Y0]], %[[A1]] :
// LAYER1-NOT:     attn.merge
// LAYER1:         return
//
// layers=0: layer 0 is replaced, layer 1 keeps its attention.
// LAYER0:        ml_program.global private @layers.0.ln1.gamma(
// LAYER0:        ml_program.global private @layers.1.attn.wq(
// LAYER0:        ml_program.global private @layers.1.ln2.beta(
// LAYER0-NEXT:   ml_program.global private @layers.0.alr.norm_in_gamma(
// LAYER0-LABEL: func.func @two_layers(
// LAYER0-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// LAYER0-NOT:     attn.project
// LAYER0:         %[[A:.+]] = attn.seq_mlp %[[X]] norm_in(
// LAYER0-NEXT:    %[[R:.+]] = arith.addf %[[X]], %[[A]] :
// LAYER0-NEXT:    %[[H:.+]] = attn.layer_norm %[[R]],
// LAYER0-NEXT:    %[[F:.+]] = attn.ffn %[[H]]
// LAYER0-NEXT:    %[[S:.+]] = arith.addf %[[H]], %[[F]] :
// LAYER0-NEXT:    %[[Y0:.+]] = attn.layer_norm %[[S]],
// LAYER0:         %[[Q:.+]] = attn.project %[[Y0]], %{{.+}} heads(2)
// LAYER0:         %[[A1:.+]] = attn.merge
// LAYER0-NEXT:    arith.addf %[[Y0]], %[[A1]] :
module {
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
  func.func @two_layers(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    // layers.0
    %l0_wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %l0_wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %l0_wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %l0_wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %l0_g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %l0_be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %l0_fw0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %l0_fw1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %l0_g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %l0_be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a0 = attn.mha %x, %x, %l0_wq, %l0_wk, %l0_wv, %l0_wo heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %h0 = attn.layer_norm %r0, %l0_g1, %l0_be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f0 = attn.ffn %h0 weights(%l0_fw0, %l0_fw1) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<1x?x8xf32>
    %s0 = arith.addf %h0, %f0 : tensor<1x?x8xf32>
    %y0 = attn.layer_norm %s0, %l0_g2, %l0_be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    // layers.1
    %l1_wq = ml_program.global_load_const @layers.1.attn.wq : tensor<8x8xf32>
    %l1_wk = ml_program.global_load_const @layers.1.attn.wk : tensor<8x8xf32>
    %l1_wv = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %l1_wo = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %l1_g1 = ml_program.global_load_const @layers.1.ln1.gamma : tensor<8xf32>
    %l1_be1 = ml_program.global_load_const @layers.1.ln1.beta : tensor<8xf32>
    %l1_fw0 = ml_program.global_load_const @layers.1.ffn.w0 : tensor<8x16xf32>
    %l1_fw1 = ml_program.global_load_const @layers.1.ffn.w1 : tensor<16x8xf32>
    %l1_g2 = ml_program.global_load_const @layers.1.ln2.gamma : tensor<8xf32>
    %l1_be2 = ml_program.global_load_const @layers.1.ln2.beta : tensor<8xf32>
    %a1 = attn.mha %y0, %y0, %l1_wq, %l1_wk, %l1_wv, %l1_wo heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %r1 = arith.addf %y0, %a1 : tensor<1x?x8xf32>
    %h1 = attn.layer_norm %r1, %l1_g1, %l1_be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f1 = attn.ffn %h1 weights(%l1_fw0, %l1_fw1) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<1x?x8xf32>
    %s1 = arith.addf %h1, %f1 : tensor<1x?x8xf32>
    %y1 = attn.layer_norm %s1, %l1_g2, %l1_be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    return %y1 : tensor<1x?x8xf32>
  }
}

// -----

// Two layers sharing one attention map, as attn-reuse-map leaves them: layer
// 1 applies layer 0's map to its own values.
//
// layers=1: layer 1's values, apply and merge go; layer 0 is untouched.
// LAYER1:        module {
// LAYER1-NEXT:     ml_program.global private @layers.0.attn.wq(
// LAYER1-NEXT:     ml_program.global private @layers.0.attn.wk(
// LAYER1-NEXT:     ml_program.global private @layers.0.attn.wv(
// LAYER1-NEXT:     ml_program.global private @layers.0.attn.wo(
// LAYER1-NEXT:     ml_program.global private @layers.1.alr.norm_in_gamma(
// LAYER1-LABEL: func.func @shared_map(
// LAYER1-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// LAYER1:         %[[M:.+]] = attn.scores
// LAYER1-NEXT:    %[[O:.+]] = attn.apply %[[M]],
// LAYER1-NEXT:    %[[A:.+]] = attn.merge %[[O]],
// LAYER1-NEXT:    %[[Y0:.+]] = arith.addf %[[X]], %[[A]] :
// LAYER1-NOT:     attn.apply
// LAYER1:         %[[A1:.+]] = attn.seq_mlp %[[Y0]] norm_in(
// LAYER1-NEXT:    arith.addf %[[Y0]], %[[A1]] :
//
// layers=0: layer 0's output is replaced, but its map (with the Q/K
// projections) stays for layer 1; its value projection and wv/wo go.
// LAYER0:        module {
// LAYER0-NEXT:     ml_program.global private @layers.0.attn.wq(
// LAYER0-NEXT:     ml_program.global private @layers.0.attn.wk(
// LAYER0-NEXT:     ml_program.global private @layers.1.attn.wv(
// LAYER0-NEXT:     ml_program.global private @layers.1.attn.wo(
// LAYER0-NEXT:     ml_program.global private @layers.0.alr.norm_in_gamma(
// LAYER0-LABEL: func.func @shared_map(
// LAYER0-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// LAYER0:         %[[Q:.+]] = attn.project %[[X]],
// LAYER0-NEXT:    %[[K:.+]] = attn.project %[[X]],
// LAYER0-NEXT:    %[[M:.+]] = attn.scores %[[Q]], %[[K]] :
// LAYER0:         %[[A:.+]] = attn.seq_mlp %[[X]] norm_in(
// LAYER0-NEXT:    %[[Y0:.+]] = arith.addf %[[X]], %[[A]] :
// LAYER0:         %[[V1:.+]] = attn.project %[[Y0]],
// LAYER0-NEXT:    %[[O1:.+]] = attn.apply %[[M]], %[[V1]] :
// LAYER0-NEXT:    %[[A1:.+]] = attn.merge %[[O1]],
// LAYER0-NEXT:    arith.addf %[[Y0]], %[[A1]] :
module {
  ml_program.global private @layers.0.attn.wq(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wk(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.0.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wv(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  ml_program.global private @layers.1.attn.wo(#ml_program.extern : tensor<8x8xf32>) : tensor<8x8xf32>
  func.func @shared_map(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %wq0 = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk0 = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv0 = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo0 = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %q0 = attn.project %x, %wq0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %k0 = attn.project %x, %wk0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %v0 = attn.project %x, %wv0 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %map = attn.scores %q0, %k0 : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
    %o0 = attn.apply %map, %v0 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %a0 = attn.merge %o0, %wo0 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %y0 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %wv1 = ml_program.global_load_const @layers.1.attn.wv : tensor<8x8xf32>
    %wo1 = ml_program.global_load_const @layers.1.attn.wo : tensor<8x8xf32>
    %v1 = attn.project %y0, %wv1 heads(2) : (tensor<1x?x8xf32>, tensor<8x8xf32>) -> tensor<1x2x?x4xf32>
    %o1 = attn.apply %map, %v1 : (tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
    %a1 = attn.merge %o1, %wo1 : (tensor<1x2x?x4xf32>, tensor<8x8xf32>) -> tensor<1x?x8xf32>
    %y1 = arith.addf %y0, %a1 : tensor<1x?x8xf32>
    return %y1 : tensor<1x?x8xf32>
  }
}

//--- options.mlir

// One post-norm layer with biases, dynamic T.
//
// hidden=5 sets K: w0 [N*D, 5], w1 [5, N*D].
// HIDDEN:        ml_program.global private @layers.0.alr.norm_in_gamma({{.+}}) : tensor<48xf32> {attn.init = "ones"}
// HIDDEN-NEXT:   ml_program.global private @layers.0.alr.norm_in_beta({{.+}}) : tensor<48xf32> {attn.init = "zeros"}
// HIDDEN-NEXT:   ml_program.global private @layers.0.alr.w0({{.+}}) : tensor<48x5xf32> {attn.init = "train"}
// HIDDEN-NEXT:   ml_program.global private @layers.0.alr.b0({{.+}}) : tensor<5xf32> {attn.init = "train"}
// HIDDEN-NEXT:   ml_program.global private @layers.0.alr.norm_hidden_gamma({{.+}}) : tensor<5xf32> {attn.init = "ones"}
// HIDDEN-NEXT:   ml_program.global private @layers.0.alr.norm_hidden_beta({{.+}}) : tensor<5xf32> {attn.init = "zeros"}
// HIDDEN-NEXT:   ml_program.global private @layers.0.alr.w1({{.+}}) : tensor<5x48xf32> {attn.init = "train"}
// HIDDEN-NEXT:   ml_program.global private @layers.0.alr.b1({{.+}}) : tensor<48xf32> {attn.init = "train"}
// HIDDEN-LABEL: func.func @one_layer(
// HIDDEN:         attn.seq_mlp %{{.+}} max_len(6) activation(leaky_relu) : (tensor<1x?x8xf32>, tensor<48xf32>, tensor<48xf32>, tensor<48x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5x48xf32>, tensor<48xf32>) -> tensor<1x?x8xf32>
//
// aslr with max-len=3 and hidden=7: per head [N*D = 24] -> 7 -> [N*dv = 12].
// HASLR:         ml_program.global private @layers.0.aslr.norm_in_gamma({{.+}}) : tensor<2x24xf32> {attn.init = "ones"}
// HASLR-NEXT:    ml_program.global private @layers.0.aslr.norm_in_beta({{.+}}) : tensor<2x24xf32> {attn.init = "zeros"}
// HASLR-NEXT:    ml_program.global private @layers.0.aslr.w0({{.+}}) : tensor<2x24x7xf32> {attn.init = "train"}
// HASLR-NEXT:    ml_program.global private @layers.0.aslr.b0({{.+}}) : tensor<2x7xf32> {attn.init = "train"}
// HASLR-NEXT:    ml_program.global private @layers.0.aslr.norm_hidden_gamma({{.+}}) : tensor<2x7xf32> {attn.init = "ones"}
// HASLR-NEXT:    ml_program.global private @layers.0.aslr.norm_hidden_beta({{.+}}) : tensor<2x7xf32> {attn.init = "zeros"}
// HASLR-NEXT:    ml_program.global private @layers.0.aslr.w1({{.+}}) : tensor<2x7x12xf32> {attn.init = "train"}
// HASLR-NEXT:    ml_program.global private @layers.0.aslr.b1({{.+}}) : tensor<2x12xf32> {attn.init = "train"}
// HASLR-LABEL: func.func @one_layer(
// HASLR:          attn.head_seq_mlp %{{.+}} max_len(3) activation(leaky_relu) :
// HASLR-SAME:       -> tensor<1x2x?x4xf32>
//
// Without max-len the paper's N = 50: N*D = 400, K = 100.
// MAXLEN:        ml_program.global private @layers.0.alr.w0({{.+}}) : tensor<400x100xf32> {attn.init = "train"}
// MAXLEN:        ml_program.global private @layers.0.alr.w1({{.+}}) : tensor<100x400xf32> {attn.init = "train"}
// MAXLEN-LABEL: func.func @one_layer(
// MAXLEN:         attn.seq_mlp %{{.+}} max_len(50) activation(leaky_relu) :
//
// deep-ff depth=2 with hidden equal to the FFN's width (16): the network
// stays as it is (no new parameter: no attn.init anywhere).
// DEPTH2:        ml_program.global private @layers.0.ffn.w0({{.+}}) : tensor<8x16xf32>{{$}}
// DEPTH2-LABEL: func.func @one_layer(
// DEPTH2-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// DEPTH2:         %[[W0:.+]] = ml_program.global_load_const @layers.0.ffn.w0 :
// DEPTH2-NEXT:    %[[B0:.+]] = ml_program.global_load_const @layers.0.ffn.b0 :
// DEPTH2-NEXT:    %[[W1:.+]] = ml_program.global_load_const @layers.0.ffn.w1 :
// DEPTH2-NEXT:    %[[B1:.+]] = ml_program.global_load_const @layers.0.ffn.b1 :
// DEPTH2:         %[[F:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]]) biases(%[[B0]], %[[B1]]) activation(gelu) :
// DEPTH2-NEXT:    arith.addf %[[X]], %[[F]] :
//
// deep-ff depth=4, hidden=16: w0/b0 keep their shape and place and stay;
// w1..w3 are new (8 -> 16 -> 16 -> 16 -> 8).
// DEPTH4:        module {
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.w0({{.+}}) : tensor<8x16xf32>{{$}}
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.b0({{.+}}) : tensor<16xf32>{{$}}
// DEPTH4-NEXT:     ml_program.global private @layers.0.ln2.gamma(
// DEPTH4-NEXT:     ml_program.global private @layers.0.ln2.beta(
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.w1({{.+}}) : tensor<16x16xf32> {attn.init = "train"}
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.b1({{.+}}) : tensor<16xf32> {attn.init = "train"}
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.w2({{.+}}) : tensor<16x16xf32> {attn.init = "train"}
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.b2({{.+}}) : tensor<16xf32> {attn.init = "train"}
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.w3({{.+}}) : tensor<16x8xf32> {attn.init = "train"}
// DEPTH4-NEXT:     ml_program.global private @layers.0.ffn.b3({{.+}}) : tensor<8xf32> {attn.init = "train"}
// DEPTH4-NOT:      ml_program.global
// DEPTH4-LABEL: func.func @one_layer(
// DEPTH4-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// DEPTH4:         %[[F:.+]] = attn.ffn %[[X]] weights(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) biases(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
// DEPTH4-NEXT:    arith.addf %[[X]], %[[F]] :
module {
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
  func.func @one_layer(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    // layers.0
    %l0_wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %l0_wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %l0_wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %l0_wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %l0_bq = ml_program.global_load_const @layers.0.attn.bq : tensor<8xf32>
    %l0_bk = ml_program.global_load_const @layers.0.attn.bk : tensor<8xf32>
    %l0_bv = ml_program.global_load_const @layers.0.attn.bv : tensor<8xf32>
    %l0_bo = ml_program.global_load_const @layers.0.attn.bo : tensor<8xf32>
    %l0_g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %l0_be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %l0_fw0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %l0_fb0 = ml_program.global_load_const @layers.0.ffn.b0 : tensor<16xf32>
    %l0_fw1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %l0_fb1 = ml_program.global_load_const @layers.0.ffn.b1 : tensor<8xf32>
    %l0_g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %l0_be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a0 = attn.mha %x, %x, %l0_wq, %l0_wk, %l0_wv, %l0_wo bq(%l0_bq) bk(%l0_bk) bv(%l0_bv) bo(%l0_bo) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %r0 = arith.addf %x, %a0 : tensor<1x?x8xf32>
    %h0 = attn.layer_norm %r0, %l0_g1, %l0_be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f0 = attn.ffn %h0 weights(%l0_fw0, %l0_fw1) biases(%l0_fb0, %l0_fb1) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %s0 = arith.addf %h0, %f0 : tensor<1x?x8xf32>
    %y0 = attn.layer_norm %s0, %l0_g2, %l0_be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    return %y0 : tensor<1x?x8xf32>
  }
}

//--- deep-ff.mlir

// A post-norm layer whose attention has an additive mask: deep-ff drops the
// attention, so the mask is no longer read.
// CHECK-LABEL: func.func @masked(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>, %[[MASK:[^:]+]]: tensor<1x1x?x?xf32>)
// CHECK:         %[[F:.+]] = attn.ffn %[[X]] weights(%{{.+}}, %{{.+}}, %{{.+}}) activation(relu) :
// CHECK-NEXT:    %[[S:.+]] = arith.addf %[[X]], %[[F]] :
// CHECK-NEXT:    %[[Y:.+]] = attn.layer_norm %[[S]],
// CHECK-NEXT:    return %[[Y]]
module {
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
  func.func @masked(%x: tensor<1x?x8xf32>, %mask: tensor<1x1x?x?xf32>) -> tensor<1x?x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo mask(%mask) heads(2) : (tensor<1x?x8xf32>, tensor<1x?x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<1x1x?x?xf32>) -> tensor<1x?x8xf32>
    %r = arith.addf %x, %a : tensor<1x?x8xf32>
    %h = attn.layer_norm %r, %g1, %be1 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    %f = attn.ffn %h weights(%w0, %w1) activation(relu) : (tensor<1x?x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<1x?x8xf32>
    %s = arith.addf %h, %f : tensor<1x?x8xf32>
    %y = attn.layer_norm %s, %g2, %be2 : (tensor<1x?x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}

// -----

// A pre-norm layer with causal attention in fused form (attn.attend): the
// attention sublayer goes, x flows into ln2 and the FFN.
// CHECK-LABEL: func.func @causal_pre_norm(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<2x5x8xf32>)
// CHECK:         %[[M:.+]] = attn.layer_norm %[[X]],
// CHECK:         %[[F:.+]] = attn.ffn %[[M]] weights(%{{.+}}, %{{.+}}, %{{.+}}) activation(silu) :
// CHECK-NEXT:    %[[Y:.+]] = arith.addf %[[X]], %[[F]] :
// CHECK-NEXT:    return %[[Y]]
module {
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
  func.func @causal_pre_norm(%x: tensor<2x5x8xf32>) -> tensor<2x5x8xf32> {
    %wq = ml_program.global_load_const @layers.0.attn.wq : tensor<8x8xf32>
    %wk = ml_program.global_load_const @layers.0.attn.wk : tensor<8x8xf32>
    %wv = ml_program.global_load_const @layers.0.attn.wv : tensor<8x8xf32>
    %wo = ml_program.global_load_const @layers.0.attn.wo : tensor<8x8xf32>
    %g1 = ml_program.global_load_const @layers.0.ln1.gamma : tensor<8xf32>
    %be1 = ml_program.global_load_const @layers.0.ln1.beta : tensor<8xf32>
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x16xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<16x8xf32>
    %g2 = ml_program.global_load_const @layers.0.ln2.gamma : tensor<8xf32>
    %be2 = ml_program.global_load_const @layers.0.ln2.beta : tensor<8xf32>
    %n = attn.layer_norm %x, %g1, %be1 : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
    %q = attn.project %n, %wq heads(2) : (tensor<2x5x8xf32>, tensor<8x8xf32>) -> tensor<2x2x5x4xf32>
    %k = attn.project %n, %wk heads(2) : (tensor<2x5x8xf32>, tensor<8x8xf32>) -> tensor<2x2x5x4xf32>
    %v = attn.project %n, %wv heads(2) : (tensor<2x5x8xf32>, tensor<8x8xf32>) -> tensor<2x2x5x4xf32>
    %o = attn.attend %q, %k, %v causal : (tensor<2x2x5x4xf32>, tensor<2x2x5x4xf32>, tensor<2x2x5x4xf32>) -> tensor<2x2x5x4xf32>
    %a = attn.merge %o, %wo : (tensor<2x2x5x4xf32>, tensor<8x8xf32>) -> tensor<2x5x8xf32>
    %h = arith.addf %x, %a : tensor<2x5x8xf32>
    %m = attn.layer_norm %h, %g2, %be2 : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x5x8xf32>
    %f = attn.ffn %m weights(%w0, %w1) activation(silu) : (tensor<2x5x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<2x5x8xf32>
    %y = arith.addf %h, %f : tensor<2x5x8xf32>
    return %y : tensor<2x5x8xf32>
  }
}

// -----

// negative: a model without attention (deep-ff's own output) is left as it
// is: no parameter is created or replaced.
// CHECK:         module {
// CHECK-NEXT:      ml_program.global private @layers.0.ffn.w0({{.+}}) : tensor<8x32xf32> {attn.init = "train"}
// CHECK-NEXT:      ml_program.global private @layers.0.ffn.w1({{.+}}) : tensor<32x32xf32> {attn.init = "train"}
// CHECK-NEXT:      ml_program.global private @layers.0.ffn.w2({{.+}}) : tensor<32x8xf32> {attn.init = "train"}
// CHECK-LABEL: func.func @negative_attentionless(
// CHECK-SAME:      %[[X:[^:]+]]: tensor<1x?x8xf32>)
// CHECK-NEXT:    %[[W0:.+]] = ml_program.global_load_const @layers.0.ffn.w0 :
// CHECK-NEXT:    %[[W1:.+]] = ml_program.global_load_const @layers.0.ffn.w1 :
// CHECK-NEXT:    %[[W2:.+]] = ml_program.global_load_const @layers.0.ffn.w2 :
// CHECK-NEXT:    %[[F:.+]] = attn.ffn %[[X]] weights(%[[W0]], %[[W1]], %[[W2]]) activation(gelu) :
// CHECK-NEXT:    %[[Y:.+]] = arith.addf %[[X]], %[[F]] :
// CHECK-NEXT:    return %[[Y]]
module {
  ml_program.global private @layers.0.ffn.w0(#ml_program.extern : tensor<8x32xf32>) : tensor<8x32xf32> {attn.init = "train"}
  ml_program.global private @layers.0.ffn.w1(#ml_program.extern : tensor<32x32xf32>) : tensor<32x32xf32> {attn.init = "train"}
  ml_program.global private @layers.0.ffn.w2(#ml_program.extern : tensor<32x8xf32>) : tensor<32x8xf32> {attn.init = "train"}
  func.func @negative_attentionless(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32> {
    %w0 = ml_program.global_load_const @layers.0.ffn.w0 : tensor<8x32xf32>
    %w1 = ml_program.global_load_const @layers.0.ffn.w1 : tensor<32x32xf32>
    %w2 = ml_program.global_load_const @layers.0.ffn.w2 : tensor<32x8xf32>
    %f = attn.ffn %x weights(%w0, %w1, %w2) activation(gelu) : (tensor<1x?x8xf32>, tensor<8x32xf32>, tensor<32x32xf32>, tensor<32x8xf32>) -> tensor<1x?x8xf32>
    %y = arith.addf %x, %f : tensor<1x?x8xf32>
    return %y : tensor<1x?x8xf32>
  }
}
