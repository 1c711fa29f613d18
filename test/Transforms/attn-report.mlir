// attn-report on a tiny hand-computed model: one post-norm encoder layer as
// attn-model writes it, D=8, H=2 (dk=dv=4), ffn=16, B=1, T=4, f32, biases.
//
// Parameters: attention 4*8*8 + 4*8 = 288; ln1 16; ffn 8*16+16+16*8+8 = 280;
// ln2 16; total 600.
// State per position: H*(dk+dv) = 2*(4+4) = 16.
// FLOPs of the attention layer (attn.mha = its decomposition):
//   projections 3 * 2*B*T*D*(H*d) = 3 * 2*1*4*8*8 = 1536
//   scores 2*B*H*Tq*Tk*dk + 5*B*H*Tq*Tk = 2*2*4*4*4 + 5*2*4*4 = 256 + 160 = 416
//   apply 2*B*H*Tq*Tk*dv = 256; merge 2*B*T*H*dv*D = 2*4*2*4*8 = 512
//   layer = 1536 + 416 + 256 + 512 = 2720
// Model FLOPs: 2720 + residual 32 + ln1 8*32 + ffn (2*4*8*16 + 2*4*16*8) +
//   residual 32 + ln2 8*32 = 2720 + 32 + 256 + 2048 + 32 + 256 = 5344
// Bytes (elements x 4): each projection reads x 32 + w 64 + b 8 and writes
//   32 heads = 136 (x3 = 408); scores reads q, k 64, writes the map 32 = 96;
//   apply reads map + v 64, writes 32 = 96; merge 32 + 64 + 8 + 32 = 136.
//   Layer = 736 elements = 2944 B.
//   Model: + residual 96 + ln1 80 + ffn (32 + 128 + 16 + 128 + 8 + 32 in and
//   out, + 2*64 hidden) 472 + residual 96 + ln2 80 = 1560 elements = 6240 B.
// Map memory: B*H*Tq*Tk*4 = 32*4 = 128 B.
//
// The table is checked character for character (alignment included), so its
// check lines have no space after the colon.
// RUN: attn-opt %s --attn-report -o /dev/null | FileCheck %s --check-prefix=TABLE --strict-whitespace --match-full-lines
// RUN: attn-opt %s --attn-report=format=json -o /dev/null | FileCheck %s --check-prefix=JSON
//
// seq-len equal to the static T is accepted; output= writes to a file and the
// IR is left as it was (the verifier reads it back).
// RUN: attn-opt %s --attn-report="seq-len=4 format=json output=%t.json" | attn-opt | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=JSON < %t.json
//
// The same model with a dynamic T (from attn-model): seq-len=4 gives the same
// numbers; seq-len=0 means 1024 for a model without a static T.
// RUN: attn-model --layers=1 --d-model=8 --heads=2 --ffn=16 --seq-len=0 | attn-opt --attn-report="seq-len=4 format=json" -o /dev/null | FileCheck %s --check-prefix=JSON
// RUN: attn-model --layers=1 --d-model=8 --heads=2 --ffn=16 --seq-len=0 | attn-opt --attn-report=format=json -o /dev/null | FileCheck %s --check-prefix=T1024
//
// Before and after rewrites, in one pipeline: decomposition changes nothing;
// tying drops wv and bv (72 parameters), the V projection (512 FLOPs,
// 136 elements = 544 B) and halves the state; fusing drops the map (written
// and read: 64 elements = 256 B) and the map memory.
// RUN: attn-opt %s --attn-report --attn-decompose --attn-report --attn-tie-kv --attn-report --attn-fuse-attend --attn-report -o /dev/null | FileCheck %s --check-prefix=PIPE

// TABLE:attn-report: seq-len 4, batch 1
// TABLE-NEXT:layer  kind  params  state/pos  FLOPs  bytes  map bytes
// TABLE-NEXT:    0  mha      288         16  2.72K  2.94K        128
// TABLE-NEXT:total           600         16  5.34K  6.24K        128
// TABLE-NEXT:attention parameters: 288 of 600
// TABLE-NEXT:total FLOPs and bytes count every op (attention, feed-forward, LayerNorm, residuals); K/M/G/T = 10^3/10^6/10^9/10^12

// JSON:      {
// JSON-NEXT:   "seq_len": 4,
// JSON-NEXT:   "batch": 1,
// JSON-NEXT:   "layers": [
// JSON-NEXT:     {
// JSON-NEXT:       "index": 0,
// JSON-NEXT:       "kind": "mha",
// JSON-NEXT:       "params": 288,
// JSON-NEXT:       "state_per_position": 16,
// JSON-NEXT:       "flops": 2720,
// JSON-NEXT:       "bytes": 2944,
// JSON-NEXT:       "map_bytes": 128
// JSON-NEXT:     }
// JSON-NEXT:   ],
// JSON-NEXT:   "total": {
// JSON-NEXT:     "params": 600,
// JSON-NEXT:     "attention_params": 288,
// JSON-NEXT:     "state_per_position": 16,
// JSON-NEXT:     "flops": 5344,
// JSON-NEXT:     "bytes": 6240,
// JSON-NEXT:     "map_bytes": 128
// JSON-NEXT:   }
// JSON-NEXT: }

// IR-LABEL: func.func @forward(
// IR:         attn.mha
// IR-NOT:     attn.scores

// At T=1024 (arithmetic as above with T=1024):
//   projections 3 * 2*1024*8*8 = 393216; scores 2*2*1024^2*4 + 5*2*1024^2 =
//   16777216 + 10485760; apply 16777216; merge 2*1024*2*4*8 = 131072;
//   layer = 44564480. Map 2*1024^2*4 B = 8388608 B.
// T1024:      "seq_len": 1024,
// T1024:      "flops": 44564480,
// T1024:      "map_bytes": 8388608
// T1024:      "total": {
// T1024-NEXT:   "params": 600,
// T1024-NEXT:   "attention_params": 288,
// T1024-NEXT:   "state_per_position": 16,

// PIPE:      0  mha      288         16  2.72K  2.94K        128
// PIPE:      0  mha      288         16  2.72K  2.94K        128
// PIPE:      0  tied     216          8  2.21K  2.40K        128
// PIPE-NEXT: total           528          8  4.83K  5.70K        128
// PIPE:      0  tied     216          8  2.21K  2.14K          0
// PIPE-NEXT: total           528          8  4.83K  5.44K          0

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
  func.func @forward(%x: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
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
    %a = attn.mha %x, %x, %wq, %wk, %wv, %wo bq(%bq) bk(%bk) bv(%bv) bo(%bo) heads(2) : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %r = arith.addf %x, %a : tensor<1x4x8xf32>
    %n = attn.layer_norm %r, %g1, %b1 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %f = attn.ffn %n weights(%w0, %w1) biases(%fb0, %fb1) activation(silu) : (tensor<1x4x8xf32>, tensor<8x16xf32>, tensor<16x8xf32>, tensor<16xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    %r2 = arith.addf %n, %f : tensor<1x4x8xf32>
    %y = attn.layer_norm %r2, %g2, %b2 : (tensor<1x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
    return %y : tensor<1x4x8xf32>
  }
}
