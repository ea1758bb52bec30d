#!/usr/bin/env bash
# Dense training tokens/s: ours (`bench train`) against the PyTorch twin (tools/torch_gpt.py bench), interleaved
# round by round, both on 2 threads. PyTorch runs at its best: OpenBLAS's OpenMP build, and OPENBLAS_CORETYPE /
# OPENBLAS_L2_SIZE unset for its command so OpenBLAS picks its own kernel for this CPU.
#   usage: tools/bench_train_vs_torch.sh L D H T B V [ROUNDS]   (run from the repository root after mvn package)
#   e.g.   tools/bench_train_vs_torch.sh 2 128 4 64 8 2048 3
# Both run WARMUP untimed steps (default 40: the JVM compiles its Vector API kernels during the first ~30 steps of a
# small model, and until then runs them far slower) and then STEPS timed ones (default 30; the median step counts).
set -euo pipefail
L=$1 D=$2 H=$3 T=$4 B=$5 V=$6 R=${7:-3}
WARMUP=${WARMUP:-40} STEPS=${STEPS:-30}
for r in $(seq 1 "$R"); do
  java -jar target/mediswift4j.jar bench train --layers "$L" --d-model "$D" --heads "$H" --seq-len "$T" --batch "$B" \
      --vocab "$V" --sparsity 0 --threads 2 --steps "$STEPS" --warmup "$WARMUP" --json 2>/dev/null \
    | python3 -c "import json,sys; d=json.loads(sys.stdin.read().strip().splitlines()[-1]); print('round $r ours ', round(d['tokens_per_s']), 'tokens/s')"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
      /usr/bin/python3 tools/torch_gpt.py bench --layers "$L" --d-model "$D" --heads "$H" --seq-len "$T" --batch "$B" \
      --vocab "$V" --threads 2 --steps "$STEPS" --warmup "$WARMUP" 2>/dev/null \
    | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print('round $r torch', round(d['tokens_per_s']), 'tokens/s', d['blas'][-1])"
done
