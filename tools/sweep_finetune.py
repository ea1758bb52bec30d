#!/usr/bin/env python3
"""Short fine-tuning sweep behind the reproduction's plan (SPEC.md section 16): dev scores of dense fine-tuning
of one pre-trained checkpoint for several peak learning rates, PubMedQA (official fold 0: 450 train, 50 dev) and
HoC (BLURB train, dev). Selection data only: no test item is scored.

  /usr/bin/python3 tools/sweep_finetune.py --jar target/mediswift4j.jar --checkpoint RUN \
      --pubmedqa ../shared/data/pubmedqa/ori_pqal.json --hoc ../shared/data/hoc-blurb --out /tmp/ftsweep \
      --lrs 1e-3,3e-3,1e-2 --epochs 4 --hoc-epochs 1 --max-len 128

Prints one line per run and a final table. Standard library only.
"""
import argparse, json, os, subprocess, sys


def finetune(java, a, task, data, lr, epochs, out):
    if not os.path.exists(os.path.join(out, "metrics.jsonl")):
        cmd = java + ["finetune", "--task", task, "--checkpoint", a.checkpoint, "--data", data, "--out", out,
                      "--lr", lr, "--epochs", str(epochs), "--max-len", str(a.max_len), "--eval-split", "dev",
                      "--seed", str(a.seed)]
        print("+", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    evals = [json.loads(l) for l in open(os.path.join(out, "metrics.jsonl"), encoding="utf-8") if '"eval"' in l]
    return evals[-1]["metrics"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/mediswift4j.jar")
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--pubmedqa", required=True)
    ap.add_argument("--hoc", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lrs", default="1e-3,3e-3,1e-2")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--hoc-epochs", type=int, default=1)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    java = ["java", "-jar", a.jar]
    rows = []
    for lr in a.lrs.split(","):
        pq = finetune(java, a, "pubmedqa", a.pubmedqa, lr, a.epochs, os.path.join(a.out, f"pubmedqa-lr{lr}"))
        hoc = finetune(java, a, "hoc", a.hoc, lr, a.hoc_epochs, os.path.join(a.out, f"hoc-lr{lr}"))
        rows.append((lr, pq["accuracy"], pq["macro_f1"], hoc["micro_f1"]))
        print(f"lr {lr}: PubMedQA dev accuracy {pq['accuracy']:.3f} macro-F1 {pq['macro_f1']:.3f}; HoC dev micro-F1 {hoc['micro_f1']:.3f}", flush=True)
    print("\n| fine-tuning LR | PubMedQA dev accuracy | PubMedQA dev macro-F1 | HoC dev micro-F1 |\n| --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r[0]} | {100 * r[1]:.1f} | {100 * r[2]:.1f} | {100 * r[3]:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
