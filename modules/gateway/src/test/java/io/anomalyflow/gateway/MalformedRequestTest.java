package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.RawHttp;
import io.anomalyflow.testsupport.NatsServerExtension;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed framing, over a raw socket, split by who answers it.
 *
 * <ul>
 *   <li>What the JDK's {@code HttpServer} refuses while it parses the request head, before any of
 *       our code runs: a small HTML page and {@code Connection: close}. These answers are pinned
 *       byte for byte, so that a JDK that changes them fails here and docs/gateway.md ("What the
 *       JDK answers before our code runs") gets updated.</li>
 *   <li>What the JDK lets through and our code refuses: a JSON {@code {"error":…}} naming the
 *       header.</li>
 * </ul>
 * {@code Expect: 100-continue} has its own class, {@link ExpectContinueTest}.
 * Nothing refused is stored.
 */
class MalformedRequestTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    static final String BODY = "{\"deviceId\":\"7\",\"measurementValue\":1}";
    static final String LENGTH = "Content-Length: " + BODY.length();

    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.start(NATS.server());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    /** The head of a {@code POST /measurements} with these header lines (the body follows separately). */
    static String post(String... headers) {
        return RawHttp.head("POST", "/measurements", headers);
    }

    /** Refused by the JDK: a name, the request, the status, and the text after the HTML heading. */
    static Stream<Arguments> jdkRefuses() {
        var json = "Content-Type: application/json";
        return Stream.of(
                Arguments.of("a request line without spaces", "GARBAGE\r\n\r\n", 400, "Bad request line"),
                Arguments.of("a request line without a version", "POST /measurements\r\n\r\n", 400, "Bad request line"),
                Arguments.of("a broken escape in the path", "POST /%zz HTTP/1.1\r\nHost: x\r\n" + LENGTH + "\r\n\r\n" + BODY,
                        400, "URISyntaxException thrown"),
                Arguments.of("two Content-Length headers", post(json, LENGTH, LENGTH) + BODY,
                        400, "Conflicting or malformed headers detected"),
                Arguments.of("Content-Length and Transfer-Encoding", post(json, LENGTH, "Transfer-Encoding: chunked") + BODY,
                        400, "Conflicting or malformed headers detected"),
                Arguments.of("a Content-Length that is a list", post(json, "Content-Length: 37, 37") + BODY,
                        400, "NumberFormatException thrown"),
                Arguments.of("a Content-Length that is no number", post(json, "Content-Length: abc") + BODY,
                        400, "NumberFormatException thrown"),
                Arguments.of("a negative Content-Length", post(json, "Content-Length: -1") + BODY,
                        400, "Illegal Content-Length value"),
                Arguments.of("a header name with a space", post(json, "Content Type: x", LENGTH) + BODY,
                        400, "Header key contains illegal characters"),
                Arguments.of("a header line without a colon", post(json, "NoColon", LENGTH) + BODY,
                        400, "Header key contains illegal characters"),
                Arguments.of("Transfer-Encoding: gzip", post(json, "Transfer-Encoding: gzip") + BODY,
                        501, "Unsupported Transfer-Encoding value"),
                Arguments.of("Transfer-Encoding: gzip, chunked", post(json, "Transfer-Encoding: gzip, chunked")
                        + chunked(BODY), 501, "Unsupported Transfer-Encoding value"),
                Arguments.of("Transfer-Encoding: identity", post(json, "Transfer-Encoding: identity") + BODY,
                        501, "Unsupported Transfer-Encoding value"),
                Arguments.of("Transfer-Encoding: chunked twice", post(json, "Transfer-Encoding: chunked",
                        "Transfer-Encoding: chunked") + chunked(BODY), 501, "Unsupported Transfer-Encoding value"),
                Arguments.of("the asterisk form (OPTIONS *)", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                        404, "No context found for request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdkRefuses")
    void theJdkAnswersWithItsOwnHtmlPageAndCloses(String name, String request, int status, String text) throws Exception {
        long before = fx.stored();
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send(request.getBytes(StandardCharsets.ISO_8859_1));
            var r = raw.read();
            assertThat(r.status()).as(name).isEqualTo(status);
            assertThat(r.header("Content-Type")).as(name).isEqualTo("text/html");
            assertThat(r.header("Connection")).as(name).isEqualTo("close");
            assertThat(r.body()).as(name).isEqualTo("<h1>" + status + " " + reason(status) + "</h1>" + text);
            assertThat(raw.awaitEnd(10_000)).as(name).isEqualTo("closed");
        }
        assertThat(fx.stored()).as("stored after: " + name).isEqualTo(before);
    }

    /**
     * Bare LF line ends: the JDK waits for a CR LF that never comes, so there is no answer at all;
     * the request-time limit that {@code GatewayMain} sets (read timeout + 5 s) ends the connection.
     * The fixture has no such limit, so this checks only that nothing is answered within 3 s.
     */
    @Test
    void aHeadWithBareLineFeedsGetsNoAnswerFromTheJdk() throws Exception {
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send("GET /health HTTP/1.1\nHost: x\n\n");
            assertThat(raw.awaitEnd(3_000)).isEqualTo("open");
        }
    }

    /** Let through by the JDK, refused by the gateway: a name, the request, the status, a text the error names. */
    static Stream<Arguments> gatewayRefuses() {
        var json = "Content-Type: application/json";
        return Stream.of(
                Arguments.of("Content-Encoding: gzip", post(json, "Content-Encoding: gzip", LENGTH) + BODY, 415,
                        "Content-Encoding gzip is not supported"),
                Arguments.of("Content-Encoding: br", post(json, "Content-Encoding: br", LENGTH) + BODY, 415,
                        "Content-Encoding br is not supported"),
                Arguments.of("Content-Encoding: identity, gzip", post(json, "Content-Encoding: identity, gzip", LENGTH) + BODY,
                        415, "Content-Encoding identity, gzip is not supported"),
                Arguments.of("Content-Encoding: gzip, chunked", post(json, "Content-Encoding: gzip", "Transfer-Encoding: chunked")
                        + chunked(BODY), 415, "Content-Encoding gzip is not supported"),
                Arguments.of("Content-Encoding: gzip with Expect: 100-continue", post(json, "Content-Encoding: gzip",
                        "Expect: 100-continue", LENGTH) + BODY, 415, "Content-Encoding"),
                Arguments.of("a path with an escape the JDK can decode", "POST /measurement%73 HTTP/1.1\r\nHost: x\r\n"
                        + LENGTH + "\r\n\r\n" + BODY, 404, "no such resource: /measurement%73"),
                Arguments.of("a version the JDK does not check", "GET /nowhere HTTP/9.9\r\nHost: x\r\n\r\n", 404,
                        "no such resource: /nowhere"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gatewayRefuses")
    void theGatewayAnswersWithAJsonErrorNamingTheHeader(String name, String request, int status, String text) throws Exception {
        long before = fx.stored();
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send(request.getBytes(StandardCharsets.ISO_8859_1));
            var r = raw.read();
            if (r.status() == 100) {
                r = raw.read(); // the JDK's interim answer to Expect (ExpectContinueTest)
            }
            assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(status);
            assertThat(r.header("Content-Type")).as(name).isEqualTo("application/json; charset=utf-8");
            assertThat(r.body()).as(name).startsWith("{\"error\":\"").contains(text);
        }
        assertThat(fx.stored()).as("stored after: " + name).isEqualTo(before);
    }

    @Test
    void transferCodingsTheJdkTakesReachTheGatewayAndAreStored() throws Exception {
        long before = fx.stored();
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send(post("Transfer-Encoding: Chunked", "Content-Encoding: identity") + chunked(BODY));
            var r = raw.read();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).startsWith("{\"seq\":");
        }
        assertThat(fx.stored()).isEqualTo(before + 1);
    }

    static String chunked(String body) {
        return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 501 -> "Not Implemented";
            default -> throw new IllegalArgumentException("no reason phrase for " + status);
        };
    }
}
