#!/usr/bin/python3
"""PyTorch baseline for `bench sparse`: one linear layer y = x W^T + b over N tokens, forward + backward.

  dense   nn.Linear forward + backward (x.grad, W.grad, b.grad): three GEMMs in the BLAS torch was built with
  csr     torch.sparse CSR weight (same mask rule: exactly floor(s*n+0.5) masked, uniformly at random):
          forward y = W_csr @ x^T, dx = W_csr^T @ dy^T, dW at kept positions via torch.sparse.sampled_addmm
          when available (else dense dy^T x masked, reported as such)

Run with OpenBLAS's OpenMP build selected, e.g.

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 tools/bench_torch_linear.py \
      --shape 768x3072 --tokens 1024 --sparsity 0,0.5,0.75,0.9 --threads 2

Prints which BLAS was loaded (torch.__config__.show() and the shared objects mapped into this process) on stderr
and one JSON object on stdout. Figures are medians of --reps timed repetitions after warm-up: wall seconds, and
process CPU seconds (cpu_s; set OMP_WAIT_POLICY=PASSIVE so OpenMP's spin-waiting is not counted as work).
"""
import argparse
import json
import sys
import time

import torch


def loaded_blas():
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and any(k in parts[5] for k in ("blas", "lapack", "mkl", "gomp", "omp")):
                libs.add(parts[5])
    return sorted(libs)


def median_time(fn, reps, warm_seconds=1.0, cpu=None):
    """Median wall seconds of fn over reps after warm-up; appends the median process CPU seconds to cpu if given."""
    t0 = time.perf_counter()
    calls = 0
    while calls < 3 or (time.perf_counter() - t0 < warm_seconds and calls < 50):
        fn()
        calls += 1
    ts, cs = [], []
    for _ in range(reps):
        c = time.process_time()
        s = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - s)
        cs.append(time.process_time() - c)
    ts.sort()
    cs.sort()
    if cpu is not None:
        cpu.append(cs[len(cs) // 2])
    return ts[len(ts) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default="768x3072", help="OUTxIN")
    ap.add_argument("--tokens", type=int, default=1024)
    ap.add_argument("--sparsity", default="0,0.5,0.75,0.9")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    out_f, in_f = (int(v) for v in a.shape.lower().split("x"))
    n = a.tokens
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    print(torch.__config__.show(), file=sys.stderr)
    blas = loaded_blas()
    print("mapped BLAS/OpenMP objects:", *blas, sep="\n  ", file=sys.stderr)

    x = (torch.rand(n, in_f) * 2 - 1).requires_grad_(True)
    lin = torch.nn.Linear(in_f, out_f)
    dy = torch.rand(n, out_f) * 2 - 1

    def dense_step():
        x.grad = None
        lin.zero_grad(set_to_none=True)
        y = lin(x)
        y.backward(dy)

    def dense_forward():
        with torch.no_grad():
            lin(x)

    cpu = []
    dense_total = median_time(dense_step, a.reps, cpu=cpu)
    dense_fwd = median_time(dense_forward, a.reps)
    res = {"bench": "torch_linear", "out": out_f, "in": in_f, "tokens": n, "threads": a.threads,
           "torch": torch.__version__, "blas_objects": blas,
           "dense": {"forward_s": dense_fwd, "total_s": dense_total, "cpu_s": cpu[0],
                     "gflops": round(3 * 2.0 * n * out_f * in_f / dense_total / 1e9, 2)},
           "csr": []}

    xd = x.detach()
    xt = xd.t().contiguous()          # (IN, N)
    dyt = dy.t().contiguous()         # (OUT, N)
    has_sddmm = hasattr(torch.sparse, "sampled_addmm")
    for s in (float(v) for v in a.sparsity.split(",")):
        total = out_f * in_f
        k = int(s * total + 0.5)
        keep = torch.ones(total, dtype=torch.bool)
        keep[torch.randperm(total)[:k]] = False
        wm = (lin.weight.detach().reshape(-1) * keep).reshape(out_f, in_f)
        w_csr = wm.to_sparse_csr()
        w_t_csr = wm.t().contiguous().to_sparse_csr()
        mask_csr = keep.reshape(out_f, in_f).float().to_sparse_csr()
        b = lin.bias.detach()

        def fwd():
            return torch.sparse.mm(w_csr, xt).t() + b     # (N, OUT)

        def step():
            fwd()
            torch.sparse.mm(w_t_csr, dyt)                  # dx^T (IN, N)
            if has_sddmm:
                torch.sparse.sampled_addmm(mask_csr, dyt, xd, beta=0.0)   # dW at kept positions (CSR)
            else:
                (dyt @ xd) * keep.reshape(out_f, in_f)
            dy.sum(0)

        try:
            t_fwd = median_time(fwd, a.reps)
            c = []
            t_tot = median_time(step, a.reps, cpu=c)
            row = {"sparsity": s, "nnz": total - k, "forward_s": t_fwd, "total_s": t_tot, "cpu_s": c[0],
                   "speedup_vs_torch_dense": round(dense_total / t_tot, 2),
                   "dw": "sampled_addmm" if has_sddmm else "dense_then_mask"}
        except RuntimeError as e:
            row = {"sparsity": s, "error": str(e).splitlines()[0]}
        res["csr"].append(row)
        print("sparsity %.2f: %s" % (s, row), file=sys.stderr)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
