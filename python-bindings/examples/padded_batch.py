#!/usr/bin/env python3
"""Run a PyTorch encoder on a padded batch with masks given at run time.

    PYTHONPATH=build/python_packages /usr/bin/python3 \\
        python-bindings/examples/padded_batch.py [--layers 4] [--batch 4]

Builds a torch.nn.TransformerEncoder, imports it with run-time masks
(import_torch(..., mask=True, key_padding_mask=True)), compiles it for the
CPU and calls it the way PyTorch's forward is called, with a causal
src_mask and a src_key_padding_mask for sequences of different lengths
(bool masks, True = not allowed to attend). Prints the max relative error
against PyTorch; padded rows are compared too (PyTorch runs its reference
path, see docs/python.md, "Masks").
"""

import argparse
import sys

import numpy as np

import attn_mlir as am


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--d-model", type=int, default=64)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq-len", type=int, default=32)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        print("this example needs PyTorch (Debian: python3-torch)")
        return 1
    nn = torch.nn
    torch.manual_seed(0)

    layer = nn.TransformerEncoderLayer(args.d_model, args.heads,
                                       4 * args.d_model, batch_first=True)
    encoder = nn.TransformerEncoder(layer, args.layers,
                                    enable_nested_tensor=False).eval()
    model = am.import_torch(encoder, batch=args.batch, mask=True,
                            key_padding_mask=True)
    lib = model.compile()
    print(f"compiled: inputs {lib.input_shapes}")

    t = args.seq_len
    x = torch.randn(args.batch, t, args.d_model)
    lengths = torch.linspace(t, max(1, t // 4), args.batch).long()
    padding = torch.arange(t)[None, :] >= lengths[:, None]    # True = pad
    causal = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)  # True = masked
    expected = encoder(x, mask=causal, src_key_padding_mask=padding)
    y = lib(x, mask=causal, key_padding_mask=padding)
    err = np.abs(y - expected.detach().numpy()).max() / \
        np.abs(expected.detach().numpy()).max()
    print(f"lengths {lengths.tolist()}: max relative error vs PyTorch "
          f"{err:.2e}")
    return 0 if err < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
