"""The examples in python-bindings/examples run and say what they promise.

Each runs as a user would (a subprocess with the built package on
PYTHONPATH), small enough to take seconds; the numbers they print are
checked, not just their exit status.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import attn_mlir as am

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name, *args):
    env = dict(os.environ)
    package_dir = str(Path(am.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_dir, env.get("PYTHONPATH")) if p)
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *args],
                            capture_output=True, text=True, env=env,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def relative_errors(text):
    return [float(m) for m in
            re.findall(r"max relative error[^:]*:?[^0-9]*([0-9.]+e[-+][0-9]+)",
                       text)]


def test_import_and_reuse(tmp_path):
    pytest.importorskip("torch")
    out = run_example("import_and_reuse.py", "--layers", "4", "--group-size",
                      "2", "--seq-len", "256", "--run-len", "16", "--compile",
                      "--out", str(tmp_path))
    # attn-report of both models, the saving, the check against PyTorch and
    # one timed call of each compiled model.
    assert "map_bytes:   50.0 % less" in out
    errors = relative_errors(out)
    assert errors and max(errors) <= 1e-4, out
    assert re.search(r"imported: compiled in [0-9.]+ s, one call", out), out
    assert re.search(r"reused: compiled in [0-9.]+ s, one call", out), out
    saved = sorted(p.suffix for p in tmp_path.iterdir())
    assert ".mlir" in saved and ".safetensors" in saved, saved


def test_padded_batch():
    pytest.importorskip("torch")
    out = run_example("padded_batch.py", "--layers", "2", "--batch", "3",
                      "--seq-len", "12")
    assert "'mask'" in out and "'key_padding_mask'" in out, out
    errors = relative_errors(out)
    assert errors and max(errors) <= 1e-4, out
