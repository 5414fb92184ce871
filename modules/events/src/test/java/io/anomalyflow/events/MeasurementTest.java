package io.anomalyflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeasurementTest {

    private static final BigDecimal V = new BigDecimal("12.5");

    private static Measurement device(String deviceId) {
        return new Measurement(null, null, deviceId, V);
    }

    @Test
    void names_of_64_characters_pass_and_65_fail_naming_the_field() {
        String max = "a".repeat(64);
        assertThat(device(max).deviceId()).isEqualTo(max);
        assertThat(new Measurement(max, null, "7", V).id()).isEqualTo(max);

        assertThatIllegalArgumentException().isThrownBy(() -> device("a".repeat(65)))
                .withMessage("deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got 65 characters)");
        assertThatIllegalArgumentException().isThrownBy(() -> new Measurement("a".repeat(65), null, "7", V))
                .withMessageStartingWith("id: must be 1-64 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> device(""))
                .withMessageContaining("deviceId:").withMessageContaining("(got 0 characters)");
        assertThatIllegalArgumentException().isThrownBy(() -> new Measurement("", null, "7", V))
                .withMessageStartingWith("id:");
    }

    @Test
    void every_allowed_character_class_passes() {
        for (String ok : new String[] {"AZ", "az", "09", "_", ".", ":", "-", "sensor-7.room:3_b", "7"}) {
            assertThatCode(() -> device(ok)).as(ok).doesNotThrowAnyException();
            assertThatCode(() -> new Measurement(ok, null, "7", V)).as(ok).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a b", "a/b", "a+b", "a@b", "a#b", "a\"b", "a\\b", "a,b", "a;b", "a=b", "a\tb", "a\nb", "a\u0000b",
        "<script>", "a&b", "a'b", "é", "\u0661", // Arabic-Indic one
        "\uFF17", // full-width 7
        "7\u200B", // zero-width space
        "\u202E7", // right-to-left override
        "\uD83D\uDE00", // emoji (surrogate pair)
        "7\u00A0", "\uFEFF7"
    })
    void every_other_character_is_refused_and_named_by_code_point(String bad) {
        assertThatIllegalArgumentException().isThrownBy(() -> device(bad))
                .withMessageStartingWith("deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got U+")
                .withMessageMatching("[\\x20-\\x7E]+");
        assertThatIllegalArgumentException().isThrownBy(() -> new Measurement(bad, null, "7", V))
                .withMessageStartingWith("id: ");
    }

    @Test
    void refused_character_is_located() {
        assertThatIllegalArgumentException().isThrownBy(() -> device("ab\u202Ec"))
                .withMessageEndingWith("(got U+202E at position 3)");
        assertThatIllegalArgumentException().isThrownBy(() -> device("\uD83D\uDE00"))
                .withMessageEndingWith("(got U+1F600 at position 1)");
    }

    @Test
    void device_id_and_value_are_required() {
        assertThatIllegalArgumentException().isThrownBy(() -> device(null)).withMessage("deviceId: required");
        assertThatIllegalArgumentException().isThrownBy(() -> new Measurement(null, null, "7", null))
                .withMessage("measurementValue: required");
    }

    @Test
    void value_must_lie_in_the_double_range() {
        BigDecimal max = new BigDecimal(Double.MAX_VALUE);
        assertThat(device("7").withTimestamp(null).measurementValue()).isEqualByComparingTo(V);
        for (String ok : new String[] {"1.7e308", "-1.7e308", "1.7976931348623157e308", "0", "-0.0", "4.9e-324", "0e-1000"}) {
            assertThatCode(() -> new Measurement(null, null, "7", new BigDecimal(ok))).as(ok).doesNotThrowAnyException();
        }
        assertThatCode(() -> new Measurement(null, null, "7", max.negate())).doesNotThrowAnyException();
        for (String bad : new String[] {"1e400", "-1e400", "1.8e308", "1e-400", "-2.4e-324"}) {
            assertThatIllegalArgumentException().as(bad)
                    .isThrownBy(() -> new Measurement(null, null, "7", new BigDecimal(bad)))
                    .withMessageStartingWith("measurementValue: ");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> new Measurement(null, null, "7", max.add(BigDecimal.ONE)))
                .withMessageContaining("out of the range of a double");
        assertThatIllegalArgumentException().isThrownBy(() -> new Measurement(null, null, "7", new BigDecimal("0e-999999999")))
                .withMessageStartingWith("measurementValue: exponent out of range");
    }

    @Test
    void timestamp_is_optional_and_bounded_to_four_digit_years() {
        var m = device("7");
        assertThat(m.timestamp()).isNull();
        Instant t = Instant.parse("2026-11-26T12:00:00.123Z");
        var stamped = m.withTimestamp(t);
        assertThat(stamped).isEqualTo(new Measurement(null, t, "7", V));
        assertThat(m.timestamp()).as("records are immutable").isNull();
        assertThatCode(() -> m.withTimestamp(Timestamps.MIN)).doesNotThrowAnyException();
        assertThatCode(() -> m.withTimestamp(Timestamps.MAX)).doesNotThrowAnyException();
        assertThatIllegalArgumentException().isThrownBy(() -> m.withTimestamp(Timestamps.MAX.plusNanos(1)))
                .withMessageStartingWith("timestamp: must lie between");
        assertThatIllegalArgumentException().isThrownBy(() -> m.withTimestamp(Instant.MIN))
                .withMessageStartingWith("timestamp:");
    }

    @Test
    void has_id() {
        assertThat(device("7").hasId()).isFalse();
        assertThat(new Measurement("m-1", null, "7", V).hasId()).isTrue();
    }

    @Test
    void anomaly_record_validates_its_fields() {
        var t = Instant.parse("2026-11-26T12:00:00Z");
        assertThat(new Anomaly(0, null, "7", V, "x").seq()).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> new Anomaly(-1, t, "7", V, "x")).withMessage("seq: must not be negative (got -1)");
        assertThatIllegalArgumentException().isThrownBy(() -> new Anomaly(1, t, "7 ", V, "x")).withMessageStartingWith("deviceId:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Anomaly(1, t, "7", null, "x")).withMessageStartingWith("measurementValue:");
        assertThatIllegalArgumentException().isThrownBy(() -> new Anomaly(1, t, "7", V, null)).withMessage("anomaly: required");
        assertThatIllegalArgumentException().isThrownBy(() -> new Anomaly(1, t, "7", V, "x".repeat(1025))).withMessageStartingWith("anomaly:");
        assertThat(new Anomaly(1, t, "7", V, "x".repeat(1024)).anomaly()).hasSize(1024);
    }
}
