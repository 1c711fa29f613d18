"""Saving and loading models and parameter files."""

import numpy as np
import pytest

import attn_mlir as am


def test_save_load_round_trip(small, tmp_path):
    reused = small.apply("attn-reuse-map{group-size=2 value-expansion=2}",
                         seed=11)
    params_path = reused.save(tmp_path / "reused.mlir")
    assert params_path == tmp_path / "reused.safetensors"
    assert (tmp_path / "reused.mlir").read_text() == str(reused) + "\n"
    loaded = am.load(tmp_path / "reused.mlir")
    assert str(loaded) == str(reused)
    assert list(loaded.params) == list(reused.params)
    for name, value in reused.params.items():
        np.testing.assert_array_equal(loaded.params[name], value)
    assert loaded.seed == 11
    # attn.init marks survive the text round trip.
    assert loaded.param_info == reused.param_info


def test_load_without_params(small, tmp_path):
    (tmp_path / "m.mlir").write_text(str(small))
    m = am.load(tmp_path / "m.mlir")
    assert m.params == {}
    small.save(tmp_path / "other.mlir")
    m = am.load(tmp_path / "m.mlir", tmp_path / "other.safetensors")
    assert m.missing_params == []


def test_with_params_from_a_file(small, tmp_path):
    small.save(tmp_path / "m.mlir")
    bare = am.parse(str(small))
    m = bare.with_params(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(m.params["layers.0.ln1.beta"],
                                  small.params["layers.0.ln1.beta"])


def test_save_checks_edited_params(small, tmp_path):
    small.params["layers.0.attn.wq"] = np.zeros((2, 2), np.float32)
    with pytest.raises(ValueError, match="shape"):
        small.save(tmp_path / "m.mlir")
    assert not (tmp_path / "m.mlir").exists()


def test_safetensors_dtypes_round_trip(tmp_path):
    tensors = {
        "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
        "f64": np.array([1.5, -2.0]),
        "i64": np.array([[1], [2]], dtype=np.int64),
        "u8": np.array([255], dtype=np.uint8),
        "flag": np.array([True, False]),
        "scalar": np.array(3.0, dtype=np.float32),
        "strided": np.arange(12, dtype=np.float32).reshape(3, 4)[:, ::2],
    }
    am.write_safetensors(tmp_path / "t.safetensors", tensors, {"k": "v"})
    values, metadata = am.read_safetensors(tmp_path / "t.safetensors")
    assert metadata == {"k": "v"}
    assert list(values) == list(tensors)
    for name, value in tensors.items():
        assert values[name].dtype == value.dtype
        np.testing.assert_array_equal(values[name], value)


def test_safetensors_errors_name_the_file(tmp_path):
    with pytest.raises(am.MLIRError, match="missing.safetensors"):
        am.read_safetensors(tmp_path / "missing.safetensors")
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}      ")
    with pytest.raises(am.MLIRError) as error:
        am.read_safetensors(bad)
    assert "bad.safetensors" in error.value.diagnostics
    with pytest.raises(TypeError, match="complex"):
        am.write_safetensors(tmp_path / "c.safetensors",
                             {"c": np.zeros(2, np.complex64)})
