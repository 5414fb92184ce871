package io.anomalyflow.events;

import static io.anomalyflow.events.Invalid.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: every byte sequence must end as valid records or as an InvalidEventException
 * naming a field, never as any other exception, a hang or a stack overflow. The inputs come from
 * {@link FuzzCorpus} (shared: the reliability suite sends the same mutations through the gateway).
 */
class EventCodecFuzzTest {

    private static final long SEED = 20261126L;
    private static final int INPUTS = 20_000;

    private final EventCodec codec = EventCodec.create();

    @Test
    void random_mutations_never_escape_as_another_exception() {
        var random = new Random(SEED);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < INPUTS; i++) {
            int ok = decodeAll(FuzzCorpus.next(random));
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
        for (String doc : FuzzCorpus.DOCUMENTS) {
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

    @FunctionalInterface
    private interface Decoder {
        Object decode(byte[] input) throws InvalidEventException;
    }
}
