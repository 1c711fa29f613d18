#!/usr/bin/env python3
"""compare_npy.py a.npy b.npy [--rtol R] [--atol A]: prints the largest
absolute and relative differences and fails when an element of a differs
from b by more than atol + rtol * |b| (or the shapes differ)."""

import argparse
import sys

import numpy as np


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('a')
    parser.add_argument('b')
    parser.add_argument('--rtol', type=float, default=1e-4)
    parser.add_argument('--atol', type=float, default=1e-5)
    args = parser.parse_args()
    a, b = np.load(args.a), np.load(args.b)
    if a.shape != b.shape:
        sys.exit('shapes differ: %s vs %s' % (a.shape, b.shape))
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    bound = args.atol + args.rtol * np.abs(b.astype(np.float64))
    print('shape %s, max abs diff %.3g, max |b| %.3g' %
          (list(a.shape), diff.max(initial=0), np.abs(b).max(initial=0)))
    if not np.all(diff <= bound) or not np.all(np.isfinite(a)):
        sys.exit('differ beyond atol %g + rtol %g * |b|' % (args.atol, args.rtol))
    print('match')


if __name__ == '__main__':
    main()
