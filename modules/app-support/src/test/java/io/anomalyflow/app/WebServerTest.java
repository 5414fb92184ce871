package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.RawHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server bootstrap and the router, over real sockets. */
class WebServerTest {
    private final List<Integer> statuses = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private WebServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        var router = Router.builder()
                .get("/hello", ex -> Responses.json(ex, 200, "{\"hello\":\"world\"}"))
                .get("/boom", ex -> {
                    throw new IllegalStateException("boom");
                })
                .get("/slow", ex -> {
                    slowEntered.countDown();
                    awaitQuietly(slowRelease);
                    Responses.json(ex, 200, "{\"slow\":true}");
                })
                .post("/hello", ex -> Responses.json(ex, 201, "{}"))
                .onStatus(statuses::add)
                .onFailure((ex, t) -> failures.add(t))
                .build();
        server = WebServer.start(InetAddress.getLoopbackAddress(), 0, router, Duration.ofSeconds(5));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        slowRelease.countDown();
        server.close();
        client.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        var request = HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bindsAFreePortOnLoopbackAndServes() throws Exception {
        assertThat(server.port()).isPositive();
        assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.port()));
        var r = send("GET", "/hello");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue(Responses.JSON);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void unknownPathIs404WithAJsonErrorNamingIt() throws Exception {
        var r = send("GET", "/nope/%3Cb%3E");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(Responses.JSON);
        assertThat(r.body()).isEqualTo("{\"error\":\"no such resource: /nope/%3Cb%3E\"}");
        assertThat(send("GET", "/hello/").statusCode()).as("paths match exactly").isEqualTo(404);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        var r = send("DELETE", "/hello");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(r.body()).contains("method DELETE is not allowed on /hello").contains("GET, POST");
        var head = send("HEAD", "/boom");
        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aThrowingHandlerGives500AndIsReported() throws Exception {
        var r = send("GET", "/boom");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"error\":\"internal error\"}");
        assertThat(failures).singleElement().satisfies(t -> assertThat(t).hasMessage("boom"));
        assertThat(send("GET", "/hello").statusCode()).as("the server goes on").isEqualTo(200);
    }

    @Test
    void everyReplyStatusIsReportedOnce() throws Exception {
        send("GET", "/hello");
        send("POST", "/hello");
        send("GET", "/nope");
        send("PUT", "/hello");
        send("GET", "/boom");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(statuses).containsExactly(200, 201, 404, 405, 500));
    }

    @Test
    void aBodySentToAnUnknownPathIsDiscardedSoTheReplyIsReadable() throws Exception {
        try (var raw = RawHttp.connect(server.port())) {
            var body = new byte[300_000];
            raw.send(RawHttp.head("POST", "/nope", "Content-Length: " + body.length)).send(body);
            var r = raw.read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(raw.awaitEnd(10_000)).isEqualTo("closed");
        }
    }

    @Test
    void closeLetsAnExchangeInFlightFinishThenClosesThePort() throws Exception {
        var inFlight = client.sendAsync(HttpRequest.newBuilder(server.url().resolve("/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slowEntered.await(20, TimeUnit.SECONDS)).isTrue();
        var closer = Thread.ofVirtual().start(server::close);
        // new connections are refused while the exchange in flight is still running
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close())
                        .isInstanceOf(ConnectException.class));
        assertThat(closer.isAlive()).isTrue();
        slowRelease.countDown();
        var r = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"slow\":true}");
        closer.join(Duration.ofSeconds(20));
        assertThat(closer.isAlive()).isFalse();
    }

    @Test
    void closeIsIdempotentAndReturnsPromptlyWhenIdle() {
        long start = System.nanoTime();
        server.close();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void checksItsArguments() {
        assertThatThrownBy(() -> WebServer.start(InetAddress.getLoopbackAddress(), 70_000, ex -> { }, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
