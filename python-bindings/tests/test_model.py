"""Models: building, parsing, printing, parameters."""

import subprocess

import numpy as np
import pytest

import attn_mlir as am


def test_build_encoder_declares_the_design_names(small):
    names = list(small.param_info)
    per_layer = ["attn.wq", "attn.wk", "attn.wv", "attn.wo", "attn.bq",
                 "attn.bk", "attn.bv", "attn.bo", "ln1.gamma", "ln1.beta",
                 "ffn.w0", "ffn.b0", "ffn.w1", "ffn.b1", "ln2.gamma",
                 "ln2.beta"]
    assert names == [f"layers.{i}.{n}" for i in range(2) for n in per_layer]
    info = small.param_info
    assert info["layers.0.attn.wq"].shape == (16, 16)
    assert info["layers.0.ffn.w0"].shape == (16, 32)  # [in, out]
    assert info["layers.1.ffn.w1"].shape == (32, 16)
    assert info["layers.0.ln2.beta"].dtype == "f32"
    assert all(i.init is None for i in info.values())
    assert small.missing_params == []


def test_build_encoder_params_are_float32_and_seeded(small):
    assert set(small.params) == set(small.param_info)
    for name, value in small.params.items():
        assert value.dtype == np.float32
        assert value.shape == small.param_info[name].shape
    again = am.build_encoder(layers=2, d_model=16, heads=2, ffn=32, seed=3)
    other = am.build_encoder(layers=2, d_model=16, heads=2, ffn=32, seed=4)
    wq = "layers.0.attn.wq"
    np.testing.assert_array_equal(small.params[wq], again.params[wq])
    assert not np.array_equal(small.params[wq], other.params[wq])
    # Weights are uniform in +-1/sqrt(fan_in), gammas near 1.
    assert np.abs(small.params[wq]).max() <= 1 / np.sqrt(16)
    np.testing.assert_allclose(small.params["layers.0.ln1.gamma"], 1, atol=0.1)


def test_build_encoder_matches_attn_model(tool, tmp_path):
    """Same IR and the same parameter values as the attn-model tool."""
    mlir, params = tmp_path / "m.mlir", tmp_path / "m.safetensors"
    subprocess.run([tool("attn-model"), "--layers=2", "--d-model=16",
                    "--heads=4", "--ffn=24", "--activation=gelu",
                    "--norm=pre", "--causal", "--seq-len=8", "--batch=2",
                    "-o", str(mlir), f"--params-out={params}", "--seed=9"],
                   check=True)
    m = am.build_encoder(layers=2, d_model=16, heads=4, ffn=24,
                         activation="gelu", norm="pre", causal=True,
                         seq_len=8, batch=2, seed=9)
    assert str(m) + "\n" == mlir.read_text()
    values, metadata = am.read_safetensors(params)
    assert metadata["generator"] == "attn-model"
    assert list(values) == list(m.params)
    for name, value in values.items():
        np.testing.assert_array_equal(value, m.params[name])


def test_build_encoder_options_reach_the_ir():
    m = am.build_encoder(layers=1, d_model=8, heads=2, ffn=16,
                         activation="relu", causal=True, batch=3, seq_len=5,
                         bias=False)
    text = str(m)
    assert "tensor<3x5x8xf32>" in text
    assert "causal" in text
    assert "activation(relu)" in text
    leaves = {name.rsplit(".", 1)[1] for name in m.params}
    assert leaves.isdisjoint({"bq", "bk", "bv", "bo", "b0", "b1"})
    assert {"gamma", "beta"} <= leaves


def test_build_encoder_default_seed_is_attn_models():
    a = am.build_encoder(layers=1, d_model=8, heads=2, ffn=16)
    b = am.build_encoder(layers=1, d_model=8, heads=2, ffn=16, seed=0)
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])


@pytest.mark.parametrize("kwargs, message", [
    (dict(heads=3), "heads (3) must divide d-model (256)"),
    (dict(layers=0), "layers must be positive, got 0"),
    (dict(seq_len=-1), "seq-len must be non-negative"),
    (dict(activation="tanh"), "unknown activation 'tanh'"),
])
def test_build_encoder_errors_name_the_field(kwargs, message):
    with pytest.raises(am.MLIRError) as error:
        am.build_encoder(**kwargs)
    assert message in str(error.value)
    assert message in error.value.diagnostics


def test_build_encoder_rejects_unknown_norm():
    with pytest.raises(ValueError, match="unknown norm 'mid'"):
        am.build_encoder(norm="mid")


def test_parse_print_round_trip(small):
    text = str(small)
    again = am.parse(text)
    assert str(again) == text
    assert again.params == {}
    assert again.missing_params == list(small.param_info)
    # The generic form parses to the same module.
    assert str(am.parse(small.text(generic=True))) == text


def test_parse_with_params(small):
    m = am.parse(str(small), small.params)
    assert m.missing_params == []
    np.testing.assert_array_equal(m.params["layers.1.ffn.w1"],
                                  small.params["layers.1.ffn.w1"])


def test_debug_info_shows_layer_locations(small):
    assert 'loc("layers.1")' in small.text(debug_info=True)


def test_parse_error_carries_diagnostics():
    with pytest.raises(am.MLIRError) as error:
        am.parse("func.func @f() {\n  %0 = arith.addf\n}", source_name="bad.mlir")
    assert isinstance(error.value, RuntimeError)
    assert "cannot parse 'bad.mlir'" in str(error.value)
    assert error.value.diagnostics == \
        "bad.mlir:2:18: error: expected SSA operand\n"


def test_invalid_ir_reports_the_verifier(small):
    text = str(small).replace("heads(2)", "heads(3)", 1)
    with pytest.raises(am.MLIRError) as error:
        am.parse(text, source_name="model.mlir")
    diagnostics = error.value.diagnostics
    assert "model.mlir:" in diagnostics
    assert "error: 'attn.mha' op" in diagnostics


def test_params_are_checked(small):
    with pytest.raises(ValueError, match="not parameters of the model: nope"):
        am.parse(str(small), {"nope": np.zeros(1)})
    with pytest.raises(ValueError, match=r"'layers.0.attn.wq': shape \(3,\)"):
        am.parse(str(small), {"layers.0.attn.wq": np.zeros(3)})
    with pytest.raises(ValueError, match="not a number type"):
        am.parse(str(small), {"layers.0.attn.bq": np.array(["a"] * 16)})
    with pytest.raises(ValueError, match="floating point"):
        am.parse(str(small), {"layers.0.attn.bq": np.zeros(16, np.int32)})
    # Other float types are converted.
    m = am.parse(str(small), {"layers.0.attn.bq": np.ones(16, np.float64)})
    assert m.params["layers.0.attn.bq"].dtype == np.float32


def test_randomize_fills_missing_params(small):
    bare = am.parse(str(small), {"layers.0.attn.wq": np.zeros((16, 16))})
    full = bare.randomize(seed=3)
    assert full.missing_params == []
    np.testing.assert_array_equal(full.params["layers.0.attn.wq"], 0)
    np.testing.assert_array_equal(full.params["layers.0.attn.wk"],
                                  small.params["layers.0.attn.wk"])
    everything = bare.randomize(seed=3, only_missing=False)
    np.testing.assert_array_equal(everything.params["layers.0.attn.wq"],
                                  small.params["layers.0.attn.wq"])
