package io.anomalyflow.events;

import static io.anomalyflow.events.Invalid.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: every byte sequence must end as valid records or as an InvalidEventException
 * naming a field, never as any other exception, a hang or a stack overflow.
 */
class EventCodecFuzzTest {

    private static final long SEED = 20261126L;
    private static final int INPUTS = 20_000;

    private static final String[] DOCUMENTS = {
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

    private final EventCodec codec = EventCodec.create();

    @Test
    void random_mutations_never_escape_as_another_exception() {
        var random = new Random(SEED);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = utf8(DOCUMENTS[random.nextInt(DOCUMENTS.length)]);
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                input = mutate(input, random);
            }
            int ok = decodeAll(input);
            accepted += ok;
            refused += 4 - ok;
        }
        // the fuzzer must exercise both outcomes, or it proves nothing (4 decoders per input;
        // most inputs fit one decoder at best, and most mutations break the document)
        assertThat(accepted).isGreaterThan(100);
        assertThat(refused).isGreaterThan(INPUTS);
    }

    @Test
    void every_truncation_of_a_document_is_refused() {
        for (String doc : DOCUMENTS) {
            byte[] bytes = utf8(doc.strip());
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = Arrays.copyOf(bytes, length);
                boolean ndjson = doc.contains("\n");
                for (Decoder d : List.<Decoder>of(codec::decodeMeasurement, codec::decodeArray, codec::decodeAnomaly)) {
                    if (ndjson && length >= doc.indexOf('\n')) {
                        continue; // the first line alone is a valid single document
                    }
                    try {
                        d.decode(prefix);
                        fail("accepted a truncated document: " + new String(prefix, java.nio.charset.StandardCharsets.UTF_8));
                    } catch (InvalidEventException e) {
                        Invalid.assertWellFormed(e);
                    }
                }
                decodeAll(prefix); // NDJSON may accept whole leading lines; nothing may escape
            }
        }
    }

    @Test
    void random_bytes_never_escape() {
        var random = new Random(SEED + 1);
        for (int i = 0; i < 2_000; i++) {
            byte[] input = new byte[random.nextInt(200)];
            random.nextBytes(input);
            decodeAll(input);
        }
    }

    /** Runs every decoder; returns how many accepted the input. */
    private int decodeAll(byte[] input) {
        int ok = 0;
        ok += check(input, b -> List.of(codec.decodeMeasurement(b)));
        ok += check(input, codec::decodeArray);
        ok += check(input, codec::decodeNdjson);
        ok += check(input, b -> {
            var a = codec.decodeAnomaly(b);
            assertThat(codec.decodeAnomaly(codec.encode(a))).isEqualTo(a);
            return List.of();
        });
        return ok;
    }

    private int check(byte[] input, Decoder decoder) {
        try {
            Object result = decoder.decode(input);
            if (result instanceof List<?> list) {
                for (Object o : list) {
                    var m = (Measurement) o;
                    var back = codec.decodeMeasurement(codec.encode(m));
                    assertThat(back.measurementValue()).isEqualByComparingTo(m.measurementValue());
                    assertThat(back.withTimestamp(m.timestamp()).deviceId()).isEqualTo(m.deviceId());
                    assertThat(back.timestamp()).isEqualTo(m.timestamp());
                    assertThat(back.id()).isEqualTo(m.id());
                }
            }
            return 1;
        } catch (InvalidEventException e) {
            Invalid.assertWellFormed(e);
            // a RuntimeException caught by the codec's safety net would be a bug hidden as a 400
            if (e.getCause() instanceof RuntimeException r) {
                assertThat(r).as(e.getMessage()).isInstanceOf(NumberFormatException.class);
            }
            return 0;
        } catch (Throwable t) {
            throw new AssertionError("escaped for input " + HexFormat.of().formatHex(input), t);
        }
    }

    private static byte[] mutate(byte[] in, Random random) {
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

    @FunctionalInterface
    private interface Decoder {
        Object decode(byte[] input) throws InvalidEventException;
    }
}
