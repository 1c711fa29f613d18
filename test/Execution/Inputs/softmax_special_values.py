"""Inputs and checks for softmax-special-values.test.

`inputs DIR`: q, k, v [1, 2, 40, 16] and an additive mask [1, 1, 40, 40]:
  query 3:  one NaN logit (mask[3, 30]); its output is NaN.
  query 7:  every logit NaN; its output is NaN (not 0, as if masked).
  query 11: every key masked (-inf); its output is 0.
  query 13: keys 0..19 masked, NaN at key 25 (second block of 16 and
            later): NaN.
  query 17: keys 0..31 masked (two whole blocks of 16 see no key).
  the rest: ordinary rows, some with -inf entries.
`check DIR OUT.npy`: compares with softmax(q k^T / 4 + mask) v in float64,
NaN where the reference is NaN, max relative error 1e-4 elsewhere.
`check-map DIR OUT.npy`: the same for the map softmax(q k^T / 4 + mask).
"""
import sys

import numpy as np


def make(directory):
    rng = np.random.default_rng(7)
    q, k, v = (rng.uniform(-1, 1, (1, 2, 40, 16)).astype(np.float32)
               for _ in range(3))
    mask = rng.uniform(-1, 1, (1, 1, 40, 40)).astype(np.float32)
    mask[0, 0, rng.random((40, 40)) < 0.1] = -np.inf
    mask[0, 0, 3, 30] = np.nan
    mask[0, 0, 7, :] = np.nan
    mask[0, 0, 11, :] = -np.inf
    mask[0, 0, 13, :20] = -np.inf
    mask[0, 0, 13, 25] = np.nan
    mask[0, 0, 17, :32] = -np.inf
    for name, array in (("q", q), ("k", k), ("v", v), ("mask", mask)):
        np.save(f"{directory}/{name}.npy", array)


def reference(directory, map_only):
    q, k, v, mask = (np.load(f"{directory}/{n}.npy").astype(np.float64)
                     for n in ("q", "k", "v", "mask"))
    logits = q @ k.swapaxes(-1, -2) / 4.0 + mask
    attention = np.zeros(logits.shape)
    for h in range(q.shape[1]):
        for i in range(q.shape[2]):
            row = logits[0, h, i]
            if np.isnan(row).any():
                attention[0, h, i] = np.nan
            elif not np.isneginf(row).all():
                p = np.exp(row - row.max())
                attention[0, h, i] = p / p.sum()
    return attention if map_only else attention @ v


def check(directory, result, map_only):
    got = np.load(result).astype(np.float64)
    want = reference(directory, map_only)
    nan_rows = np.isnan(want).all(axis=-1)
    same_nan = (np.isnan(got).all(axis=-1) == nan_rows).all()
    finite = ~nan_rows
    error = (np.abs(got[finite] - want[finite]) /
             np.maximum(np.abs(want[finite]), 1e-3)).max()
    zero_rows = (want[finite] == 0).all(axis=-1).sum()
    print(f"nan rows {int(nan_rows.sum())} same {bool(same_nan)} "
          f"zero rows {int(zero_rows)} ok {bool(error < 1e-4)}")


if __name__ == "__main__":
    if sys.argv[1] == "inputs":
        make(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3], sys.argv[1] == "check-map")
