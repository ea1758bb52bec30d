#!/usr/bin/env python3
"""PyTorch twin of mediswift4j's GPT, for cross-checks and CPU throughput baselines.

The architecture mirrors src/main/java/mediswift4j/nn (SPEC.md section 6): token + learned position embeddings,
pre-LayerNorm blocks (causal multi-head attention with a packed QKV projection, MLP 4C with tanh-GELU), final
LayerNorm, LM head tied to the token embedding, biases in every linear layer, weights stored (OUT, IN) as nn.Linear.

Usage (throughput baseline; run it with OpenBLAS's OpenMP build, or torch falls back to the slow reference BLAS):

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 tools/torch_gpt.py bench \
      --layers 2 --d-model 128 --heads 4 --seq-len 64 --batch 8 --vocab 2048 --threads 2 --steps 20

It prints one JSON object with tokens_per_s (median over the timed steps after warm-up) and the BLAS it loaded.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, c, nh):
        super().__init__()
        self.nh = nh
        self.ln_1 = nn.LayerNorm(c, eps=1e-5)
        self.c_attn = nn.Linear(c, 3 * c)
        self.attn_proj = nn.Linear(c, c)
        self.ln_2 = nn.LayerNorm(c, eps=1e-5)
        self.c_fc = nn.Linear(c, 4 * c)
        self.mlp_proj = nn.Linear(4 * c, c)

    def forward(self, x):
        b, t, c = x.shape
        hs = c // self.nh
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q = q.view(b, t, self.nh, hs).transpose(1, 2)  # (B, NH, T, HS)
        k = k.view(b, t, self.nh, hs).transpose(1, 2)
        v = v.view(b, t, self.nh, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~causal, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.attn_proj(y)
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x


class GPT(nn.Module):
    def __init__(self, layers, c, nh, context, vocab):
        super().__init__()
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(context, c)
        self.h = nn.ModuleList([Block(c, nh) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(c, eps=1e-5)
        # Initialisation as SPEC.md section 6: N(0, 0.02) weights and embeddings, zero biases, residual output
        # projections N(0, 0.02 / sqrt(2L)). (Values differ from ours, which come from our own generator.)
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "ln_" in name:
                nn.init.ones_(p)
            else:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets=None):
        b, t = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied LM head
        if targets is None:
            return logits
        return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1))


def blas_in_use():
    """Which BLAS library the process actually mapped (the reference BLAS is 20x slower than OpenBLAS)."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            if "blas" in line:
                libs.add(line.split()[-1])
    return sorted(libs)


def bench(args):
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    model = GPT(args.layers, args.d_model, args.heads, args.seq_len, args.vocab)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    tokens = torch.randint(0, args.vocab, (args.batch, args.seq_len + 1))
    x, y = tokens[:, :-1], tokens[:, 1:]
    times = []
    for step in range(args.warmup + args.steps):
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
        print(f"step {step} loss {loss.item():.4f} {time.perf_counter() - start:.3f}s", file=sys.stderr)
    median = statistics.median(times)
    print(json.dumps({
        "framework": f"pytorch {torch.__version__}",
        "layers": args.layers, "d_model": args.d_model, "heads": args.heads, "seq_len": args.seq_len,
        "batch": args.batch, "vocab": args.vocab, "threads": torch.get_num_threads(),
        "tokens_per_s": args.batch * args.seq_len / median, "median_step_s": median,
        "blas": blas_in_use(),
    }))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="training tokens/s on synthetic tokens")
    for name, default in [("layers", 2), ("d-model", 128), ("heads", 4), ("seq-len", 64), ("batch", 8),
                          ("vocab", 2048), ("threads", 1), ("steps", 20), ("warmup", 3)]:
        b.add_argument("--" + name, type=int, default=default)
    args = p.parse_args()
    if args.cmd == "bench":
        bench(args)


if __name__ == "__main__":
    main()
