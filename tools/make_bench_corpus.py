#!/usr/bin/env python3
"""Writes a ~10 MB plain-text corpus for tokenizer timings (not committed): PubMedQA questions, contexts and
long answers, HoC sentences (from ../shared/data), then English prose from /usr/share/doc (copyright files,
READMEs, changelogs) until the size is reached. Documents are separated by blank lines.
usage: tools/make_bench_corpus.py DATA_DIR OUT.txt [MEGABYTES]"""
import glob, gzip, json, os, sys

data, out = sys.argv[1], sys.argv[2]
limit = int(float(sys.argv[3]) * 1e6) if len(sys.argv) > 3 else 10_000_000
docs = []
for rec in json.load(open(os.path.join(data, "pubmedqa", "ori_pqal.json"))).values():
    docs.append(rec["QUESTION"] + "\n" + "\n".join(rec["CONTEXTS"]) + "\n" + rec["LONG_ANSWER"])
for split in ("train", "dev", "test"):
    rows = open(os.path.join(data, "hoc-blurb", split + ".tsv"), encoding="utf-8").read().split("\n")[1:]
    docs.extend(r.split("\t")[1] for r in rows if r.count("\t") >= 2)
size = sum(len(d.encode()) + 2 for d in docs)
for path in sorted(glob.glob("/usr/share/doc/**/*", recursive=True)):
    if size >= limit: break
    if not os.path.isfile(path): continue
    try:
        raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
        text = raw.decode("utf-8")
    except Exception:
        continue
    text = "\n".join(line for line in text.split("\n") if line.strip()) # one document per file
    if len(text) < 200: continue
    docs.append(text)
    size += len(text.encode()) + 2
with open(out, "w", encoding="utf-8") as f:
    f.write("\n\n".join(docs) + "\n")
print(f"wrote {out}: {os.path.getsize(out) / 1e6:.2f} MB, {len(docs)} documents", file=sys.stderr)
