package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile credentials on the client's guarded paths, over a raw socket: wrong, missing, doubled,
 * malformed, non-ASCII and oversized tokens and cookies get a 401 from us, or a 4xx (431, 400) from
 * the JDK server before our code runs for what it will not parse; never a 5xx, never a hang; and
 * the client serves the right token afterwards, also after a burst of wrong ones from many threads.
 */
class HostileTokenTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    private static final String TOKEN = "h0stile-test-token";
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static RawHttp.Reply send(int port, String method, String path, String... headers) throws Exception {
        var head = RawHttp.head(method, path, concat(headers, "Connection: close"));
        return RawHttp.exchange(port, head.getBytes(StandardCharsets.ISO_8859_1), QUIET, DEADLINE);
    }

    private static String[] concat(String[] a, String b) {
        var all = new ArrayList<>(List.of(a));
        all.add(b);
        return all.toArray(String[]::new);
    }

    @Test
    void badCredentialsGet401OrA4xxFromTheServerNeverA5xx() throws Exception {
        int port = F.start(b -> b.token(TOKEN)).client().port();
        var cases = List.of(
                new String[] {},
                new String[] {"Authorization: Bearer"},
                new String[] {"Authorization: Bearer "},
                new String[] {"Authorization: Bearer " + TOKEN + "x"},
                new String[] {"Authorization: bearer" + TOKEN},
                new String[] {"Authorization: Bearer " + TOKEN, "Authorization: Bearer " + TOKEN},
                new String[] {"Authorization: Bearer \u00ff\u00fe" + TOKEN},
                new String[] {"Authorization: Bearer " + "x".repeat(8 * 1024)},
                new String[] {"Authorization: Bearer " + "x".repeat(200 * 1024)},
                new String[] {"Cookie: anomalyflow_session="},
                new String[] {"Cookie: anomalyflow_session=" + "A".repeat(43)},
                new String[] {"Cookie: a=b; anomalyflow_session=" + "x".repeat(20_000)},
                new String[] {"Cookie: " + "c=d; ".repeat(4000) + "anomalyflow_session=zz"});
        for (var path : List.of("/anomalies", "/anomalies/stream", "/anomalytracker/3/anomalies", "/metrics")) {
            for (var headers : cases) {
                var reply = send(port, "GET", path, headers);
                assertThat(reply.statuses()).as(path + " " + describe(headers) + ": " + reply).containsExactly(401);
            }
        }
        for (var headers : cases) {
            var reply = send(port, "POST", "/session", concat(headers, "Content-Length: 0"));
            assertThat(reply.statuses()).as("POST /session " + describe(headers) + ": " + reply).containsExactly(401);
        }
        // past what the JDK server parses (its header limit, 384 KiB by default): refused before our code, no 5xx
        var huge = send(port, "GET", "/anomalies", "Authorization: Bearer " + "x".repeat(1 << 20));
        assertThat(huge.refused()).as(huge.toString()).isTrue();
        assertThat(huge.statuses()).doesNotContain(401, 500);
        System.out.printf("a 1 MiB Authorization header: %s%n", huge);
        assertThat(send(port, "GET", "/anomalies", "Authorization: Bearer " + TOKEN).statuses()).containsExactly(200);
    }

    @Test
    void aBurstOfWrongTokensFromManyThreadsLeavesTheClientServingTheRightOne() throws Exception {
        int port = F.start(b -> b.token(TOKEN)).client().port();
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(16)) {
            var futures = new ArrayList<Future<List<Integer>>>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    var statuses = new ArrayList<Integer>();
                    for (int i = 0; i < 25; i++) {
                        statuses.addAll(send(port, "GET", "/anomalies/stream", "Authorization: Bearer guess-" + thread + "-" + i)
                                .statuses());
                    }
                    return statuses;
                }));
            }
            start.countDown();
            for (var f : futures) {
                assertThat(f.get()).hasSize(25).containsOnly(401);
            }
        }
        assertThat(send(port, "GET", "/anomalies", "Authorization: Bearer " + TOKEN).statuses()).containsExactly(200);
        assertThat(send(port, "GET", "/health").statuses()).containsExactly(200);
    }

    private static String describe(String[] headers) {
        var s = String.join(" | ", headers);
        return s.length() > 80 ? s.substring(0, 80) + "… (" + s.length() + " chars)" : s.isEmpty() ? "(no credentials)" : s;
    }
}
