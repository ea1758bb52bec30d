package mediswift4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;

import mediswift4j.interop.ModelSource;
import mediswift4j.io.Json;
import mediswift4j.nn.Generator;
import mediswift4j.tensor.Parallel;
import mediswift4j.tokenizer.BpeTokenizer;
import mediswift4j.util.InputException;
import mediswift4j.util.Rng;

/** `generate`: sample a continuation of a prompt from a checkpoint (sampling rule in nn.Generator). */
final class GenerateCommand implements Command {
    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "sample a continuation from a checkpoint";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: generate --checkpoint DIR --prompt TEXT [--temperature T] [--top-k K] [--seed N]",
                "                [--max-tokens N] [--tokenizer DIR] [--threads T] [--json]",
                "",
                "Defaults: temperature 0.8 (0 = greedy), top-k 40 (0 = all), seed 1, max-tokens 64, the tokenizer",
                "of the run (its tokenizer/ copy, else the one recorded). Draws from Rng.derive(seed, \"generate\", 0); stops",
                "at <|endoftext|>. DIR is a run directory, a Hugging Face GPT-2 folder or a .safetensors file. The prompt and",
                "continuation are printed on stdout; --json prints {prompt_ids, ids, text} (ids: the continuation's ids).");
    }

    @Override
    public int run(Args args) {
        Path dir = Path.of(args.require("checkpoint"));
        String prompt = args.require("prompt");
        double temperature = args.number("temperature", 0.8);
        int topK = args.integer("top-k", 40);
        long seed = args.longValue("seed", 1);
        int maxTokens = args.integer("max-tokens", 64);
        String tokDir = args.string("tokenizer", null);
        int threads = args.integer("threads", 0);
        boolean json = args.flag("json");
        args.finish();
        if (temperature < 0) throw new UsageException("--temperature must be >= 0");
        if (topK < 0) throw new UsageException("--top-k must be >= 0");
        if (maxTokens < 0) throw new UsageException("--max-tokens must be >= 0");
        if (threads > 0) Parallel.setThreads(threads);
        ModelSource.Loaded ck = ModelSource.load(dir);
        if (tokDir == null) tokDir = ck.tokenizerDir();
        if (tokDir == null) throw new UsageException("the checkpoint names no tokenizer: give --tokenizer DIR");
        BpeTokenizer tok = ck.tokenizer(tokDir);
        int[] ids = tok.encode(prompt);
        if (ids.length == 0) throw new UsageException("--prompt encodes to no tokens");
        int[] all = Generator.generate(ck.model(), ids, maxTokens, temperature, topK, Rng.derive(seed, "generate", 0), tok.endOfTextId());
        int[] continuation = java.util.Arrays.copyOfRange(all, ids.length, all.length);
        var out = Main.utf8(System.out);
        if (json) {
            var m = new LinkedHashMap<String, Object>();
            m.put("prompt", prompt);
            m.put("prompt_ids", ids);
            m.put("ids", continuation);
            m.put("text", tok.decode(continuation));
            out.println(Json.write(m));
            return 0;
        }
        out.print(prompt);
        out.println(tok.decode(continuation));
        return 0;
    }
}
