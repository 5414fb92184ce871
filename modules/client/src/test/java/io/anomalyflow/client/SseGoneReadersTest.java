package io.anomalyflow.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSE readers that go away without a word, as a killed {@code curl -N} does: the client must notice
 * within seconds, not at the heartbeat, and free what each one held (real sockets, real HTTP).
 */
class SseGoneReadersTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();

    private final Http http = F.http();

    @Test
    void readersThatCloseTheirConnectionAreForgottenWithinSecondsWhateverTheHeartbeat() throws Exception {
        var s = F.start(b -> b.heartbeat(Duration.ofHours(1)));
        var base = s.client().url();
        int n = 50;
        var sockets = new ArrayList<Socket>();
        for (int i = 0; i < n; i++) {
            sockets.add(F.closeAfterTest(openStream(base)));
        }
        await().atMost(ClientFixture.WAIT).until(() -> http.metric(base, "anomalyflow_client_sse_readers") == n);
        assertThat(s.client().hubSubscribers()).isEqualTo(n);

        long closed = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                sockets.get(i).setSoLinger(true, 0); // the close sends a reset
            }
            sockets.get(i).close(); // the others close politely (FIN), as a killed process does
        }

        await().atMost(ClientFixture.WAIT).until(() -> http.metric(base, "anomalyflow_client_sse_readers") == 0);
        await().atMost(ClientFixture.WAIT).until(() -> s.client().hubSubscribers() == 0);
        System.out.printf("%d closed SSE readers forgotten %d ms after they closed (heartbeat 1 h)%n",
                n, (System.nanoTime() - closed) / 1_000_000);
    }

    /** A raw {@code GET /anomalies/stream}, read up to the end of the response headers. */
    private static Socket openStream(URI base) throws IOException {
        var socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET /anomalies/stream HTTP/1.1\r\nHost: " + base.getHost()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        var head = readHead(socket.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 200");
        return socket;
    }

    private static String readHead(InputStream in) throws IOException {
        var text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed in the headers: " + text);
            }
            text.append((char) b);
        }
        return text.toString();
    }
}
