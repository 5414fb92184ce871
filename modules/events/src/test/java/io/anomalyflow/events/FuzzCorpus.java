package io.anomalyflow.events;

import static io.anomalyflow.events.Invalid.utf8;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * A seeded mutator of JSON documents for fuzzing: {@link #next(Random)} takes one of a few valid
 * documents (a measurement, an array, NDJSON lines, an anomaly) and applies one to four random
 * mutations with tokens and bytes known to trouble parsers (deep nesting, huge numbers, lone
 * surrogates, byte order marks, invalid UTF-8). The same seed gives the same inputs.
 *
 * <p>Public and in the events test-jar, so the reliability suite can send the same inputs through
 * the gateway's HTTP path instead of keeping a copy.
 */
public final class FuzzCorpus {

    /** Valid documents of every shape the codec reads; each mutation starts from one. */
    static final String[] DOCUMENTS = {
        "{\"timestamp\":\"2026-11-26T12:00:00.123\",\"deviceId\":\"7\",\"measurementValue\":42.123456789}",
        "{\"id\":\"m-1\",\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"dev.7:a_b-c\",\"measurementValue\":12.50}",
        "{\"deviceId\":\"7\",\"measurementValue\":-1.7e308}",
        "{\"deviceId\":\"x\",\"measurementValue\":1e-300,\"timestamp\":\"2026-11-26T12:00+05:30\",\"id\":null}",
        "[{\"deviceId\":\"a\",\"measurementValue\":1},{\"deviceId\":\"b\",\"measurementValue\":2.5}]",
        "{\"deviceId\":\"a\",\"measurementValue\":1}\n{\"deviceId\":\"b\",\"measurementValue\":20}\r\n\n",
        "{\"seq\":123,\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"7\",\"measurementValue\":12.5,\"anomaly\":\"Value too low 12.5\"}",
    };

    private static final String[] TOKENS = {
        "null", "true", "1e400", "-0", "1.7e308", "NaN", "\"\\u0000\"", "\"\\uD800\"", "\"\u202E\"", "\"\uFF17\"", "[[[[[[[[[[[[[[[[[[",
        "{\"a\":{\"a\":{\"a\":", "\"deviceId\":", "\"measurementValue\":", "\"timestamp\":", "\"id\":", ",", ":", "\"", "{}", "[]",
        "\uFEFF", "\n", "\r\n", " ", "9".repeat(450), "\"" + "7".repeat(5000) + "\"", "0e-999999999", "1e99999999999", "/*x*/",
        "'x'", "\\", "<script>", "\"2026-11-26\"", "12.5.3", "\u00e9", "\t",
    };

    private static final byte[] BYTES = {0, '"', '{', '}', '[', ']', ',', ':', '\\', (byte) 0xFF, (byte) 0xC3, (byte) 0xEF,
        (byte) 0xBB, (byte) 0xBF, (byte) 0xFE, '\n', '\r', '-', '+', '.', 'e', 'E', '0', '9', ' ', 'n', 't', 0x7F, 0x01};

    private FuzzCorpus() {
    }

    /** One of the valid documents, unchanged (a fuzzer mixes some in, so acceptance is exercised too). */
    public static byte[] document(Random random) {
        return utf8(DOCUMENTS[random.nextInt(DOCUMENTS.length)]);
    }

    /** A valid document mutated one to four times. */
    public static byte[] next(Random random) {
        byte[] input = document(random);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            input = mutate(input, random);
        }
        return input;
    }

    /** One random mutation of {@code in}: overwrite, insert a token, delete, truncate, duplicate or splice. */
    public static byte[] mutate(byte[] in, Random random) {
        int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
        var out = new ByteArrayOutputStream();
        switch (random.nextInt(7)) {
            case 0 -> { // overwrite a byte with an interesting one
                byte[] copy = in.clone();
                if (copy.length > 0) {
                    copy[Math.min(at, copy.length - 1)] = BYTES[random.nextInt(BYTES.length)];
                }
                return copy;
            }
            case 1 -> { // overwrite a byte with any value
                byte[] copy = in.clone();
                if (copy.length > 0) {
                    copy[Math.min(at, copy.length - 1)] = (byte) random.nextInt(256);
                }
                return copy;
            }
            case 2 -> { // insert a token
                out.write(in, 0, at);
                out.writeBytes(utf8(TOKENS[random.nextInt(TOKENS.length)]));
                out.write(in, at, in.length - at);
            }
            case 3 -> { // delete a range
                int to = Math.min(in.length, at + 1 + random.nextInt(8));
                out.write(in, 0, at);
                out.write(in, to, in.length - to);
            }
            case 4 -> { // truncate
                out.write(in, 0, at);
            }
            case 5 -> { // duplicate a range
                int to = Math.min(in.length, at + 1 + random.nextInt(30));
                out.write(in, 0, to);
                out.write(in, at, in.length - at);
            }
            default -> { // splice with another document
                byte[] other = utf8(DOCUMENTS[random.nextInt(DOCUMENTS.length)]);
                int from = random.nextInt(other.length);
                out.write(in, 0, at);
                out.write(other, from, other.length - from);
            }
        }
        return out.toByteArray();
    }
}
