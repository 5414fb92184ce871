package io.anomalyflow.events;

import static io.anomalyflow.events.Invalid.expect;
import static io.anomalyflow.events.Invalid.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecDecodeTest {

    private final EventCodec codec = EventCodec.create();

    private Measurement decode(String json) throws InvalidEventException {
        return codec.decodeMeasurement(utf8(json));
    }

    private InvalidEventException refused(String field, String json) {
        return expect(field, () -> decode(json));
    }

    /** A document with {@code deviceId} set to the given raw JSON text. */
    private static String withDevice(String rawJson) {
        return "{\"deviceId\":" + rawJson + ",\"measurementValue\":1}";
    }

    private static String withValue(String rawJson) {
        return "{\"deviceId\":\"7\",\"measurementValue\":" + rawJson + "}";
    }

    private static String withTimestamp(String rawJson) {
        return "{\"timestamp\":" + rawJson + ",\"deviceId\":\"7\",\"measurementValue\":1}";
    }

    @Test
    void workshop_json_decodes() throws Exception {
        var m = decode("{\"timestamp\":\"2026-11-26T12:00:00.123\",\"deviceId\":\"7\",\"measurementValue\":42.123456789}");
        assertThat(m).isEqualTo(new Measurement(null, Instant.parse("2026-11-26T12:00:00.123Z"), "7", new BigDecimal("42.123456789")));
        assertThat(m.hasId()).isFalse();
    }

    @Test
    void full_document_with_whitespace_decodes() throws Exception {
        var m = decode(" \r\n\t{ \"id\" : \"m-1\" , \"timestamp\":\"2026-11-26T12:00:00Z\",\n\"deviceId\":\"dev.7:a_b-c\",\"measurementValue\":-3} \n");
        assertThat(m).isEqualTo(new Measurement("m-1", Instant.parse("2026-11-26T12:00:00Z"), "dev.7:a_b-c", new BigDecimal("-3")));
    }

    @Test
    void absent_or_null_optional_fields_are_absent() throws Exception {
        assertThat(decode("{\"id\":null,\"timestamp\":null,\"deviceId\":\"7\",\"measurementValue\":1}"))
                .isEqualTo(new Measurement(null, null, "7", BigDecimal.ONE));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-26T12:00:00.123      | 2026-11-26T12:00:00.123Z",
        "2026-11-26T12:00:00.123Z     | 2026-11-26T12:00:00.123Z",
        "2026-11-26T12:00:00Z         | 2026-11-26T12:00:00Z",
        "2026-11-26T12:00Z            | 2026-11-26T12:00:00Z",
        "2026-11-26T12:00             | 2026-11-26T12:00:00Z",
        "2026-11-26t12:00:00z         | 2026-11-26T12:00:00Z",
        "2026-11-26T12:00:00.123456789Z | 2026-11-26T12:00:00.123456789Z",
        "2026-11-26T12:00:00+05:30    | 2026-11-26T06:30:00Z",
        "2026-11-26T12:00:00-08:00    | 2026-11-26T20:00:00Z",
        "2026-11-26T12:00:00+02       | 2026-11-26T10:00:00Z",
        "2026-11-26T12:00:00+00:00    | 2026-11-26T12:00:00Z",
        "0000-01-01T00:00:00Z         | 0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z | 9999-12-31T23:59:59.999999999Z",
        "2024-02-29T00:00:00Z         | 2024-02-29T00:00:00Z",
    })
    void timestamp_forms(String sent, String expected) throws Exception {
        assertThat(decode(withTimestamp("\"" + sent + "\"")).timestamp()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"2026-11-26\"", "\"12:00:00\"", "\"garbage\"", "\"\"", "\" 2026-11-26T12:00:00Z\"", "\"2026-11-26T12:00:00Z \"",
        "\"2026-11-26 12:00:00\"", "\"2026-02-30T00:00:00Z\"", "\"2025-02-29T00:00:00Z\"", "\"2026-11-26T24:00:00Z\"",
        "\"2026-11-26T12:00:60Z\"", "\"2026-11-26T12:00:00.1234567891Z\"", "\"2026-11-26T12:00:00Z[Europe/Paris]\"",
        "\"2026-11-26T12:00:00+0530\"", "\"2026-11-26T12:00:00+25:00\"", "\"+10000-01-01T00:00:00Z\"", "\"-0001-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59-01:00\"", "\"1795694400\"", "1795694400", "1795694400.5", "true", "{}", "[]",
        "\"2026-11-26T12:00:00.123Z\\u0000\"", "\"2026-11-26T12:00:00.123Z<b>\"", "\"2026\\u2011" + "11-26T12:00:00Z\"",
        "\"\uFF12026-11-26T12:00:00Z\"",
    })
    void bad_timestamps_name_the_field(String raw) {
        refused("timestamp", withTimestamp(raw));
    }

    @Test
    void timestamp_error_quotes_what_was_sent() {
        assertThat(refused("timestamp", withTimestamp("\"2026-11-26\"")).getMessage())
                .isEqualTo("timestamp: must be an ISO-8601 date and time such as 2026-11-26T12:00:00.123Z (got \"2026-11-26\")");
        assertThat(refused("timestamp", withTimestamp("12")).getMessage()).endsWith("(a string), got a number");
        assertThat(refused("timestamp", withTimestamp("\"" + "9".repeat(1000) + "\"")).getMessage())
                .contains("(1000 characters)").hasSizeLessThan(300);
        assertThat(refused("timestamp", withTimestamp("\"" + "9".repeat(5000) + "\"")).getMessage())
                .contains("safety limit").hasSizeLessThan(300);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "12.5 | 12.5", "42.123456789 | 42.123456789", "12.50 | 12.50", "1.5e1 | 15", "1.5E+1 | 15", "-0 | 0", "0.0 | 0.0",
        "20 | 20", "20.0001 | 20.0001", "-7 | -7", "1e2 | 1E+2",
    })
    void values_are_kept_as_sent(String sent, String expected) throws Exception {
        var value = decode(withValue(sent)).measurementValue();
        assertThat(value).isEqualTo(new BigDecimal(expected)); // equals: same digits and scale
    }

    @Test
    void double_range_bounds() throws Exception {
        assertThat(decode(withValue("1.7e308")).measurementValue()).isEqualByComparingTo("1.7e308");
        assertThat(decode(withValue("-1.7e308")).measurementValue()).isEqualByComparingTo("-1.7e308");
        assertThat(decode(withValue(new BigDecimal(Double.MAX_VALUE).toPlainString())).measurementValue())
                .isEqualByComparingTo(new BigDecimal(Double.MAX_VALUE));
        assertThat(decode(withValue("4.9e-324")).measurementValue()).isEqualByComparingTo("4.9e-324");
        assertThat(decode(withValue("-2.5e-324")).measurementValue()).as("rounds to -MIN_VALUE").isEqualByComparingTo("-2.5e-324");
        for (String bad : new String[] {"1e400", "-1e400", "1.8e308", "1e-400", "2.4e-324", "1e999999999", "1e-999999999", "0e-999999999",
                "1e99999999999999999999", "9".repeat(310)}) {
            assertThat(refused("measurementValue", withValue(bad)).getMessage()).as(bad).startsWith("measurementValue: ");
        }
    }

    @Test
    void number_longer_than_the_limit_is_refused_naming_the_field() {
        var e = refused("measurementValue", withValue("1" + "0".repeat(1000)));
        assertThat(e.getMessage()).contains("safety limit").hasSizeLessThan(400);
        refused("measurementValue", withValue("0." + "1".repeat(5000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"12.5\"", "\"NaN\"", "NaN", "Infinity", "-Infinity", "+1", ".5", "1.", "01", "1e", "--1",
        "true", "null", "{}", "[1]", "[]", "1e99999999999"})
    void bad_values_name_the_field(String raw) {
        refused("measurementValue", withValue(raw));
    }

    /** A valid number followed by junk: Jackson sees a number, then a missing comma. */
    @ParameterizedTest
    @ValueSource(strings = {"0x10", "12.5.3", "1_000", "12 5"})
    void junk_after_a_value_is_a_syntax_error_that_names_the_value(String raw) {
        assertThat(refused("json", withValue(raw)).getMessage()).startsWith("json: malformed JSON: after the value of measurementValue: ");
    }

    @Test
    void number_sent_as_a_string_says_so() {
        assertThat(refused("measurementValue", withValue("\"12.5\"")).getMessage())
                .isEqualTo("measurementValue: must be a JSON number, not a string (got \"12.5\")");
        assertThat(refused("measurementValue", withValue("null")).getMessage()).isEqualTo("measurementValue: required (got null)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "7.0", "true", "null", "{}", "[\"7\"]", "\"\"", "\"7 \"", "\"a/b\"", "\"<script>alert(1)</script>\"",
        "\"\\u0000\"", "\"\\u0007x\"", "\"7\\n\"", "\"\u202E7\"", "\"\\u202E7\"", "\"7\u200B\"", "\"\\u200b7\"", "\"\uFF17\"", "\"\\uFF17\"",
        "\"\u0661\"", "\"caf\u00E9\"", "\"\\uD83D\\uDE00\"", "\"\\uD800\"", "\"\uFEFF7\""})
    void bad_device_ids_name_the_field(String raw) {
        refused("deviceId", withDevice(raw));
    }

    @Test
    void device_id_messages_are_precise_and_safe() {
        assertThat(refused("deviceId", withDevice("\"" + "a".repeat(70) + "\"")).getMessage())
                .isEqualTo("deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got 70 characters)");
        assertThat(refused("deviceId", withDevice("\"<b>x</b>\"")).getMessage())
                .isEqualTo("deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got U+003C at position 1)");
        assertThat(refused("deviceId", withDevice("7")).getMessage()).isEqualTo("deviceId: must be a string, got a number");
        assertThat(refused("deviceId", "{\"measurementValue\":1}").getMessage()).isEqualTo("deviceId: required");
        assertThat(refused("deviceId", withDevice("null")).getMessage()).isEqualTo("deviceId: required (got null)");
    }

    @Test
    void huge_strings_are_refused_naming_the_field() {
        refused("deviceId", withDevice("\"" + "7".repeat(10_000) + "\""));
        refused("id", "{\"id\":\"" + "7".repeat(10_000) + "\",\"deviceId\":\"7\",\"measurementValue\":1}");
        refused("id", "{\"id\":\"" + "7".repeat(65) + "\",\"deviceId\":\"7\",\"measurementValue\":1}");
        refused("id", "{\"id\":12,\"deviceId\":\"7\",\"measurementValue\":1}");
        refused("id", "{\"id\":\"\",\"deviceId\":\"7\",\"measurementValue\":1}");
    }

    @Test
    void missing_value_is_named() {
        assertThat(refused("measurementValue", "{\"deviceId\":\"7\"}").getMessage()).isEqualTo("measurementValue: required");
    }

    @Test
    void unknown_fields_are_refused_with_the_list_of_known_ones() {
        var e = refused("json", "{\"deviceId\":\"7\",\"measurementValue\":1,\"timestmap\":\"x\"}");
        assertThat(e.getMessage()).isEqualTo("json: unknown field \"timestmap\" (fields are id, timestamp, deviceId, measurementValue)");
        assertThat(refused("json", "{\"deviceID\":\"7\",\"measurementValue\":1}").getMessage()).contains("\"deviceID\"");
        assertThat(refused("json", "{\"<img src=x>\":1}").getMessage()).contains("\\u003Cimg src=x\\u003E");
        refused("json", "{\"" + "k".repeat(10_000) + "\":1}");
    }

    @Test
    void duplicate_fields_are_refused() {
        for (String f : new String[] {"id", "timestamp", "deviceId", "measurementValue"}) {
            String value = f.equals("measurementValue") ? "1" : f.equals("timestamp") ? "\"2026-11-26T12:00:00Z\"" : "\"7\"";
            String json = "{\"id\":\"x\",\"timestamp\":\"2026-11-26T12:00:00Z\",\"deviceId\":\"7\",\"measurementValue\":1,\"" + f + "\":" + value + "}";
            assertThat(refused(f, json).getMessage()).isEqualTo(f + ": duplicate field");
        }
    }

    @Test
    void empty_and_whitespace_bodies() {
        assertThat(expect("body", () -> codec.decodeMeasurement(new byte[0])).getMessage()).isEqualTo("body: empty");
        assertThat(expect("body", () -> codec.decodeMeasurement(null)).getMessage()).isEqualTo("body: empty");
        assertThat(refused("body", " \r\n\t ").getMessage()).isEqualTo("body: empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "}", "{}", "[]", "null", "1"})
    void trailing_content_is_refused(String trailer) {
        var e = refused("body", withValue("1") + " " + trailer);
        assertThat(e.getMessage()).startsWith("body: unexpected content after the JSON document");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"deviceId\":\"7\",\"measurementValue\":1}]", "\"x\"", "12", "null", "true"})
    void wrong_document_shape_is_refused(String json) {
        assertThat(refused("json", json).getMessage()).startsWith("json: expected a JSON object (one measurement), got ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"deviceId\"", "{\"deviceId\":", "{deviceId:\"7\"}", "{'deviceId':'7'}",
        "{\"deviceId\":\"7\",}", "{\"deviceId\":\"7\" \"measurementValue\":1}", "{/*c*/\"deviceId\":\"7\"}", "{\"a\"\u0000}"})
    void syntax_errors_are_reported_without_escaping(String json) {
        var e = catchInvalid(json);
        assertThat(e.field()).isIn("json", "deviceId", "body");
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void truncated_document_says_so() {
        assertThat(refused("deviceId", "{\"deviceId\":\"7").getMessage()).contains("unexpected end of input");
        assertThat(refused("json", "{\"deviceId\":\"7\"").getMessage()).contains("unexpected end of input");
    }

    @Test
    void deep_nesting_never_overflows_the_stack() {
        for (String open : new String[] {"[", "{\"a\":", "{\"deviceId\":[", "[{\"deviceId\":"}) {
            String json = open.repeat(10_000);
            var e = catchInvalid(json);
            assertThat(e.field()).isIn("json", "deviceId");
        }
        refused("deviceId", withDevice("[".repeat(10_000) + "]".repeat(10_000)));
        expect("json", () -> codec.decodeArray(utf8("[".repeat(10_000) + "]".repeat(10_000))));
    }

    @Test
    void byte_order_mark_is_skipped_at_the_start_only() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] doc = utf8(withValue("1"));
        assertThat(codec.decodeMeasurement(concat(bom, doc)).deviceId()).isEqualTo("7");
        assertThat(expect("body", () -> codec.decodeMeasurement(concat(bom, concat(bom, doc)))).getMessage())
                .contains("byte order mark");
        expect("body", () -> codec.decodeMeasurement(bom));
        expect("json", () -> codec.decodeMeasurement(concat(utf8(" "), concat(bom, doc))));
    }

    @Test
    void other_encodings_are_refused() {
        String doc = withValue("1");
        expect("body", () -> codec.decodeMeasurement(doc.getBytes(java.nio.charset.StandardCharsets.UTF_16BE)));
        expect("body", () -> codec.decodeMeasurement(doc.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)));
        expect("body", () -> codec.decodeMeasurement(doc.getBytes(java.nio.charset.StandardCharsets.UTF_16))); // with BOM FE FF
        expect("body", () -> codec.decodeMeasurement(doc.getBytes(java.nio.charset.Charset.forName("UTF-32"))));
        expect("body", () -> codec.decodeMeasurement(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0}));
    }

    @Test
    void invalid_utf8_inside_a_string_is_refused() {
        byte[] json = utf8(withDevice("\"7x\""));
        json[json.length - 25] = (byte) 0xC3; // a lone lead byte where 'x' was
        var e = expect("deviceId", () -> codec.decodeMeasurement(json));
        assertThat(e.getMessage()).contains("malformed JSON");
    }

    @Test
    void control_character_raw_in_a_string_is_refused() {
        refused("deviceId", withDevice("\"7\u0001\""));
        refused("deviceId", withDevice("\"7\n\""));
    }

    private InvalidEventException catchInvalid(String json) {
        try {
            decode(json);
        } catch (InvalidEventException e) {
            Invalid.assertWellFormed(e);
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
