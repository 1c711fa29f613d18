"""Model.compile: compiled models against independent references.

The NumPy reference (reference.py) and PyTorch's own forward; f32, max
relative error 1e-4 (DESIGN.md section 7).
"""

import json

import numpy as np
import pytest

import attn_mlir as am

from reference import encoder, max_relative_error, self_attention

TOLERANCE = 1e-4


def rng_input(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(
        np.float32)


@pytest.mark.parametrize("activation, norm, causal", [
    ("silu", "post", False),
    ("gelu", "pre", True),
    ("leaky_relu", "post", True),
])
def test_encoder_matches_the_numpy_reference(activation, norm, causal):
    m = am.build_encoder(layers=2, d_model=16, heads=4, ffn=24,
                         activation=activation, norm=norm, causal=causal,
                         batch=2, seed=5)
    lib = m.compile()
    assert lib.input_shape == (2, None, 16)
    x = rng_input((2, 9, 16))
    expected = encoder(x, m.params, 2, 4, activation, pre_norm=norm == "pre",
                       causal=causal)
    assert max_relative_error(lib(x), expected) < TOLERANCE


def test_rewrites_that_keep_the_math_keep_the_output(small):
    x = rng_input((1, 6, 16))
    expected = small.compile()(x)
    fused = small.apply("attn-decompose,attn-fuse-attend,canonicalize")
    assert max_relative_error(fused.compile()(x), expected) < TOLERANCE


def test_compile_to_a_path_writes_header_and_manifest(small, tmp_path):
    lib = small.compile(path=tmp_path / "model.so")
    assert (tmp_path / "model.h").exists()
    manifest = json.loads((tmp_path / "model.json").read_text())
    assert manifest == lib.manifest
    assert lib.param_names == list(small.params)
    flops = lib.flops((1, 10))
    assert flops and flops > 0
    # The library loads on its own, parameters bound by name.
    again = am.CompiledModel(tmp_path / "model.so", small.params)
    x = rng_input((1, 4, 16))
    np.testing.assert_array_equal(again(x), lib(x))


def test_flops_of_attention_inputs_count_t_from_dim_2():
    """[B, H, T, d] inputs: T is dim 2 (dim 1 holds the heads)."""
    m = am.parse("""
func.func @forward(%q: tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32> {
  %y = attn.attend %q, %q, %q : (tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>,
                                 tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %y : tensor<1x2x?x8xf32>
}""")
    lib = m.compile()
    assert lib.manifest["flops"]["variables"]["T"] == "input dim 2"
    # Quadratic in T: 4x the FLOPs at twice the length.
    assert lib.flops((1, 2, 64, 8)) == pytest.approx(
        4 * lib.flops((1, 2, 32, 8)), rel=0.05)


def test_compile_with_a_replacement_pipeline(small):
    """A compile pipeline may rewrite; parameters it removes are not bound,
    and those it derives (mean-heads, zeros) get values as with apply."""
    x = rng_input((1, 5, 16))
    lib = small.compile(pipeline="attn-tie-kv,attn-cpu-pipeline")
    assert "layers.0.attn.wv" not in lib.param_names
    tied = small.apply("attn-tie-kv").compile()
    assert max_relative_error(lib(x), tied(x)) < TOLERANCE
    lib = small.compile(pipeline="attn-to-mhe,attn-cpu-pipeline")
    mhe = small.apply("attn-to-mhe").compile()
    assert max_relative_error(lib(x), mhe(x)) < TOLERANCE
    with pytest.raises(ValueError, match="run that rewrite with Model.apply"):
        small.compile(pipeline="attn-reuse-map{group-size=2 "
                      "value-expansion=2},attn-cpu-pipeline")


def test_compile_errors(small):
    with pytest.raises(ValueError, match="parameters without values"):
        am.parse(str(small)).compile()
    with pytest.raises(ValueError, match="unknown target 'tpu'"):
        small.compile(target="tpu")
    with pytest.raises(am.MLIRError, match="unknown lowering 'bogus'"):
        small.compile(lowering="bogus")
    with pytest.raises(am.MLIRError) as error:
        small.compile(pipeline="attn-bogus")
    assert "attn-bogus" in error.value.diagnostics


def test_compiled_model_checks_shapes(small):
    lib = small.compile()
    with pytest.raises(am.MLIRError) as error:
        lib(np.ones((1, 5, 8), np.float32))
    assert "ATTN_ERR_SHAPE_MISMATCH" in error.value.diagnostics
    with pytest.raises(am.MLIRError, match="unknown|no parameter"):
        lib.set_params({"nope": np.zeros(1, np.float32)})


# --- PyTorch through compiled code ---------------------------------------------

@pytest.fixture
def torch():
    return pytest.importorskip(
        "torch", reason="PyTorch is not installed (Debian: python3-torch)")


def randomized(torch, module):
    torch.manual_seed(0)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("weight") and p.dim() == 1:
                p.uniform_(0.8, 1.2)
            else:
                p.uniform_(-0.3, 0.3)
    return module.eval()


@pytest.mark.parametrize("norm_first, activation, batch_first", [
    (False, "relu", True),
    (True, "gelu", False),
])
def test_torch_encoder_compiled(torch, norm_first, activation, batch_first):
    nn = torch.nn
    layer = nn.TransformerEncoderLayer(32, 4, 64, activation=activation,
                                       norm_first=norm_first,
                                       batch_first=batch_first)
    enc = randomized(torch, nn.TransformerEncoder(
        layer, 2, enable_nested_tensor=False))
    lib = am.import_torch(enc, batch=2).compile()
    x = rng_input((2, 11, 32))
    tx = torch.from_numpy(x if batch_first else x.transpose(1, 0, 2).copy())
    with torch.no_grad():
        y = enc(tx).numpy()
    expected = y if batch_first else y.transpose(1, 0, 2)
    assert max_relative_error(lib(x), expected) < TOLERANCE


def test_torch_encoder_with_causal_mask_compiled(torch):
    nn = torch.nn
    enc = randomized(torch, nn.TransformerEncoder(
        nn.TransformerEncoderLayer(16, 2, 32, batch_first=True), 2,
        enable_nested_tensor=False))
    lib = am.import_torch(enc, causal=True, seq_len=8).compile()
    x = rng_input((1, 8, 16))
    mask = nn.Transformer.generate_square_subsequent_mask(8)
    with torch.no_grad():
        expected = enc(torch.from_numpy(x), mask=mask).numpy()
    assert max_relative_error(lib(x), expected) < TOLERANCE


@pytest.mark.parametrize("bias", [True, False])
def test_torch_multihead_attention_compiled(torch, bias):
    mha = randomized(torch, torch.nn.MultiheadAttention(
        16, 4, bias=bias, batch_first=True))
    m = am.import_torch(mha)
    x = rng_input((1, 7, 16))
    t = torch.from_numpy(x)
    expected = mha(t, t, t)[0].detach().numpy()   # autograd on: no fast path
    y = m.compile()(x)
    assert max_relative_error(y, expected) < TOLERANCE
    assert max_relative_error(
        y, self_attention(x, m.params, "layers.0.attn.", 4, False)) < TOLERANCE


def test_torch_import_then_reuse_compiles(torch):
    nn = torch.nn
    enc = randomized(torch, nn.TransformerEncoder(
        nn.TransformerEncoderLayer(16, 2, 32, batch_first=True), 4,
        enable_nested_tensor=False))
    reused = am.import_torch(enc).apply(
        "attn-reuse-map{group-size=2 value-expansion=2}")
    y = reused.compile()(rng_input((1, 5, 16)))
    assert y.shape == (1, 5, 16) and np.isfinite(y).all()
