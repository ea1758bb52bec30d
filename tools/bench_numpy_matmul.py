#!/usr/bin/env python3
"""numpy/OpenBLAS baseline for `bench matmul`: GFLOP/s of float32 C = A @ B for square sizes.

Prints one JSON object per size on stdout (size, threads, gflops = 2 n^3 / median seconds, seconds, reps, blas,
cpu_gflops_per_core = 2 n^3 reps / process CPU seconds, which a busy machine does not inflate),
the same fields as `java -jar target/mediswift4j.jar bench matmul --size N --json`. Which BLAS library was loaded
is read from /proc/self/maps (threadpoolctl may be absent), and the OpenBLAS core kernel from openblas_get_corename.

The thread count is fixed by the environment, before numpy loads, e.g.:

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
      OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/bench_numpy_matmul.py --sizes 256 512 1024 2048

Use /usr/bin/python3 (Debian's numpy, linked to the system libblas that LD_LIBRARY_PATH selects): a pip-installed
numpy (e.g. a pyenv `python3`) bundles its own scipy-openblas and ignores LD_LIBRARY_PATH. Keeping
OPENBLAS_CORETYPE=Haswell (as this machine's environment sets it) measures OpenBLAS's AVX2 kernel instead.
"""
import argparse
import ctypes
import json
import os
import sys
import time

import numpy as np


def loaded_blas():
    """Paths of BLAS-like shared libraries mapped into this process."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path).lower()
            if any(s in name for s in ("blas", "mkl", "lapack", "blis")):
                libs.add(path)
    return sorted(libs)


def openblas_core(libs):
    for path in libs:
        if "openblas" in os.path.basename(path):
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                lib.openblas_get_config.restype = ctypes.c_char_p
                return lib.openblas_get_corename().decode(), lib.openblas_get_config().decode()
            except (OSError, AttributeError):
                pass
    return None, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024, 2048])
    ap.add_argument("--shapes", nargs="+", default=[],
                    help="MxKxN[:TRANS] products instead of squares, TRANS as in `bench matmul --trans` (NN, NT, TN, TT): "
                         "op(A) M x K, op(B) K x N, a transposed operand stored transposed and passed as a view")
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    threads = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    rng = np.random.default_rng(0)
    np.ones((64, 64), np.float32) @ np.ones((64, 64), np.float32)  # loads the BLAS
    libs = loaded_blas()
    core, config = openblas_core(libs)
    print(f"blas libraries: {libs}; openblas core: {core}; config: {config}; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}", file=sys.stderr)
    jobs = [((n, n, n), "NN", True) for n in args.sizes] if not args.shapes else []
    for spec in args.shapes:
        dims, _, trans = spec.partition(":")
        m, k, n = (int(v) for v in dims.split("x"))
        jobs.append(((m, k, n), (trans or "NN").upper(), False))
    for (m, k, n), trans, square in jobs:
        # a transposed operand is stored transposed, as ours is, and multiplied through a .T view (BLAS reads it
        # with its transpose flag, no copy)
        a = rng.standard_normal((k, m) if trans[0] == "T" else (m, k), dtype=np.float32)
        b = rng.standard_normal((n, k) if trans[1] == "T" else (k, n), dtype=np.float32)
        opa, opb = (a.T if trans[0] == "T" else a), (b.T if trans[1] == "T" else b)
        c = np.empty((m, n), np.float32)
        for _ in range(2):  # warm-up
            np.matmul(opa, opb, out=c)
        times = []
        cpu0 = time.process_time_ns()  # all threads of the process, including OpenMP workers spinning
        for _ in range(args.reps):
            t0 = time.perf_counter()
            np.matmul(opa, opb, out=c)
            times.append(time.perf_counter() - t0)
        cpu = (time.process_time_ns() - cpu0) / 1e9
        sec = sorted(times)[len(times) // 2]
        flops = 2.0 * m * k * n
        where = {"size": n} if square else {"shape": f"{m}x{k}x{n}", "trans": trans}
        print(json.dumps({**where, "threads": threads, "gflops": round(flops / sec / 1e9, 2),
                          "seconds": sec, "cpu_gflops_per_core": round(flops * args.reps / cpu / 1e9, 2),
                          "reps": args.reps, "blas": core or (libs[0] if libs else "unknown")}),
              flush=True)

if __name__ == "__main__":
    main()
