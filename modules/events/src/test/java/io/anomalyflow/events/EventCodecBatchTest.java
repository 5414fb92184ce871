package io.anomalyflow.events;

import static io.anomalyflow.events.Invalid.expect;
import static io.anomalyflow.events.Invalid.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecBatchTest {

    private static final String A = "{\"deviceId\":\"a\",\"measurementValue\":1}";
    private static final String B = "{\"deviceId\":\"b\",\"measurementValue\":2.50}";
    private static final String C = "{\"id\":\"c1\",\"timestamp\":\"2026-11-26T12:00:00.123\",\"deviceId\":\"c\",\"measurementValue\":42.123456789}";
    private static final String BAD_DEVICE = "{\"deviceId\":\"" + "x".repeat(70) + "\",\"measurementValue\":1}";

    private final EventCodec codec = EventCodec.create();

    private static List<String> devices(List<Measurement> ms) {
        return ms.stream().map(Measurement::deviceId).toList();
    }

    @Test
    void array_decodes_in_order() throws Exception {
        var ms = codec.decodeArray(utf8("[" + A + ",\n " + B + " , " + C + "]\n"));
        assertThat(devices(ms)).containsExactly("a", "b", "c");
        assertThat(ms.get(1).measurementValue()).isEqualTo(new BigDecimal("2.50"));
        assertThat(ms.get(2).id()).isEqualTo("c1");
    }

    @Test
    void empty_array_is_an_empty_batch() throws Exception {
        assertThat(codec.decodeArray(utf8("[]"))).isEmpty();
        assertThat(codec.decodeArray(utf8(" [ ] "))).isEmpty();
    }

    @Test
    void array_errors_name_the_item_and_field() {
        var e = expect("deviceId", () -> codec.decodeArray(utf8("[" + A + "," + B + "," + BAD_DEVICE + "]")));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("item 3: deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got 70 characters)");

        assertThat(expect("json", () -> codec.decodeArray(utf8("[" + A + ",7]"))).getMessage())
                .isEqualTo("item 2: json: expected a JSON object (one measurement), got a number");
        assertThat(expect("measurementValue", () -> codec.decodeArray(utf8("[" + A + ",{\"deviceId\":\"7\",\"measurementValue\":NaN}]"))).line())
                .isEqualTo(2);
        assertThat(expect("json", () -> codec.decodeArray(utf8("[" + A + "," + A + ",]"))).line()).isEqualTo(3);
        assertThat(expect("json", () -> codec.decodeArray(utf8("[" + A + "\n," + A + "\n" + A + "]"))).getMessage())
                .as("a missing comma is reported at the item it precedes, with its place in the body")
                .isEqualTo("item 3: json: malformed JSON: Unexpected character ('{' (code 123)): "
                        + "was expecting comma to separate Array entries (at line 3, column 1)");
        assertThat(expect("json", () -> codec.decodeArray(utf8("[" + A + ",{\"deviceId\":\"7\" \"measurementValue\":1}]"))).getMessage())
                .startsWith("item 2: json: malformed JSON: after the value of deviceId: ");
    }

    @Test
    void array_shape_and_trailing_content() {
        assertThat(expect("json", () -> codec.decodeArray(utf8(A))).getMessage())
                .isEqualTo("json: expected a JSON array of measurements, got an object");
        var trailing = expect("body", () -> codec.decodeArray(utf8("[" + A + "] []")));
        assertThat(trailing.line()).isZero();
        expect("body", () -> codec.decodeArray(utf8("  ")));
        expect("body", () -> codec.decodeArray(new byte[0]));
        expect("json", () -> codec.decodeArray(utf8("[" + A)));
    }

    @Test
    void ndjson_decodes_with_crlf_and_blank_lines() throws Exception {
        var ms = codec.decodeNdjson(utf8(A + "\r\n\r\n" + B + "\n  \t\n" + C + "\n"));
        assertThat(devices(ms)).containsExactly("a", "b", "c");
        assertThat(devices(codec.decodeNdjson(utf8(A)))).as("no final newline").containsExactly("a");
        assertThat(devices(codec.decodeNdjson(utf8("\n\n" + A + "\n\n")))).containsExactly("a");
    }

    @Test
    void ndjson_errors_count_physical_lines_from_one() {
        var e = expect("deviceId", () -> codec.decodeNdjson(utf8(A + "\n\n" + BAD_DEVICE + "\n" + B)));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("line 3: deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got 70 characters)");

        assertThat(expect("deviceId", () -> codec.decodeNdjson(utf8(A + "\r\n\r\n\r\n" + BAD_DEVICE + "\r\n"))).line()).isEqualTo(4);
        assertThat(expect("json", () -> codec.decodeNdjson(utf8(BAD_DEVICE.substring(0, 5)))).line()).isEqualTo(1);
        assertThat(expect("body", () -> codec.decodeNdjson(utf8(A + "\n" + A + " x"))).getMessage())
                .startsWith("line 2: body: unexpected content after the JSON document");
        assertThat(expect("body", () -> codec.decodeNdjson(utf8(A + " " + A))).line()).isEqualTo(1);
        assertThat(expect("json", () -> codec.decodeNdjson(utf8(A + "\n[" + A + "]"))).getMessage())
                .isEqualTo("line 2: json: expected a JSON object (one measurement), got an array");
    }

    @Test
    void ndjson_refuses_a_document_split_over_lines() {
        var e = expect("json", () -> codec.decodeNdjson(utf8("{\"deviceId\":\"7\",\n\"measurementValue\":1}")));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).contains("unexpected end of input");
    }

    @Test
    void ndjson_with_no_measurement_is_empty() {
        assertThat(expect("body", () -> codec.decodeNdjson(new byte[0])).getMessage()).isEqualTo("body: empty");
        assertThat(expect("body", () -> codec.decodeNdjson(null)).line()).isZero();
        assertThat(expect("body", () -> codec.decodeNdjson(utf8("\n \r\n\t\n"))).getMessage()).startsWith("body: empty");
    }

    @Test
    void ndjson_byte_order_mark_only_at_the_start() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        assertThat(devices(codec.decodeNdjson(EventCodecDecodeTest.concat(bom, utf8(A + "\n" + B))))).containsExactly("a", "b");
        var e = expect("body", () -> codec.decodeNdjson(EventCodecDecodeTest.concat(utf8(A + "\n"), EventCodecDecodeTest.concat(bom, utf8(B)))));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("byte order mark");
        var zero = expect("body", () -> codec.decodeNdjson(utf8(A + "\n\u0000" + B)));
        assertThat(zero.line()).isEqualTo(2);
    }

    @Test
    void ndjson_of_encoded_measurements_round_trips() throws Exception {
        var ms = codec.decodeArray(utf8("[" + A + "," + B + "," + C + "]"));
        var body = new java.io.ByteArrayOutputStream();
        for (var m : ms) {
            body.write(codec.encode(m));
            body.write('\n');
        }
        assertThat(codec.decodeNdjson(body.toByteArray())).isEqualTo(ms);
    }
}
