#!/usr/bin/python3
"""Times the compiled 16-layer encoder against PyTorch and the sgemm ceiling.

One interleaved run: every round times each contender once for every
(T, threads) point, so machine noise hits all of them alike; medians and the
spread over rounds are reported. Contenders:
  * attn-mlir: `attn-compile --threads=N` of the model rewritten by each
    configuration (1x16 = no reuse, 2x8, 4x4, 8x2 attention-map reuse, with
    E=1 and E=2), timed by `attn-run --json` (its own min over --repeat
    calls);
  * PyTorch 1.13: nn.TransformerEncoder with the same sizes, eval, no_grad,
    run with fair settings (shared/FACTS.md): OPENBLAS_CORETYPE and
    OPENBLAS_L2_SIZE unset, OMP_WAIT_POLICY=PASSIVE, large malloc thresholds,
    and OPENBLAS_NUM_THREADS set to the thread count (torch.set_num_threads
    does not limit Debian's OpenBLAS, which otherwise uses every core);
  * the sgemm ceiling: torch.mm on 1024^3 at the same thread count, which
    turns each model's FLOPs into a roofline time.
attn-report's predicted saving of each configuration is printed beside the
measured one. Results: bench/results/encoder.md and encoder.png.

Usage: bench/encoder_bench.py [--seq-lens 128,256,512,1024] [--threads 1,2]
                              [--configs 1x16,2x8,4x4,8x2] [--rounds 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(os.environ.get("ATTN_BUILD_DIR", os.path.join(ROOT, "build")), "bin")
MODEL = ["--layers=16", "--d-model=256", "--heads=4", "--ffn=1024",
         "--activation=silu", "--norm=post", "--batch=1", "--seq-len=0"]

# Both contenders run about WARMUP_S seconds of untimed calls first. attn-run's
# OpenMP team starts with its first call, and on this VM its two threads can
# share one core for the first tens of milliseconds (measured: the attention
# core at T=256 on 2 threads took 0.51 ms instead of 0.22 ms in such runs;
# bound threads never did). PyTorch's OpenBLAS threads start at import.
WARMUP_S = 0.1


def warmup_calls(flops, threads):
    """attn-run's untimed calls: about WARMUP_S seconds at 200 GFLOP/s a
    thread."""
    return max(1, int(WARMUP_S * 2e11 * threads / flops))


# What every PyTorch timing snippet starts with: imports and best(fn), the
# minimum over `repeat` timed calls after WARMUP_S seconds of untimed ones, in
# ms (`repeat` is set by the snippet before it calls best).
TORCH_TIMING_PRELUDE = r"""
import sys, time, json, torch
def best(fn):
    start = time.perf_counter()
    fn()
    while time.perf_counter() - start < %s:
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times) * 1e3
""" % WARMUP_S

TORCH_SNIPPET = TORCH_TIMING_PRELUDE + r"""
T, threads, repeat = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
layer = torch.nn.TransformerEncoderLayer(256, 4, 1024, dropout=0.0,
    activation=torch.nn.functional.silu, batch_first=True, norm_first=False)
model = torch.nn.TransformerEncoder(layer, 16, enable_nested_tensor=False).eval()
x = torch.randn(1, T, 256)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
with torch.no_grad():
    model_ms = best(lambda: model(x))
    gemm_ms = best(lambda: torch.mm(a, b))
print(json.dumps({"torch_ms": model_ms, "sgemm_gflops": 2 * 1024**3 / gemm_ms / 1e6}))
"""


def fair_torch_env(threads):
    """PyTorch's environment for `threads` threads. torch.set_num_threads
    does not reach Debian's OpenBLAS (pthreads build), which otherwise runs
    every GEMM on all cores: OPENBLAS_NUM_THREADS sets it."""
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env["OMP_NUM_THREADS"] = str(threads)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    env["MALLOC_MMAP_THRESHOLD_"] = str(1 << 30)
    env["MALLOC_TRIM_THRESHOLD_"] = str(1 << 30)
    env["MALLOC_TOP_PAD_"] = str(1 << 28)
    return env


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def build_configs(work, configs, threads):
    """Writes one model per configuration and compiles it once per thread
    count (the thread count is fixed at compile time)."""
    base = os.path.join(work, "model.mlir")
    run([os.path.join(BIN, "attn-model"), *MODEL, "-o", base])
    out = {}
    for name in configs:
        size, expand = name.split("x")[0], 1
        if name.endswith("e2"):
            expand = 2
        group = int(size)
        pipeline = "--attn-decompose"
        if group > 1:
            pipeline = f"--attn-reuse-map=group-size={group} value-expansion={expand}"
        mlir = os.path.join(work, f"{name}.mlir")
        run([os.path.join(BIN, "attn-opt"), base, pipeline, "--attn-fuse-attend", "-o", mlir])
        report = json.loads(run([os.path.join(BIN, "attn-opt"), mlir,
                                 "--attn-report=seq-len=1024 format=json", "-o", os.devnull]))
        libs = {}
        for n in threads:
            libs[n] = os.path.join(work, f"{name}-t{n}.so")
            run([os.path.join(BIN, "attn-compile"), mlir, f"--threads={n}", "-o", libs[n]])
        out[name] = {"libs": libs, "mlir": mlir, "report": report}
    return out


def total_flops(mlir, T):
    report = json.loads(run([os.path.join(BIN, "attn-opt"), mlir,
                             f"--attn-report=seq-len={T} format=json", "-o", os.devnull]))
    return report["total"]["flops"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seq-lens", default="128,256,512,1024")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--configs", default="1x16,2x8,4x4,8x2,2x8e2,4x4e2,8x2e2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = ap.parse_args()
    seq_lens = [int(t) for t in args.seq_lens.split(",")]
    threads = [int(t) for t in args.threads.split(",")]
    configs = args.configs.split(",")
    os.makedirs(args.out, exist_ok=True)

    with tempfile.TemporaryDirectory() as work:
        models = build_configs(work, configs, threads)
        flops = {(c, T): total_flops(models[c]["mlir"], T) for c in configs for T in seq_lens}
        samples = {}
        for rnd in range(args.rounds):
            for T in seq_lens:
                for n in threads:
                    for c in configs:
                        r = json.loads(run([os.path.join(BIN, "attn-run"), models[c]["libs"][n],
                                            "--random-params", "--random-inputs",
                                            f"--seq-len={T}", f"--threads={n}",
                                            f"--warmup={warmup_calls(flops[(c, T)], n)}",
                                            f"--repeat={args.repeat}", "--json"]))
                        samples.setdefault((c, T, n), []).append(r["time_ms"]["min"])
                    t = json.loads(run(["/usr/bin/python3", "-c", TORCH_SNIPPET, str(T), str(n),
                                        str(args.repeat)], env=fair_torch_env(n)))
                    samples.setdefault(("torch", T, n), []).append(t["torch_ms"])
                    samples.setdefault(("sgemm", T, n), []).append(t["sgemm_gflops"])
            print(f"round {rnd + 1}/{args.rounds} done", file=sys.stderr)

    def med(key):
        return statistics.median(samples[key])

    def spread(key):
        return (max(samples[key]) - min(samples[key])) / med(key)

    def paired_saving(c, T, n):
        """The median over rounds of 1 - config / 1x16 in the same round: the
        two ran back to back, so what drifts between rounds cancels."""
        return statistics.median(1 - a / b for a, b in
                                 zip(samples[(c, T, n)], samples[("1x16", T, n)]))

    base_flops = {T: flops[("1x16", T)] for T in seq_lens} if "1x16" in configs else {}
    lines = ["# 16-layer encoder (d=256, H=4, ffn=1024, SiLU, post-LN, batch 1)", "",
             "Command: `bench/encoder_bench.py " + " ".join(sys.argv[1:]) + "`", "",
             "Times are medians over rounds of each contender's best-of-"
             f"{args.repeat} (ms), each after about {WARMUP_S} s of untimed calls; "
             f"spread = (max-min)/median over {args.rounds} rounds. "
             "PyTorch 1.13 ran with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset, "
             "OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = threads, "
             "OMP_WAIT_POLICY=PASSIVE and large malloc thresholds. Roofline = the "
             "configuration's FLOPs (attn-report) at the measured sgemm rate. "
             "Predicted saving: 1 - the configuration's FLOPs / 1x16's (attn-report); "
             "measured saving: the median over rounds of 1 - its time / 1x16's time "
             "in the same round; realised = measured / predicted.", "",
             "| T | threads | config | attn-mlir ms (spread) | PyTorch ms | vs PyTorch | "
             "GFLOP/s | % sgemm | predicted saving | measured saving | realised |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for T in seq_lens:
        for n in threads:
            torch_ms, gemm = med(("torch", T, n)), med(("sgemm", T, n))
            for c in configs:
                ms = med((c, T, n))
                gflops = flops[(c, T)] / ms / 1e6
                pred = meas = realised = ""
                if base_flops and c != "1x16":
                    predicted = 1 - flops[(c, T)] / base_flops[T]
                    measured = paired_saving(c, T, n)
                    pred, meas = f"{predicted:.0%}", f"{measured:.0%}"
                    if predicted >= 0.05:
                        realised = f"{measured / predicted:.0%}"
                lines.append(f"| {T} | {n} | {c} | {ms:.1f} ({spread((c, T, n)):.0%}) | "
                             f"{torch_ms:.1f} | {ms / torch_ms:.2f}x | {gflops:.0f} | "
                             f"{gflops / gemm:.0%} | {pred} | {meas} | {realised} |")
    table = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "encoder.md"), "w") as f:
        f.write(table)
    print(table)

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing (python3-matplotlib): no plot", file=sys.stderr)
        return
    fig, axes = plt.subplots(1, len(threads), figsize=(6 * len(threads), 4), squeeze=False)
    for ax, n in zip(axes[0], threads):
        for c in configs:
            ax.plot(seq_lens, [med((c, T, n)) for T in seq_lens], marker="o", label=f"attn-mlir {c}")
        ax.plot(seq_lens, [med(("torch", T, n)) for T in seq_lens], "k--", marker="s", label="PyTorch 1.13")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("sequence length T")
        ax.set_ylabel("ms per forward")
        ax.set_title(f"{n} thread(s)")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "encoder.png"), dpi=110)


if __name__ == "__main__":
    main()
