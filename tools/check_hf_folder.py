#!/usr/bin/python3
"""Checks a Hugging Face GPT-2 folder from `export --hf-dir` (or transformers' save_pretrained) from outside, with
PyTorch only, against mediswift4j's `score --json` (SPEC.md section 14, "Golden vectors for other implementations").

transformers is not installed on the machine this was written on (and cannot be), so this script does by hand what
GPT2LMHeadModel.from_pretrained does with a GPT-2 folder, strictly:
  1. config.json: model_type gpt2, activation gelu_new (or gelu_pytorch_tanh), layer_norm_epsilon, tied embeddings;
     the sizes n_layer, n_embd, n_head, n_positions, vocab_size.
  2. model.safetensors: the key set must be exactly GPT2LMHeadModel's parameter names ("transformer.wte.weight",
     "transformer.h.{i}.attn.c_attn.weight", ...) -- no missing, no unexpected keys -- except what transformers
     itself tolerates: the attention buffers "attn.bias" / "attn.masked_bias" and a "lm_head.weight" equal to wte.
     Every shape is checked against config.json (Conv1D weights are (IN, OUT)).
  3. An independent GPT-2 forward (tools/torch_gpt.py's GPT, float32, written from SPEC.md) computes the loss of
     every token of `ids` in the windows of SPEC.md section 6 and, with --logits, the logits.
  4. Compares with the JSON of `score --json` (per-token losses; max |diff| <= --tol, default 1e-5) and with the
     .npy of `score --logits`; reports the largest differences in float32 ulps. Exit 0 when all agree, 1 if not.
  5. With --text FILE (the text that was scored): encodes it from the folder's vocab.json + merges.txt with an
     independent byte-level BPE (GPT-2's split rule by hand, lowest merge rank first, as GPT2Tokenizer does) and
     requires exactly the ids `score` used. Checked against tiktoken's "gpt2" ids on the 140 texts of
     src/test/resources/tokenizer/gpt2/fixture.json that hold no special token: all equal.

  mediswift4j export --checkpoint RUN --hf-dir hf/
  mediswift4j score --checkpoint hf/ --ids --input ids.txt --json --logits ours.npy > score.json
  /usr/bin/python3 tools/check_hf_folder.py hf/ score.json --logits ours.npy
  (or: score --input text.txt ... and check_hf_folder.py hf/ score.json --logits ours.npy --text text.txt)

`--write-fixture OUT.json` writes torch's per-token losses and logits rows for HfGoldenFixtureTest instead of
comparing (the input JSON then only needs "ids").
"""
import argparse
import json
import os
import sys
import unicodedata

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_roundtrip  # noqa: E402  plain-numpy safetensors reader
from torch_gpt import GPT  # noqa: E402  the independent float32 GPT-2 forward

BLOCK_PARAMS = [("ln_1.weight", "C"), ("ln_1.bias", "C"), ("attn.c_attn.weight", "C,3C"), ("attn.c_attn.bias", "3C"),
                ("attn.c_proj.weight", "C,C"), ("attn.c_proj.bias", "C"), ("ln_2.weight", "C"), ("ln_2.bias", "C"),
                ("mlp.c_fc.weight", "C,4C"), ("mlp.c_fc.bias", "4C"), ("mlp.c_proj.weight", "4C,C"), ("mlp.c_proj.bias", "C")]
CONV1D = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def expected_shapes(cfg):
    c, v, t, n_layer = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"], cfg["n_layer"]
    dims = {"C": c, "3C": 3 * c, "4C": 4 * c}
    inner = cfg.get("n_inner")
    if inner not in (None, 4 * c):
        raise SystemExit("config.json: n_inner %s is not 4 * n_embd" % inner)
    out = {"transformer.wte.weight": (v, c), "transformer.wpe.weight": (t, c),
           "transformer.ln_f.weight": (c,), "transformer.ln_f.bias": (c,)}
    for i in range(n_layer):
        for name, shape in BLOCK_PARAMS:
            out["transformer.h.%d.%s" % (i, name)] = tuple(dims[d] for d in shape.split(","))
    return out


def check_config(cfg):
    problems = []
    if cfg.get("model_type") != "gpt2":
        problems.append("model_type %r, expected 'gpt2'" % cfg.get("model_type"))
    if cfg.get("activation_function", "gelu_new") not in ("gelu_new", "gelu_pytorch_tanh"):
        problems.append("activation_function %r is not the tanh GELU" % cfg.get("activation_function"))
    if abs(cfg.get("layer_norm_epsilon", 1e-5) - 1e-5) > 0:
        problems.append("layer_norm_epsilon %r, the forward here uses 1e-5" % cfg.get("layer_norm_epsilon"))
    if not cfg.get("tie_word_embeddings", True):
        problems.append("tie_word_embeddings is false")
    for flag in ("scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"):
        if cfg.get(flag, False):
            problems.append("%s is true" % flag)
    return problems


def load_folder(folder):
    """The folder as GPT2LMHeadModel would load it, strictly; returns (cfg, torch model, report)."""
    cfg = json.load(open(os.path.join(folder, "config.json")))
    problems = check_config(cfg)
    tensors, meta, _ = safetensors_roundtrip.read(os.path.join(folder, "model.safetensors"))
    want = expected_shapes(cfg)
    tolerated = []
    unexpected = []
    for k in tensors:
        if k in want:
            continue
        if k.endswith(".attn.bias") or k.endswith(".attn.masked_bias"):
            tolerated.append(k)
        elif k == "lm_head.weight":
            if not np.array_equal(tensors[k], tensors.get("transformer.wte.weight")):
                problems.append("lm_head.weight differs from transformer.wte.weight (untied)")
            tolerated.append(k)
        else:
            unexpected.append(k)
    missing = sorted(set(want) - set(tensors))
    wrong_shapes = ["%s %s, config says %s" % (k, tuple(tensors[k].shape), want[k])
                    for k in want if k in tensors and tuple(tensors[k].shape) != want[k]]
    not_f32 = [k for k in want if k in tensors and tensors[k].dtype != np.float32]
    if meta.get("format") not in ("pt", None):
        problems.append("metadata format %r (transformers expects 'pt')" % meta.get("format"))
    report = {"missing_keys": missing, "unexpected_keys": sorted(unexpected), "tolerated_keys": sorted(tolerated),
              "wrong_shapes": wrong_shapes, "not_float32": not_f32, "config_problems": problems}
    if missing or unexpected or wrong_shapes or not_f32 or problems:
        return cfg, None, report
    model = GPT(cfg["n_layer"], cfg["n_embd"], cfg["n_head"], cfg["n_positions"], cfg["vocab_size"])
    with torch.no_grad():
        for name, p in model.named_parameters():
            a = tensors["transformer." + name]
            if name.split(".", 2)[-1] in CONV1D and name.startswith("h."):
                a = a.T  # Conv1D (IN, OUT) -> nn.Linear (OUT, IN)
            p.copy_(torch.from_numpy(np.array(a, dtype=np.float32, order="C", copy=True)))
    model.eval()
    return cfg, model, report


def score(model, ids, context):
    """Per-token losses and logits in SPEC.md's windows: window w feeds ids[wT : min(wT+T, N-1)]."""
    losses, logits = [], []
    with torch.no_grad():
        for start in range(0, len(ids) - 1, context):
            t = min(context, len(ids) - 1 - start)
            x = torch.tensor([ids[start:start + t]])
            y = torch.tensor(ids[start + 1:start + t + 1])
            z = model(x)[0]
            losses.append(F.cross_entropy(z, y, reduction="none"))
            logits.append(z)
    return torch.cat(losses).numpy(), torch.cat(logits).numpy()


def byte_to_unicode():
    """GPT-2's printable stand-in for every byte: printable Latin-1 bytes stand for themselves, the others map to
    U+0100 upwards in byte order."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    table, extra = {}, 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def pretokenize(text):
    """GPT-2's split rule ('s|'t|'re|'ve|'m|'ll|'d| ?L+| ?N+| ?[^sLN]+|s+(?!S)|s+), by hand: Python's re has no
    \\p{L}; letters and numbers are Unicode categories L* and N*, whitespace is str.isspace() less U+001C..U+001F."""
    def kind(c):
        cat = unicodedata.category(c)[0]
        # isspace() also counts U+001C..U+001F, which are not White_Space (the regex's \\s)
        return "L" if cat == "L" else "N" if cat == "N" else "S" if c.isspace() and not "\x1c" <= c <= "\x1f" else "O"

    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] == "'":
            for suffix in ("s", "t", "re", "ve", "m", "ll", "d"):
                if text.startswith(suffix, i + 1):
                    out.append(text[i:i + 1 + len(suffix)])
                    i += 1 + len(suffix)
                    break
            else:
                suffix = None
            if suffix is not None:
                continue
        start = i + 1 if text[i] == " " and i + 1 < n and kind(text[i + 1]) != "S" else i
        k = kind(text[start])
        if k != "S":
            j = start + 1
            while j < n and kind(text[j]) == k:
                j += 1
            out.append(text[i:j])
            i = j
            continue
        j = i
        while j < n and kind(text[j]) == "S":
            j += 1
        if j < n and j - i >= 2:
            j -= 1  # leave the last space for the next word (\\s+(?!\\S))
        elif j < n:
            j = i + 1
        out.append(text[i:j])
        i = j
    return out


def gpt2_encode(folder, text):
    """Ids of text from the folder's vocab.json + merges.txt, by GPT-2's byte-level BPE (lowest merge rank first)."""
    vocab = json.load(open(os.path.join(folder, "vocab.json"), encoding="utf-8"))
    lines = open(os.path.join(folder, "merges.txt"), encoding="utf-8").read().split("\n")[1:]  # line 1: #version
    ranks = {tuple(l.split(" ")): r for r, l in enumerate(x for x in lines if x)}
    b2u = byte_to_unicode()
    ids = []
    for piece in pretokenize(text):
        parts = [b2u[b] for b in piece.encode("utf-8")]
        while len(parts) > 1:
            pairs = [(ranks.get((parts[k], parts[k + 1]), float("inf")), k) for k in range(len(parts) - 1)]
            best, _ = min(pairs)
            if best == float("inf"):
                break
            left, right = min(pairs)[1], None
            pair = (parts[left], parts[left + 1])
            merged, k = [], 0
            while k < len(parts):
                if k + 1 < len(parts) and (parts[k], parts[k + 1]) == pair:
                    merged.append(parts[k] + parts[k + 1])
                    k += 2
                else:
                    merged.append(parts[k])
                    k += 1
            parts = merged
        ids.extend(vocab[p] for p in parts)
    return ids


def ulps(a, b):
    """Largest |a - b| in float32 ulps of the larger magnitude of the pair."""
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    spacing = np.spacing(np.maximum(np.abs(a), np.abs(b)).astype(np.float32))
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)) / spacing))


def row_ulps(a, b):
    """Largest |a - b| per row in float32 ulps of that row's largest |logit| (logits near 0 have tiny ulps)."""
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    scale = np.spacing(np.maximum(np.abs(a).max(axis=1), np.abs(b).max(axis=1)).astype(np.float32))
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)).max(axis=1) / scale))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folder")
    p.add_argument("score_json", help="output of `score --json` (ids and per-token losses)")
    p.add_argument("--logits", help="the .npy written by `score --logits`")
    p.add_argument("--tol", type=float, default=1e-5)
    p.add_argument("--text", help="the text that was scored: re-encode it from the folder's vocab.json + merges.txt")
    p.add_argument("--write-fixture", help="write torch's losses and logits to this JSON instead of comparing")
    args = p.parse_args()
    torch.set_num_threads(1)
    cfg, model, report = load_folder(args.folder)
    out = {"folder": args.folder, "load": report}
    if model is None:
        out["ok"] = False
        print(json.dumps(out, indent=1))
        return 1
    ours = json.load(open(args.score_json))
    ids = ours["ids"]
    losses, logits = score(model, ids, cfg["n_positions"])
    if args.write_fixture:
        fixture = {"ids": ids, "context": cfg["n_positions"], "torch": torch.__version__,
                   "losses": [float(x) for x in losses], "mean_loss": float(np.mean(losses.astype(np.float64))),
                   "logits_rows": [[float(x) for x in row] for row in logits]}
        json.dump(fixture, open(args.write_fixture, "w"), indent=1)
        print("wrote %s: %d losses, mean %.7f" % (args.write_fixture, len(losses), fixture["mean_loss"]))
        return 0
    ok = True
    ours_losses = np.array(ours["losses"], dtype=np.float32)
    diff = float(np.max(np.abs(ours_losses.astype(np.float64) - losses.astype(np.float64))))
    mean_rel = abs(ours["mean_loss"] - float(np.mean(losses.astype(np.float64)))) / abs(ours["mean_loss"])
    out.update({"tokens": len(ids), "scored": len(losses), "max_abs_loss_diff": diff, "max_loss_diff_ulps": ulps(ours_losses, losses),
                "mean_loss_ours": ours["mean_loss"], "mean_loss_torch": float(np.mean(losses.astype(np.float64))),
                "mean_loss_rel_diff": mean_rel})
    ok &= diff <= args.tol and mean_rel <= args.tol
    if args.logits:
        ours_logits = np.load(args.logits)
        if ours_logits.shape != logits.shape or ours_logits.dtype != np.float32:
            out["logits_problem"] = "shape %s dtype %s, expected %s float32" % (ours_logits.shape, ours_logits.dtype, logits.shape)
            ok = False
        else:
            out["max_abs_logit_diff"] = float(np.max(np.abs(ours_logits.astype(np.float64) - logits.astype(np.float64))))
            out["max_logit_diff_row_ulps"] = row_ulps(ours_logits, logits)
            ok &= out["max_abs_logit_diff"] <= args.tol
    if args.text:
        theirs = gpt2_encode(args.folder, open(args.text, encoding="utf-8").read())
        out["tokenizer_ids_equal"] = theirs == ids
        if theirs != ids:
            first = next((k for k in range(min(len(ids), len(theirs))) if ids[k] != theirs[k]), min(len(ids), len(theirs)))
            out["tokenizer_first_difference"] = {"position": first, "ours": ids[first:first + 5], "gpt2_bpe": theirs[first:first + 5]}
        ok &= theirs == ids
    out["ok"] = bool(ok)
    print(json.dumps(out, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
