#!/usr/bin/python3
"""Writes src/test/resources/pubmedqa/python_random.json: reference outputs of CPython's `random` module.

PythonRandomTest checks mediswift4j.pubmedqa.PythonRandom against these numbers, so the PubMedQA split (which uses
Python's Mersenne Twister seeded with 0) is reproduced without running Python in the tests.
Run from the repository root:  /usr/bin/python3 tools/python_random_fixture.py
Large integers are written as decimal strings so that no JSON reader rounds them.
"""
import json
import random
import sys

SEEDS = [0, 1, 42, 12345, 2**32 - 1, 2**32 + 7, 2**63 + 12345, -5]
BIT_COUNTS = [1, 2, 7, 8, 31, 32, 33, 53, 63, 64]
BOUNDS = [1, 2, 3, 5, 7, 50, 100, 276, 1000, 2**31 + 11, 2**40 + 3]
SHUFFLE_SIZES = [0, 1, 2, 3, 10, 55, 169, 276]


def case(seed):
    out = {"seed": str(seed)}
    r = random.Random(seed)
    out["uint32"] = [r.getrandbits(32) for _ in range(8)]
    r = random.Random(seed)
    out["getrandbits"] = [[k, str(r.getrandbits(k))] for k in BIT_COUNTS]
    r = random.Random(seed)
    out["randbelow"] = [[n, str(r._randbelow(n))] for n in BOUNDS for _ in range(3)]
    r = random.Random(seed)
    shuffles = []
    for n in SHUFFLE_SIZES:
        xs = list(range(n))
        r.shuffle(xs)
        shuffles.append(xs)
    out["shuffles"] = shuffles
    r = random.Random(seed)
    out["choices"] = [r.choice(list(range(n))) for n in [1, 2, 51, 51, 51, 41, 500]]
    return out


doc = {"python": sys.version.split()[0], "cases": [case(s) for s in SEEDS]}
path = "src/test/resources/pubmedqa/python_random.json"
with open(path, "w") as f:
    # one case per line: small, and diffs stay readable
    f.write('{"python": %s, "cases": [\n' % json.dumps(doc["python"]))
    f.write(",\n".join(json.dumps(c) for c in doc["cases"]))
    f.write("\n]}\n")
print("wrote", path)
