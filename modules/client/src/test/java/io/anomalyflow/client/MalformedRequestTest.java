package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed requests to the client, over a raw socket: the JDK's {@code HttpServer} refuses some
 * before any of our code runs (an HTML page, pinned here so a JDK change shows), and what it lets
 * through gets the router's JSON error. The gateway's test of the same name has the full list.
 */
class MalformedRequestTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("a request line without spaces", "GARBAGE\r\n\r\n",
                        "HTTP/1.1 400 Bad Request", "text/html", "<h1>400 Bad Request</h1>Bad request line"),
                Arguments.of("a broken escape in the path", "GET /anomalies%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                        "HTTP/1.1 400 Bad Request", "text/html", "<h1>400 Bad Request</h1>URISyntaxException thrown"),
                Arguments.of("Transfer-Encoding: gzip", "GET /anomalies HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                        "HTTP/1.1 501 Not Implemented", "text/html", "<h1>501 Not Implemented</h1>Unsupported Transfer-Encoding value"),
                Arguments.of("two Content-Length headers", "GET /anomalies HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                        + "Content-Length: 0\r\n\r\n", "HTTP/1.1 400 Bad Request", "text/html",
                        "<h1>400 Bad Request</h1>Conflicting or malformed headers detected"),
                Arguments.of("a path with an escape the JDK can decode", "GET /anomalie%73 HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n", "HTTP/1.1 404 Not Found", "application/json; charset=utf-8",
                        "{\"error\":\"no such resource: /anomalie%73\"}"),
                Arguments.of("a POST with a compressed body on a GET resource", "POST /anomalies HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Encoding: gzip\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                        "HTTP/1.1 405 Method Not Allowed", "application/json; charset=utf-8",
                        "{\"error\":\"method POST is not allowed on /anomalies; allowed: GET\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void isAnsweredAndTheConnectionClosed(String name, String request, String statusLine, String type, String body)
            throws Exception {
        var client = F.start().client();
        var reply = exchange(client.port(), request);
        assertThat(reply).as(name).startsWith(statusLine + "\r\n");
        var head = reply.substring(0, reply.indexOf("\r\n\r\n") + 2).toLowerCase(Locale.ROOT);
        assertThat(head).as(name).contains("\r\ncontent-type: " + type + "\r\n");
        assertThat(reply.substring(reply.indexOf("\r\n\r\n") + 4)).as(name).isEqualTo(body);
    }

    /** Sends {@code request} and reads until the server closes (every case here ends with a close). */
    private static String exchange(int port, String request) throws IOException {
        try (var s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
