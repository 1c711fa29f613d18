#!/usr/bin/env bash
# The full pass sweep (scripts/sweep_passes.py; docs/robustness.md): every
# attn pass and chain of two on every model variant attn-model writes and on
# every IR test input, with --verify-each; fails on any crash, hang or failure
# without a diagnostic. Uses build/bin (ATTN_BUILD_DIR), or the sanitizer
# build with ATTN_BUILD_DIR=build-san. Extra arguments go to the script
# (e.g. --jobs=2 --timeout=60 --failures-dir=/tmp/sweep).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
exec /usr/bin/python3 "$root/scripts/sweep_passes.py" \
  --tools-dir "$build/bin" --src-root "$root" "$@"
