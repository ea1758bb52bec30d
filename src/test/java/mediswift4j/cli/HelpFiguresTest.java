package mediswift4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import mediswift4j.pipeline.ReproductionPlan;

/**
 * Help texts, README and SPEC agree on times and defaults. Durations are stated in README.md only (they depend on
 * the machine), so no help text may contain one; the reproduction's defaults are stated in SPEC.md's plan table and
 * in `reproduce --help`, and both must equal ReproductionPlan's presets.
 */
class HelpFiguresTest {
    private static final Pattern DURATION = Pattern.compile(
            "(?i)(?<![\\w-])\\d+(\\.\\d+)?\\s*(s|secs?|seconds?|mins?|minutes?|h|hours?)\\b|\\b(minutes?|seconds|hours?)\\b");

    @Test
    void noHelpTextStatesADuration() {
        List<String> found = new ArrayList<>();
        for (Command c : Main.commands()) {
            Matcher m = DURATION.matcher(c.help() + "\n" + c.summary());
            while (m.find()) found.add(c.name() + ": \"" + m.group() + "\"");
        }
        assertTrue(found.isEmpty(), "durations belong in README.md, not in help texts: " + found);
        assertTrue(DURATION.matcher("takes about two minutes").find() && DURATION.matcher("in 30 s").find(), "the pattern itself");
    }

    @Test
    void specPlanTableAndReproduceHelpGiveThePlansDefaults() throws Exception {
        String spec = Files.readString(Path.of("SPEC.md"));
        for (ReproductionPlan p : new ReproductionPlan[] {ReproductionPlan.full(), ReproductionPlan.quick()}) {
            String name = p == null ? "" : (p.equals(ReproductionPlan.full()) ? "full" : "quick");
            Matcher row = Pattern.compile("(?m)^\\| " + name + " \\|(.*)\\|$").matcher(spec);
            assertTrue(row.find(), "SPEC.md plan table has no row " + name);
            String[] cells = row.group(1).split("\\|");
            double[] v = new double[cells.length];
            for (int i = 0; i < cells.length; i++) v[i] = Double.parseDouble(cells[i].trim().split(" ")[0]);
            double[] want = {p.vocab(), p.seqLen(), p.batch(), p.steps(), p.lr(), p.warmup(), p.evalEvery(), p.fineTuneLr(),
                    p.pubmedqaEpochs(), p.hocEpochs(), p.pubmedqaTest(), p.hocTrainAbstracts(), p.hocDevAbstracts(), p.hocTestAbstracts()};
            assertEquals(want.length, v.length, name + " row: " + row.group(1));
            for (int i = 0; i < want.length; i++) assertEquals(want[i], v[i], 0, name + " column " + (i + 2));
            assertEquals(p.evalEvery(), p.checkpointEvery(), "the table's 'eval / checkpoint every' column is one number");
        }
        String help = new ReproduceCommand().help();
        ReproductionPlan full = ReproductionPlan.full(), quick = ReproductionPlan.quick();
        assertTrue(help.contains("--lr LR              peak pre-training learning rate (default " + full.lr() + ")"), help);
        assertTrue(help.contains("--finetune-lr LR     peak fine-tuning learning rate (default " + full.fineTuneLr() + ")"), help);
        assertTrue(help.contains("(default " + full.steps() + "; --quick " + quick.steps() + ")"), help);
        assertTrue(help.contains("(default " + full.batch() + "; --quick " + quick.batch() + ")"), help);
    }
}
