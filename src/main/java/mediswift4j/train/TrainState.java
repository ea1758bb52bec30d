package mediswift4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mediswift4j.io.Json;

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
    /** SHA-256 of the tokenizer the data was written with (tokenizer.TokenizerHash), or null when unknown. */
    public String tokenizerSha256;
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
        s.tokenizerSha256 = tokenizerSha256;
        s.data = new ArrayList<>(data);
        s.dataTokens = dataTokens;
        s.dataValidationStart = dataValidationStart;
        return s;
    }

    /** The fields under the names {@link #fromJson} reads, in the order the checkpoint header holds them. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("tokens_seen", tokensSeen);
        m.put("data_rng_state", TrainSettings.exactLong(dataRngState));
        m.put("elapsed_seconds", elapsedSeconds);
        m.put("tokenizer", tokenizer);
        if (tokenizerSha256 != null) m.put("tokenizer_sha256", tokenizerSha256);
        m.put("data", new ArrayList<Object>(data));
        m.put("data_tokens", dataTokens);
        m.put("data_validation_start", dataValidationStart);
        return m;
    }

    /**
     * Reads the fields written under these names (step, tokens_seen, data_rng_state, elapsed_seconds, tokenizer,
     * tokenizer_sha256 (optional), data, data_tokens, data_validation_start) from a checkpoint header or an export's metadata; `where` names
     * the place in error messages.
     */
    public static TrainState fromJson(Map<String, Object> m, String where) {
        TrainState st = new TrainState();
        st.step = Json.asLong(Json.field(m, "step", where), where + ".step");
        st.tokensSeen = Json.asLong(Json.field(m, "tokens_seen", where), where + ".tokens_seen");
        st.dataRngState = TrainSettings.readExactLong(Json.field(m, "data_rng_state", where), where + ".data_rng_state");
        st.elapsedSeconds = Json.asNumber(Json.field(m, "elapsed_seconds", where), where + ".elapsed_seconds");
        Object tok = m.get("tokenizer");
        st.tokenizer = tok == null ? null : Json.asString(tok, where + ".tokenizer");
        Object tokSha = m.get("tokenizer_sha256");
        st.tokenizerSha256 = tokSha == null ? null : Json.asString(tokSha, where + ".tokenizer_sha256");
        for (Object d : Json.asArray(Json.field(m, "data", where), where + ".data")) st.data.add(Json.asString(d, where + ".data"));
        if (m.get("data_tokens") != null) st.dataTokens = Json.asLong(m.get("data_tokens"), where + ".data_tokens");
        if (m.get("data_validation_start") != null) {
            st.dataValidationStart = Json.asLong(m.get("data_validation_start"), where + ".data_validation_start");
        }
        return st;
    }
}
