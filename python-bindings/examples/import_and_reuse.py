#!/usr/bin/env python3
"""Import a PyTorch encoder, rewrite it with attention-map reuse, and see
what the rewrite saves.

    PYTHONPATH=build/python_packages /usr/bin/python3 \\
        python-bindings/examples/import_and_reuse.py [--layers 16] [--out DIR]
        [--compile]

Steps: build a torch.nn.TransformerEncoder (16 layers, d_model 256, 4 heads,
ffn 1024, as in the map-reuse paper's Conformer-M), import it with its
weights, rewrite it with 4x4 map reuse (value-expansion 2, as in the paper),
print attn-report for both, and save both models (.mlir + .safetensors).
With --compile, also compile both for the CPU, check the imported model
against PyTorch and time one call of each.
"""

import argparse
import sys
from pathlib import Path

import attn_mlir as am


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, default=16)
    parser.add_argument("--group-size", type=int, default=4)
    parser.add_argument("--seq-len", type=int, default=1024,
                        help="sequence length of the reports")
    parser.add_argument("--run-len", type=int, default=128,
                        help="sequence length of the --compile run")
    parser.add_argument("--out", type=Path, default=None,
                        help="directory to save both models to")
    parser.add_argument("--compile", action="store_true",
                        help="compile, check against PyTorch and time")
    args = parser.parse_args()

    try:
        import torch
    except ImportError:
        print("this example needs PyTorch (Debian: python3-torch)",
              file=sys.stderr)
        return 1

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(
        d_model=256, nhead=4, dim_feedforward=1024, batch_first=True)
    encoder = torch.nn.TransformerEncoder(
        layer, num_layers=args.layers, enable_nested_tensor=False).eval()

    # 1. Import: the same IR attn-model builds, with PyTorch's weights.
    model = am.import_torch(encoder)
    print(f"imported: {len(model.params)} parameters, "
          f"{sum(v.size for v in model.params.values()):,} values")

    # 2. Rewrite: any pass pipeline text.
    reused = model.apply(
        f"attn-decompose,attn-reuse-map{{group-size={args.group_size} "
        "value-expansion=2}")
    new = [name for name, info in reused.param_info.items()
           if info.init == "train"]
    print(f"reuse: {len(new)} new (wider) parameters to train, e.g. "
          f"{new[0] if new else '-'}")
    if reused.diagnostics:
        print(reused.diagnostics)

    # 3. What the rewrite saves, from the cost model of attn-report.
    before = model.report(seq_len=args.seq_len)
    after = reused.report(seq_len=args.seq_len)
    print(before)
    print(after)
    for key, saving in before.saving(after).items():
        print(f"  {key:>20}: {100 * saving:6.1f} % less")

    # 4. Save: .mlir plus .safetensors beside it (attn-opt, attn-compile
    #    and attn-run read them).
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        model.save(args.out / "encoder.mlir")
        reused.save(args.out / "reused.mlir")
        print(f"saved to {args.out}")

    # 5. Compile ahead of time, run on NumPy arrays, compare with PyTorch.
    if args.compile:
        import time

        import numpy as np

        x = np.random.default_rng(0).standard_normal(
            (1, args.run_len, 256)).astype(np.float32)
        with torch.no_grad():
            expected = encoder(torch.from_numpy(x)).numpy()
        for name, m in (("imported", model), ("reused", reused)):
            start = time.perf_counter()
            lib = m.compile(target="cpu", lowering="vector")
            compiled = time.perf_counter() - start
            start = time.perf_counter()
            y = lib(x)
            ran = time.perf_counter() - start
            print(f"{name}: compiled in {compiled:.1f} s, one call on "
                  f"{x.shape} in {1000 * ran:.0f} ms")
            if name == "imported":
                error = np.abs(y - expected).max() / np.abs(expected).max()
                print(f"  max relative error against PyTorch: {error:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
