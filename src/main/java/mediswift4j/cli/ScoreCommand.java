package mediswift4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import mediswift4j.interop.Scoring;
import mediswift4j.io.Json;
import mediswift4j.nn.SequenceScorer;
import mediswift4j.tensor.Parallel;

/**
 * `score`: the loss of a model on a given text or id sequence, per token and on average (library:
 * {@link Scoring}; windows and numbers in SPEC.md section 6, "Scoring a sequence").
 */
final class ScoreCommand implements Command {
    @Override
    public String name() {
        return "score";
    }

    @Override
    public String summary() {
        return "loss and perplexity of a model on a text or a list of token ids";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: score --checkpoint RUN --input FILE [--ids] [--tokenizer DIR] [--logits OUT.npy] [--json] [--threads T]",
                "",
                "RUN is a run directory (pretrain, finetune or import), a Hugging Face GPT-2 folder or a .safetensors file.",
                "FILE is UTF-8 text, tokenized with the run's tokenizer (or --tokenizer DIR; nothing is prepended), or with",
                "--ids one token id per line. Every token but the first is scored given the tokens before it, in",
                "non-overlapping windows of the model's context T (stride T; each window starts without earlier context).",
                "Prints the token count, mean loss (nats) and perplexity; --json prints one JSON object that adds the ids",
                "and the per-token losses; --logits writes the logits as a NumPy .npy float32 array (N-1, V).");
    }

    @Override
    public int run(Args args) throws Exception {
        Path checkpoint = Path.of(args.require("checkpoint"));
        Path input = Path.of(args.require("input"));
        boolean ids = args.flag("ids");
        String tokenizer = args.string("tokenizer", null);
        String logits = args.string("logits", null);
        boolean json = args.flag("json");
        int threads = args.integer("threads", 0);
        args.finish();
        if (threads < 0) throw new UsageException("--threads must be >= 0, got " + threads);
        if (threads > 0) Parallel.setThreads(threads);

        Scoring.Scored s = Scoring.score(checkpoint, input, ids, tokenizer, logits == null ? null : Path.of(logits));
        SequenceScorer.Result r = s.result();
        PrintStream o = Main.utf8(System.out);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkpoint", checkpoint.toString());
            m.put("kind", s.source().kind());
            m.put("tokenizer", s.tokenizer());
            m.put("tokens", (long) s.ids().length);
            m.put("scored", (long) r.tokens());
            m.put("window", (long) r.windowLength());
            m.put("windows", (long) r.windows());
            m.put("mean_loss", r.meanLoss());
            m.put("perplexity", r.perplexity());
            m.put("ids", s.ids());
            List<Object> losses = new ArrayList<>();
            for (float l : r.losses()) losses.add((double) l);
            m.put("losses", losses);
            if (logits != null) m.put("logits", logits);
            o.println(Json.write(m));
        } else {
            o.printf(Locale.ROOT, "%d tokens (%d scored in %d window(s) of %d), mean loss %.6f nats, perplexity %.4f%n",
                    s.ids().length, r.tokens(), r.windows(), r.windowLength(), r.meanLoss(), r.perplexity());
            if (logits != null) o.printf("logits (%d, %d) float32 written to %s%n", r.tokens(), s.source().model().config().vocabSize(), logits);
        }
        return 0;
    }
}
