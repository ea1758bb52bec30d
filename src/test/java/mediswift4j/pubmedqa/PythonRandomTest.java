package mediswift4j.pubmedqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mediswift4j.io.Json;

/**
 * PythonRandom against CPython 3's `random` module: python_random.json was written by
 * tools/python_random_fixture.py with /usr/bin/python3 (seeds 0, 1, 42, ..., a multi-word seed and a negative one).
 */
class PythonRandomTest {
    static Object resource(String name) throws Exception {
        try (InputStream in = PythonRandomTest.class.getResourceAsStream("/pubmedqa/" + name)) {
            return Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        }
    }

    @Test
    void matchesCPythonForEverySeedInTheFixture() throws Exception {
        Map<String, Object> doc = Json.asObject(resource("python_random.json"), "fixture");
        List<Object> cases = Json.asArray(doc.get("cases"), "cases");
        assertEquals(8, cases.size());
        for (Object c : cases) {
            Map<String, Object> cs = Json.asObject(c, "case");
            BigInteger seed = new BigInteger((String) cs.get("seed"));
            String at = "seed " + seed;

            PythonRandom r = new PythonRandom(seed);
            for (Object v : Json.asArray(cs.get("uint32"), at)) assertEquals((long) (Long) v, r.nextUint32(), at);

            r = new PythonRandom(seed);
            for (Object kv : Json.asArray(cs.get("getrandbits"), at)) {
                List<Object> p = Json.asArray(kv, at);
                int k = (int) (long) (Long) p.get(0);
                assertEquals(new BigInteger((String) p.get(1)), unsigned(r.getrandbits(k)), at + " getrandbits(" + k + ")");
            }

            r = new PythonRandom(seed);
            for (Object nv : Json.asArray(cs.get("randbelow"), at)) {
                List<Object> p = Json.asArray(nv, at);
                long n = (Long) p.get(0);
                assertEquals(Long.parseLong((String) p.get(1)), r.randbelow(n), at + " randbelow(" + n + ")");
            }

            r = new PythonRandom(seed);
            for (Object s : Json.asArray(cs.get("shuffles"), at)) {
                List<Object> expected = Json.asArray(s, at);
                List<Long> xs = new ArrayList<>();
                for (long i = 0; i < expected.size(); i++) xs.add(i);
                r.shuffle(xs);
                assertEquals(expected, new ArrayList<Object>(xs), at + " shuffle of " + expected.size());
            }

            r = new PythonRandom(seed);
            int[] sizes = {1, 2, 51, 51, 51, 41, 500};
            List<Object> choices = Json.asArray(cs.get("choices"), at);
            for (int i = 0; i < sizes.length; i++) {
                List<Long> xs = new ArrayList<>();
                for (long v = 0; v < sizes[i]; v++) xs.add(v);
                assertEquals(choices.get(i), r.choice(xs), at + " choice " + i);
            }
        }
    }

    @Test
    void seedZeroFirstWordIsTheWellKnownValue() {
        // random.seed(0); random.getrandbits(32) == 3626764237 in every CPython 3
        assertEquals(3626764237L, new PythonRandom(0).nextUint32());
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }
}
