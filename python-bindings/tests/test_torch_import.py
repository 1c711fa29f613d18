"""import_torch: PyTorch modules as attn models with PyTorch's weights.

Parameters must equal PyTorch's weights (transposed to [in, out]), and the
NumPy reference of the encoder (reference.py, written from the equations)
evaluated with them must match PyTorch's own forward within a max relative
error of 1e-4 (f32, DESIGN.md section 7).
"""

import numpy as np
import pytest

import attn_mlir as am

from reference import encoder, max_relative_error, self_attention

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (Debian: python3-torch)")
nn = torch.nn

from torch_helpers import randomize  # noqa: E402

TOLERANCE = 1e-4


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)


def numpy_of(t):
    return t.detach().numpy().astype(np.float32)


def torch_input(batch, seq, d, batch_first):
    x = torch.randn(batch, seq, d)
    return x, (x if batch_first else x.transpose(0, 1))


def run_torch(module, x, batch_first, fast_path=True):
    """PyTorch's output as [B, T, D]. Without `fast_path`, runs with
    autograd on, which keeps PyTorch off its fused inference kernels (in
    1.13 they fail on a MultiheadAttention without biases)."""
    if fast_path:
        with torch.no_grad():
            y = module(x)
    else:
        y = module(x)
    y = y[0] if isinstance(y, tuple) else y
    return numpy_of(y if batch_first else y.transpose(0, 1))


def assert_layer_params(m, layer, i):
    d = layer.self_attn.embed_dim
    p = m.params
    w = numpy_of(layer.self_attn.in_proj_weight)
    b = numpy_of(layer.self_attn.in_proj_bias)
    pre = f"layers.{i}."
    np.testing.assert_array_equal(p[pre + "attn.wq"], w[:d].T)
    np.testing.assert_array_equal(p[pre + "attn.wk"], w[d:2 * d].T)
    np.testing.assert_array_equal(p[pre + "attn.wv"], w[2 * d:].T)
    np.testing.assert_array_equal(p[pre + "attn.wo"],
                                  numpy_of(layer.self_attn.out_proj.weight).T)
    np.testing.assert_array_equal(p[pre + "attn.bq"], b[:d])
    np.testing.assert_array_equal(p[pre + "attn.bk"], b[d:2 * d])
    np.testing.assert_array_equal(p[pre + "attn.bv"], b[2 * d:])
    np.testing.assert_array_equal(p[pre + "attn.bo"],
                                  numpy_of(layer.self_attn.out_proj.bias))
    np.testing.assert_array_equal(p[pre + "ffn.w0"],
                                  numpy_of(layer.linear1.weight).T)
    np.testing.assert_array_equal(p[pre + "ffn.b0"],
                                  numpy_of(layer.linear1.bias))
    np.testing.assert_array_equal(p[pre + "ffn.w1"],
                                  numpy_of(layer.linear2.weight).T)
    np.testing.assert_array_equal(p[pre + "ffn.b1"],
                                  numpy_of(layer.linear2.bias))
    for ln, norm in (("ln1", layer.norm1), ("ln2", layer.norm2)):
        np.testing.assert_array_equal(p[pre + ln + ".gamma"],
                                      numpy_of(norm.weight))
        np.testing.assert_array_equal(p[pre + ln + ".beta"],
                                      numpy_of(norm.bias))
    for value in p.values():
        assert value.dtype == np.float32 and value.flags.c_contiguous


# --- nn.MultiheadAttention ----------------------------------------------------

@pytest.mark.parametrize("batch_first", [True, False])
@pytest.mark.parametrize("bias", [True, False])
def test_multihead_attention(batch_first, bias):
    mha = randomize(nn.MultiheadAttention(16, 4, bias=bias,
                                          batch_first=batch_first)).eval()
    m = am.import_torch(mha, seq_len=5, batch=2)
    assert "tensor<2x5x16xf32>" in str(m)
    assert m.missing_params == []
    w = numpy_of(mha.in_proj_weight)
    np.testing.assert_array_equal(m.params["layers.0.attn.wk"], w[16:32].T)
    assert ("layers.0.attn.bv" in m.params) == bias
    x, tx = torch_input(2, 5, 16, batch_first)
    expected = run_torch(lambda t: mha(t, t, t), tx, batch_first,
                         fast_path=bias)
    actual = self_attention(numpy_of(x).astype(np.float64), m.params,
                            "layers.0.attn.", 4, causal=False)
    assert max_relative_error(actual, expected) < TOLERANCE


def test_multihead_attention_causal():
    mha = randomize(nn.MultiheadAttention(8, 2, batch_first=True)).eval()
    m = am.import_torch(mha, causal=True)
    assert "causal" in str(m)
    x = torch.randn(1, 6, 8)
    mask = nn.Transformer.generate_square_subsequent_mask(6)
    expected = run_torch(lambda t: mha(t, t, t, attn_mask=mask), x, True)
    actual = self_attention(numpy_of(x), m.params, "layers.0.attn.", 2,
                            causal=True)
    assert max_relative_error(actual, expected) < TOLERANCE


# --- nn.TransformerEncoderLayer and nn.TransformerEncoder ---------------------

@pytest.mark.parametrize("norm_first", [False, True], ids=["post", "pre"])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [True, False])
def test_encoder_layer(norm_first, activation, batch_first):
    layer = randomize(nn.TransformerEncoderLayer(
        16, 2, dim_feedforward=24, activation=activation,
        norm_first=norm_first, batch_first=batch_first,
        layer_norm_eps=1e-6)).eval()
    m = am.import_torch(layer)
    assert m.metadata["torch_module"] == "TransformerEncoderLayer"
    assert m.metadata["batch_first"] == str(batch_first)
    assert f"activation({activation})" in str(m)
    assert_layer_params(m, layer, 0)
    x, tx = torch_input(2, 7, 16, batch_first)
    expected = run_torch(layer, tx, batch_first)
    actual = encoder(numpy_of(x), m.params, layers=1, heads=2,
                     activation=activation, pre_norm=norm_first, eps=1e-6)
    assert max_relative_error(actual, expected) < TOLERANCE


@pytest.mark.parametrize("norm_first", [False, True], ids=["post", "pre"])
def test_encoder(norm_first):
    layer = nn.TransformerEncoderLayer(32, 4, dim_feedforward=64,
                                       norm_first=norm_first,
                                       batch_first=True)
    enc = randomize(nn.TransformerEncoder(layer, num_layers=3,
                                          enable_nested_tensor=False)).eval()
    m = am.import_torch(enc, seq_len=9)
    assert len(m.params) == 3 * 16
    for i, each in enumerate(enc.layers):
        assert_layer_params(m, each, i)
    x = torch.randn(1, 9, 32)
    expected = run_torch(enc, x, True)
    actual = encoder(numpy_of(x), m.params, layers=3, heads=4,
                     activation="relu", pre_norm=norm_first)
    assert max_relative_error(actual, expected) < TOLERANCE


def test_encoder_with_causal_mask():
    layer = nn.TransformerEncoderLayer(16, 2, dim_feedforward=32,
                                       activation="gelu", batch_first=True)
    enc = randomize(nn.TransformerEncoder(layer, 2,
                                          enable_nested_tensor=False)).eval()
    m = am.import_torch(enc, causal=True)
    x = torch.randn(2, 6, 16)
    mask = nn.Transformer.generate_square_subsequent_mask(6)
    expected = run_torch(lambda t: enc(t, mask=mask), x, True)
    actual = encoder(numpy_of(x), m.params, layers=2, heads=2,
                     activation="gelu", causal=True)
    assert max_relative_error(actual, expected) < TOLERANCE


@pytest.mark.parametrize("activation, name", [
    (nn.functional.relu, "relu"), (nn.ReLU(), "relu"),
    (nn.functional.gelu, "gelu"), (nn.GELU(), "gelu"),
    (nn.SiLU(), "silu"), (nn.functional.silu, "silu"),
    (nn.LeakyReLU(), "leaky_relu"),
])
def test_activation_forms(activation, name):
    layer = randomize(nn.TransformerEncoderLayer(
        8, 2, 16, activation=activation, batch_first=True)).eval()
    m = am.import_torch(layer)
    assert f"activation({name})" in str(m)
    x = torch.randn(1, 4, 8)
    expected = run_torch(layer, x, True)
    actual = encoder(numpy_of(x), m.params, 1, 2, name)
    assert max_relative_error(actual, expected) < TOLERANCE


def test_dropout_is_fine_in_eval_mode():
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.3).eval()
    am.import_torch(layer)
    am.import_torch(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0))


def test_layer_norm_without_affine():
    layer = nn.TransformerEncoderLayer(8, 2, 16).eval()
    layer.norm1 = nn.LayerNorm(8, elementwise_affine=False)
    m = am.import_torch(layer)
    np.testing.assert_array_equal(m.params["layers.0.ln1.gamma"], 1)
    np.testing.assert_array_equal(m.params["layers.0.ln1.beta"], 0)


def test_imported_model_rewrites_and_saves(tmp_path):
    layer = nn.TransformerEncoderLayer(16, 2, 32, batch_first=True)
    enc = randomize(nn.TransformerEncoder(layer, 4,
                                          enable_nested_tensor=False)).eval()
    m = am.import_torch(enc)
    reused = m.apply("attn-decompose,attn-reuse-map{group-size=2}")
    np.testing.assert_array_equal(
        reused.params["layers.1.attn.wv"],
        numpy_of(enc.layers[1].self_attn.in_proj_weight)[32:].T)
    assert reused.report(128).layers[1].kind == "reuse"
    path = reused.save(tmp_path / "reused.mlir")
    loaded = am.load(tmp_path / "reused.mlir")
    assert loaded.metadata["torch_module"] == "TransformerEncoder"
    assert set(loaded.params) == set(am.read_safetensors(path)[0])


# --- What cannot be imported --------------------------------------------------

def unsupported(module, message, **kwargs):
    with pytest.raises(am.UnsupportedTorchModule, match=message):
        am.import_torch(module, **kwargs)


def test_rejects_add_bias_kv():
    unsupported(nn.MultiheadAttention(8, 2, add_bias_kv=True),
                "add_bias_kv=True")


def test_rejects_add_zero_attn():
    unsupported(nn.MultiheadAttention(8, 2, add_zero_attn=True),
                "add_zero_attn=True")


def test_rejects_kdim_vdim():
    unsupported(nn.MultiheadAttention(8, 2, kdim=4, vdim=4),
                "kdim=4, vdim=4 differ from embed_dim=8")


def test_rejects_a_final_norm():
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2,
                                norm=nn.LayerNorm(8))
    unsupported(enc, r"TransformerEncoder: norm \(a final LayerNorm\)")


def test_rejects_dropout_in_training_mode():
    unsupported(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1),
                r"self_attn: dropout=0.1 in training mode.*eval\(\)")
    unsupported(nn.MultiheadAttention(8, 2, dropout=0.2),
                "dropout=0.2 in training mode")


def test_rejects_partial_biases():
    layer = nn.TransformerEncoderLayer(8, 2, 16).eval()
    layer.linear1 = nn.Linear(8, 16, bias=False)
    unsupported(layer, "bias on some of self_attn, linear1, linear2")
    mha = nn.MultiheadAttention(8, 2).eval()
    mha.out_proj.bias = None
    unsupported(mha, "bias on in_proj only")


def test_rejects_other_activations():
    unsupported(nn.TransformerEncoderLayer(8, 2, 16, activation=torch.tanh)
                .eval(), "activation <built-in method tanh")
    unsupported(nn.TransformerEncoderLayer(
        8, 2, 16, activation=nn.GELU(approximate="tanh")).eval(),
        "GELU\\(approximate='tanh'\\)")
    unsupported(nn.TransformerEncoderLayer(
        8, 2, 16, activation=nn.LeakyReLU(0.2)).eval(),
        "negative_slope=0.2")


def test_rejects_layers_that_differ():
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2,
                                enable_nested_tensor=False).eval()
    enc.layers[1].norm1.eps = 1e-3
    enc.layers[1].norm2.eps = 1e-3
    unsupported(enc, "layers.1: layer_norm_eps=0.001 differs from layers.0")


def test_rejects_different_norm_eps_in_a_layer():
    layer = nn.TransformerEncoderLayer(8, 2, 16).eval()
    layer.norm2.eps = 1e-3
    unsupported(layer, "norm1.eps=1e-05 differs from norm2.eps=0.001")


def test_rejects_other_modules():
    unsupported(nn.Linear(4, 4), "Linear: expected nn.TransformerEncoder")


def test_invalid_sizes_raise_mlir_errors():
    with pytest.raises(am.MLIRError, match="seq-len must be non-negative"):
        am.import_torch(nn.TransformerEncoderLayer(8, 2, 16).eval(),
                        seq_len=-2)
