#!/usr/bin/env python3
"""Interleaved comparison: `java -jar target/mediswift4j.jar bench matmul` against numpy + OpenBLAS.

For each round, size and thread count it runs our bench, then tools/bench_numpy_matmul.py twice: once with
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed (OpenBLAS picks its own kernel, AVX-512 "Cooperlake" here) and once
with the environment as set on this machine (e.g. OPENBLAS_CORETYPE=Haswell, the AVX2 kernel). Interleaving
spreads the noise of a shared machine evenly; the table quotes medians over rounds (each run is itself a median
over its reps). Run from the repository root after `mvn -q package -DskipTests`:

  python3 tools/bench_matmul_compare.py --sizes 256 512 1024 2048 --threads 1 2 --rounds 3
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
NUMPY_PYTHON = "/usr/bin/python3"  # Debian's numpy, which loads the system OpenBLAS


def run_json(cmd, env):
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024, 2048])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--jar", default="target/mediswift4j.jar")
    args = ap.parse_args()
    results = {}  # (impl, size, threads) -> [gflops]
    cpu = {}  # (impl, size, threads) -> [GFLOP/s per CPU-second used]
    blas_names = {}
    for rnd in range(args.rounds):
        for n in args.sizes:
            for t in args.threads:
                ours = run_json(["java", "-jar", args.jar, "bench", "matmul", "--size", str(n), "--threads", str(t),
                                 "--reps", str(args.reps), "--json"], dict(os.environ))
                results.setdefault(("ours", n, t), []).append(ours["gflops"])
                cpu.setdefault(("ours", n, t), []).append(ours["cpu_gflops_per_core"])
                for impl, unset in (("openblas_auto", True), ("openblas_env", False)):
                    env = dict(os.environ, LD_LIBRARY_PATH=OPENBLAS_DIR, OMP_NUM_THREADS=str(t),
                               OPENBLAS_NUM_THREADS=str(t))
                    if unset:
                        env.pop("OPENBLAS_CORETYPE", None)
                        env.pop("OPENBLAS_L2_SIZE", None)
                    r = run_json([NUMPY_PYTHON, "tools/bench_numpy_matmul.py", "--sizes", str(n),
                                  "--reps", str(args.reps)], env)
                    results.setdefault((impl, n, t), []).append(r["gflops"])
                    cpu.setdefault((impl, n, t), []).append(r["cpu_gflops_per_core"])
                    blas_names[impl] = r["blas"]
                print(f"round {rnd + 1} size {n} threads {t}: ours {ours['gflops']}, "
                      f"openblas {results[('openblas_auto', n, t)][-1]} ({blas_names['openblas_auto']}), "
                      f"{results[('openblas_env', n, t)][-1]} ({blas_names['openblas_env']})", file=sys.stderr)
    auto, envk = blas_names.get("openblas_auto", "?"), blas_names.get("openblas_env", "?")
    for title, table in (("wall-clock GFLOP/s (median call; median over rounds)", results),
                         ("GFLOP/s per CPU-second used (cpu_gflops_per_core; median over rounds)", cpu)):
        print(f"\n{title}\n")
        print(f"| size | threads | ours | OpenBLAS {auto} | ratio | OpenBLAS {envk} | ratio |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for n in args.sizes:
            for t in args.threads:
                o = statistics.median(table[("ours", n, t)])
                a = statistics.median(table[("openblas_auto", n, t)])
                e = statistics.median(table[("openblas_env", n, t)])
                print(f"| {n} | {t} | {o:.1f} | {a:.1f} | {o / a:.2f} | {e:.1f} | {o / e:.2f} |")


if __name__ == "__main__":
    main()
