#!/usr/bin/env python3
"""NumPy reference of an attn encoder stack, written from the equations.

Independent of the compiler: it reads the parameters from a safetensors file
with its own parser (8-byte little-endian header length, JSON header, raw
data), runs the layers in float64 and compares the result with a model
output (.npy), typically written by attn-run.

Layers follow DESIGN.md section 2 (PyTorch's nn.TransformerEncoderLayer):
  post-norm: x = ln1(x + attn(x)); x = ln2(x + ffn(x))
  pre-norm:  x = x + attn(ln1(x)); x = x + ffn(ln2(x))      (no final norm)
  attn(x) = concat_h(softmax(q_h k_h^T / sqrt(dk) [+ masks]) v_h) wo + bo
  masks: causal (-inf above the diagonal), --mask M ([T, T], added to every
  batch row and head), --key-padding-mask P ([B, T], P[b, j] added to the
  scores of key j in batch row b); a bool mask is PyTorch's: true = -inf.
  q = x wq + bq, k = x wk + bk, v = x wv + bv             (weights are [in, out])
  ffn(x) = act(x w0 + b0) w1 + b1, gelu in its exact erf form.

The layout of the stack is read from the parameter names (those of the
compiled model's manifest, --manifest, when the file holds more, e.g. the
parameters of the model before a rewrite):
  - a layer without `attn.wq`/`attn.wk` reuses the attention map of the most
    recent layer that computed one (attention-map reuse, Shim et al.); its
    values and output projection are its own and may be wider (E*dv);
  - a layer without `attn.wv` uses its keys as values (key-value tying);
  - missing biases are zero.

Error: max|y - ref| / max|ref| (the max-norm relative error of the whole
output). The script exits with 1 when it exceeds --tolerance.
"""

import argparse
import json
import math
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (header_len,) = struct.unpack("<Q", data[:8])
    if 8 + header_len > len(data):
        raise ValueError(f"{path}: header length {header_len} past the end")
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {info['dtype']}, expected F32")
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        count = int(np.prod(shape)) if shape else 1
        if end - begin != 4 * count or base + end > len(data):
            raise ValueError(f"{path}: {name} has bad offsets")
        tensors[name] = np.frombuffer(
            data[base + begin:base + end], dtype="<f4").reshape(shape).astype(
                np.float64)
    return tensors


def layer_norm(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


_erf = np.vectorize(math.erf)


def activation(name, x):
    if name == "relu":
        return np.maximum(x, 0)
    if name == "gelu":
        return 0.5 * x * (1 + _erf(x / math.sqrt(2)))
    if name == "silu":
        return x / (1 + np.exp(-x))
    if name == "leaky_relu":
        return np.where(x >= 0, x, 0.01 * x)
    raise ValueError(f"unknown activation {name}")


def softmax(s):
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def heads(x, w, b, num_heads):
    """[B, T, D] x [D, H*d] -> [B, H, T, d]."""
    y = x @ w + (b if b is not None else 0)
    bsz, t, width = y.shape
    return y.reshape(bsz, t, num_heads, width // num_heads).transpose(0, 2, 1, 3)


class Encoder:
    def __init__(self, params, num_heads, norm, causal, act, eps, mask=None,
                 key_padding_mask=None):
        self.p = params
        self.mask = mask
        self.key_padding_mask = key_padding_mask
        self.heads = num_heads
        self.norm = norm
        self.causal = causal
        self.act = act
        self.eps = eps
        self.layers = sorted({int(n.split(".")[1]) for n in params
                              if n.startswith("layers.")})

    def get(self, name):
        return self.p.get(name)

    def attention(self, i, x, shared_map):
        a = f"layers.{i}.attn."
        wq, wk = self.get(a + "wq"), self.get(a + "wk")
        if wq is not None and wk is not None:
            q = heads(x, wq, self.get(a + "bq"), self.heads)
            k = heads(x, wk, self.get(a + "bk"), self.heads)
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(q.shape[-1])
            if self.causal:
                t = scores.shape[-1]
                scores = scores + np.triu(np.full((t, t), -np.inf), k=1)
            if self.mask is not None:
                scores = scores + self.mask
            if self.key_padding_mask is not None:
                scores = scores + self.key_padding_mask[:, None, None, :]
            attn_map = softmax(scores)
        else:
            if shared_map is None:
                raise ValueError(f"layer {i} reuses a map but no earlier layer "
                                 "computes one")
            attn_map, k = shared_map, None
        wv = self.get(a + "wv")
        if wv is not None:
            v = heads(x, wv, self.get(a + "bv"), self.heads)
        elif k is not None:
            v = k  # key-value tying
        else:
            raise ValueError(f"layer {i} has neither values nor keys")
        o = attn_map @ v  # [B, H, T, dv]
        bsz, h, t, dv = o.shape
        o = o.transpose(0, 2, 1, 3).reshape(bsz, t, h * dv)
        out = o @ self.get(a + "wo")
        if self.get(a + "bo") is not None:
            out = out + self.get(a + "bo")
        return out, attn_map

    def ffn(self, i, x):
        f = f"layers.{i}.ffn."
        depth = 0
        while self.get(f"{f}w{depth}") is not None:
            depth += 1
        for j in range(depth):
            x = x @ self.get(f"{f}w{j}")
            if self.get(f"{f}b{j}") is not None:
                x = x + self.get(f"{f}b{j}")
            if j + 1 < depth:
                x = activation(self.act, x)
        return x

    def forward(self, x):
        shared = None
        for i in self.layers:
            ln = lambda n, y: layer_norm(y, self.get(f"layers.{i}.{n}.gamma"),
                                         self.get(f"layers.{i}.{n}.beta"),
                                         self.eps)
            if self.norm == "post":
                attn_out, shared = self.attention(i, x, shared)
                x = ln("ln1", x + attn_out)
                x = ln("ln2", x + self.ffn(i, x))
            else:
                attn_out, shared = self.attention(i, ln("ln1", x), shared)
                x = x + attn_out
                x = x + self.ffn(i, ln("ln2", x))
        return x


def make_input(spec, seed, path):
    """Writes a float32 input of shape `spec` ("1x7x16"), uniform on [-1, 1)."""
    shape = tuple(int(d) for d in spec.split("x"))
    x = np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)
    np.save(path, x)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--make-input", metavar="SHAPE",
                        help="only write a random input of SHAPE (e.g. "
                        "1x7x16) to --input, seeded by --seed")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--params")
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", help="the output to check (.npy)")
    parser.add_argument("--manifest",
                        help="model.json of the compiled model: use only its "
                        "parameters")
    parser.add_argument("--heads", type=int)
    parser.add_argument("--norm", choices=["post", "pre"], default="post")
    parser.add_argument("--causal", action="store_true")
    parser.add_argument("--mask", help="additive [T, T] mask (.npy)")
    parser.add_argument("--key-padding-mask",
                        help="additive [B, T] key-padding mask (.npy)")
    parser.add_argument("--activation", default="silu")
    parser.add_argument("--epsilon", type=float, default=1e-5)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()
    if args.make_input:
        return make_input(args.make_input, args.seed, args.input)
    if not args.params or not args.output or not args.heads:
        parser.error("--params, --output and --heads are required")

    params = read_safetensors(args.params)
    if args.manifest:
        with open(args.manifest) as f:
            names = [p["name"] for p in json.load(f)["params"]]
        missing = [n for n in names if n not in params]
        if missing:
            print(f"FAIL: {args.params} lacks {missing[0]}")
            return 1
        params = {n: params[n] for n in names}
    x = np.load(args.input).astype(np.float64)
    y = np.load(args.output).astype(np.float64)
    def load_mask(path):
        if path is None:
            return None
        m = np.load(path)
        if m.dtype == np.bool_:
            return np.where(m, -np.inf, 0.0)
        return m.astype(np.float64)

    ref = Encoder(params, args.heads, args.norm, args.causal, args.activation,
                  args.epsilon, load_mask(args.mask),
                  load_mask(args.key_padding_mask)).forward(x)
    if y.shape != ref.shape:
        print(f"FAIL: output shape {y.shape}, reference {ref.shape}")
        return 1
    if not np.all(np.isfinite(y)):
        print("FAIL: the output has non-finite values")
        return 1
    err = np.abs(y - ref).max() / np.abs(ref).max()
    verdict = "OK" if err <= args.tolerance else "FAIL"
    print(f"{verdict}: max relative error {err:.3e} "
          f"(max|y-ref|/max|ref|, tolerance {args.tolerance:g}), "
          f"shape {list(y.shape)}")
    return 0 if err <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
