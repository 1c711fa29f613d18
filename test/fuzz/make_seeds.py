#!/usr/bin/python3
"""Builds the seed corpora of the attn fuzzers (test/fuzz, scripts/fuzz.sh).

    make_seeds.py SRC_ROOT TOOLS_DIR OUT_DIR

Writes OUT_DIR/<fuzzer>/ with:
  attn-pass-fuzzer         every `// -----` case of the lit tests in
                           test/Dialect, test/Transforms, test/Conversion and
                           models attn-model writes, each prefixed with the
                           selector byte of the pass its test file is about
  attn-safetensors-fuzzer  parameter files attn-model writes, plus small
                           hand-made files of every dtype
  attn-npy-fuzzer          .npy files numpy writes (every supported dtype,
                           empty and 0-d arrays, format 2.0)
  attn-manifest-fuzzer     model.json files attn-compile writes
Seeds are data, not tests: nothing here is checked in.
"""

import json
import os
import pathlib
import struct
import subprocess
import sys

# Selector bytes: indices into pass-pipelines.txt (AttnPassFuzzer.cpp's
# kPipelines). A test file named after a pass (attn-reuse-map*.mlir) gets the
# pipelines that start with that pass.
def load_pipelines():
    path = pathlib.Path(__file__).resolve().parent / "pass-pipelines.txt"
    lines = (l.strip() for l in path.read_text().splitlines())
    return [l for l in lines if l and not l.startswith("#")]


def selector_table(pipelines):
    table = {}
    for index, pipeline in enumerate(pipelines):
        first = pipeline.split(",")[0].split("{")[0]
        table.setdefault(first, []).append(index)
    table["AttnToLinalg"] = [i for i, p in enumerate(pipelines)
                             if "convert-attn-to-linalg" in p]
    # test/Dialect/Attn: roundtrip and invalid cases.
    table["Attn"] = [table["attn-decompose"][0],
                     table["convert-attn-to-linalg"][0]]
    return table


SELECTORS = selector_table(load_pipelines())


def selectors_for(path):
    name = path.stem
    for key, sel in SELECTORS.items():
        if name.startswith(key):
            return sel
    return SELECTORS.get(path.parent.name, [0])


def strip_comments(text):
    lines = [l for l in text.splitlines() if not l.lstrip().startswith("//")]
    return "\n".join(lines).strip() + "\n"


def write(out, name, data):
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(data)


def mlir_seeds(src, tools, out, tmp):
    count = 0
    for sub in ["test/Dialect", "test/Transforms", "test/Conversion"]:
        for path in sorted((src / sub).rglob("*.mlir")):
            cases = path.read_text().split("// -----")
            for i, case in enumerate(cases):
                body = strip_comments(case)
                if "attn." not in body:
                    continue
                for sel in selectors_for(path):
                    write(out, f"{path.stem}-{i}-{sel}.mlir",
                          bytes([sel]) + body.encode())
                    count += 1
    models = [
        ["--layers=1", "--d-model=8", "--heads=2", "--ffn=16", "--seq-len=4"],
        ["--layers=2", "--d-model=8", "--heads=2", "--ffn=16", "--seq-len=0",
         "--norm=pre", "--causal"],
        ["--layers=3", "--d-model=4", "--heads=1", "--ffn=8", "--seq-len=3",
         "--no-bias", "--activation=gelu"],
    ]
    for i, args in enumerate(models):
        text = subprocess.run([str(tools / "attn-model"), *args],
                              check=True, capture_output=True).stdout
        for sel in range(25):
            write(out, f"model{i}-{sel}.mlir", bytes([sel]) + text)
            count += 1
    return count


def safetensors_file(entries, metadata=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, shape, payload in entries:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(data), len(data) + len(payload)]}
        data += payload
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def safetensors_seeds(tools, out, tmp):
    for i, args in enumerate([["--layers=1", "--d-model=4", "--heads=1",
                               "--ffn=4"],
                              ["--layers=1", "--d-model=2", "--heads=2",
                               "--ffn=2", "--no-bias"]]):
        path = tmp / f"p{i}.safetensors"
        subprocess.run([str(tools / "attn-model"), *args, "-o", os.devnull,
                        f"--params-out={path}", "--seed=1"], check=True)
        write(out, f"attn-model-{i}.safetensors", path.read_bytes())
    sizes = {"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4,
             "I8": 1, "U8": 1, "BOOL": 1}
    for dtype, size in sizes.items():
        write(out, f"{dtype}.safetensors", safetensors_file(
            [("a", dtype, [2, 3], bytes(range(6 * size))),
             ("b", dtype, [], bytes(size)), ("c", dtype, [0, 4], b"")],
            {"k": "v"}))
    write(out, "empty.safetensors", safetensors_file([]))
    return len(sizes) + 3


def npy_seeds(out):
    import numpy as np
    arrays = {
        "f4": np.arange(6, dtype="<f4").reshape(2, 3),
        "f2": np.arange(4, dtype="<f2"),
        "f8": np.array(1.5, dtype="<f8"),
        "i8": np.arange(3, dtype="<i8"),
        "i4": np.zeros((2, 0, 3), dtype="<i4"),
        "i1": np.arange(5, dtype="i1"),
        "u1": np.arange(5, dtype="u1"),
        "b1": np.array([True, False]),
        "nan": np.array([np.nan, np.inf, -np.inf, 0.0], dtype="<f4"),
        "x": np.ones((1, 3, 4), dtype="<f4"),
    }
    import io
    for name, arr in arrays.items():
        buf = io.BytesIO()
        np.save(buf, arr)
        write(out, f"{name}.npy", buf.getvalue())
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arrays["f4"], version=(2, 0))
    write(out, "v2.npy", buf.getvalue())
    buf = io.BytesIO()
    np.save(buf, np.asfortranarray(arrays["f4"]))
    write(out, "fortran.npy", buf.getvalue())
    return len(arrays) + 2


def manifest_seeds(tools, out, tmp):
    count = 0
    for i, args in enumerate([["--seq-len=4"], ["--seq-len=0", "--causal"]]):
        model = tmp / f"m{i}.mlir"
        subprocess.run([str(tools / "attn-model"), "--layers=1",
                        "--d-model=8", "--heads=2", "--ffn=8", *args,
                        "-o", str(model)], check=True)
        lib = tmp / f"m{i}.so"
        subprocess.run([str(tools / "attn-compile"), str(model), "-o",
                        str(lib)], check=True)
        write(out, f"model{i}.json", (tmp / f"m{i}.json").read_bytes())
        count += 1
    return count


def main():
    src, tools, out = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    tmp = out / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    n = mlir_seeds(src, tools, out / "attn-pass-fuzzer", tmp)
    print(f"attn-pass-fuzzer: {n} seeds")
    n = safetensors_seeds(tools, out / "attn-safetensors-fuzzer", tmp)
    print(f"attn-safetensors-fuzzer: {n} seeds")
    n = npy_seeds(out / "attn-npy-fuzzer")
    print(f"attn-npy-fuzzer: {n} seeds")
    try:
        n = manifest_seeds(tools, out / "attn-manifest-fuzzer", tmp)
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        print(f"attn-manifest-fuzzer: attn-compile failed ({e}); "
              "no generated seeds")
        n = 0
    print(f"attn-manifest-fuzzer: {n} seeds")


if __name__ == "__main__":
    main()
