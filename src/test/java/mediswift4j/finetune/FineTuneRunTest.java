package mediswift4j.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which evaluation splits a fine-tuning run scores for each --eval-split (the flow itself: FinetuneCommandTest). */
class FineTuneRunTest {
    @Test
    void evalSplitChoosesInTheDatasOrder() {
        List<String> both = List.of("dev", "test");
        assertEquals(List.of("test"), FineTuneRun.splits(both, "test"));
        assertEquals(List.of("dev"), FineTuneRun.splits(both, "dev"));
        assertEquals(both, FineTuneRun.splits(both, "all"));
        assertEquals(List.of(), FineTuneRun.splits(both, "none"));
        assertEquals(List.of("dev"), FineTuneRun.splits(List.of("dev"), "test"), "test falls back to dev");
        assertEquals(List.of(), FineTuneRun.splits(List.of(), "test"), "--train-all: nothing to evaluate");
    }
}
