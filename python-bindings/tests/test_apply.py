"""Model.apply: pass pipelines, parameter bookkeeping, errors."""

import numpy as np
import pytest

import attn_mlir as am


def test_decompose_keeps_every_param(small):
    d = small.apply("attn-decompose")
    assert "attn.mha" not in str(d)
    assert str(d).count("attn.project") == 6
    assert list(d.params) == list(small.params)
    for name in small.params:
        np.testing.assert_array_equal(d.params[name], small.params[name])
    # apply returns a new model; the original is unchanged.
    assert "attn.mha" in str(small)


def test_wrapped_pipeline_runs(small):
    """builtin.module(...) text runs the passes too (it is not nested into
    a second, never-run module pass manager)."""
    d = small.apply("builtin.module(attn-decompose, attn-fuse-attend)")
    assert "attn.attend" in str(d)


def test_upstream_passes_are_available(small):
    d = small.apply("attn-decompose,canonicalize,cse")
    assert "attn.project" in str(d)


def test_reuse_map_drops_qk_and_carries_the_rest(small):
    reused = small.apply("attn-decompose,attn-reuse-map{group-size=2}")
    text = str(reused)
    assert text.count("attn.scores") == 1
    gone = {f"layers.1.attn.{n}" for n in ("wq", "wk", "bq", "bk")}
    assert gone.isdisjoint(reused.param_info)
    assert gone.isdisjoint(reused.params)
    assert reused.missing_params == []
    for name in reused.params:
        np.testing.assert_array_equal(reused.params[name], small.params[name])
    assert reused.report(64).layers[1].kind == "reuse"


def test_value_expansion_gets_seeded_train_params(small):
    reused = small.apply("attn-reuse-map{group-size=2 value-expansion=2}")
    trained = {n: i for n, i in reused.param_info.items() if i.init == "train"}
    assert trained, "value-expansion=2 creates new, wider parameters"
    assert reused.missing_params == []
    for name, info in trained.items():
        assert reused.params[name].shape == info.shape
        assert np.abs(reused.params[name]).max() > 0
    again = small.apply("attn-reuse-map{group-size=2 value-expansion=2}")
    other = small.apply("attn-reuse-map{group-size=2 value-expansion=2}",
                        seed=5)
    name = next(iter(trained))
    np.testing.assert_array_equal(reused.params[name], again.params[name])
    assert not np.array_equal(reused.params[name], other.params[name])


def test_mean_heads_and_constant_inits(small):
    mhe = small.apply("attn-to-mhe{mode=add}")
    info = mhe.param_info
    assert info["layers.0.attn.wq_shared"].init == "mean-heads:layers.0.attn.wq"
    assert info["layers.0.attn.eq"].init == "zeros"
    wq = small.params["layers.0.attn.wq"]           # [16, 2 heads * 8]
    expected = (wq[:, :8] + wq[:, 8:]) / 2
    np.testing.assert_allclose(mhe.params["layers.0.attn.wq_shared"],
                               expected, rtol=1e-6)
    bq = small.params["layers.0.attn.bq"]
    np.testing.assert_allclose(mhe.params["layers.0.attn.bq_shared"],
                               (bq[:8] + bq[8:]) / 2, rtol=1e-6)
    np.testing.assert_array_equal(mhe.params["layers.0.attn.eq"], 0)
    mul = small.apply("attn-to-mhe{mode=mul}")
    np.testing.assert_array_equal(mul.params["layers.1.attn.ev"], 1)
    assert mhe.missing_params == []


def test_values_follow_a_chain_of_applies(small):
    mhe = small.apply("attn-to-mhe")
    again = mhe.apply("attn-fuse-attend")
    for name in mhe.params:
        np.testing.assert_array_equal(again.params[name], mhe.params[name])


def test_unknown_pass_raises_with_the_parser_message(small):
    with pytest.raises(am.MLIRError) as error:
        small.apply("attn-decompose,attn-bogus")
    message = error.value.diagnostics
    assert "invalid pass pipeline 'attn-decompose,attn-bogus'" in message
    assert "'attn-bogus' does not refer to a registered pass" in message
    assert "see current operation" not in message


def test_bad_pipeline_syntax_raises(small):
    with pytest.raises(am.MLIRError, match="invalid pass pipeline"):
        small.apply("attn-reuse-map{group-size=2")


def test_bad_pass_option_raises(small):
    with pytest.raises(am.MLIRError) as error:
        small.apply("attn-reuse-map{group-size=two}")
    assert "group-size" in error.value.diagnostics


def test_failing_pass_raises_its_error(small):
    with pytest.raises(am.MLIRError) as error:
        small.apply("attn-reuse-map{groups=0-7}")
    assert "pass pipeline 'attn-reuse-map{groups=0-7}' failed" in \
        str(error.value)
    assert "error:" in error.value.diagnostics


def test_remarks_are_kept(small):
    tied = small.apply("attn-reuse-map{group-size=2},attn-tie-kv")
    assert isinstance(tied.diagnostics, str)


@pytest.mark.parametrize("pipeline", [
    "attn-tie-kv",
    "attn-to-mhe{mode=mul init=train}",
    "attn-to-mgk",
    "attn-substitute-ff{variant=alr max-len=16}",
    "attn-substitute-ff{variant=deep-ff}",
    "attn-reuse-map{group-size=2},attn-tie-kv,attn-fuse-attend",
])
def test_every_rewrite_leaves_no_parameter_without_a_value(small, pipeline):
    rewritten = small.apply(pipeline)
    assert rewritten.missing_params == []
    for name, info in rewritten.param_info.items():
        value = rewritten.params[name]
        assert value.shape == info.shape and value.dtype == np.float32
        kind, _, source = (info.init or "").partition(":")
        if kind == "copy":
            np.testing.assert_array_equal(value, small.params[source])
        elif info.init is None:
            np.testing.assert_array_equal(value, small.params[name])
