"""A NumPy reference of the attn encoder, written from the equations of
DESIGN.md section 2 and METHODS.md (not from the IR), in float64. It checks
that imported parameters mean what PyTorch's weights mean."""

import math

import numpy as np


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


ACTIVATIONS = {
    "relu": lambda x: np.maximum(x, 0),
    "gelu": lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2))),
    "silu": lambda x: x / (1 + np.exp(-x)),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.01 * x),
}


def self_attention(x, p, prefix, heads, causal, mask=None,
                   key_padding_mask=None):
    """x [B, T, D]; weights [in, out]; additive `mask` [T, T] and
    `key_padding_mask` [B, T] (0 attends, -inf masks out)."""
    def get(name):
        return p.get(prefix + name)

    def project(w, b):
        y = x @ w
        return y if b is None else y + b

    b_, t, _ = x.shape
    q = project(get("wq"), get("bq"))
    k = project(get("wk"), get("bk"))
    v = project(get("wv"), get("bv"))
    dk = q.shape[-1] // heads
    dv = v.shape[-1] // heads

    def split(y, d):
        return y.reshape(b_, t, heads, d).transpose(0, 2, 1, 3)

    q, k, v = split(q, dk), split(k, dk), split(v, dv)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dk)
    if causal:
        scores = scores + np.triu(np.full((t, t), -np.inf), 1)
    if mask is not None:
        scores = scores + np.asarray(mask, np.float64)
    if key_padding_mask is not None:
        scores = scores + np.asarray(key_padding_mask,
                                     np.float64)[:, None, None, :]
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    a = scores / scores.sum(-1, keepdims=True)
    o = (a @ v).transpose(0, 2, 1, 3).reshape(b_, t, heads * dv)
    out = o @ get("wo")
    return out if get("bo") is None else out + get("bo")


def feed_forward(x, p, prefix, activation):
    h = x @ p[prefix + "w0"]
    if prefix + "b0" in p:
        h = h + p[prefix + "b0"]
    h = ACTIVATIONS[activation](h)
    y = h @ p[prefix + "w1"]
    return y + p[prefix + "b1"] if prefix + "b1" in p else y


def encoder(x, params, layers, heads, activation, pre_norm=False,
            causal=False, eps=1e-5, mask=None, key_padding_mask=None):
    """The encoder stack on x [B, T, D] (masks as for self_attention)."""
    p = {name: np.asarray(value, np.float64) for name, value in params.items()}
    x = np.asarray(x, np.float64)
    for i in range(layers):
        pre = f"layers.{i}."

        def ln(y, which):
            return layer_norm(y, p[pre + which + ".gamma"],
                              p[pre + which + ".beta"], eps)

        def attn(y):
            return self_attention(y, p, pre + "attn.", heads, causal, mask,
                                  key_padding_mask)

        def ffn(y):
            return feed_forward(y, p, pre + "ffn.", activation)

        if pre_norm:
            x = x + attn(ln(x, "ln1"))
            x = x + ffn(ln(x, "ln2"))
        else:
            x = ln(x + attn(x), "ln1")
            x = ln(x + ffn(x), "ln2")
    return x


def max_relative_error(actual, expected):
    """max |actual - expected| / max |expected|."""
    actual = np.asarray(actual, np.float64)
    expected = np.asarray(expected, np.float64)
    return float(np.abs(actual - expected).max() / np.abs(expected).max())
