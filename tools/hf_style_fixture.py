#!/usr/bin/python3
"""Writes src/test/resources/hf/transformers-style/: a random GPT-2 model saved the way transformers'
save_pretrained(safe_serialization=True) saves GPT2LMHeadModel -- "transformer."-prefixed names, Conv1D (IN, OUT)
weights, the tied "lm_head.weight", the causal-mask buffers "h.{i}.attn.bias" (bool (1, 1, T, T)) and
"h.{i}.attn.masked_bias" (older versions), metadata {"format": "pt"}, and a config.json with the keys transformers
writes -- plus ids.txt and torch_scores.json (per-token losses from tools/torch_gpt.py's independent forward in
SPEC.md's windows). transformers itself is not installed here: the layout is written from its documented format.
HfGoldenFixtureTest imports the folder with `import --in` and compares `score` with these losses.

Run from the repository root:  /usr/bin/python3 tools/hf_style_fixture.py
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_roundtrip  # noqa: E402
from check_hf_folder import load_folder, score  # noqa: E402

OUT = "src/test/resources/hf/transformers-style"
L, C, NH, T, V = 2, 16, 2, 16, 64


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261203)
    f32 = lambda *s: rng.normal(0, 0.3, size=s).astype(np.float32)  # noqa: E731  large enough to give varied losses
    t = {"transformer.wte.weight": f32(V, C), "transformer.wpe.weight": f32(T, C)}
    for i in range(L):
        h = "transformer.h.%d." % i
        t[h + "ln_1.weight"] = (1 + f32(C)).astype(np.float32)
        t[h + "ln_1.bias"] = f32(C)
        t[h + "attn.bias"] = np.tril(np.ones((T, T), dtype=np.bool_)).reshape(1, 1, T, T)
        t[h + "attn.masked_bias"] = np.array(-1e4, dtype=np.float32)
        t[h + "attn.c_attn.weight"] = f32(C, 3 * C)
        t[h + "attn.c_attn.bias"] = f32(3 * C)
        t[h + "attn.c_proj.weight"] = f32(C, C)
        t[h + "attn.c_proj.bias"] = f32(C)
        t[h + "ln_2.weight"] = (1 + f32(C)).astype(np.float32)
        t[h + "ln_2.bias"] = f32(C)
        t[h + "mlp.c_fc.weight"] = f32(C, 4 * C)
        t[h + "mlp.c_fc.bias"] = f32(4 * C)
        t[h + "mlp.c_proj.weight"] = f32(4 * C, C)
        t[h + "mlp.c_proj.bias"] = f32(C)
    t["transformer.ln_f.weight"] = (1 + f32(C)).astype(np.float32)
    t["transformer.ln_f.bias"] = f32(C)
    t["lm_head.weight"] = t["transformer.wte.weight"].copy()
    safetensors_roundtrip.write(os.path.join(OUT, "model.safetensors"), t, {"format": "pt"})
    cfg = {"_name_or_path": "random-gpt2-tiny", "activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"],
           "attn_pdrop": 0.1, "bos_token_id": V - 1, "embd_pdrop": 0.1, "eos_token_id": V - 1, "initializer_range": 0.02,
           "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": T, "n_embd": C, "n_head": NH, "n_inner": None,
           "n_layer": L, "n_positions": T, "reorder_and_upcast_attn": False, "resid_pdrop": 0.1,
           "scale_attn_by_inverse_layer_idx": False, "scale_attn_weights": True, "summary_activation": None,
           "summary_first_dropout": 0.1, "summary_proj_to_labels": True, "summary_type": "cls_index",
           "summary_use_proj": True, "torch_dtype": "float32", "transformers_version": "4.46.3", "use_cache": True,
           "vocab_size": V}
    json.dump(cfg, open(os.path.join(OUT, "config.json"), "w"), indent=2)
    ids = [int(x) for x in rng.integers(0, V, size=40)]  # 39 scored positions: windows of 16, 16, 7
    with open(os.path.join(OUT, "ids.txt"), "w") as f:
        f.write("".join("%d\n" % i for i in ids))
    torch.set_num_threads(1)
    cfg2, model, report = load_folder(OUT)
    assert model is not None, report
    losses, logits = score(model, ids, T)
    json.dump({"ids": ids, "context": T, "torch": torch.__version__, "losses": [float(x) for x in losses],
               "mean_loss": float(np.mean(losses.astype(np.float64))), "logits_row0": [float(x) for x in logits[0]]},
              open(os.path.join(OUT, "torch_scores.json"), "w"), indent=1)
    print("wrote %s: %d losses, mean %.7f" % (OUT, len(losses), float(np.mean(losses.astype(np.float64)))))


if __name__ == "__main__":
    main()
