#!/bin/sh
# Runs `bench sparse` (our dense Matmul vs the compressed kernels) and the PyTorch/OpenBLAS baseline
# (tools/bench_torch_linear.py) back to back on the same shape and prints one Markdown table.
# Usage: [REPS=5] tools/bench_sparse_table.sh [OUTxIN] [TOKENS] [THREADS] [SPARSITIES]   (after `mvn -q package -DskipTests`)
set -e
SHAPE=${1:-768x3072}; TOKENS=${2:-1024}; THREADS=${3:-2}; SP=${4:-0,0.5,0.75,0.9}; REPS=${REPS:-5}
DIR=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
java -jar "$DIR/target/mediswift4j.jar" bench sparse --shape "$SHAPE" --tokens "$TOKENS" --threads "$THREADS" \
    --sparsity "$SP" --reps "$REPS" --json > "$TMP/java.json"
# PyTorch at its best: OpenBLAS picks its own kernel for this CPU (the machine environment may force an older one),
# OpenMP keeps its default wait policy.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 \
    "$DIR/tools/bench_torch_linear.py" --shape "$SHAPE" --tokens "$TOKENS" --threads "$THREADS" --sparsity "$SP" \
    --reps "$REPS" > "$TMP/torch.json" 2> "$TMP/torch.err"
grep -m1 libopenblas "$TMP/torch.err" >&2 || echo "warning: OpenBLAS not among the mapped objects" >&2
/usr/bin/python3 - "$TMP/java.json" "$TMP/torch.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); t = json.load(open(sys.argv[2]))
td = t["dense"]["total_s"]
print("%s, %d tokens, %d threads; forward + backward seconds (median)" % (f"{j['out']}x{j['in']}", j["tokens"], j["threads"]))
tc = t["dense"]["cpu_s"]
print("wall seconds (and process CPU seconds, the fairer figure on a loaded machine)")
print("| sparsity | ours dense | ours sparse | speedup vs ours dense | torch dense (OpenBLAS) | ours sparse vs torch dense | torch CSR |")
print("|---|---|---|---|---|---|---|")
csr = {r["sparsity"]: r for r in t["csr"]}
for r in j["sparse"]:
    c = csr.get(r["sparsity"], {})
    print("| %.2f | %.3f (cpu %.3f) | %.3f (cpu %.3f) | %.2fx (cpu %.2fx) | %.3f (cpu %.3f) | %.2fx (cpu %.2fx) | %s |" % (
          r["sparsity"], r["dense_total_s"], r["dense_cpu_s"], r["total_s"], r["cpu_s"], r["speedup"], r["speedup_cpu"],
          td, tc, td / r["total_s"], tc / r["cpu_s"],
          ("%.3f (cpu %.3f)" % (c["total_s"], c["cpu_s"])) if "total_s" in c else c.get("error", "-")))
PY
rm -rf "$TMP"
