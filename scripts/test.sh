#!/usr/bin/env bash
# README entry point 2: set up a bare Debian 12 machine, build, and run the
# whole test suite: first lit + GoogleTest + a short fuzz run under ASan and
# UBSan (scripts/test-sanitizers.sh, its own build in build-san; skip it with
# ATTN_SANITIZERS=0), then lit, GoogleTest, pytest and the generated-docs
# check through ctest on the normal build. Fails if either fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ATTN_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh"
status=0
if [ "${ATTN_SANITIZERS:-1}" != 0 ]; then
  "$root/scripts/test-sanitizers.sh" || status=1
fi
cd "$build"
ctest --output-on-failure -j2 || status=1
exit $status
