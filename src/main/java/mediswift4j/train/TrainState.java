package mediswift4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run is: what a checkpoint needs beyond parameters, masks and optimizer moments to continue exactly.
 * step counts completed optimizer updates; dataRngState is the state of the data-order stream after them.
 */
public final class TrainState {
    public long step;
    public long tokensSeen;
    public long dataRngState;
    /** Wall-clock seconds spent training so far, over all runs (informational; not part of exactness). */
    public double elapsedSeconds;
    /** The tokenizer directory the data was tokenized with (as given), or null. */
    public String tokenizer;
    /** The data paths (as given). */
    public List<String> data = new ArrayList<>();
    /** Size of the token data and its validation start, checked on resume (-1 when unknown). */
    public long dataTokens = -1, dataValidationStart = -1;

    public TrainState copy() {
        TrainState s = new TrainState();
        s.step = step;
        s.tokensSeen = tokensSeen;
        s.dataRngState = dataRngState;
        s.elapsedSeconds = elapsedSeconds;
        s.tokenizer = tokenizer;
        s.data = new ArrayList<>(data);
        s.dataTokens = dataTokens;
        s.dataValidationStart = dataValidationStart;
        return s;
    }
}
