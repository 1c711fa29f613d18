#!/usr/bin/env bash
# README entry point 1: set up, build, and run the main job on the bundled
# example: generate a 16-layer encoder with attn-model, rewrite it with 4x4
# attention-map reuse, and print what the rewrite saves (attn-report before
# and after).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
bin="$build/bin"
out="${ATTN_DEMO_DIR:-$build/demo}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh"
mkdir -p "$out"

echo "== attn-model: 16 layers, d_model 256, 4 heads, ffn 1024, SiLU, dynamic T"
"$bin/attn-model" --layers=16 --d-model=256 --heads=4 --ffn=1024 \
  --activation=silu --seq-len=0 -o "$out/model.mlir" \
  --params-out="$out/model.safetensors" --seed=1
echo "   wrote $out/model.mlir and $out/model.safetensors"

echo
echo "== attn-report of the baseline (1x16) at T=1024"
"$bin/attn-opt" "$out/model.mlir" --attn-decompose --attn-fuse-attend \
  -o "$out/baseline.mlir"
"$bin/attn-opt" "$out/baseline.mlir" --attn-report="seq-len=1024" -o /dev/null

echo
echo "== attn-reuse-map{group-size=4}: 4x4 attention-map reuse"
"$bin/attn-opt" "$out/model.mlir" --attn-reuse-map="group-size=4" \
  --attn-fuse-attend -o "$out/reuse4x4.mlir"
"$bin/attn-opt" "$out/reuse4x4.mlir" --attn-report="seq-len=1024" -o /dev/null

echo
echo "== what changed"
before=$(grep -c "ml_program.global " "$out/model.mlir")
after=$(grep -c "ml_program.global " "$out/reuse4x4.mlir")
maps_before=$(grep -c "attn.scores\|attn.attend" "$out/baseline.mlir" || true)
maps_after=$(grep -c "attn.scores" "$out/reuse4x4.mlir" || true)
echo "parameter globals: $before -> $after"
echo "attention maps computed: $maps_before -> $maps_after"
