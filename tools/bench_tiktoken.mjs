// Baseline for `bench tokenizer`: tiktoken's WASM build (npm "tiktoken"), encoding "gpt2", single thread, on the
// same file. Prints {"mb_per_s": ...} (UTF-8 MB of input per second, best of REPEAT (default 5) runs after two
// warm-up runs, the same protocol as `bench tokenizer`).
// usage: NODE_PATH=/scratch/node_modules node tools/bench_tiktoken.mjs FILE [REPEAT]
import { createRequire } from "module";
import fs from "fs";
const require = createRequire(process.env.NODE_PATH + "/");
const { get_encoding } = require("tiktoken");
const enc = get_encoding("gpt2");
const text = fs.readFileSync(process.argv[2], "utf8");
const mb = Buffer.byteLength(text, "utf8") / 1e6;
let ids = enc.encode_ordinary(text);
ids = enc.encode_ordinary(text);
const repeat = +(process.argv[3] || 5);
let best = Infinity;
for (let r = 0; r < repeat; r++) {
  const t0 = process.hrtime.bigint();
  ids = enc.encode_ordinary(text);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  best = Math.min(best, s);
  console.error(`tiktoken run ${r + 1}: ${(mb / s).toFixed(1)} MB/s`);
}
console.log(JSON.stringify({ tool: "tiktoken (npm, WASM) gpt2", input_mb: +mb.toFixed(3), tokens: ids.length,
  mb_per_s: +(mb / best).toFixed(3) }));
