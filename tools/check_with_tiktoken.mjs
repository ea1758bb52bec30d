// Cross-check with another tool: loads OUR vocab.json (GPT-2 format, as written by `tokenizer train`) into
// tiktoken (npm, WASM) and writes tiktoken's ids for a text file, one per line, to compare with
// `tokenizer encode` (cmp the two files). tiktoken ranks a merge by the id of the concatenated token, which is
// merge order in our vocabularies, so both encoders must agree.
// usage: NODE_PATH=/scratch/node_modules node tools/check_with_tiktoken.mjs TOKENIZER_DIR TEXT_FILE OUT_IDS
import { createRequire } from "module";
import fs from "fs";
const require = createRequire(process.env.NODE_PATH + "/");
const { Tiktoken } = require("tiktoken");

// GPT-2's byte-to-unicode map, inverted: character -> byte.
const charToByte = new Map();
let extra = 0;
for (let b = 0; b < 256; b++) {
  const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  charToByte.set(String.fromCharCode(printable ? b : 256 + extra++), b);
}
const [dir, input, out] = process.argv.slice(2);
const vocab = JSON.parse(fs.readFileSync(`${dir}/vocab.json`, "utf8"));
const lines = [];
const specials = {};
for (const [text, id] of Object.entries(vocab)) {
  if (text === "<|endoftext|>") { specials[text] = id; continue; }
  const bytes = Buffer.from([...text].map(c => charToByte.get(c)));
  lines.push(`${bytes.toString("base64")} ${id}`);
}
const pat = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const enc = new Tiktoken(lines.join("\n"), specials, pat);
const ids = enc.encode_ordinary(fs.readFileSync(input, "utf8"));
fs.writeFileSync(out, Array.from(ids).join("\n") + "\n");
console.error(`${ids.length} tokens`);
