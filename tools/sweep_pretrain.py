#!/usr/bin/env python3
"""Short pre-training sweep behind the reproduction's plan (SPEC.md section 16): final validation loss of
mediswift-tiny for every (peak LR, sparsity, steps) on one corpus, with the tokenizer and token file built once.

  /usr/bin/python3 tools/sweep_pretrain.py --jar target/mediswift4j.jar --corpus FILE \
      [--exclude-ground-truth test_ground_truth.json] --out /tmp/sweep \
      --lrs 3e-4,6e-4,1e-3,2e-3,3e-3 --sparsities 0,0.75 --steps 500

--exclude-ground-truth drops the PubMedQA test PMIDs from a PubMedQA JSON corpus first (as `reproduce` does).
Prints one line per run and a final table; every run's metrics.jsonl stays under --out. Standard library only.
"""
import argparse, json, os, subprocess, sys


def run(cmd):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default="target/mediswift4j.jar")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--exclude-ground-truth")
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab", type=int, default=2048)
    ap.add_argument("--lrs", default="3e-4,6e-4,1e-3,2e-3,3e-3")
    ap.add_argument("--sparsities", default="0,0.75")
    ap.add_argument("--steps", default="500")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq-len", type=int, default=64)
    ap.add_argument("--warmup-fraction", type=float, default=0.08)
    ap.add_argument("--eval-windows", type=int, default=48)
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    corpus = a.corpus
    if a.exclude_ground_truth:
        with open(a.corpus, encoding="utf-8") as f:
            data = json.load(f)
        with open(a.exclude_ground_truth, encoding="utf-8") as f:
            test = json.load(f)
        kept = {k: v for k, v in data.items() if k not in test}
        corpus = os.path.join(a.out, "corpus.json")
        with open(corpus, "w", encoding="utf-8") as f:
            json.dump(kept, f)
        print(f"corpus: {len(kept)} of {len(data)} records (test PMIDs left out)")
    java = ["java", "-jar", a.jar]
    tok, toks = os.path.join(a.out, "tokenizer"), os.path.join(a.out, "corpus.tokens")
    if not os.path.exists(toks):
        run(java + ["tokenizer", "train", "--input", corpus, "--vocab-size", str(a.vocab), "--out", tok])
        run(java + ["data", "tokenize", "--tokenizer", tok, "--input", corpus, "--out", toks])
    rows = []
    for steps in [int(s) for s in a.steps.split(",")]:
        for lr in a.lrs.split(","):
            for s in a.sparsities.split(","):
                d = os.path.join(a.out, f"run-steps{steps}-lr{lr}-s{s}")
                metrics = os.path.join(d, "metrics.jsonl")
                if not os.path.exists(metrics):
                    run(java + ["pretrain", "--config", "mediswift-tiny", "--sparsity", s, "--steps", str(steps),
                                "--batch", str(a.batch), "--seq-len", str(a.seq_len), "--lr", lr,
                                "--warmup", str(max(1, round(a.warmup_fraction * steps))), "--seed", str(a.seed),
                                "--data", toks, "--out", d, "--eval-every", str(max(1, steps // 10)),
                                "--eval-windows", str(a.eval_windows)])
                vals = [json.loads(l) for l in open(metrics, encoding="utf-8") if '"val_loss"' in l]
                best = min(v["val_loss"] for v in vals)
                rows.append((steps, lr, s, vals[-1]["val_loss"], best))
                print(f"steps {steps} lr {lr} sparsity {s}: final val {vals[-1]['val_loss']:.4f} (best {best:.4f})", flush=True)
    print("\n| steps | peak LR | sparsity | final validation loss | lowest on the way |\n| --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.3f} | {r[4]:.3f} |")


if __name__ == "__main__":
    sys.exit(main())
