#!/usr/bin/python3
"""Writes src/test/resources/pubmedqa/pubmedqa_split_synthetic.json: the PubMedQA split procedure (SPEC.md section 13)
run with CPython's `random` on small synthetic PMID lists, so PubmedqaSplitsTest can check the Java port without
the real data. This is our own statement of the procedure, written from its description.
Run from the repository root:  /usr/bin/python3 tools/pubmedqa_split_fixture.py
"""
import json
import math
import random

LABELS = ["yes", "no", "maybe"]


def stratified_split(pmids, label_of, k, rng):
    chunks = {}
    for label in LABELS:                      # shuffles happen in the order yes, no, maybe
        group = [p for p in pmids if label_of[p] == label]
        rng.shuffle(group)
        size = math.ceil(len(group) / k)
        chunks[label] = [group[i * size:(i + 1) * size] if i < k - 1 else group[i * size:] for i in range(k)]
    parts = [chunks["yes"][i] + chunks["no"][i] + chunks["maybe"][i] for i in range(k)]
    if len(parts[-1]) != len(parts[0]):
        for i in range(k - 1):
            picked = rng.choice(parts[i])
            parts[i].remove(picked)
            parts[-1].append(picked)
    return parts


def case(n, weights, seed):
    gen = random.Random(1000 + n)             # only to invent the data set
    pmids = [str(gen.randrange(10**6, 10**8)) for _ in range(n)]
    pmids = list(dict.fromkeys(pmids))
    label_of = {p: gen.choices(LABELS, weights)[0] for p in pmids}
    rng = random.Random(seed)
    pool, test = stratified_split(pmids, label_of, 2, rng)
    folds = stratified_split(pool, label_of, 10, rng)
    return {"seed": seed, "pmids": pmids, "labels": [label_of[p] for p in pmids],
            "test": test, "pool": pool, "dev_folds": folds}


cases = [case(1000, [552, 338, 110], 0), case(217, [5, 3, 1], 0), case(333, [2, 1, 1], 7)]
path = "src/test/resources/pubmedqa/pubmedqa_split_synthetic.json"
with open(path, "w") as f:
    f.write('{"cases": [\n' + ",\n".join(json.dumps(c) for c in cases) + "\n]}\n")
print("wrote", path)
