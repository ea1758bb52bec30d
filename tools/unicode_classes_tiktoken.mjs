// Asks tiktoken (npm, WASM; the reference for GPT-2 ids) which code points its regex engine counts as letters
// (\p{L}) and numbers (\p{N}), and writes them as ranges "L|N FIRST LAST" (hex, inclusive), one per line, for
// every code point >= U+0080. Method: a throw-away vocabulary whose only merges join "a" (or "1") with each
// code point's bytes, and the pattern \p{L}+|\p{N}+|[^\p{L}\p{N}]: "aX" comes out as one token exactly when X
// is a letter. Output: src/test/resources/tokenizer/tiktoken-unicode-classes.txt, which
// PretokenizerTest compares with our classes; UnicodeExtras lists the ranges Java 17 lacks. (~90 s)
// usage: NODE_PATH=/scratch/node_modules node tools/unicode_classes_tiktoken.mjs OUT.txt
import { createRequire } from "module"; import fs from "fs";
const require = createRequire(process.env.NODE_PATH + "/");
const { Tiktoken } = require("tiktoken");
// candidates: every non-ASCII, non-surrogate code point
const cps = [];
for (let cp = 0x80; cp <= 0x10FFFF; cp++) { if (cp >= 0xD800 && cp <= 0xDFFF) continue; cps.push(cp); }
const tokens = new Map(); // base64 -> rank
let rank = 0;
for (let b = 0; b < 256; b++) tokens.set(Buffer.from([b]).toString("base64"), rank++);
function add(buf) { const k = buf.toString("base64"); if (!tokens.has(k)) tokens.set(k, rank++); }
const probeL = "a", probeN = "1";
for (const cp of cps) {
  const x = Buffer.from(String.fromCodePoint(cp), "utf8");
  for (const p of [probeL, probeN]) for (let k = 1; k <= x.length; k++) add(Buffer.concat([Buffer.from(p), x.subarray(0, k)]));
}
const bfe = [...tokens.entries()].map(([k, r]) => `${k} ${r}`).join("\n");
const enc = new Tiktoken(bfe, {}, "\\p{L}+|\\p{N}+|[^\\p{L}\\p{N}]");
const out = [];
const chunk = 4096;
for (let i = 0; i < cps.length; i += chunk) {
  const part = cps.slice(i, i + chunk);
  for (const p of [probeL, probeN]) {
    const text = part.map(cp => p + String.fromCodePoint(cp)).join("\n");
    const ids = enc.encode_ordinary(text);
    // walk: each item is p+X then "\n" (except last)
    let j = 0;
    for (let q = 0; q < part.length; q++) {
      const joined = ids[j] >= 256; // one merged token "pX"
      if (joined) j += 1; else j += 1 + Buffer.byteLength(String.fromCodePoint(part[q]), "utf8");
      if (q + 1 < part.length) j += 1; // newline
      if (joined) out.push((p === probeL ? "L " : "N ") + part[q].toString(16));
    }
    if (j !== ids.length) throw new Error("walk mismatch " + j + " " + ids.length);
  }
}
// compress to ranges
const ranges = [];
for (const line of out) {
  const [c, h] = line.split(" "); const cp = parseInt(h, 16);
  const last = ranges[ranges.length - 1];
  if (last && last[0] === c && last[2] === cp - 1) last[2] = cp; else ranges.push([c, cp, cp]);
}
ranges.sort((a, b) => a[1] - b[1]);
fs.writeFileSync(process.argv[2], ranges.map(([c, a, b]) => `${c} ${a.toString(16).toUpperCase()} ${b.toString(16).toUpperCase()}`).join("\n") + "\n");
console.error(out.length, "classified");
