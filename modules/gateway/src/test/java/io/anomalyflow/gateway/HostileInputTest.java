package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.RawHttp;
import io.anomalyflow.testsupport.NatsServerExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile bodies and headers, sent over a raw socket so that nothing is cleaned up on the way.
 * Each one must get its 4xx with a JSON error (never a 5xx, never a hang: the socket read gives up
 * after 20 s), and the stream's message count must not change.
 */
class HostileInputTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.start(NATS.server(), "--read-timeout", "1s");
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** A case: a name, the raw request bytes, the expected status, and a text the error must contain ("" for any). */
    static Arguments attack(String name, byte[] request, int status, String errorContains) {
        return Arguments.of(name, request, status, errorContains);
    }

    static Arguments post(String name, String contentType, String body, int status, String errorContains) {
        return attack(name, request(contentType, body.getBytes(StandardCharsets.UTF_8)), status, errorContains);
    }

    static byte[] request(String contentType, byte[] body, String... extraHeaders) {
        var headers = new ArrayList<String>();
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        headers.add("Content-Length: " + body.length);
        headers.addAll(List.of(extraHeaders));
        var out = new ByteArrayOutputStream();
        out.writeBytes(RawHttp.head("POST", "/measurements", headers.toArray(String[]::new)).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    static String m(String deviceIdJson, String valueJson) {
        return "{\"deviceId\":" + deviceIdJson + ",\"measurementValue\":" + valueJson + "}";
    }

    static Stream<Arguments> attacks() {
        var json = "application/json";
        var ndjson = "application/x-ndjson";
        var invalidUtf8 = new ByteArrayOutputStream();
        invalidUtf8.writeBytes("{\"deviceId\":\"a".getBytes(StandardCharsets.US_ASCII));
        invalidUtf8.write(0xC3);
        invalidUtf8.write(0x28);
        invalidUtf8.writeBytes("\",\"measurementValue\":1}".getBytes(StandardCharsets.US_ASCII));
        var hugeBody = new byte[2 << 20];
        java.util.Arrays.fill(hugeBody, (byte) '[');
        var validForChunks = m("\"7\"", "1").getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                post("truncated JSON", json, "{\"deviceId\":\"7\",", 400, "json"),
                post("not JSON at all", json, "hello", 400, ""),
                post("a bare number", json, "42", 400, ""),
                post("JSON null", json, "null", 400, ""),
                post("missing measurementValue", json, "{\"deviceId\":\"7\"}", 400, "measurementValue"),
                post("missing deviceId", json, "{\"measurementValue\":1}", 400, "deviceId"),
                post("deviceId is a number", json, m("7", "1"), 400, "deviceId"),
                post("deviceId is null", json, m("null", "1"), 400, "deviceId"),
                post("deviceId is an object", json, m("{\"a\":1}", "1"), 400, "deviceId"),
                post("measurementValue is a string", json, m("\"7\"", "\"12.5\""), 400, "measurementValue"),
                post("measurementValue is a boolean", json, m("\"7\"", "true"), 400, "measurementValue"),
                post("measurementValue beyond a double", json, m("\"7\"", "1e400"), 400, "measurementValue"),
                post("measurementValue NaN", json, m("\"7\"", "NaN"), 400, ""),
                post("a 2000-digit number", json, m("\"7\"", "1".repeat(2000)), 400, ""),
                post("HTML in deviceId", json, m("\"<script>alert(1)</script>\"", "1"), 400, "deviceId"),
                post("NUL in deviceId", json, m("\"a\\u0000b\"", "1"), 400, "deviceId"),
                post("raw control character in deviceId", json, m("\"a\u0001b\"", "1"), 400, ""),
                post("fullwidth digit lookalike in deviceId", json, m("\"\uFF17\"", "1"), 400, "deviceId"),
                post("right-to-left override in deviceId", json, m("\"\u202E7\"", "1"), 400, "deviceId"),
                post("zero-width space in deviceId", json, m("\"7\u200B\"", "1"), 400, "deviceId"),
                post("deviceId of 65 characters", json, m("\"" + "d".repeat(65) + "\"", "1"), 400, "deviceId"),
                post("empty deviceId", json, m("\"\"", "1"), 400, "deviceId"),
                post("timestamp that is no time", json,
                        "{\"timestamp\":\"yesterday\",\"deviceId\":\"7\",\"measurementValue\":1}", 400, "timestamp"),
                post("timestamp as a number", json,
                        "{\"timestamp\":1764158400,\"deviceId\":\"7\",\"measurementValue\":1}", 400, "timestamp"),
                post("id with a space", json, "{\"id\":\"a b\",\"deviceId\":\"7\",\"measurementValue\":1}", 400, "id"),
                post("id of 65 characters", json,
                        "{\"id\":\"" + "i".repeat(65) + "\",\"deviceId\":\"7\",\"measurementValue\":1}", 400, "id"),
                post("unknown field (a typo)", json, "{\"deviceId\":\"7\",\"measurementValue\":1,\"timestmap\":\"x\"}", 400, ""),
                post("repeated field", json, "{\"deviceId\":\"7\",\"deviceId\":\"8\",\"measurementValue\":1}", 400, "deviceId"),
                post("trailing garbage", json, m("\"7\"", "1") + " x", 400, ""),
                post("nesting 5000 deep", json, "[".repeat(5000) + "]".repeat(5000), 400, ""),
                post("nested object in a field", json, "{\"deviceId\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100)
                        + ",\"measurementValue\":1}", 400, ""),
                post("array with a bad second item", json, "[" + m("\"7\"", "1") + "," + m("\"8\"", "\"x\"") + "]", 400, "item 2"),
                post("empty array", json, "[]", 400, "empty batch"),
                post("empty body", json, "", 400, "empty body"),
                post("only whitespace", null, " \n\t ", 400, "empty body"),
                post("NDJSON with only empty lines", ndjson, "\n\n\r\n", 400, ""),
                post("NDJSON with a bad third line", ndjson, m("\"1\"", "1") + "\n" + m("\"2\"", "2") + "\n{oops}\n", 400, "line 3"),
                post("content-type lie: NDJSON label on a JSON array", ndjson, "[" + m("\"7\"", "1") + ",\n" + m("\"8\"", "1") + "]", 400, "line 1"),
                post("content-type lie: JSON label on NDJSON", json, m("\"7\"", "1") + "\n" + m("\"8\"", "1"), 400, ""),
                post("content type text/plain", "text/plain", m("\"7\"", "1"), 415, "text/plain"),
                post("content type form", "application/x-www-form-urlencoded", "deviceId=7&measurementValue=1", 415, ""),
                post("charset latin-1", "application/json; charset=ISO-8859-1", m("\"7\"", "1"), 415, "charset"),
                attack("compressed body", request(json, validForChunks, "Content-Encoding: gzip"), 415, "Content-Encoding"),
                attack("two content types", request(null, validForChunks, "Content-Type: application/json", "Content-Type: text/plain"), 400, "Content-Type"),
                attack("invalid UTF-8 in deviceId", request(json, invalidUtf8.toByteArray()), 400, ""),
                attack("2 MiB body", request(json, hugeBody), 413, "limit"),
                attack("chunked body with an invalid measurement",
                        chunked(json, m("\"7\"", "\"oops\"").getBytes(StandardCharsets.UTF_8)), 400, "measurementValue"),
                attack("chunked body over the limit", chunked(json, hugeBody), 413, "limit"),
                attack("broken chunk framing", (RawHttp.head("POST", "/measurements", "Content-Type: application/json",
                        "Transfer-Encoding: chunked") + "zz\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 400, ""),
                attack("body shorter than its Content-Length (slow drip that stops)",
                        (RawHttp.head("POST", "/measurements", "Content-Type: application/json", "Content-Length: 500")
                                + m("\"7\"", "1")).getBytes(StandardCharsets.US_ASCII), 408, "within 1s"),
                attack("GET with a body", (RawHttp.head("GET", "/measurements", "Content-Length: 2") + "{}")
                        .getBytes(StandardCharsets.US_ASCII), 405, "GET"));
    }

    static byte[] chunked(String contentType, byte[] body) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(RawHttp.head("POST", "/measurements", "Content-Type: " + contentType, "Transfer-Encoding: chunked")
                .getBytes(StandardCharsets.US_ASCII));
        for (int from = 0; from < body.length; from += 4096) {
            int n = Math.min(4096, body.length - from);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, from, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isRefusedWithoutStoringAnything(String name, byte[] request, int status, String errorContains) throws Exception {
        long before = fx.stored();
        RawHttp.Response r;
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send(request);
            r = raw.read();
        }
        assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(r.body()).startsWith("{\"error\":\"").contains(errorContains)
                .doesNotContain("<script").doesNotContain("\u202E").doesNotContain("\u0000");
        assertThat(fx.stored()).as("messages in the stream after: " + name).isEqualTo(before);
    }
}
