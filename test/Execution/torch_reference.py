#!/usr/bin/env python3
"""Compares a compiled encoder's output with torch.nn.TransformerEncoderLayer.

Builds one nn.TransformerEncoderLayer per layer (batch_first, dropout 0,
eval mode) and loads the safetensors parameters into it: weights are stored
[in, out] (y = x W + b) and transposed once into torch's [out, in]; q, k and v
are concatenated into in_proj_weight / in_proj_bias. A causal model gets
torch's causal mask (-inf above the diagonal). The error is
max|y - ref| / max|ref|; the script exits with 1 above --tolerance.
"""

import argparse
import sys

import numpy as np
import torch

from encoder_reference import read_safetensors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--heads", type=int, required=True)
    parser.add_argument("--norm", choices=["post", "pre"], default="post")
    parser.add_argument("--causal", action="store_true")
    parser.add_argument("--activation", default="relu",
                        choices=["relu", "gelu", "silu"])
    parser.add_argument("--epsilon", type=float, default=1e-5)
    parser.add_argument("--tolerance", type=float, default=1e-4)
    args = parser.parse_args()

    torch.manual_seed(0)
    p = {k: torch.from_numpy(v) for k, v in read_safetensors(args.params).items()}
    layers = sorted({int(n.split(".")[1]) for n in p})
    d_model = p["layers.0.attn.wq"].shape[0]
    activation = {"relu": "relu", "gelu": "gelu",
                  "silu": torch.nn.functional.silu}[args.activation]
    stack = []
    for i in layers:
        a, f = f"layers.{i}.attn.", f"layers.{i}.ffn."
        layer = torch.nn.TransformerEncoderLayer(
            d_model, args.heads, dim_feedforward=p[f + "w0"].shape[1],
            dropout=0.0, activation=activation, layer_norm_eps=args.epsilon,
            batch_first=True, norm_first=args.norm == "pre",
            dtype=torch.float64)
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat(
                [p[a + "wq"].T, p[a + "wk"].T, p[a + "wv"].T]))
            layer.self_attn.in_proj_bias.copy_(torch.cat(
                [p[a + "bq"], p[a + "bk"], p[a + "bv"]]))
            layer.self_attn.out_proj.weight.copy_(p[a + "wo"].T)
            layer.self_attn.out_proj.bias.copy_(p[a + "bo"])
            layer.linear1.weight.copy_(p[f + "w0"].T)
            layer.linear1.bias.copy_(p[f + "b0"])
            layer.linear2.weight.copy_(p[f + "w1"].T)
            layer.linear2.bias.copy_(p[f + "b1"])
            for n, norm in (("ln1", layer.norm1), ("ln2", layer.norm2)):
                norm.weight.copy_(p[f"layers.{i}.{n}.gamma"])
                norm.bias.copy_(p[f"layers.{i}.{n}.beta"])
        layer.eval()
        stack.append(layer)

    x = torch.from_numpy(np.load(args.input).astype(np.float64))
    mask = None
    if args.causal:
        t = x.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf"),
                                     dtype=torch.float64), diagonal=1)
    with torch.no_grad():
        for layer in stack:
            x = layer(x, src_mask=mask)
    ref = x.numpy()
    y = np.load(args.output).astype(np.float64)
    if y.shape != ref.shape:
        print(f"FAIL: output shape {y.shape}, torch {ref.shape}")
        return 1
    err = np.abs(y - ref).max() / np.abs(ref).max()
    ok = bool(np.isfinite(err)) and err <= args.tolerance
    print(f"{'OK' if ok else 'FAIL'}: max relative error vs torch {err:.3e} "
          f"(max|y-ref|/max|ref|, tolerance {args.tolerance:g}), torch "
          f"{torch.__version__}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
