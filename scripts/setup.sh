#!/usr/bin/env bash
# Installs every Debian package attn-mlir needs on a bare Debian 12 machine.
# Safe to run twice: it installs only what is missing.
set -euo pipefail

packages=(
  # toolchain and MLIR 22 (bookworm-security)
  cmake ninja-build ccache clang-22 lld-22 llvm-22-dev llvm-22-tools
  libmlir-22-dev mlir-22-tools libomp-22-dev
  # sanitizer and libFuzzer runtimes (scripts/test-sanitizers.sh, test/fuzz)
  libclang-rt-22-dev
  # tests
  libgtest-dev python3-pytest
  # benchmarks: plots, and OpenBLAS so that PyTorch is not on reference BLAS
  python3-matplotlib libopenblas0-pthread
  # Python bindings and the PyTorch reference
  python3-dev pybind11-dev python3-pybind11 python3-numpy python3-torch
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
