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
echo "attention maps computed per forward: $maps_before -> $maps_after"

echo
echo "== attn-compile both models, attn-run them at T=1024 (1 thread)"
"$bin/attn-compile" "$out/baseline.mlir" -o "$out/baseline.so"
"$bin/attn-compile" "$out/reuse4x4.mlir" -o "$out/reuse4x4.so"
# Each model binds the parameters it still has by name from the same file;
# the reuse model's new parameters (none with E=1) would need training.
run() {
  "$bin/attn-run" "$1" --params="$out/model.safetensors" --random-inputs \
    --seq-len=1024 --seed=3 --warmup=1 --repeat=5 --json
}
run "$out/baseline.so" > "$out/baseline.json"
run "$out/reuse4x4.so" > "$out/reuse4x4.json"
/usr/bin/python3 - "$out/baseline.json" "$out/reuse4x4.json" <<'PY'
import json, sys
base, reuse = (json.load(open(p)) for p in sys.argv[1:3])
print(f"{'model':<12}{'median ms':>12}{'min ms':>10}{'GFLOP/s':>10}")
for name, r in (("1x16", base), ("4x4 reuse", reuse)):
    t = r["time_ms"]
    print(f"{name:<12}{t['median']:>12.2f}{t['min']:>10.2f}{r['gflops']:>10.1f}")
saved = 1 - reuse["time_ms"]["median"] / base["time_ms"]["median"]
print(f"measured saving of 4x4 reuse at T=1024: {saved:.0%}")
PY
