package io.anomalyflow.events;

import static io.anomalyflow.events.Invalid.expect;
import static io.anomalyflow.events.Invalid.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecEncodeTest {

    private static final Instant T = Instant.parse("2026-11-26T12:00:00.123Z");

    private final EventCodec codec = EventCodec.create();

    private String json(Measurement m) {
        return new String(codec.encode(m), StandardCharsets.UTF_8);
    }

    private static Measurement value(String v) {
        return new Measurement(null, T, "7", new BigDecimal(v));
    }

    @Test
    void measurement_is_compact_json_with_workshop_names() {
        assertThat(json(new Measurement("m-1", T, "7", new BigDecimal("12.5"))))
                .isEqualTo("{\"id\":\"m-1\",\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"7\",\"measurementValue\":12.5}");
        assertThat(json(new Measurement(null, null, "7", new BigDecimal("12.5"))))
                .as("absent id and timestamp are left out").isEqualTo("{\"deviceId\":\"7\",\"measurementValue\":12.5}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-26T12:00:00Z | 2026-11-26T12:00:00Z",
        "2026-11-26T12:00:00.100Z | 2026-11-26T12:00:00.100Z",
        "2026-11-26T12:00:00.000001Z | 2026-11-26T12:00:00.000001Z",
        "2026-11-26T12:00:00.123456789Z | 2026-11-26T12:00:00.123456789Z",
        "0000-01-01T00:00:00Z | 0000-01-01T00:00:00Z",
    })
    void timestamps_are_utc_with_z(String instant, String written) {
        assertThat(json(new Measurement(null, Instant.parse(instant), "7", BigDecimal.ONE))).contains("\"timestamp\":\"" + written + "\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "12.5 | 12.5", "42.123456789 | 42.123456789", "12.50 | 12.50", "1.5e1 | 15", "-0.0 | 0.0", "20 | 20",
        "1e3 | 1000", "1e20 | 100000000000000000000", "1e21 | 1E+21", "1.5e300 | 1.5E+300", "1e300 | 1E+300",
        "1e-20 | 0.00000000000000000001", "1e-21 | 1E-21", "1e-300 | 1E-300", "-1.7e308 | -1.7E+308",
        "1.23e-5 | 0.0000123", "0e-30 | 0E-30", "0e5 | 0",
    })
    void values_are_written_as_sent_and_extremes_in_scientific_form(String sent, String written) throws Exception {
        var m = value(sent);
        assertThat(json(m)).endsWith("\"measurementValue\":" + written + "}");
        var back = codec.decodeMeasurement(codec.encode(m));
        assertThat(back.measurementValue()).isEqualByComparingTo(m.measurementValue());
        assertThat(codec.encode(back)).as("encoding is stable").isEqualTo(codec.encode(m));
    }

    @Test
    void double_max_written_plainly_round_trips_exactly() throws Exception {
        var m = new Measurement(null, null, "7", new BigDecimal(Double.MAX_VALUE));
        assertThat(json(m)).hasSizeGreaterThan(300);
        assertThat(codec.decodeMeasurement(codec.encode(m))).isEqualTo(m);
    }

    @Test
    void measurements_round_trip() throws Exception {
        for (var m : new Measurement[] {
            new Measurement("m-1", T, "7", new BigDecimal("12.5")),
            new Measurement(null, null, "a".repeat(64), new BigDecimal("-0.001")),
            new Measurement("x".repeat(64), Timestamps.MAX, "d:1.2_3-4", new BigDecimal("1.7e308")),
            new Measurement("id", Timestamps.MIN, "7", new BigDecimal("42.123456789")),
        }) {
            assertThat(codec.decodeMeasurement(codec.encode(m))).isEqualTo(m);
        }
    }

    @Test
    void anomaly_json_matches_the_contract() throws Exception {
        var a = new Anomaly(123, T, "7", new BigDecimal("12.5"), "Value too low 12.5");
        String expected = "{\"seq\":123,\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"7\",\"measurementValue\":12.5,\"anomaly\":\"Value too low 12.5\"}";
        assertThat(codec.toJson(a)).isEqualTo(expected);
        assertThat(codec.encode(a)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        assertThat(codec.decodeAnomaly(codec.encode(a))).isEqualTo(a);
    }

    @Test
    void anomaly_from_the_rule_round_trips() throws Exception {
        var a = AnomalyRule.DEFAULT.check(Long.MAX_VALUE, value("-1e300")).orElseThrow();
        assertThat(codec.toJson(a)).contains("\"seq\":9223372036854775807", "\"measurementValue\":-1E+300", "\"anomaly\":\"Value too low -1E+300\"");
        assertThat(codec.decodeAnomaly(codec.encode(a))).isEqualTo(a);
    }

    @Test
    void anomaly_without_timestamp_leaves_it_out() throws Exception {
        var a = new Anomaly(1, null, "7", BigDecimal.ONE, "Value too low 1");
        assertThat(codec.toJson(a)).isEqualTo("{\"seq\":1,\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"Value too low 1\"}");
        assertThat(codec.decodeAnomaly(codec.encode(a))).isEqualTo(a);
    }

    @Test
    void anomaly_text_is_escaped_and_never_breaks_a_line() throws Exception {
        var a = new Anomaly(1, T, "7", BigDecimal.ONE, "line\nbreak\r\"quoted\" \\ <b> \u2028 \u0000 é");
        String json = codec.toJson(a);
        assertThat(json).doesNotContain("\n", "\r", "\u0000").contains("\\n", "\\r", "\\\"quoted\\\"", "\\u0000");
        assertThat(codec.decodeAnomaly(utf8(json))).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"seq\":-1,\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\"}|seq",
        "{\"seq\":1.5,\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\"}|seq",
        "{\"seq\":\"1\",\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\"}|seq",
        "{\"seq\":99999999999999999999,\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\"}|seq",
        "{\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\"}|seq",
        "{\"seq\":1,\"measurementValue\":1,\"anomaly\":\"x\"}|deviceId",
        "{\"seq\":1,\"deviceId\":\"7\",\"anomaly\":\"x\"}|measurementValue",
        "{\"seq\":1,\"deviceId\":\"7\",\"measurementValue\":1}|anomaly",
        "{\"seq\":1,\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":7}|anomaly",
        "{\"seq\":1,\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\",\"seq\":2}|seq",
        "{\"seq\":1,\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\",\"extra\":2}|json",
        "{\"seq\":1,\"timestamp\":\"x\",\"deviceId\":\"7\",\"measurementValue\":1,\"anomaly\":\"x\"}|timestamp",
        "[]|json",
        "|body",
    })
    void bad_anomalies_name_the_field(String row) {
        String[] parts = row.split("\\|");
        expect(parts[1], () -> codec.decodeAnomaly(utf8(parts[0])));
    }
}
