#!/usr/bin/env bash
# Runs the libFuzzer targets of test/fuzz (built in the sanitizer build,
# scripts/test-sanitizers.sh) for a fixed time each and summarises the result.
#
#   scripts/fuzz.sh [-t SECONDS] [FUZZER...]
#
# FUZZER: attn-safetensors-fuzzer attn-npy-fuzzer attn-manifest-fuzzer
# attn-pass-fuzzer attn-model-fuzzer (default: all, 300 s each). The model
# fuzzer runs on a 1-layer model with dynamic T compiled into
# build-san/fuzz/model/ (or the library $ATTN_FUZZ_MODEL names). Work files go to
# build-san/fuzz/: seeds/ (made by test/fuzz/make_seeds.py from the lit tests
# and from files the tools write), corpus/ (kept between runs), artifacts/
# (crashing, leaking and slow inputs), logs/. Exit status 1 if any fuzzer
# found something. A crash found here is fixed where the bug is and its input
# kept in test/fuzz/regressions/<fuzzer>/ (docs/robustness.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
san="${ATTN_SAN_BUILD_DIR:-$root/build-san}"
seconds=300
while getopts "t:" opt; do
  case "$opt" in
    t) seconds="$OPTARG" ;;
    *) echo "usage: $0 [-t SECONDS] [FUZZER...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
fuzzers=("$@")
if [ ${#fuzzers[@]} -eq 0 ]; then
  fuzzers=(attn-safetensors-fuzzer attn-npy-fuzzer attn-manifest-fuzzer
           attn-pass-fuzzer attn-model-fuzzer)
fi

for f in "${fuzzers[@]}"; do
  if [ ! -x "$san/bin/$f" ]; then
    "$root/scripts/test-sanitizers.sh" --build-only
    break
  fi
done

work="$san/fuzz"
mkdir -p "$work/logs"
if [ ! -d "$work/seeds" ]; then
  # Seeds need the tools; the sanitizer build has them.
  /usr/bin/python3 "$root/test/fuzz/make_seeds.py" "$root" "$san/bin" \
    "$work/seeds"
fi

if [ -z "${ATTN_FUZZ_MODEL:-}" ] && [[ " ${fuzzers[*]} " == *" attn-model-fuzzer "* ]]; then
  mkdir -p "$work/model"
  "$san/bin/attn-model" --layers=1 --d-model=8 --heads=2 --ffn=16 --seq-len=0 \
    -o "$work/model/model.mlir"
  "$san/bin/attn-compile" "$work/model/model.mlir" -o "$work/model/model.so"
  export ATTN_FUZZ_MODEL="$work/model/model.so"
fi
# Leaks and UB are findings; a slow input (-timeout) is a hang.
# allow_user_poisoning=0: see scripts/test-sanitizers.sh.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allow_user_poisoning=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

found=0
printf "%-26s %8s %10s %8s %8s  %s\n" fuzzer seconds runs cov corpus findings
for f in "${fuzzers[@]}"; do
  corpus="$work/corpus/$f"
  artifacts="$work/artifacts/$f"
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus")
  [ -d "$work/seeds/$f" ] && dirs+=("$work/seeds/$f")
  [ -d "$root/test/fuzz/regressions/$f" ] && dirs+=("$root/test/fuzz/regressions/$f")
  extra=()
  [ -f "$root/test/fuzz/$f.dict" ] && extra+=("-dict=$root/test/fuzz/$f.dict")
  log="$work/logs/$f.log"
  before=$(find "$artifacts" -type f | wc -l)
  # -fork keeps going after a finding, so one run reports them all.
  "$san/bin/$f" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    "${extra[@]}" "${dirs[@]}" >"$log" 2>&1 || true
  after=$(find "$artifacts" -type f | wc -l)
  new=$((after - before))
  runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" | tail -1 || true)
  [ -z "$runs" ] && runs=$(grep -oE "^#[0-9]+" "$log" | tail -1 | tr -d '#' || true)
  cov=$(grep -oE "cov: [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+" || true)
  size=$(find "$corpus" -type f | wc -l)
  printf "%-26s %8s %10s %8s %8s  %s\n" "$f" "$seconds" "${runs:-?}" \
    "${cov:-?}" "$size" "$new new in $artifacts"
  [ "$new" -gt 0 ] && found=1
done
echo "logs: $work/logs"
exit $found
