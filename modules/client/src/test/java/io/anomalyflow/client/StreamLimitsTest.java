package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.SseReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The caps on open SSE streams, over real HTTP: per remote address and in all, 429 with a JSON body
 * naming the cap beyond them, a closed stream's slot free again; and the slot ledger under racing
 * threads.
 */
class StreamLimitsTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> refused(java.net.URI base) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/anomalytracker/anomalies")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private SseReader open(java.net.URI base) {
        return F.closeAfterTest(SseReader.open(base, "/anomalies/stream", Map.of()));
    }

    @Test
    void oneAddressGetsItsShareOthersStillGetTheirsAndAClosedStreamFreesItsSlot() throws Exception {
        var base = F.start(b -> b.maxStreamsPerClient(2).maxStreams(10)).client().url();
        var first = open(base);
        var second = open(base);
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);

        var third = refused(base);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(Http.parse(third.body()).path("error").asText())
                .isEqualTo("too many event streams from 127.0.0.1: 2 are open, the most per client "
                        + "(--max-streams-per-client); close one first");

        // another address has its own share (127.0.0.2 is loopback too, so the client sees another peer)
        try (var other = new Socket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            other.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()), 10_000);
            other.setSoTimeout(30_000);
            other.getOutputStream().write(("GET /anomalies/stream HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var status = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(status).isEqualTo("HTTP/1.1 200 OK");
        }

        first.close();
        // the handler returns once it notices the reader left; then a new stream fits again
        var again = new ArrayList<SseReader>();
        await().atMost(ClientFixture.WAIT).until(() -> {
            var r = open(base);
            again.add(r);
            return r.status() == 200;
        });
        assertThat(refused(base).statusCode()).isEqualTo(429);
    }

    @Test
    void theCapInAllIsNamedWhenMet() throws Exception {
        var base = F.start(b -> b.maxStreams(3).maxStreamsPerClient(100)).client().url();
        for (int i = 0; i < 3; i++) {
            assertThat(open(base).status()).isEqualTo(200);
        }
        var beyond = refused(base);
        assertThat(beyond.statusCode()).isEqualTo(429);
        assertThat(Http.parse(beyond.body()).path("error").asText()).contains("3 are open", "(--max-streams)");
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/anomalies")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("the list is not a stream").isEqualTo(200);
    }

    @Test
    void withATokenAStrangerGets401AndTakesNoSlot() throws Exception {
        var base = F.start(b -> b.token("t0ken").maxStreamsPerClient(1)).client().url();
        for (int i = 0; i < 5; i++) {
            assertThat(refused(base).statusCode()).isEqualTo(401);
        }
        var reader = F.closeAfterTest(SseReader.open(base, "/anomalies/stream", Map.of("Authorization", "Bearer t0ken")));
        assertThat(reader.status()).isEqualTo(200);
    }

    @Test
    void racingStreamsNeverPassEitherCapAndLeaveNothingBehind() throws Exception {
        var loopback = InetAddress.getLoopbackAddress();
        var addresses = new InetAddress[] {loopback, InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3")};
        for (int round = 0; round < 50; round++) {
            var slots = new StreamSlots(7, 3);
            var start = new CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(8)) {
                var futures = new ArrayList<Future<?>>();
                for (int t = 0; t < 8; t++) {
                    var address = addresses[t % addresses.length];
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 200; i++) {
                            if (slots.acquire(address) == null) {
                                assertThat(slots.open()).isBetween(1, 7);
                                slots.release(address);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (var f : futures) {
                    f.get();
                }
            }
            assertThat(slots.open()).isZero();
            assertThat(slots.addresses()).isZero();
        }
        var slots = new StreamSlots(100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(slots.acquire(loopback)).isNull();
        }
        assertThat(slots.acquire(loopback)).contains("--max-streams-per-client");
        assertThat(slots.open()).isEqualTo(3);
    }
}
