package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.AppProcess;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.RawHttp;
import io.anomalyflow.testsupport.TestNats;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 13: slowloris on the two servers case 9 does not cover, the detector's ({@code /health},
 * {@code /metrics}) and the sender's page. Many connections (40; soak: 400) each send half a request line, or a
 * request line and half its headers, then one more byte every two seconds, for longer than any
 * request may take. Each app's {@code main} bounds how long a request may take to arrive (10 s for
 * the detector, whose requests have no body; 15 s for the sender's page, 5 s past the read timeout of
 * its form); the JDK server then closes the connection. So: every trickling connection is closed by
 * the server within that bound plus 30 s of slack for a loaded machine, the app answers
 * {@code /health} 200 while they trickle and after, and its threads are back to where they were.
 */
class SlowRequestTest {
    private static final Duration PACE = Duration.ofSeconds(2);
    /** Slack on top of an app's limit before a trickling connection counts as never closed. */
    private static final Duration SLACK = Duration.ofSeconds(30);
    private static final Duration DETECTOR_LIMIT = Duration.ofSeconds(10);
    private static final Duration SENDER_LIMIT = Duration.ofSeconds(15);
    /** Threads a JVM may start lazily meanwhile. */
    private static final int THREAD_SLACK = 10;

    @Test
    void theDetectorClosesTricklingRequests() throws Exception {
        detector(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void theDetectorClosesTricklingRequestsSoak() throws Exception {
        detector(Variant.SOAK);
    }

    @Test
    void theSenderPageClosesTricklingRequests() throws Exception {
        senderPage(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void theSenderPageClosesTricklingRequestsSoak() throws Exception {
        senderPage(Variant.SOAK);
    }

    private static void detector(Variant variant) throws Exception {
        try (var nats = NatsServer.start()) {
            try (var nc = Nats.connect(nats.url())) {
                TestNats.createStream(nc, Rig.STREAM, StorageType.File, "measurements"); // what the detector waits for
            }
            int port = AppProcess.freePort();
            try (var detector = AppProcess.start("detector", variant.logs("slow-requests").resolve("detector"), List.of(),
                    List.of("--nats", nats.url(), "--port", Integer.toString(port)))) {
                trickleAgainst("13. slowloris on the detector", variant, detector, port, DETECTOR_LIMIT, "/metrics");
            }
        }
    }

    private static void senderPage(Variant variant) throws Exception {
        int port = AppProcess.freePort();
        // the page never sends here: no gateway is needed
        try (var page = AppProcess.start("sender", variant.logs("slow-requests").resolve("sender"), List.of(),
                List.of("--serve", "--port", Integer.toString(port), "--gateway", "http://127.0.0.1:9"))) {
            trickleAgainst("13. slowloris on the sender's page", variant, page, port, SENDER_LIMIT, "/runs");
        }
    }

    private static void trickleAgainst(String caseName, Variant variant, AppProcess app, int port, Duration limit,
                                       String postPath) throws Exception {
        int connections = variant.pick(40, 400);
        var base = URI.create("http://127.0.0.1:" + port);
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            app.awaitHttp(base.resolve("/health"), Rig.START_TIMEOUT);
            Rig.withLogs(app::log, () -> {
                int threadsBefore = new ProcessProbe(app.pid()).allThreads();
                var deadline = limit.plus(SLACK);
                // long enough to outlast the deadline at one byte per PACE
                int trickled = (int) (deadline.toSeconds() / PACE.toSeconds()) + 10;
                var tail = "z".repeat(trickled);
                var kinds = List.of(
                        new Trickle("half a request line", "GET /heal", "th".repeat(trickled)),
                        new Trickle("half the headers", "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ", tail),
                        new Trickle("half the headers of a POST", "POST " + postPath + " HTTP/1.1\r\nHost: x\r\n"
                                + "Content-Type: application/x-www-form-urlencoded\r\nX-Slow: ", tail));
                var replies = new ArrayList<Future<RawHttp.Reply>>();
                for (int i = 0; i < connections; i++) {
                    var kind = kinds.get(i % kinds.size());
                    replies.add(pool.submit(() -> RawHttp.exchange(port, kind.bytes(), kind.prefix(), PACE, PACE, deadline)));
                }
                Thread.sleep(PACE.toMillis() * 2); // let every connection start trickling; the health check is what is under test
                assertThat(Probes.status(http, base.resolve("/health"))).as("/health while %d connections trickle", connections)
                        .isEqualTo(200);
                long longest = 0;
                var open = new ArrayList<String>();
                for (int i = 0; i < replies.size(); i++) {
                    var reply = replies.get(i).get();
                    longest = Math.max(longest, reply.elapsed().toMillis());
                    if (!(reply.closed() || reply.sendFailed()) || !reply.refused()) {
                        open.add(kinds.get(i % kinds.size()).name() + ": " + reply);
                    }
                }
                assertThat(open).as("trickling connections the server did not close within %s + %s", limit, SLACK).isEmpty();
                assertThat(Probes.status(http, base.resolve("/health"))).as("/health afterwards").isEqualTo(200);
                int threadsAfter = awaitThreads(app, threadsBefore + THREAD_SLACK);
                assertThat(threadsAfter).as("threads before: %d", threadsBefore).isLessThanOrEqualTo(threadsBefore + THREAD_SLACK);
                Results.note(caseName, variant, connections + " connections, 3 kinds, a byte every " + PACE.toSeconds() + " s",
                        "half a request line, half the headers (GET, POST)",
                        "all closed by the server, the last after " + longest / 1000 + " s (limit " + limit.toSeconds()
                                + " s); /health 200 meanwhile; threads " + threadsBefore + " → " + threadsAfter);
            });
        }
    }

    /** The thread count of {@code app} once it is at most {@code bound}, or its last count after 30 s. */
    private static int awaitThreads(AppProcess app, int bound) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int threads;
        while ((threads = new ProcessProbe(app.pid()).allThreads()) > bound && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        return threads;
    }

    /** One way to trickle: {@code atOnce} goes at once, then {@code slowly} a byte per pace. */
    private record Trickle(String name, String atOnce, String slowly) {
        byte[] bytes() {
            return (atOnce + slowly).getBytes(StandardCharsets.US_ASCII);
        }

        int prefix() {
            return atOnce.length();
        }
    }
}
