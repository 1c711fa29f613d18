#!/usr/bin/env bash
# The whole lit + GoogleTest suite under AddressSanitizer and
# UndefinedBehaviorSanitizer, in a second build directory (build-san), plus a
# short run of every fuzzer (test/fuzz/short-run.test). scripts/test.sh (the
# README's test command, .ci/run) runs it before the normal suite; set
# ATTN_SANITIZERS=0 there to skip it. It builds the tools, unit tests and
# fuzzers again, instrumented, and runs the tests several times slower.
#
#   scripts/test-sanitizers.sh               configure, build, run lit + gtest
#   scripts/test-sanitizers.sh --build-only  configure and build (scripts/fuzz.sh)
#   scripts/test-sanitizers.sh -- LIT_ARGS   run only the given lit paths/args
#
# The build: RelWithDebInfo (line tables only: symbolized reports at a
# fraction of full debug info's compile and link time) without NDEBUG (assertions on in attn's own code
# and in the MLIR/LLVM header code it instantiates; libMLIR.so stays the
# Release build Debian ships), LLVM_USE_SANITIZER="Address;Undefined" with
# LLVM's UBSan flags (LLVMConfig does not export them; any UB report aborts:
# -fno-sanitize-recover=all), _GLIBCXX_ASSERTIONS (bounds-checked std::vector
# and friends), coverage instrumentation (LLVM_USE_SANITIZE_COVERAGE) and the
# libFuzzer targets (test/fuzz). ATTN_SAN_BUILD_DIR overrides the directory.
# docs/robustness.md lists what it found.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_SAN_BUILD_DIR:-$root/build-san}"
lock="${ATTN_BUILD_LOCK:-/tmp/attn-build.lock}"
# Paths relative to the checkout in ccache's keys: another clone (CI, a
# second worktree) reuses the objects this one compiled.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"

build_only=0
lit_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-only) build_only=1 ;;
    --) shift; lit_args=("$@"); break ;;
    *) echo "usage: $0 [--build-only] [-- LIT_ARGS...]" >&2; exit 2 ;;
  esac
  shift
done

# Builds share the machine: one at a time (flock), as scripts/build.sh users do.
locked() {
  if command -v flock >/dev/null; then flock "$lock" "$@"; else "$@"; fi
}

if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  locked cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld -DMLIR_LINK_MLIR_DYLIB=ON \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DLLVM_USE_SANITIZER="Address;Undefined" \
    -DLLVM_UBSAN_FLAGS="-fsanitize=undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all" \
    -DLLVM_USE_SANITIZE_COVERAGE=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS="-D_GLIBCXX_ASSERTIONS" \
    -DATTN_ENABLE_FUZZERS=ON \
    "${launcher[@]}"
fi

# Only what the tests run: the tools, the model glue, unit tests, fuzzers.
targets=(attn-opt attn-model attn-compile attn-run AttnModelGlue attn-unittests
         attn-fuzzers)
if grep -q "attn_cuda_runtime" "$build/build.ninja"; then
  targets+=(AttnCudaRuntime attn_cuda_runtime)
fi
locked ninja -C "$build" "${targets[@]}"
[ "$build_only" = 1 ] && exit 0

# Leaks are reported too; a UB report is fatal (-fno-sanitize-recover=all).
# allow_user_poisoning=0: llvm::BumpPtrAllocator poisons its slabs in inline
# header code, so an instrumented attn TU poisons a slab that the same
# allocator's uninstrumented copy in libMLIR.so then hands out without
# unpoisoning: false "use-after-poison" reports in MLIR's storage uniquer.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allow_user_poisoning=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/scripts/lsan.supp:print_suppressions=0}"

status=0
if [ ${#lit_args[@]} -eq 0 ]; then
  lit_args=("$build/test")
fi
/usr/lib/llvm-22/bin/lit -sv --timeout=600 "${lit_args[@]}" || status=1
# The unit tests as ctest registers them (GoogleTest cases and the plain-C
# test of the C API, with their arguments); lit ran above, and pytest is not
# part of this suite (docs/robustness.md).
ctest --test-dir "$build" --output-on-failure -j2 \
  -E '^(attn-lit|attn-python|generated-docs-up-to-date)$' || status=1
if [ "$status" = 0 ]; then
  echo "sanitizer suite: PASS (ASan + UBSan, $build)"
else
  echo "sanitizer suite: FAIL (see lit and ctest above)" >&2
fi
exit $status
