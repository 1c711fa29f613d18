"""Importing PyTorch modules: `import_torch`.

Supported (PyTorch 1.13 and later): ``nn.TransformerEncoder``,
``nn.TransformerEncoderLayer`` and ``nn.MultiheadAttention`` (as
self-attention, ``mha(x, x, x)[0]``). The model is built by the same
builder as ``attn-model`` (through the C API) with the module's
configuration, and the module's weights are bound by name (DESIGN.md
section 2), transposed once to ``[in, out]``:

==========================================  ==============================
PyTorch (layer i)                           attn parameter
==========================================  ==============================
``self_attn.in_proj_weight[0:D]ᵀ``           ``layers.{i}.attn.wq``
``self_attn.in_proj_weight[D:2D]ᵀ``          ``layers.{i}.attn.wk``
``self_attn.in_proj_weight[2D:3D]ᵀ``         ``layers.{i}.attn.wv``
``self_attn.out_proj.weightᵀ``               ``layers.{i}.attn.wo``
``self_attn.in_proj_bias`` thirds, out bias  ``layers.{i}.attn.{bq,bk,bv,bo}``
``norm1.weight`` / ``norm1.bias``            ``layers.{i}.ln1.{gamma,beta}``
``linear1.weightᵀ`` / ``linear1.bias``       ``layers.{i}.ffn.{w0,b0}``
``linear2.weightᵀ`` / ``linear2.bias``       ``layers.{i}.ffn.{w1,b1}``
``norm2.weight`` / ``norm2.bias``            ``layers.{i}.ln2.{gamma,beta}``
==========================================  ==============================

The imported model always takes ``[B, T, D]`` (batch first). A module built
with ``batch_first=False`` takes ``[T, B, D]``: transpose its inputs and
outputs with ``x.transpose(1, 0, 2)``. Masks are arguments of PyTorch's
``forward``, not options of the module: pass ``causal=True`` for a model
that is called with a causal (square subsequent) mask, ``mask=True`` for
one that takes a ``[T, T]`` ``src_mask``/``attn_mask`` at run time and
``key_padding_mask=True`` for one that takes a ``[B, T]``
``src_key_padding_mask`` (the compiled model's inputs ``mask`` and
``key_padding_mask``; `CompiledModel` accepts PyTorch's float and bool
masks, bool True = not allowed to attend).

Options the attn model cannot express are rejected with an
`UnsupportedTorchModule` error that names them: ``add_bias_kv``,
``add_zero_attn``, ``kdim``/``vdim`` different from ``embed_dim``, a final
``norm`` of ``nn.TransformerEncoder`` (attn encoders have none, DESIGN.md
section 2), biases on some projections but not others, activations other
than ReLU, exact GELU, SiLU and LeakyReLU(0.01), layers that differ from
each other, and dropout > 0 on a module in training mode (in eval mode
dropout does nothing and is accepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np

from ._native import context, native
from .model import Model


class UnsupportedTorchModule(ValueError):
    """A PyTorch module, or one of its options, that the attn model cannot
    express; the message names the option."""


@dataclass
class _LayerConfig:
    """What a TransformerEncoderLayer contributes to the encoder config."""

    d_model: int
    heads: int
    ffn: int
    activation: str
    pre_norm: bool
    bias: bool
    layer_norm_eps: float
    batch_first: bool


def _torch():
    try:
        import torch  # noqa: F401
    except ImportError as error:  # pragma: no cover - depends on the machine
        raise ImportError("import_torch needs PyTorch (Debian: "
                          "python3-torch)") from error
    return torch


def _array(tensor) -> np.ndarray:
    return tensor.detach().to("cpu").float().numpy().copy()


def _weight(tensor) -> np.ndarray:
    """A PyTorch Linear weight [out, in] as an attn weight [in, out]."""
    return np.ascontiguousarray(_array(tensor).T)


def _check_dropout(owner: str, p: float, training: bool) -> None:
    if training and p > 0:
        raise UnsupportedTorchModule(
            f"{owner}: dropout={p} in training mode; attn models are "
            "inference graphs: call module.eval() first")


def _activation_name(activation, owner: str) -> str:
    torch = _torch()
    F = torch.nn.functional
    nn = torch.nn
    if isinstance(activation, str):
        if activation in ("relu", "gelu"):
            return activation
        raise UnsupportedTorchModule(f"{owner}: activation '{activation}'")
    if activation in (F.relu, torch.relu) or isinstance(activation, nn.ReLU):
        return "relu"
    if activation is F.gelu:
        return "gelu"
    if isinstance(activation, nn.GELU):
        if getattr(activation, "approximate", "none") != "none":
            raise UnsupportedTorchModule(
                f"{owner}: activation GELU(approximate="
                f"'{activation.approximate}'); only the exact erf form is "
                "supported")
        return "gelu"
    if activation is F.silu or isinstance(activation, nn.SiLU):
        return "silu"
    if activation is F.leaky_relu:
        return "leaky_relu"
    if isinstance(activation, nn.LeakyReLU):
        if activation.negative_slope != 0.01:
            raise UnsupportedTorchModule(
                f"{owner}: activation LeakyReLU(negative_slope="
                f"{activation.negative_slope}); only slope 0.01 is supported")
        return "leaky_relu"
    raise UnsupportedTorchModule(f"{owner}: activation {activation!r}")


def _check_attention(mha, owner: str) -> bool:
    """Checks a MultiheadAttention; returns whether it has biases."""
    if not getattr(mha, "_qkv_same_embed_dim", True):
        raise UnsupportedTorchModule(
            f"{owner}: kdim={mha.kdim}, vdim={mha.vdim} differ from "
            f"embed_dim={mha.embed_dim}; only self-attention with one "
            "in_proj_weight is supported")
    if mha.bias_k is not None or mha.bias_v is not None:
        raise UnsupportedTorchModule(f"{owner}: add_bias_kv=True")
    if mha.add_zero_attn:
        raise UnsupportedTorchModule(f"{owner}: add_zero_attn=True")
    _check_dropout(owner, float(mha.dropout), mha.training)
    in_bias = mha.in_proj_bias is not None
    out_bias = mha.out_proj.bias is not None
    if in_bias != out_bias:
        raise UnsupportedTorchModule(
            f"{owner}: bias on {'in_proj' if in_bias else 'out_proj'} only; "
            "biases must be on all projections or on none")
    return in_bias


def _check_norm(norm, owner: str, d_model: int) -> float:
    if tuple(norm.normalized_shape) != (d_model,):
        raise UnsupportedTorchModule(
            f"{owner}: normalized_shape={tuple(norm.normalized_shape)}; "
            f"expected ({d_model},)")
    return float(norm.eps)


def _layer_config(layer, owner: str) -> _LayerConfig:
    mha = layer.self_attn
    attn_bias = _check_attention(mha, f"{owner}.self_attn")
    d_model = mha.embed_dim
    ffn_biases = [layer.linear1.bias is not None,
                  layer.linear2.bias is not None]
    if any(b != attn_bias for b in ffn_biases):
        raise UnsupportedTorchModule(
            f"{owner}: bias on some of self_attn, linear1, linear2 but not "
            "all; biases must be on all projections or on none")
    for name in ("dropout", "dropout1", "dropout2"):
        module = getattr(layer, name, None)
        if module is not None:
            _check_dropout(f"{owner}.{name}", float(module.p), layer.training)
    eps1 = _check_norm(layer.norm1, f"{owner}.norm1", d_model)
    eps2 = _check_norm(layer.norm2, f"{owner}.norm2", d_model)
    if eps1 != eps2:
        raise UnsupportedTorchModule(
            f"{owner}: norm1.eps={eps1} differs from norm2.eps={eps2}")
    return _LayerConfig(
        d_model=d_model, heads=mha.num_heads, ffn=layer.linear1.out_features,
        activation=_activation_name(layer.activation, f"{owner}.activation"),
        pre_norm=bool(layer.norm_first), bias=attn_bias, layer_norm_eps=eps1,
        batch_first=bool(mha.batch_first))


def _attention_params(mha, prefix: str, bias: bool) -> Dict[str, np.ndarray]:
    d = mha.embed_dim
    w = mha.in_proj_weight
    params = {
        prefix + "wq": _weight(w[0:d]),
        prefix + "wk": _weight(w[d:2 * d]),
        prefix + "wv": _weight(w[2 * d:3 * d]),
        prefix + "wo": _weight(mha.out_proj.weight),
    }
    if bias:
        b = mha.in_proj_bias
        params.update({
            prefix + "bq": _array(b[0:d]),
            prefix + "bk": _array(b[d:2 * d]),
            prefix + "bv": _array(b[2 * d:3 * d]),
            prefix + "bo": _array(mha.out_proj.bias),
        })
    return params


def _norm_params(norm, prefix: str) -> Dict[str, np.ndarray]:
    d = int(norm.normalized_shape[0])
    gamma = _array(norm.weight) if norm.weight is not None else \
        np.ones(d, np.float32)
    beta = _array(norm.bias) if norm.bias is not None else \
        np.zeros(d, np.float32)
    return {prefix + "gamma": gamma, prefix + "beta": beta}


def _layer_params(layer, index: int, bias: bool) -> Dict[str, np.ndarray]:
    prefix = f"layers.{index}."
    params = _attention_params(layer.self_attn, prefix + "attn.", bias)
    params.update(_norm_params(layer.norm1, prefix + "ln1."))
    params[prefix + "ffn.w0"] = _weight(layer.linear1.weight)
    if bias:
        params[prefix + "ffn.b0"] = _array(layer.linear1.bias)
    params[prefix + "ffn.w1"] = _weight(layer.linear2.weight)
    if bias:
        params[prefix + "ffn.b1"] = _array(layer.linear2.bias)
    params.update(_norm_params(layer.norm2, prefix + "ln2."))
    return params


def _bind(module, params: Dict[str, np.ndarray], metadata: Dict[str, str]) \
        -> Model:
    """A Model of `module` with exactly `params` (all of them, no others)."""
    declared = [name for name, *_ in module.params()]
    missing = sorted(set(declared) - set(params))
    extra = sorted(set(params) - set(declared))
    if missing or extra:  # pragma: no cover - an importer/builder mismatch
        raise RuntimeError("import_torch does not match the encoder builder: "
                           f"missing {missing}, unexpected {extra}")
    return Model(module, params, metadata=metadata)


def _metadata(kind: str, config: _LayerConfig, layers: int) -> Dict[str, str]:
    return {"generator": "attn_mlir.import_torch", "torch_module": kind,
            "layers": str(layers), "batch_first": str(config.batch_first)}


def _encoder_layers(module) -> List:
    torch = _torch()
    nn = torch.nn
    if isinstance(module, nn.TransformerEncoder):
        if module.norm is not None:
            raise UnsupportedTorchModule(
                "TransformerEncoder: norm (a final LayerNorm) is not "
                "supported: attn encoders have no final norm (DESIGN.md "
                "section 2); build the encoder without it")
        return list(module.layers)
    return [module]


def _mask_kind(mask: bool, key_padding_mask: bool) -> str:
    for name, value in (("mask", mask), ("key_padding_mask", key_padding_mask)):
        if not isinstance(value, bool):
            raise UnsupportedTorchModule(
                f"{name}= takes True or False, got a "
                f"{type(value).__name__}: a fixed mask cannot be imported; "
                "pass True to take the mask as a run-time input (its values "
                "are given when the model is called)")
    if mask and key_padding_mask:
        return "both"
    return "additive" if mask else "key_padding" if key_padding_mask else \
        "none"


def import_torch(module, seq_len: int = 0, batch: int = 1,
                 causal: bool = False, mask: bool = False,
                 key_padding_mask: bool = False) -> Model:
    """A PyTorch module as an attn Model whose ``params`` hold its weights.

    `module`: ``nn.TransformerEncoder``, ``nn.TransformerEncoderLayer`` or
    ``nn.MultiheadAttention``. `seq_len` (0 = dynamic) and `batch` fix the
    input type ``[batch, seq_len, d_model]``; `causal` makes the attention
    causal (what PyTorch does when forward gets a causal mask). `mask` and
    `key_padding_mask` make the model take PyTorch's ``src_mask``
    (``attn_mask``) ``[T, T]`` and ``src_key_padding_mask``
    (``key_padding_mask``) ``[B, T]`` at run time, as inputs ``mask`` and
    ``key_padding_mask`` after x (combined with `causal` when both are
    set). Raises `UnsupportedTorchModule` naming any option that cannot be
    expressed.
    """
    torch = _torch()
    nn = torch.nn
    mask_kind = _mask_kind(mask, key_padding_mask)

    if isinstance(module, nn.MultiheadAttention):
        bias = _check_attention(module, "MultiheadAttention")
        native_module = native.build_self_attention(
            context(), d_model=module.embed_dim, heads=module.num_heads,
            causal=causal, bias=bias, batch=batch, seq_len=seq_len,
            mask=mask_kind)
        params = _attention_params(module, "layers.0.attn.", bias)
        return _bind(native_module, params, {
            "generator": "attn_mlir.import_torch",
            "torch_module": "MultiheadAttention", "layers": "1",
            "batch_first": str(bool(module.batch_first))})

    if not isinstance(module, (nn.TransformerEncoder,
                               nn.TransformerEncoderLayer)):
        raise UnsupportedTorchModule(
            f"{type(module).__name__}: expected nn.TransformerEncoder, "
            "nn.TransformerEncoderLayer or nn.MultiheadAttention")
    kind = type(module).__name__
    layers = _encoder_layers(module)
    if not layers:
        raise UnsupportedTorchModule(f"{kind}: no layers")
    owner = "layers.{}" if isinstance(module, nn.TransformerEncoder) else kind
    configs = [_layer_config(layer, owner.format(i))
               for i, layer in enumerate(layers)]
    config = configs[0]
    for i, other in enumerate(configs[1:], start=1):
        for field, value in vars(other).items():
            if value != getattr(config, field):
                raise UnsupportedTorchModule(
                    f"layers.{i}: {field}={value} differs from layers.0 "
                    f"({getattr(config, field)}); every layer must be alike")

    native_module = native.build_encoder(
        context(), layers=len(layers), d_model=config.d_model,
        heads=config.heads, ffn=config.ffn, activation=config.activation,
        pre_norm=config.pre_norm, causal=causal, bias=config.bias,
        batch=batch, seq_len=seq_len, layer_norm_eps=config.layer_norm_eps,
        mask=mask_kind)
    params: Dict[str, np.ndarray] = {}
    for i, layer in enumerate(layers):
        params.update(_layer_params(layer, i, config.bias))
    return _bind(native_module, params, _metadata(kind, config, len(layers)))


__all__ = ["import_torch", "UnsupportedTorchModule"]
