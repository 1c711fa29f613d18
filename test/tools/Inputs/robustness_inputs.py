"""Writes hostile and edge-case inputs for test/tools/limits.test and
test/tools/hostile-inputs.test (docs/robustness.md).

    robustness_inputs.py retype IN.safetensors OUT.safetensors NAME DTYPE
        NAME converted to DTYPE (F16, F64, BF16 or I32), offsets rewritten
    robustness_inputs.py npy OUT.npy B T D [nan-at=t,d] [inf-at=t,d] [seed=S]
        a float32 input; optional NaN / +Inf at [0, t, d]
    robustness_inputs.py deep-json OUT.safetensors DEPTH
        a safetensors file whose JSON header nests DEPTH arrays
    robustness_inputs.py deep-mlir OUT.mlir DEPTH KIND
        MLIR nested DEPTH levels: KIND = attr ([[...]]) or region, or
        strings: DEPTH brackets inside a comment and a string (no nesting)
"""

import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    return header, data[8 + n:]


def write_safetensors(path, tensors, metadata):
    header, payload = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(payload), len(payload) + len(raw)]}
        payload += raw
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    open(path, "wb").write(struct.pack("<Q", len(text)) + text + payload)


def retype(src, dst, name, dtype):
    header, payload = read_safetensors(src)
    meta = header.pop("__metadata__", None)
    numpy_types = {"F16": np.float16, "F64": np.float64, "I32": np.int32}
    tensors = {}
    for key, info in header.items():
        begin, end = info["data_offsets"]
        raw = payload[begin:end]
        if key == name:
            values = np.frombuffer(raw, dtype="<f4")
            if dtype == "BF16":
                raw = (values.view(np.uint32) >> 16).astype("<u2").tobytes()
            else:
                raw = values.astype(numpy_types[dtype]).tobytes()
            tensors[key] = (dtype, info["shape"], raw)
        else:
            tensors[key] = (info["dtype"], info["shape"], raw)
    write_safetensors(dst, tensors, meta)


def npy(path, b, t, d, *options):
    opts = dict(o.split("=") for o in options)
    rng = np.random.RandomState(int(opts.get("seed", 0)))
    x = rng.uniform(-1, 1, size=(int(b), int(t), int(d))).astype(np.float32)
    if "nan-at" in opts:
        i, j = map(int, opts["nan-at"].split(","))
        x[0, i, j] = np.nan
    if "inf-at" in opts:
        i, j = map(int, opts["inf-at"].split(","))
        x[0, i, j] = np.inf
    np.save(path, x)


def deep_json(path, depth):
    depth = int(depth)
    text = b"[" * depth + b"]" * depth
    open(path, "wb").write(struct.pack("<Q", len(text)) + text)


def deep_mlir(path, depth, kind):
    depth = int(depth)
    if kind == "strings":
        # Brackets in a comment, a string and an escaped quote: not nesting.
        text = ("// " + "[" * depth + "\n" + 'module attributes {test.s = "' +
                "[" * depth + '\\"' + "(" * depth + '"} {\n}\n')
    elif kind == "attr":
        text = ("func.func @f() attributes {a = " + "[" * depth + "]" * depth +
                "} {\n  return\n}\n")
    else:
        text = ("func.func @f() {\n" + '"test.r"() ({\n' * depth +
                "}) : () -> ()\n" * depth + "  return\n}\n")
    open(path, "w").write(text)


if __name__ == "__main__":
    commands = {"retype": retype, "npy": npy, "deep-json": deep_json,
                "deep-mlir": deep_mlir}
    commands[sys.argv[1]](*sys.argv[2:])
