package mediswift4j.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import mediswift4j.nn.ModelConfig;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.train.Checkpoint;
import mediswift4j.train.TrainSettings;
import mediswift4j.train.TrainState;

/**
 * The README.md model card of an exported Hugging Face folder: every figure comes from the checkpoint (shape,
 * sparsity of the masked layers, steps, tokens, learning rate, seed, tokenizer and data hashes, parameter hash).
 */
final class HfModelCard {
    private HfModelCard() {}

    static String text(Checkpoint.Loaded ck, BpeTokenizer tok, List<String> files, String version) {
        ModelConfig c = ck.model().config();
        TrainSettings s = ck.settings();
        TrainState st = ck.state();
        StringBuilder b = new StringBuilder();
        b.append("---\nlibrary_name: transformers\nlicense: apache-2.0\ntags:\n- gpt2\n- mediswift4j\n- sparse-pretraining\n---\n\n");
        b.append("# ").append(c.name()).append(" (mediswift4j)\n\n");
        b.append("A GPT-2-architecture causal language model exported by mediswift4j ").append(version)
                .append(" (`export --hf-dir`). Load it with `GPT2LMHeadModel.from_pretrained` and `GPT2Tokenizer.from_pretrained`.\n\n");
        b.append("## Architecture\n\n");
        b.append(String.format(Locale.ROOT, "%d layers, width %d, %d heads, context %d, vocabulary %d; pre-LayerNorm (eps 1e-5), tanh GELU "
                + "(`gelu_new`), LM head tied to the token embedding.%n%n", c.layers(), c.dModel(), c.heads(), c.contextLength(), c.vocabSize()));
        b.append("## Training\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "static sparsity (masked fraction of the attention and MLP matrices)", HfFolderExport.pct(HfFolderExport.overallSparsity(ck))
                + " (requested " + s.sparsity() + ")");
        row(b, "optimizer steps", Long.toString(st.step) + " of a " + s.steps() + "-step schedule");
        row(b, "tokens seen", String.format(Locale.ROOT, "%,d", st.tokensSeen));
        row(b, "batch x sequence length", s.batch() + " x " + s.seqLen() + (s.accum() > 1 ? " x " + s.accum() + " accumulation" : ""));
        row(b, "peak learning rate, warm-up", s.lr() + ", " + s.warmup() + " steps (cosine to 10%)");
        row(b, "seed", Long.toString(s.seed()));
        row(b, "data", st.data.isEmpty() ? "not recorded" : "`" + String.join("`, `", st.data) + "` (" + st.dataTokens + " tokens, validation from "
                + st.dataValidationStart + ")");
        row(b, "data SHA-256 (of the file as found at export time)", dataHash(st));
        row(b, "tokenizer SHA-256", st.tokenizerSha256 != null ? st.tokenizerSha256 : tok != null ? "not recorded by the run" : "no tokenizer");
        row(b, "parameters SHA-256 (mediswift4j)", Checkpoint.parameterHash(ck.model()));
        b.append("\n## Files\n\n");
        for (String f : files) b.append("- `").append(f).append("`\n");
        b.append("- `README.md`\n\n");
        b.append("`sparsity.safetensors` holds the static masks (`<param>.mask`, 1 keep, 0 masked) and `optimizer.safetensors` the Adam moments; "
                + "transformers ignores both, mediswift4j's `import --in` and `verify --checkpoint` read them.\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String dataHash(TrainState st) {
        if (st.data.size() != 1 || !Files.isRegularFile(Path.of(st.data.get(0)))) return "not available";
        try (InputStream in = new DigestInputStream(Files.newInputStream(Path.of(st.data.get(0))), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest md = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "not available (" + e.getMessage() + ")";
        }
    }
}
