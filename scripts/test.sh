#!/usr/bin/env bash
# README entry point 2: set up a bare Debian 12 machine, build, and run the
# whole test suite (lit, GoogleTest, generated-docs check) through ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$build"
ctest --output-on-failure -j2
