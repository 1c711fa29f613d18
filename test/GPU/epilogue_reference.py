#!/usr/bin/env python3
"""epilogue_reference.py [--mma none|f16|tf32] < output: checks the memrefs
that emulate-epilogue.mlir prints (printMemrefF32, in order) against NumPy,
computed in f64 from the same inputs (sin(c * i) in f32) and the equations
of each case; prints `case N shape [...] match` or the largest error, and
fails on a mismatch.

Tolerance: 1e-4 relative + 1e-5 absolute (f32, another summation order),
plus, with tensor cores, the error of rounding the operands: each product
x_ik w_kj is off by at most 2u |x_ik| |w_kj| (u = 2^-11 for f16, rounded to
nearest; 2^-10 for tf32, truncated), so x W by at most 2u (|x| |W|)_ij, and
the epilogues (gelu, silu, relu, leaky_relu: slopes at most 1.13) by 1.13
times that."""

import argparse
import math
import re
import sys

import numpy as np


def values(n, c):
    return np.sin(np.arange(n, dtype=np.float32) * np.float32(c)).astype(np.float32)


def printed_memrefs(text):
    """Every printed memref as (sizes, flat float64 data)."""
    result = []
    for block in re.split(r'Unranked Memref', text)[1:]:
        sizes = [int(s) for s in
                 re.search(r'sizes = \[([0-9, ]*)\]', block).group(1).split(',')]
        data = block.split('data =', 1)[1]
        numbers = re.findall(r'[-+]?(?:nan|inf|[0-9.]+(?:e[-+]?[0-9]+)?)', data)
        result.append((sizes, np.array([float(v) for v in numbers])))
    return result


def main():
    x = values(3552, 0.37).reshape(74, 48).astype(np.float64)
    w = values(3840, 0.11).reshape(48, 80).astype(np.float64)
    b = values(80, 0.7).astype(np.float64)
    r = values(5920, 0.05).reshape(74, 80).astype(np.float64)
    h = x @ w + b
    erf = np.vectorize(math.erf)
    gelu = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))
    silu = h / (1.0 + np.exp(-h))
    heads = h.reshape(2, 37, 5, 16).transpose(0, 2, 1, 3)
    leaky = np.where(h > 0, h, 0.01 * h)
    relu = np.maximum(h, 0.0).reshape(2, 37, 80)
    # Case 6: heads from the residual's values, W' and b' from W and b.
    h4 = r.reshape(2, 5, 37, 16)
    merged = h4.transpose(0, 2, 1, 3).reshape(74, 80)
    w2 = w.reshape(80, 48)
    b2 = b[:48]
    expected = [gelu + r, silu, heads, leaky, h, relu, merged @ w2 + b2]

    parser = argparse.ArgumentParser()
    parser.add_argument('--mma', choices=['none', 'f16', 'tf32'], default='none')
    args = parser.parse_args()
    u = {'none': 0.0, 'f16': 2.0 ** -11, 'tf32': 2.0 ** -10}[args.mma]
    operand = 1.13 * 2 * u * (np.abs(x) @ np.abs(w))
    operand_bounds = [operand, operand,
                      operand.reshape(2, 37, 5, 16).transpose(0, 2, 1, 3),
                      operand, operand, operand.reshape(2, 37, 80),
                      1.13 * 2 * u * (np.abs(merged) @ np.abs(w2))]

    printed = printed_memrefs(sys.stdin.read())
    if len(printed) != len(expected):
        sys.exit('expected %d memrefs, got %d' % (len(expected), len(printed)))
    ok = True
    for case, ((sizes, got), want, extra) in enumerate(
            zip(printed, expected, operand_bounds), 1):
        if sizes != list(want.shape) or got.size != want.size:
            print('case %d shape %s differs from %s' % (case, sizes, list(want.shape)))
            ok = False
            continue
        diff = np.abs(got - want.ravel())
        bound = 1e-5 + 1e-4 * np.abs(want.ravel()) + extra.ravel()
        if np.all(diff <= bound):
            print('case %d shape %s match (max abs diff %.2g, %.0f%% of the bound)' %
                  (case, sizes, diff.max(), 100 * np.max(diff / bound)))
        else:
            print('case %d shape %s differs: max abs diff %.3g' % (case, sizes, diff.max()))
            ok = False
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
