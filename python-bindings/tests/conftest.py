"""Shared fixtures of the attn_mlir tests.

Run with the built package on the path:
    PYTHONPATH=build/python_packages /usr/bin/python3 -m pytest -q python-bindings/tests
(ctest does this). Tools (attn-model, attn-opt) are looked up in
$ATTN_BUILD_DIR/bin, else beside build/python_packages.
"""

import os
import shutil
from pathlib import Path

import pytest

import attn_mlir as am


def build_dir() -> Path:
    env = os.environ.get("ATTN_BUILD_DIR")
    if env:
        return Path(env)
    # build/python_packages/attn_mlir/__init__.py -> build
    return Path(am.__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def tool():
    """tool("attn-opt") -> path, or skips when the tool is not built."""

    def find(name: str) -> str:
        path = build_dir() / "bin" / name
        if path.exists():
            return str(path)
        found = shutil.which(name)
        if found:
            return found
        pytest.skip(f"{name} is not built")

    return find


@pytest.fixture
def small():
    """A 2-layer encoder small enough for every test."""
    return am.build_encoder(layers=2, d_model=16, heads=2, ffn=32, seed=3)
