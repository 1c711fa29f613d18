"""Attention masks given at run time: compiled models with mask inputs.

Models built with ``mask=`` (build_encoder, like attn-model --mask) or
imported with ``import_torch(..., mask=True, key_padding_mask=True)`` take
PyTorch's ``src_mask`` [T, T] and ``src_key_padding_mask`` [B, T] when they
are called. Compiled outputs are compared with PyTorch 1.13's
``nn.TransformerEncoder`` / ``nn.MultiheadAttention`` and with the NumPy
reference, max relative error 1e-4 (DESIGN.md section 7).

PyTorch is run with autograd on (``fast_path=False``), which keeps it on
its reference implementation: in eval mode under ``no_grad`` PyTorch 1.13
takes a fused fast path that, with a key-padding mask and nested tensors,
returns 0 at the padded positions instead of their attention output.
Every row is compared there; test_fast_path_agrees_on_valid_rows checks
the fast path too, on the rows that are not padding.
"""

import json
import subprocess

import numpy as np
import pytest

import attn_mlir as am

from reference import max_relative_error

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed (Debian: python3-torch)")
nn = torch.nn

from torch_helpers import randomize  # noqa: E402

TOLERANCE = 1e-4


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)


def make_encoder(norm_first, layers=2, d_model=16, heads=4, ffn=32,
                 activation="relu", nested=False):
    layer = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=ffn,
                                       activation=activation,
                                       norm_first=norm_first,
                                       batch_first=True)
    return randomize(nn.TransformerEncoder(
        layer, layers, enable_nested_tensor=nested)).eval()


def torch_output(fn, *args, fast_path=False):
    if fast_path:
        with torch.no_grad():
            y = fn(*args)
    else:
        y = fn(*args)
    y = y[0] if isinstance(y, tuple) else y
    return y.detach().numpy().astype(np.float32)


def float_mask(t, seed=1):
    """A dense float mask (PyTorch's float src_mask is added to the scores):
    uniform values plus -inf above the diagonal."""
    g = torch.Generator().manual_seed(seed)
    m = torch.rand(t, t, generator=g) * 2 - 1
    return m + nn.Transformer.generate_square_subsequent_mask(t)


def bool_mask(t, seed=2):
    """True = not allowed to attend; the diagonal is always allowed."""
    g = torch.Generator().manual_seed(seed)
    m = torch.rand(t, t, generator=g) < 0.4
    m.fill_diagonal_(False)
    return m


def padding(lengths, t):
    """PyTorch's src_key_padding_mask: True at padded keys."""
    return torch.arange(t)[None, :] >= torch.tensor(lengths)[:, None]


CASES = ["none", "float-mask", "bool-mask", "key-padding", "both-causal"]


@pytest.mark.parametrize("norm_first", [False, True], ids=["post", "pre"])
@pytest.mark.parametrize("case", CASES)
def test_encoder_matches_pytorch(norm_first, case):
    t, batch = 7, 2
    enc = make_encoder(norm_first)
    causal = case == "both-causal"
    use_mask = case in ("float-mask", "bool-mask", "both-causal")
    use_padding = case in ("key-padding", "both-causal")
    m = am.import_torch(enc, batch=batch, causal=causal, mask=use_mask,
                        key_padding_mask=use_padding)
    lib = m.compile()
    expected_inputs = ("x",) + (("mask",) if use_mask else ()) + \
        (("key_padding_mask",) if use_padding else ())
    assert lib.input_names == expected_inputs

    x = torch.randn(batch, t, 16)
    kwargs = {}
    if case == "bool-mask":
        kwargs["mask"] = bool_mask(t)
    elif use_mask:
        kwargs["mask"] = float_mask(t)
    if use_padding:
        kwargs["src_key_padding_mask"] = padding([t, 4], t)
    torch_kwargs = dict(kwargs)
    if causal:
        # PyTorch's causal mask plus the user's: the model applies both.
        torch_kwargs["mask"] = kwargs["mask"] + \
            nn.Transformer.generate_square_subsequent_mask(t)
    expected = torch_output(lambda: enc(x, **torch_kwargs))
    actual = lib(x.numpy(), **{k: v.numpy() for k, v in kwargs.items()})
    assert np.all(np.isfinite(actual))
    assert max_relative_error(actual, expected) < TOLERANCE


def test_sequence_first_encoder_layer():
    """A TransformerEncoderLayer with batch_first=False takes [T, B, D]; the
    masks have the same shapes either way ([T, T] and [B, T])."""
    layer = randomize(nn.TransformerEncoderLayer(
        16, 2, 32, activation="gelu", norm_first=True)).eval()
    lib = am.import_torch(layer, batch=3, mask=True,
                          key_padding_mask=True).compile()
    x = torch.randn(5, 3, 16)
    src_mask = float_mask(5, seed=9)
    pad = padding([5, 2, 4], 5)
    expected = torch_output(lambda: layer(x, src_mask=src_mask,
                                          src_key_padding_mask=pad))
    actual = lib(x.numpy().transpose(1, 0, 2), src_mask=src_mask.numpy(),
                 src_key_padding_mask=pad.numpy())
    assert max_relative_error(actual.transpose(1, 0, 2), expected) < \
        TOLERANCE


def test_masks_by_position_by_name_and_torch_alias():
    enc = make_encoder(False)
    lib = am.import_torch(enc, batch=2, mask=True,
                          key_padding_mask=True).compile()
    x = np.random.default_rng(0).standard_normal((2, 5, 16), np.float32)
    mask = bool_mask(5).numpy()
    pad = padding([5, 3], 5).numpy()
    by_position = lib(x, mask, pad)
    np.testing.assert_array_equal(by_position,
                                  lib(x, key_padding_mask=pad, mask=mask))
    np.testing.assert_array_equal(
        by_position, lib(x=x, src_mask=mask, src_key_padding_mask=pad))
    # torch tensors are accepted as they are.
    np.testing.assert_array_equal(
        by_position, lib(torch.from_numpy(x), torch.from_numpy(mask),
                         torch.from_numpy(pad)))
    # Bool means True = masked out: the additive form gives the same.
    additive = np.where(mask, -np.inf, 0).astype(np.float32)
    np.testing.assert_array_equal(by_position, lib(x, additive, pad))


def test_omitted_masks_mask_nothing():
    m = am.build_encoder(layers=2, d_model=16, heads=2, ffn=32, batch=2,
                         seed=3, mask="both")
    plain = am.build_encoder(layers=2, d_model=16, heads=2, ffn=32, batch=2,
                             seed=3)
    lib, ref = m.compile(), plain.compile()
    x = np.random.default_rng(1).standard_normal((2, 6, 16), np.float32)
    expected = ref(x)
    np.testing.assert_allclose(lib(x), expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(lib(x, mask=None, key_padding_mask=None),
                               expected, rtol=0, atol=1e-6)
    zeros = lib(x, np.zeros((6, 6), np.float32), np.zeros((2, 6), np.float32))
    np.testing.assert_allclose(zeros, expected, rtol=0, atol=1e-6)


def test_fast_path_agrees_on_valid_rows():
    """PyTorch 1.13's eval fast path (no_grad, nested tensors) writes 0 at
    padded query positions; the other rows equal the compiled model's."""
    enc = make_encoder(False, nested=True)
    lib = am.import_torch(enc, batch=2, key_padding_mask=True).compile()
    x = torch.randn(2, 6, 16)
    pad = padding([6, 3], 6)
    fast = torch_output(lambda: enc(x, src_key_padding_mask=pad),
                        fast_path=True)
    actual = lib(x.numpy(), key_padding_mask=pad.numpy())
    valid = ~pad.numpy()
    assert max_relative_error(actual[valid], fast[valid]) < TOLERANCE
    # The padded rows are where the fast path differs (zeros there).
    assert np.all(fast[~valid] == 0)


@pytest.mark.parametrize("bias", [True, False])
def test_multihead_attention_masks(bias):
    mha = randomize(nn.MultiheadAttention(16, 4, bias=bias,
                                          batch_first=True)).eval()
    lib = am.import_torch(mha, batch=3, mask=True,
                          key_padding_mask=True).compile()
    x = torch.randn(3, 8, 16)
    attn_mask = float_mask(8, seed=5)
    pad = padding([8, 5, 2], 8)
    expected = torch_output(lambda: mha(x, x, x, attn_mask=attn_mask,
                                        key_padding_mask=pad))
    actual = lib(x.numpy(), attn_mask=attn_mask.numpy(),
                 key_padding_mask=pad.numpy())
    assert max_relative_error(actual, expected) < TOLERANCE


def test_static_length_and_float_padding_against_numpy():
    """A float key-padding mask (added per key) at a static T, checked with
    the NumPy reference (PyTorch 1.13 only takes bool key-padding masks)."""
    from reference import encoder
    m = am.build_encoder(layers=2, d_model=16, heads=2, ffn=24, batch=2,
                         seq_len=5, seed=4, norm="pre", activation="gelu",
                         mask="key_padding")
    lib = m.compile()
    assert lib.input_shapes == {"x": (2, 5, 16), "key_padding_mask": (2, 5)}
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 5, 16)).astype(np.float32)
    pad = rng.uniform(-2, 0, (2, 5)).astype(np.float32)
    pad[1, 3:] = -np.inf
    expected = encoder(x, m.params, 2, 2, "gelu", pre_norm=True,
                       key_padding_mask=pad)
    assert max_relative_error(lib(x, key_padding_mask=pad), expected) < \
        TOLERANCE


def test_bad_inputs_raise():
    lib = am.build_encoder(layers=1, d_model=8, heads=2, ffn=16, batch=2,
                           mask="both").compile()
    x = np.zeros((2, 5, 8), np.float32)
    m = np.zeros((5, 5), np.float32)
    p = np.zeros((2, 5), np.float32)
    with pytest.raises(TypeError, match="takes 3 input"):
        lib(x, m, p, p)
    with pytest.raises(TypeError, match="no input 'src_msk'.*x, mask, "
                       "key_padding_mask"):
        lib(x, src_msk=m)
    with pytest.raises(TypeError, match="input 'mask' is given twice"):
        lib(x, m, mask=m)
    with pytest.raises(TypeError, match="missing input 'x'"):
        lib(mask=m)
    with pytest.raises(ValueError, match=r"3-D per-head \[B\*H, T, T\] form "
                       "is not supported"):
        lib(x, np.zeros((4, 5, 5), np.float32))
    with pytest.raises(ValueError, match="key_padding_mask.*expected a 2-D"):
        lib(x, m, np.zeros((5,), np.float32))
    with pytest.raises(ValueError, match="float .* or bool .*int32"):
        lib(x, np.zeros((5, 5), np.int32))
    with pytest.raises(ValueError, match="input 'x' must be a float array"):
        lib(np.zeros((2, 5, 8), bool))
    with pytest.raises(am.MLIRError, match=r"input 'mask' dim 0 \(T\) is 4, "
                       r"but input 'x' dim 1 \(T\) is 5"):
        lib(x, np.zeros((4, 4), np.float32), p)
    with pytest.raises(am.MLIRError, match=r"input 'key_padding_mask' must "
                       r"have shape \[2, -1\]"):
        lib(x, m, np.zeros((1, 5), np.float32))
    with pytest.raises(am.MLIRError, match="ATTN_ERR_SHAPE_MISMATCH"):
        lib(np.zeros((2, 5, 4), np.float32), m, p)


def test_import_rejects_fixed_masks():
    enc = make_encoder(False)
    with pytest.raises(am.UnsupportedTorchModule,
                       match="mask= takes True or False, got a Tensor: a fixed "
                       "mask cannot be imported; pass True"):
        am.import_torch(enc, mask=torch.zeros(4, 4))


def test_build_encoder_masks_match_attn_model(tool, tmp_path):
    """Same IR as attn-model --mask, for every mask kind; the compiled
    manifest lists the inputs with their dims."""
    for kind in ("additive", "key_padding", "both"):
        path = tmp_path / f"{kind}.mlir"
        subprocess.run([tool("attn-model"), "--layers=1", "--d-model=8",
                        "--heads=2", "--ffn=16", "--batch=2",
                        f"--mask={kind}", "-o", str(path)], check=True)
        m = am.build_encoder(layers=1, d_model=8, heads=2, ffn=16, batch=2,
                             mask=kind)
        assert str(m) + "\n" == path.read_text()
    lib = m.compile(path=tmp_path / "both.so")
    manifest = json.loads((tmp_path / "both.json").read_text())
    assert [(t["name"], t.get("mask"), t.get("dims"))
            for t in manifest["inputs"]] == [
        ("x", None, ["B", "T", "D"]), ("mask", "additive", ["T", "T"]),
        ("key_padding_mask", "key_padding", ["B", "T"])]
    assert lib.input_shapes["mask"] == (None, None)
    with pytest.raises(am.MLIRError, match="unknown mask 'causal'"):
        am.build_encoder(layers=1, d_model=8, heads=2, ffn=16, mask="causal")


def test_reuse_map_keeps_masks():
    """attn-reuse-map groups layers that share the mask value; the rewritten
    masked model runs and equals the decomposed one when the map is the
    same, i.e. compiles with the mask inputs intact."""
    m = am.build_encoder(layers=2, d_model=16, heads=2, ffn=24, batch=2,
                         seed=6, mask="both")
    reused = m.apply("attn-decompose,attn-reuse-map{group-size=2}")
    assert reused.report(seq_len=8).layers[1].kind == "reuse"
    lib = reused.compile()
    assert lib.input_names == ("x", "mask", "key_padding_mask")
    x = np.random.default_rng(3).standard_normal((2, 8, 16), np.float32)
    y = lib(x, bool_mask(8).numpy(), padding([8, 6], 8).numpy())
    assert y.shape == (2, 8, 16) and np.all(np.isfinite(y))
