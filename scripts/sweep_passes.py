#!/usr/bin/python3
"""Pass sweep: every attn pass, and sensible chains of them, on every model
variant attn-model writes and on every input of the IR tests.

    scripts/sweep_passes.py [--quick] [--jobs N] [--timeout S] [--tools-dir D]
                            [--src-root R] [--failures-dir D]

Each run is `attn-opt --verify-each --pass-pipeline=...` (with
-split-input-file for the test inputs), and, when it succeeds, its output is
parsed and verified again by a second attn-opt (the printed IR must read
back). A run passes when it exits 0, or exits 1 with an `error:` diagnostic.
It fails on a crash (signal, assertion, LLVM ERROR, stack dump, sanitizer
report), a time-out, a failure without a diagnostic, or printed IR that does
not parse. Exit status 1 if any run failed; each failure is listed with the
command that reproduces it (and its input is kept in --failures-dir).

The full sweep: the single-pass pipelines of test/fuzz/pass-pipelines.txt
and the 7 "rewrite, then lower to linalg" chains on all 768 model variants
(norm post/pre x causal x bias x static/dynamic T x 1-3 layers x 4
activations x 4 run-time mask inputs), plus the 84 pairs of
rewrites (alone and followed by the lowering) on a covering set of variants
and on every test input (test/Transforms, test/Dialect/Attn,
test/Conversion/AttnToLinalg). scripts/sweep-passes.sh runs it.

--quick is the subset the default test suite runs (test/tools/pass-sweep.test):
the covering set of model variants (every value of every option appears)
with the 25 pipelines, and each test input with the passes its file is
about.
"""

import argparse
import concurrent.futures
import itertools
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

# Every attn pass alone, with the options that change what it builds: the
# single-pass lines of test/fuzz/pass-pipelines.txt (the pass fuzzer's list),
# read by make_seeds.load_pipelines.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent /
                       "test" / "fuzz"))
from make_seeds import load_pipelines  # noqa: E402

SINGLES = [p for p in load_pipelines() if "," not in p]

# The structural rewrites, chained in pairs (A then B, A != B).
REWRITES = [
    "attn-decompose",
    "attn-reuse-map",
    "attn-tie-kv",
    "attn-to-mhe",
    "attn-to-mgk",
    "attn-substitute-ff{variant=alr max-len=8}",
    "attn-substitute-ff{variant=deep-ff}",
]
LOWER = "attn-decompose,attn-fuse-attend,convert-attn-to-linalg"


def pipelines(pairs):
    result = list(SINGLES)
    # Every rewrite followed by the full lowering to linalg: the lowering
    # must take whatever a rewrite produces.
    result += [f"{r},{LOWER}" for r in REWRITES]
    if pairs:
        result += [f"{a},{b}" for a, b in itertools.permutations(REWRITES, 2)]
        result += [f"{a},{b},{LOWER}"
                   for a, b in itertools.permutations(REWRITES, 2)]
    return result


MODEL_OPTIONS = {
    "norm": ["post", "pre"],
    "causal": [False, True],
    "bias": [True, False],
    "seq-len": [4, 0],  # static T, dynamic T
    "layers": [1, 2, 3],
    "activation": ["relu", "gelu", "silu", "leaky_relu"],
    "mask": ["none", "additive", "key_padding", "both"],  # run-time masks
}


def model_variants(quick):
    keys = list(MODEL_OPTIONS)
    if not quick:
        return [dict(zip(keys, values))
                for values in itertools.product(*MODEL_OPTIONS.values())]
    # A covering set: variant i takes value i mod len(values) of each option
    # (shifted per option), so every value of every option appears.
    width = max(len(v) for v in MODEL_OPTIONS.values())
    variants = []
    for i in range(width):
        variants.append({k: MODEL_OPTIONS[k][(i + j) % len(MODEL_OPTIONS[k])]
                         for j, k in enumerate(keys)})
    return variants


def model_args(v):
    args = ["--d-model=8", "--heads=2", "--ffn=16", f"--norm={v['norm']}",
            f"--seq-len={v['seq-len']}", f"--layers={v['layers']}",
            f"--activation={v['activation']}", f"--mask={v['mask']}"]
    if v["causal"]:
        args.append("--causal")
    if not v["bias"]:
        args.append("--no-bias")
    return args


def model_name(v):
    return "model-{}-{}{}-T{}-L{}-{}-mask-{}".format(
        v["norm"], "causal" if v["causal"] else "full",
        "" if v["bias"] else "-nobias", v["seq-len"] or "dyn", v["layers"],
        v["activation"], v["mask"])


# Which pipelines a test input is about (by file name), for --quick.
def pipelines_for_test(path, quick, all_pipelines):
    if not quick:
        return all_pipelines
    stem = path.stem.replace("-invalid", "")
    own = [p for p in all_pipelines if p.split("{")[0].split(",")[0] == stem]
    if path.parent.name == "AttnToLinalg":
        own = ["convert-attn-to-linalg"]
    if path.parent.name == "Attn":
        own = ["attn-decompose", LOWER]
    return own[:2] + [f"{own[0]},{LOWER}"] if own else [LOWER]


CRASH_MARKERS = ["Stack dump", "PLEASE submit a bug report", "Assertion",
                 "LLVM ERROR", "UNREACHABLE", "Sanitizer", "runtime error:",
                 "Segmentation fault", "Aborted"]


def classify(rc, stderr, timed_out):
    if timed_out:
        return "TIMEOUT"
    if rc < 0 or rc >= 128 or any(m in stderr for m in CRASH_MARKERS):
        return "CRASH"
    if rc == 0:
        return "ok"
    if rc == 1 and "error:" in stderr:
        return "diagnostic"
    return "NO-DIAGNOSTIC"


def run_one(attn_opt, input_path, pipeline, split, timeout, tmpdir, index,
            args_keep_dir=None):
    out = os.path.join(tmpdir, f"out{index}.mlir")
    cmd = [attn_opt, str(input_path), "--verify-each",
           f"--pass-pipeline=builtin.module({pipeline})", "-o", out]
    if split:
        cmd.insert(2, "-split-input-file")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout, errors="replace")
        verdict = classify(p.returncode, p.stderr, False)
        stderr = p.stderr
    except subprocess.TimeoutExpired:
        verdict, stderr = "TIMEOUT", ""
    if verdict == "ok":
        # The printed IR must read back (and verify).
        back = [attn_opt, out, "-o", os.devnull]
        if split:
            back.insert(2, "-split-input-file")
        try:
            p = subprocess.run(back, capture_output=True, text=True,
                               timeout=timeout, errors="replace")
            if p.returncode != 0:
                crashed = classify(p.returncode, p.stderr, False) == "CRASH"
                verdict = "REPARSE-CRASH" if crashed else "REPARSE"
                stderr = p.stderr
                if args_keep_dir:
                    shutil.copy(out, args_keep_dir)
        except subprocess.TimeoutExpired:
            verdict, stderr = "TIMEOUT", ""
    if os.path.exists(out):
        os.remove(out)
    return verdict, cmd, stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--tools-dir", default=None,
                        help="where attn-opt and attn-model are (else PATH)")
    parser.add_argument("--src-root",
                        default=str(pathlib.Path(__file__).resolve().parents[1]))
    parser.add_argument("--failures-dir", default=None)
    args = parser.parse_args()

    def tool(name):
        if args.tools_dir:
            return str(pathlib.Path(args.tools_dir) / name)
        found = shutil.which(name)
        if not found:
            sys.exit(f"sweep: {name} not found (use --tools-dir)")
        return found

    src = pathlib.Path(args.src_root)
    tmpdir = tempfile.mkdtemp(prefix="attn-sweep-")
    # Private copies: a long sweep must not see a rebuild replace the tools
    # under it (they find libMLIR.so by absolute RUNPATH).
    attn_opt = shutil.copy(tool("attn-opt"), tmpdir)
    attn_model = shutil.copy(tool("attn-model"), tmpdir)
    if args.failures_dir:
        os.makedirs(args.failures_dir, exist_ok=True)
    # Every pipeline without pairs on every model variant; with the pairs of
    # rewrites on the covering set of variants (and on the test inputs).
    singles = pipelines(pairs=False)
    all_pipelines = pipelines(pairs=not args.quick)
    covering = model_variants(quick=True)

    jobs = []  # (input, pipeline, split)
    for v in model_variants(args.quick):
        path = pathlib.Path(tmpdir) / (model_name(v) + ".mlir")
        subprocess.run([attn_model, *model_args(v), "-o", str(path)],
                       check=True)
        chosen = all_pipelines if v in covering else singles
        jobs += [(path, p, False) for p in chosen]
    tests = []
    for sub in ["test/Transforms", "test/Dialect/Attn",
                "test/Conversion/AttnToLinalg"]:
        tests += sorted((src / sub).glob("*.mlir"))
    for path in tests:
        jobs += [(path, p, True)
                 for p in pipelines_for_test(path, args.quick, all_pipelines)]

    counts = {}
    failures = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_one, attn_opt, inp, p, split, args.timeout,
                               tmpdir, i, args.failures_dir)
                   for i, (inp, p, split) in enumerate(jobs)]
        for (inp, p, split), f in zip(jobs, futures):
            verdict, cmd, stderr = f.result()
            counts[verdict] = counts.get(verdict, 0) + 1
            if verdict not in ("ok", "diagnostic"):
                failures.append((verdict, inp, cmd, stderr))

    for verdict, inp, cmd, stderr in failures:
        if args.failures_dir:
            shutil.copy(inp, args.failures_dir)
        print(f"{verdict}: {' '.join(repr(c) if ' ' in c else c for c in cmd)}")
        lines = stderr.strip().splitlines()
        # A sanitizer report starts with the interesting part.
        start = next((i for i, l in enumerate(lines) if "ERROR:" in l), None)
        shown = lines[start:start + 20] if start is not None else lines[-12:]
        print("  " + "\n  ".join(shown))
    models = len(model_variants(args.quick))
    print(f"sweep: {len(jobs)} runs ({models} models, {len(all_pipelines)} "
          f"pipelines, {len(tests)} test inputs): " +
          ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    shutil.rmtree(tmpdir, ignore_errors=True)
    if failures:
        print(f"sweep: FAIL ({len(failures)} bad runs)")
        return 1
    print("sweep: PASS (every run exited 0 or with a clean diagnostic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
