#!/usr/bin/env bash
# Regenerates the dialect and pass references from TableGen into
# docs/generated (commit the result; CI fails when they are stale).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"
cmake --build "$build" --target attn-docs
for f in Dialects/AttnDialect.md Passes/AttnPasses.md \
    Passes/AttnConversionPasses.md Passes/AttnPipelinesPasses.md \
    Passes/AttnGPUPasses.md; do
  mkdir -p "$root/docs/generated/$(dirname "$f")"
  cp "$build/docs/$f" "$root/docs/generated/$f"
done
echo "updated docs/generated"
