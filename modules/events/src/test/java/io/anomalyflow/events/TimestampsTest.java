package io.anomalyflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path for the common timestamp shape must agree with the ISO formatter on every text. */
class TimestampsTest {

    private static final String ALPHABET = "0123456789-:.TZtz+ ";

    @Test
    void fast_path_agrees_with_the_formatter_on_near_valid_texts() {
        var random = new Random(7);
        int fast = 0;
        for (int i = 0; i < 50_000; i++) {
            String text = nearValid(random);
            Instant expected = Timestamps.parseIso(text);
            Instant common = Timestamps.parseCommon(text);
            if (common != null) {
                fast++;
                assertThat(common).as(text).isEqualTo(expected);
            }
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(expected);
        }
        assertThat(fast).as("the generator must hit the fast path often").isGreaterThan(5_000);
    }

    @Test
    void fast_path_handles_what_we_write() {
        for (String s : new String[] {"2026-11-26T12:00:00Z", "2026-11-26T12:00:00.123Z", "2026-11-26T12:00:00.123",
            "2026-11-26T12:00:00.123456789Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-02-29T23:59:59.5Z"}) {
            assertThat(Timestamps.parseCommon(s)).as(s).isNotNull().isEqualTo(Timestamps.parseIso(s));
        }
        for (String s : new String[] {"2026-02-29T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T12:00:00.Z", "2026-11-26T12:00:00.1234567890Z",
            "2026-11-26T12:00:00+01:00", "2026-11-26t12:00:00z", "2026-11-26T12:00Z", "\uFF12026-11-26T12:00:00Z"}) {
            assertThat(Timestamps.parseCommon(s)).as(s).isNull();
        }
    }

    /** A valid common-shape timestamp with a few random edits. */
    private static String nearValid(Random random) {
        var sb = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), 1 + random.nextInt(13),
                1 + random.nextInt(31), random.nextInt(25), random.nextInt(61), random.nextInt(61)));
        if (random.nextBoolean()) {
            sb.append('.').append(String.valueOf(random.nextLong() & Long.MAX_VALUE), 0, random.nextInt(11));
        }
        switch (random.nextInt(4)) {
            case 0 -> sb.append('Z');
            case 1 -> sb.append(random.nextBoolean() ? "+05:30" : "-08");
            default -> { }
        }
        int edits = random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(3)) {
                case 0 -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }
}
