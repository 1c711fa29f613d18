#!/usr/bin/python3
"""Times the attention core against the library sgemm, and dynamic T against static T.

Two measurements that issue 4's speed goals need besides encoder_bench.py,
each in one interleaved run (every round times every contender once for
every (T, threads) point; medians and the spread over rounds are reported):

  * attention core: a model that is one `attn.attend` of x [1, 4, T, 64]
    with itself (scores, softmax and apply, the flash loop the encoder's
    attention lowers to), compiled by `attn-compile --threads=N` and timed by
    `attn-run --json`, against PyTorch's (OpenBLAS) sgemm on the same shapes:
    torch.bmm of q [4, T, 64] by k^T [4, 64, T] plus torch.bmm of the map
    [4, T, T] by v [4, T, 64]: the same 2 * 2 * 4 * T^2 * 64 FLOPs that the
    core's GFLOP/s counts (exp and the softmax count nothing). The library
    run includes no softmax, so its rate is a ceiling for the core.
  * dynamic vs static T: the 16-layer encoder of encoder_bench.py (1x16)
    written with a dynamic T (attn-model --seq-len=0) and with each static T,
    both compiled for N threads and run at the same T.

PyTorch runs with the fair settings of encoder_bench.py (OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset, OMP_WAIT_POLICY=PASSIVE, large malloc thresholds,
OPENBLAS_NUM_THREADS = the thread count).
Results: bench/results/attention_core.md and bench/results/dynamic_t.md.

Usage: bench/core_bench.py [--seq-lens 128,256,512,1024] [--threads 1,2]
                           [--rounds 3] [--repeat 5] [--skip-dynamic]
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from encoder_bench import (BIN, MODEL, ROOT, TORCH_TIMING_PRELUDE,  # noqa: E402
                           WARMUP_S, fair_torch_env, run, total_flops,
                           warmup_calls)

HEADS, DK = 4, 64

CORE_MLIR = """func.func @forward(%x: tensor<1x{h}x?x{d}xf32>) -> tensor<1x{h}x?x{d}xf32> {{
  %y = attn.attend %x, %x, %x
      : (tensor<1x{h}x?x{d}xf32>, tensor<1x{h}x?x{d}xf32>, tensor<1x{h}x?x{d}xf32>)
      -> tensor<1x{h}x?x{d}xf32>
  return %y : tensor<1x{h}x?x{d}xf32>
}}
""".format(h=HEADS, d=DK)

SGEMM_SNIPPET = TORCH_TIMING_PRELUDE + r"""
T, threads, repeat, H, D = (int(a) for a in sys.argv[1:6])
torch.set_num_threads(threads)
torch.manual_seed(0)
q, kt, p, v = (torch.randn(H, T, D), torch.randn(H, D, T), torch.randn(H, T, T),
               torch.randn(H, T, D))
s, o = torch.empty(H, T, T), torch.empty(H, T, D)
def core():
    torch.bmm(q, kt, out=s)
    torch.bmm(p, v, out=o)
a, b, c = torch.randn(1024, 1024), torch.randn(1024, 1024), torch.empty(1024, 1024)
with torch.no_grad():
    core_ms = best(core)
    gemm_ms = best(lambda: torch.mm(a, b, out=c))
print(json.dumps({"core_ms": core_ms, "sgemm_gflops": 2 * 1024**3 / gemm_ms / 1e6}))
"""


def core_flops(T):
    return 2 * 2 * HEADS * T * T * DK


def attn_run(lib, T, n, repeat, warmup=1):
    r = json.loads(run([os.path.join(BIN, "attn-run"), lib, "--random-params",
                        "--random-inputs", f"--seq-len={T}", f"--threads={n}",
                        f"--warmup={warmup}", f"--repeat={repeat}", "--json"]))
    return r["time_ms"]["min"]


def summary(samples, key):
    values = samples[key]
    mid = statistics.median(values)
    return mid, (max(values) - min(values)) / mid


def write_table(out, name, lines):
    """Writes the markdown `lines` to out/name and prints them."""
    table = "\n".join(lines) + "\n"
    with open(os.path.join(out, name), "w") as f:
        f.write(table)
    print(table)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seq-lens", default="128,256,512,1024")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-dynamic", action="store_true",
                    help="only the attention core")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = ap.parse_args()
    seq_lens = [int(t) for t in args.seq_lens.split(",")]
    threads = [int(t) for t in args.threads.split(",")]
    os.makedirs(args.out, exist_ok=True)
    command = "bench/core_bench.py " + " ".join(sys.argv[1:])

    samples = {}
    with tempfile.TemporaryDirectory() as work:
        core = os.path.join(work, "core.mlir")
        with open(core, "w") as f:
            f.write(CORE_MLIR)
        core_libs, dyn_libs, static_libs = {}, {}, {}
        for n in threads:
            core_libs[n] = os.path.join(work, f"core-t{n}.so")
            run([os.path.join(BIN, "attn-compile"), core, f"--threads={n}", "-o", core_libs[n]])
        if not args.skip_dynamic:
            for T in [0] + seq_lens:
                mlir = os.path.join(work, f"encoder-T{T}.mlir")
                model = [a for a in MODEL if not a.startswith("--seq-len")]
                run([os.path.join(BIN, "attn-model"), *model, f"--seq-len={T}", "-o", mlir])
                for n in threads:
                    lib = os.path.join(work, f"encoder-T{T}-t{n}.so")
                    run([os.path.join(BIN, "attn-compile"), mlir, f"--threads={n}", "-o", lib])
                    (dyn_libs if T == 0 else static_libs)[(T, n)] = lib
            encoder_flops = {T: total_flops(os.path.join(work, f"encoder-T{T}.mlir"), T)
                             for T in seq_lens}
        for rnd in range(args.rounds):
            for T in seq_lens:
                for n in threads:
                    samples.setdefault(("core", T, n), []).append(
                        attn_run(core_libs[n], T, n, args.repeat,
                                 warmup_calls(core_flops(T), n)))
                    t = json.loads(run(["/usr/bin/python3", "-c", SGEMM_SNIPPET, str(T), str(n),
                                        str(args.repeat), str(HEADS), str(DK)],
                                       env=fair_torch_env(n)))
                    samples.setdefault(("lib", T, n), []).append(t["core_ms"])
                    samples.setdefault(("sgemm", T, n), []).append(t["sgemm_gflops"])
                    if args.skip_dynamic:
                        continue
                    warmup = warmup_calls(encoder_flops[T], n)
                    samples.setdefault(("dynamic", T, n), []).append(
                        attn_run(dyn_libs[(0, n)], T, n, max(1, args.repeat // 2), warmup))
                    samples.setdefault(("static", T, n), []).append(
                        attn_run(static_libs[(T, n)], T, n, max(1, args.repeat // 2), warmup))
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)

    lines = ["# Attention core vs the library sgemm", "",
             f"Command: `{command}`", "",
             f"One `attn.attend` of x [1, {HEADS}, T, {DK}] with itself (q k^T, online "
             "softmax, p v: the encoder's flash loop), compiled with `attn-compile "
             "--threads=N`, against PyTorch 1.13 / OpenBLAS `torch.bmm` on the same "
             f"shapes (q [{HEADS}, T, {DK}] x k^T, map [{HEADS}, T, T] x v) without the "
             "softmax. GFLOP/s count the 2 * 2 * H * T^2 * dk FLOPs of the two "
             "products for both. Times: medians over rounds of each contender's "
             f"best-of-{args.repeat} (ms); spread = (max-min)/median over "
             f"{args.rounds} rounds. sgemm 1024^3 = torch.mm rate in the same run. "
             "PyTorch ran with OPENBLAS_NUM_THREADS = threads. Both first ran "
             f"about {WARMUP_S} s of untimed calls (attn-run's OpenMP threads start "
             "with its first call).", "",
             "| T | threads | attn-mlir core ms (spread) | GFLOP/s | library bmm ms (spread) "
             "| GFLOP/s | core / library rate | sgemm 1024^3 GFLOP/s | core / sgemm rate |",
             "|---|---|---|---|---|---|---|---|---|"]
    for T in seq_lens:
        for n in threads:
            core_ms, core_sp = summary(samples, ("core", T, n))
            lib_ms, lib_sp = summary(samples, ("lib", T, n))
            gemm, _ = summary(samples, ("sgemm", T, n))
            core_rate = core_flops(T) / core_ms / 1e6
            lib_rate = core_flops(T) / lib_ms / 1e6
            lines.append(f"| {T} | {n} | {core_ms:.2f} ({core_sp:.0%}) | {core_rate:.0f} | "
                         f"{lib_ms:.2f} ({lib_sp:.0%}) | {lib_rate:.0f} | "
                         f"{core_rate / lib_rate:.0%} | {gemm:.0f} | {core_rate / gemm:.0%} |")
    write_table(args.out, "attention_core.md", lines)
    if args.skip_dynamic:
        return

    lines = ["# Dynamic T vs static T (16-layer encoder, 1x16)", "",
             f"Command: `{command}`", "",
             "The encoder of encoder_bench.py written with a dynamic T "
             "(`attn-model --seq-len=0`) and with a static T, each compiled with "
             "`attn-compile --threads=N` and run at that T. Times: medians over "
             f"rounds of best-of-{max(1, args.repeat // 2)} (ms); spread = "
             "(max-min)/median.", "",
             "| T | threads | static ms (spread) | dynamic ms (spread) | dynamic / static |",
             "|---|---|---|---|---|"]
    for T in seq_lens:
        for n in threads:
            st, st_sp = summary(samples, ("static", T, n))
            dy, dy_sp = summary(samples, ("dynamic", T, n))
            lines.append(f"| {T} | {n} | {st:.1f} ({st_sp:.0%}) | {dy:.1f} ({dy_sp:.0%}) | "
                         f"{dy / st:.2f} |")
    write_table(args.out, "dynamic_t.md", lines)


if __name__ == "__main__":
    main()
