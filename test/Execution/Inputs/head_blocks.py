"""Inputs and checks for attention-head-blocks.test.

`inputs DIR T`: q, k [2, 3, T, 20], v, v2 [2, 3, T, 24] and an additive mask
  [2, 3, T, T], different in every (batch, head), with -inf entries and one
  fully masked row per head (query (17 b + 5 h) % T), whose output is 0.
`check DIR OUT.npy`: compares with softmax(q k^T / 4 + mask) v in float64
  (max relative error 1e-4, relative to at least 1e-2) and prints the error.
`check-sum DIR OUT.npy`: the same for the map applied to v plus to v2.
"""
import sys

import numpy as np


def make(directory, length):
    rng = np.random.default_rng(length)
    q, k = (rng.uniform(-1, 1, (2, 3, length, 20)).astype(np.float32)
            for _ in range(2))
    v, v2 = (rng.uniform(-1, 1, (2, 3, length, 24)).astype(np.float32)
             for _ in range(2))
    mask = rng.uniform(-1, 1, (2, 3, length, length)).astype(np.float32)
    mask[rng.random(mask.shape) < 0.2] = -np.inf
    for b in range(2):
        for h in range(3):
            mask[b, h, (17 * b + 5 * h) % length, :] = -np.inf
    for name, array in (("q", q), ("k", k), ("v", v), ("v2", v2),
                        ("mask", mask)):
        np.save(f"{directory}/{name}.npy", array)


def reference(directory, values):
    q, k, mask = (np.load(f"{directory}/{n}.npy").astype(np.float64)
                  for n in ("q", "k", "mask"))
    v = sum(np.load(f"{directory}/{n}.npy").astype(np.float64) for n in values)
    logits = q @ k.swapaxes(-1, -2) / 4.0 + mask
    row_max = logits.max(axis=-1, keepdims=True)
    masked = np.isneginf(row_max)
    p = np.exp(logits - np.where(masked, 0.0, row_max))
    sums = p.sum(axis=-1, keepdims=True)
    return np.where(masked, 0.0, p / np.where(masked, 1.0, sums)) @ v


def check(directory, result, values):
    got = np.load(result).astype(np.float64)
    want = reference(directory, values)
    if got.shape != want.shape:
        print(f"shape {got.shape} != {want.shape}")
        return
    # Relative to at least 1e-2: the outputs are weighted means of values in
    # [-1, 1] (sums of two), and one near 0 is a cancellation whose f32
    # rounding (~1e-7 absolute) says nothing about the kernel's accuracy.
    error = (np.abs(got - want) / np.maximum(np.abs(want), 1e-2)).max()
    zero_rows = (got == 0).all(axis=-1).sum()
    print(f"zero rows {int(zero_rows)} ok {bool(error < 1e-4)} "
          f"(max relative error {error:.2e})")


if __name__ == "__main__":
    if sys.argv[1] == "inputs":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        check(sys.argv[2], sys.argv[3],
              ("v", "v2") if sys.argv[1] == "check-sum" else ("v",))
