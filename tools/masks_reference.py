#!/usr/bin/env python3
"""Independent reference for mediswift4j's static sparsity masks (SPEC.md sections 2 and 7), in plain Python.

Re-implements, from SPEC.md alone, SplitMix64, Rng.derive(seed, label, index), nextLong(bound) and the mask rule
(k = floor(s * n + 0.5) masked positions from a partial Fisher-Yates shuffle driven by derive(seed, label, 0)),
and the per-tensor labels of a GPT (h.{i}.attn.q/k/v, h.{i}.attn.c_proj, h.{i}.mlp.c_fc, h.{i}.mlp.c_proj).
It prints test vectors as JSON; the committed copy is src/test/resources/golden/mask_vectors.json, which
MaskVectorsTest compares against nn/Masks and nn/ModelMasks. Usage:

  /usr/bin/python3 tools/masks_reference.py > src/test/resources/golden/mask_vectors.json
"""
import hashlib
import json
import math

MASK64 = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        return mix(self.state)

    def next_below(self, bound):
        """nextLong(bound): r = next >> 1; reject while r - (r mod bound) > 2^63 - bound."""
        while True:
            r = self.next() >> 1
            m = r % bound
            if r - m <= (1 << 63) - bound:
                return m


def derive(seed, label, index):
    h = mix(seed & MASK64)
    for b in label.encode("utf-8"):
        h = mix(h ^ b)
    return SplitMix64(mix(h ^ (index & MASK64)))


def masked_count(n, sparsity):
    return math.floor(sparsity * n + 0.5)


def masked_positions(seed, label, n, sparsity):
    """All masked flat indices, in draw order."""
    k = masked_count(n, sparsity)
    rng = derive(seed, label, 0)
    perm = list(range(n))
    for i in range(k):
        j = i + rng.next_below(n - i)
        perm[i], perm[j] = perm[j], perm[i]
    return perm[:k]


def model_targets(layers, c):
    """(label, parameter, row offset, rows, cols) for every masked tensor, in order (nn/ModelMasks)."""
    out = []
    for i in range(layers):
        p = f"h.{i}."
        out += [(p + "attn.q", p + "attn.c_attn.weight", 0, c, c),
                (p + "attn.k", p + "attn.c_attn.weight", c, c, c),
                (p + "attn.v", p + "attn.c_attn.weight", 2 * c, c, c),
                (p + "attn.c_proj", p + "attn.c_proj.weight", 0, c, c),
                (p + "mlp.c_fc", p + "mlp.c_fc.weight", 0, 4 * c, c),
                (p + "mlp.c_proj", p + "mlp.c_proj.weight", 0, c, 4 * c)]
    return out


def model_masks(layers, c, seed, sparsity):
    """keep bytes (1 keep, 0 masked) of each maskable weight, in our (OUT, IN) layout, in layer order."""
    shapes = {}
    for i in range(layers):
        p = f"h.{i}."
        shapes[p + "attn.c_attn.weight"] = 3 * c * c
        shapes[p + "attn.c_proj.weight"] = c * c
        shapes[p + "mlp.c_fc.weight"] = 4 * c * c
        shapes[p + "mlp.c_proj.weight"] = 4 * c * c
    keep = {name: bytearray([1]) * n for name, n in shapes.items()}
    for label, param, row0, rows, cols in model_targets(layers, c):
        for pos in masked_positions(seed, label, rows * cols, sparsity):
            keep[param][row0 * cols + pos] = 0
    return keep


def main():
    first = 8
    cases = [(0, "test", 10, 0.5), (42, "h.0.attn.q", 32 * 32, 0.5), (42, "h.0.mlp.c_fc", 4 * 32 * 32, 0.75),
             (1234, "h.1.attn.v", 97, 0.3), (7, "h.0.attn.c_proj", 1, 0.5), (7, "h.0.attn.c_proj", 3, 0.1),
             (2024, "h.11.mlp.c_proj", 768 * 3072, 0.5), (5, "naïve µ-label", 12, 0.75)]
    vectors = []
    for seed, label, n, s in cases:
        pos = masked_positions(seed, label, n, s)
        vectors.append({"seed": seed, "label": label, "n": n, "sparsity": s, "masked": len(pos),
                        "stream_state": "0x%016X" % derive(seed, label, 0).state, "first": pos[:first]})
    layers, c, seed, s = 2, 32, 1234, 0.5
    keep = model_masks(layers, c, seed, s)
    digest = hashlib.sha256()
    for name in keep:
        digest.update(bytes(keep[name]))
    targets = []
    for label, param, row0, rows, cols in model_targets(layers, c):
        pos = masked_positions(seed, label, rows * cols, s)
        targets.append({"label": label, "parameter": param, "masked": len(pos),
                        "first_in_parameter": [row0 * cols + q for q in pos[:first]]})
    print(json.dumps({"generator": "tools/masks_reference.py", "first": first, "vectors": vectors,
                      "model": {"layers": layers, "d_model": c, "seed": seed, "sparsity": s, "targets": targets,
                                "masks_sha256": digest.hexdigest()}}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
