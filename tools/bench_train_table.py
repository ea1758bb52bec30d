#!/usr/bin/python3
"""Interleaved training-throughput tables: `bench train` (ours) against itself at several sparsities/kernels, and
against the PyTorch twin (tools/torch_gpt.py bench). Runs are interleaved round by round (A B C A B C ...) so every
variant sees the same load on a shared machine; the table reports the median over rounds of each run's median
step time.

  tools/bench_train_table.py sparsity [--rounds 3] [--steps 6] [--warmup 2]
      L4 d512 H8 T64 B16 V2048: dense kernel at 0, auto at 0.5, sparse at 0.75, dense kernel at 0.75; the FLOP
      reduction factor (flops/FlopCounter, dense / actual FLOPs per token) and the target 0.75 x that factor.
  tools/bench_train_table.py torch [--rounds 2]
      dense bench train vs tools/torch_gpt.py bench (OpenBLAS OpenMP build) for three configs (a) (b) (c).

Run from the repository root after `mvn -q package -DskipTests`. Both sides use --threads 2 by default.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

JAR = os.environ.get("MEDISWIFT_JAR", "target/mediswift4j.jar")
# PyTorch at its best: OpenBLAS's OpenMP build choosing its own kernel for this CPU (the machine environment may
# force an older one through OPENBLAS_CORETYPE), OpenMP's default wait policy.
TORCH_ENV = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
TORCH_ENV["LD_LIBRARY_PATH"] = "/usr/lib/x86_64-linux-gnu/openblas-openmp"


def java(cfg, sparsity, kernel, a):
    cmd = ["java", "-jar", JAR, "bench", "train", "--layers", str(cfg[0]), "--d-model", str(cfg[1]), "--heads", str(cfg[2]),
           "--seq-len", str(cfg[3]), "--batch", str(cfg[4]), "--vocab", str(cfg[5]), "--sparsity", str(sparsity),
           "--kernel", kernel, "--threads", str(a.threads), "--steps", str(a.steps), "--warmup", str(a.warmup), "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def torch(cfg, a):
    cmd = ["/usr/bin/python3", "tools/torch_gpt.py", "bench", "--layers", str(cfg[0]), "--d-model", str(cfg[1]),
           "--heads", str(cfg[2]), "--seq-len", str(cfg[3]), "--batch", str(cfg[4]), "--vocab", str(cfg[5]),
           "--threads", str(a.threads), "--steps", str(a.steps), "--warmup", str(a.warmup)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=TORCH_ENV).stdout
    return json.loads(out.strip().splitlines()[-1])


def interleave(variants, rounds):
    results = {name: [] for name, _ in variants}
    for r in range(rounds):
        for name, run in variants:
            res = run()
            results[name].append(res)
            print(f"round {r + 1}: {name}: {res['median_step_s']:.4f} s/step", file=sys.stderr, flush=True)
    return results


def med(rs):
    return statistics.median(r["median_step_s"] for r in rs)


def sparsity_table(a):
    cfg = (4, 512, 8, 64, 16, 2048)
    variants = [("dense kernel, sparsity 0", lambda: java(cfg, 0, "dense", a)),
                ("auto, sparsity 0.5", lambda: java(cfg, 0.5, "auto", a)),
                ("sparse kernel, sparsity 0.5", lambda: java(cfg, 0.5, "sparse", a)),
                ("auto (sparse), sparsity 0.75", lambda: java(cfg, 0.75, "auto", a)),
                ("dense kernel, sparsity 0.75", lambda: java(cfg, 0.75, "dense", a))]
    res = interleave(variants, a.rounds)
    base = med(res[variants[0][0]])
    print(f"bench train L4 d512 H8 T64 B16 V2048, {a.threads} threads, {a.steps} timed steps, median of {a.rounds} interleaved rounds")
    print("| run | median step s | tokens/s | speedup vs dense | FLOP reduction (dense/actual) | target 0.75 x reduction |")
    print("|---|---|---|---|---|---|")
    for name, _ in variants:
        rs = res[name]
        m = med(rs)
        red = rs[0]["flops_per_token_dense"] / rs[0]["flops_per_token"]
        print(f"| {name} | {m:.3f} | {16 * 64 / m:.0f} | {base / m:.2f}x | {red:.2f}x | {0.75 * red:.2f}x |")


def torch_table(a):
    cfgs = {"(a) L2 d128 H4 T64 B8 V2048": (2, 128, 4, 64, 8, 2048),
            "(b) L4 d256 H4 T128 B8 V8192": (4, 256, 4, 128, 8, 8192),
            "(c) L6 d384 H6 T256 B4 V16384": (6, 384, 6, 256, 4, 16384)}
    print(f"dense training step, {a.threads} threads, {a.steps} timed steps, median of {a.rounds} interleaved rounds")
    print("| config | ours s/step | ours tokens/s | PyTorch s/step | PyTorch tokens/s | ours / PyTorch speed |")
    print("|---|---|---|---|---|---|")
    for label, cfg in cfgs.items():
        res = interleave([("ours", lambda: java(cfg, 0, "dense", a)), ("torch", lambda: torch(cfg, a))], a.rounds)
        o, t = med(res["ours"]), med(res["torch"])
        tok = cfg[3] * cfg[4]
        print(f"| {label} | {o:.4f} | {tok / o:.0f} | {t:.4f} | {tok / t:.0f} | {t / o:.2f}x |", flush=True)
    print("PyTorch BLAS: " + ", ".join(res["torch"][0].get("blas", [])))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("table", choices=["sparsity", "torch"])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    sparsity_table(a) if a.table == "sparsity" else torch_table(a)


if __name__ == "__main__":
    main()
