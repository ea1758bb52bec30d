#!/usr/bin/env python3
"""PyTorch twin of mediswift4j's GPT, for cross-checks and CPU throughput baselines.

The architecture mirrors src/main/java/mediswift4j/nn (SPEC.md section 6): token + learned position embeddings,
pre-LayerNorm blocks (causal multi-head attention with a packed QKV projection, MLP 4C with tanh-GELU), final
LayerNorm, LM head tied to the token embedding, biases in every linear layer, weights stored (OUT, IN) as nn.Linear.

Usage (throughput baseline; run it with OpenBLAS's OpenMP build, or torch falls back to the slow reference BLAS):

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 tools/torch_gpt.py bench \
      --layers 2 --d-model 128 --heads 4 --seq-len 64 --batch 8 --vocab 2048 --threads 2 --steps 20

It prints one JSON object with tokens_per_s (median over the timed steps after warm-up) and the BLAS it loaded.

Golden vectors for GoldenVectorsTest (SPEC.md section 14): reads our exported tiny model
src/test/resources/golden/model.safetensors (GPT-2 names, Conv1D layout, U8 masks) and inputs.json, runs one
forward and backward and ten masked AdamW steps in float32, and writes torch_golden.safetensors (logits, loss,
gradients, loss trace) and torch_trained.safetensors (the trained model with masks and Adam moments, GPT-2 layout):

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 tools/torch_gpt.py golden

Real-loop golden vectors for TrainerGoldenTest (SPEC.md section 14): `trainer` trains the starting models that
TrainerGoldenFixtures exported (sparsity 0, 0.5, 0.75) on the batches recorded in trainer_inputs.json, as
Trainer.run does, and writes trainer_torch.safetensors; tools/trainer_golden.sh runs both halves.

Module names follow GPT-2 (h.{i}.attn.c_attn, h.{i}.mlp.c_proj, ...), so state_dict() keys are our parameter names;
weights are nn.Linear (OUT, IN), i.e. our layout, and the Conv1D transposition happens only when reading/writing files.
"""
import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import safetensors_roundtrip  # tools/safetensors_roundtrip.py: plain-numpy safetensors reader/writer


class CausalSelfAttention(nn.Module):
    def __init__(self, c, nh):
        super().__init__()
        self.nh = nh
        self.c_attn = nn.Linear(c, 3 * c)   # packed [q | k | v], weight (3C, C)
        self.c_proj = nn.Linear(c, c)

    def forward(self, x):
        b, t, c = x.shape
        hs = c // self.nh
        q, k, v = self.c_attn(x).split(c, dim=2)
        q = q.view(b, t, self.nh, hs).transpose(1, 2)  # (B, NH, T, HS)
        k = k.view(b, t, self.nh, hs).transpose(1, 2)
        v = v.view(b, t, self.nh, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
        causal = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~causal, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c, 4 * c)
        self.c_proj = nn.Linear(4 * c, c)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    """Module names follow GPT-2, so state_dict() keys are our parameter names (h.{i}.attn.c_attn.weight, ...)."""

    def __init__(self, c, nh):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c, eps=1e-5)
        self.attn = CausalSelfAttention(c, nh)
        self.ln_2 = nn.LayerNorm(c, eps=1e-5)
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
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
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("c_proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets=None):
        b, t = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied LM head
        if targets is None:
            return logits
        return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1), ignore_index=-1)


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


# ------------------------------------------------------------------ golden vectors

# The four projection weights GPT-2 stores as Conv1D (IN, OUT); nn.Linear (and our Java model) store (OUT, IN).
CONV1D = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def is_conv1d(name):
    return name.startswith("h.") and name.split(".", 2)[2] in CONV1D


def lr_at(s, peak, warmup, total, floor_fraction):
    """SPEC.md section 8 (optim/LrSchedule): linear warm-up, cosine to floor_fraction * peak; float64 -> float32."""
    if s < warmup:
        lr = peak * (s + 1) / warmup
    else:
        p = min(1.0, max(0.0, (s - warmup) / max(1, total - warmup)))
        floor = floor_fraction * peak
        lr = floor + (peak - floor) * 0.5 * (1.0 + math.cos(math.pi * p))
    return float(np.float32(lr))


def load_model(path, cfg):
    """Our exported safetensors (GPT-2 names, Conv1D layout, '<param>.mask' U8) -> torch model and bool keep masks."""
    tensors, meta, _ = safetensors_roundtrip.read(path)
    model = GPT(cfg["layers"], cfg["d_model"], cfg["heads"], cfg["context_length"], cfg["vocab_size"])
    keep = {}
    used = set()
    with torch.no_grad():
        for name, p in model.named_parameters():
            a = tensors[name].T if is_conv1d(name) else tensors[name]
            p.copy_(torch.from_numpy(np.array(a, dtype=np.float32, order="C", copy=True)))
            used.add(name)
            if name + ".mask" in tensors:
                m = tensors[name + ".mask"]
                keep[name] = torch.from_numpy(np.ascontiguousarray(m.T if is_conv1d(name) else m).astype(bool))
                used.add(name + ".mask")
                assert float(p[~keep[name]].abs().max()) == 0.0, name + ": masked weight is not 0"
    unused = set(tensors) - used
    assert not unused, "tensors not used: %s" % sorted(unused)
    return model, keep


def train_like_trainer(model, keep, inp, batches):
    """Steps as the Java Trainer.run, one per (ids, targets) in batches: backward, zero masked gradients, clip
    the global norm (float64 sum of squares; scale (float32)(clip / (norm + 1e-6)) only when norm > clip), lr from
    the schedule, AdamW (decay on rank-2 parameters only), re-zero masked weights. torch.optim.AdamW's update is
    the same formula as optim/AdamW; at masked positions the gradient is 0, so m and v stay 0 and the weight 0.
    Returns (named parameters, optimizer, losses, lrs, pre-clip gradient norms)."""
    params = list(model.named_parameters())
    groups = [{"params": [p for n, p in params if p.dim() == 2], "weight_decay": inp["weight_decay"]},
              {"params": [p for n, p in params if p.dim() != 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=inp["lr"], betas=(inp["beta1"], inp["beta2"]), eps=inp["eps"], foreach=False)
    losses, lrs, norms = [], [], []
    for s, (ids, targets) in enumerate(batches):
        model.zero_grad(set_to_none=True)
        _, loss = model(ids, targets)
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            for name, p in params:
                if name in keep:
                    p.grad[~keep[name]] = 0.0
            norm = math.sqrt(sum(float(p.grad.double().pow(2).sum()) for _, p in params))
            if norm > inp["clip_norm"]:
                scale = float(np.float32(inp["clip_norm"] / (norm + 1e-6)))
                for _, p in params:
                    p.grad.mul_(scale)
        norms.append(norm)
        lr = lr_at(s, inp["lr"], inp["warmup"], inp["total_steps"], inp["lr_floor_fraction"])
        lrs.append(lr)
        for g in opt.param_groups:
            g["lr"] = lr
        opt.step()
        with torch.no_grad():
            for name, p in params:
                if name in keep:
                    p[~keep[name]] = 0.0
        print(f"step {s} loss {losses[-1]:.6f} lr {lr:.6g} grad norm {norm:.6f}", file=sys.stderr)
    return params, opt, losses, lrs, norms


def trainer_golden(args):
    """The real-loop golden vectors (TrainerGoldenTest): for each case of trainer_inputs.json, the starting model
    our TrainerGoldenFixtures exported is trained on the recorded batches; per case the losses, learning rates and
    pre-clip gradient norms of every step and the final parameters (our names, nn.Linear (OUT, IN) layout, which
    is ours) go into one safetensors file as "<case>.losses", "<case>.lrs", "<case>.grad_norms", "<case>.<param>"."""
    torch.set_num_threads(1)
    inp = json.load(open(args.inputs))
    cfg = inp["config"]
    b, t = inp["batch"], inp["seq_len"]
    batches = [(torch.tensor(i, dtype=torch.long).view(b, t), torch.tensor(g, dtype=torch.long).view(b, t))
               for i, g in zip(inp["step_ids"], inp["step_targets"])]
    assert len(batches) == inp["steps"]
    out = {}
    for case in inp["cases"]:
        model, keep = load_model("%s/trainer_%s.safetensors" % (args.models, case), cfg)
        params, _, losses, lrs, norms = train_like_trainer(model, keep, inp, batches)
        out[case + ".losses"] = np.array(losses, dtype=np.float32)
        out[case + ".lrs"] = np.array(lrs, dtype=np.float32)
        out[case + ".grad_norms"] = np.array(norms, dtype=np.float64)
        for name, p in params:
            out[case + "." + name] = p.detach().numpy().copy()
        print(json.dumps({"case": case, "masked_layers": len(keep), "losses": losses}), file=sys.stderr)
    meta = {"generator": "tools/torch_gpt.py trainer", "torch": torch.__version__, "layout": "torch-linear"}
    safetensors_roundtrip.write(args.out, out, meta)


def golden(args):
    """Forward, backward and ten masked AdamW steps on our tiny model, in float32; writes the golden vectors."""
    torch.set_num_threads(1)
    inp = json.load(open(args.inputs))
    cfg = inp["config"]
    model, keep = load_model(args.model, cfg)
    b, t = inp["batch"], inp["seq_len"]
    ids = torch.tensor(inp["ids"], dtype=torch.long).view(b, t)
    targets = torch.tensor(inp["targets"], dtype=torch.long).view(b, t)
    out = {}

    # 1. one forward and backward from the initial weights: logits, loss and every (unmasked, unclipped) gradient
    logits, loss = model(ids, targets)
    loss.backward()
    out["logits"] = logits.detach().numpy().copy()
    out["loss"] = np.array([loss.item()], dtype=np.float32)
    for name, p in model.named_parameters():
        out["grad." + name] = p.grad.numpy().copy()

    # 2. ten steps as the Java Trainer, on the same batch every step
    params, opt, losses, lrs, norms = train_like_trainer(model, keep, inp, [(ids, targets)] * inp["steps"])
    with torch.no_grad():
        _, loss = model(ids, targets)
    out["train.losses"] = np.array(losses, dtype=np.float32)
    out["train.lrs"] = np.array(lrs, dtype=np.float32)
    out["train.grad_norms"] = np.array(norms, dtype=np.float64).astype(np.float32)
    out["train.loss_after"] = np.array([loss.item()], dtype=np.float32)
    meta = {"generator": "tools/torch_gpt.py golden", "torch": torch.__version__, "layout": "torch-linear",
            "blas": ",".join(blas_in_use()) or "none mapped"}
    safetensors_roundtrip.write(args.out, out, meta)

    # 3. the trained model as a checkpoint going back to Java: GPT-2 names, Conv1D layout, U8 masks, Adam moments
    trained = {}
    for name, p in params:
        conv = (lambda a: a.T.copy()) if is_conv1d(name) else (lambda a: a.copy())
        state = opt.state[p]
        trained[name] = conv(p.detach().numpy())
        trained[name + ".exp_avg"] = conv(state["exp_avg"].numpy())
        trained[name + ".exp_avg_sq"] = conv(state["exp_avg_sq"].numpy())
        if name in keep:
            trained[name + ".mask"] = conv(keep[name].numpy().astype(np.uint8))
    step = int(opt.state[params[0][1]]["step"])
    safetensors_roundtrip.write(args.trained_out, trained, {"format": "pt", "n_head": str(cfg["heads"]),
                                                            "mediswift4j.optimizer_step": str(step)})
    print(json.dumps({"out": args.out, "loss": out["loss"][0].item(), "losses": losses, "blas": blas_in_use()}))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="training tokens/s on synthetic tokens")
    for name, default in [("layers", 2), ("d-model", 128), ("heads", 4), ("seq-len", 64), ("batch", 8),
                          ("vocab", 2048), ("threads", 1), ("steps", 20), ("warmup", 3)]:
        b.add_argument("--" + name, type=int, default=default)
    g = sub.add_parser("golden", help="golden vectors for GoldenVectorsTest from our exported tiny model")
    g.add_argument("--model", default="src/test/resources/golden/model.safetensors")
    g.add_argument("--inputs", default="src/test/resources/golden/inputs.json")
    g.add_argument("--out", default="src/test/resources/golden/torch_golden.safetensors")
    g.add_argument("--trained-out", default="src/test/resources/golden/torch_trained.safetensors")
    tg = sub.add_parser("trainer", help="real-loop golden vectors for TrainerGoldenTest (tools/trainer_golden.sh)")
    tg.add_argument("--inputs", default="src/test/resources/golden/trainer_inputs.json")
    tg.add_argument("--models", required=True, help="directory of TrainerGoldenFixtures' starting models")
    tg.add_argument("--out", default="src/test/resources/golden/trainer_torch.safetensors")
    args = p.parse_args()
    if args.cmd == "bench":
        bench(args)
    elif args.cmd == "golden":
        golden(args)
    elif args.cmd == "trainer":
        trainer_golden(args)


if __name__ == "__main__":
    main()
