package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.sender.FakeGateway.Reply;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sender against a fake gateway on a real socket: what it sends, retries, counts and reports. */
class SenderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20));

    private FakeGateway gateway;

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private SenderConfig.Builder config(int count) {
        return SenderConfig.builder().gateway(gateway.url()).count(count).devices(10).concurrency(8).retry(FAST_RETRY);
    }

    private static Set<String> ids(String runId, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(n -> runId + "-" + n).collect(Collectors.toSet());
    }

    @Test
    void sendsEveryMeasurementOnceAndSummarises() throws Exception {
        gateway = FakeGateway.start(0);
        try (var run = Sender.start(config(500).runId("t1").build())) {
            var summary = run.await(WAIT);
            assertThat(gateway.stored().keySet()).isEqualTo(ids("t1", 500));
            assertThat(gateway.seen().values()).allMatch(n -> n == 1);
            assertThat(gateway.contentTypes()).allMatch(Payload.JSON::equals);
            assertThat(gateway.authorizations()).allMatch("null"::equals);
            assertThat(summary.total()).isEqualTo(500);
            assertThat(summary.sent()).isEqualTo(500);
            assertThat(summary.acknowledged()).isEqualTo(500);
            assertThat(summary.duplicates()).isZero();
            assertThat(summary.rejected() + summary.failed() + summary.notSent() + summary.retries()).isZero();
            assertThat(summary.requests()).isEqualTo(500);
            assertThat(summary.latencyP50()).isPositive();
            assertThat(summary.latencyP99()).isGreaterThanOrEqualTo(summary.latencyP50());
            assertThat(summary.latencyMax()).isGreaterThanOrEqualTo(summary.latencyP99());
            assertThat(summary.exitStatus()).isZero();
            assertThat(summary.target()).isEqualTo(gateway.url().resolve("/measurements"));
            assertThat(run.progress().done()).isTrue();
            assertThat(run.progress().inFlight()).isZero();
        }
    }

    @Test
    void neverHasMoreThanConcurrencyRequestsInFlight() throws Exception {
        gateway = FakeGateway.start(10); // each request held 10 ms, so they overlap
        var maxInFlightSeen = new java.util.concurrent.atomic.AtomicInteger();
        try (var run = Sender.start(config(300).concurrency(5).build())) {
            while (!run.isDone()) {
                maxInFlightSeen.accumulateAndGet(run.progress().inFlight(), Math::max);
                Thread.sleep(1);
            }
            var summary = run.await(WAIT);
            assertThat(summary.acknowledged()).isEqualTo(300);
        }
        assertThat(gateway.maxConcurrent()).isBetween(2, 5);
        assertThat(maxInFlightSeen.get()).isBetween(1, 5);
    }

    @Test
    void retriesA503WithTheSameIdsHonouringRetryAfter() throws Exception {
        gateway = FakeGateway.start(0).behave((n, ids, seen) ->
                seen.get(ids.get(0)) == 1 && ids.get(0).hashCode() % 3 == 0 ? Reply.unavailable("0") : null);
        try (var run = Sender.start(config(300).runId("t503").build())) {
            var summary = run.await(WAIT);
            long refused = ids("t503", 300).stream().filter(id -> id.hashCode() % 3 == 0).count();
            assertThat(refused).isPositive();
            assertThat(summary.acknowledged()).isEqualTo(300);
            assertThat(summary.retries()).isEqualTo(refused);
            assertThat(gateway.stored().keySet()).isEqualTo(ids("t503", 300));
            assertThat(gateway.seen().entrySet()).allSatisfy(e ->
                    assertThat(e.getValue()).as(e.getKey()).isEqualTo(e.getKey().hashCode() % 3 == 0 ? 2 : 1));
            assertThat(summary.exitStatus()).isZero();
        }
    }

    @Test
    void aRetryAfterOfOneSecondIsWaitedFor() throws Exception {
        gateway = FakeGateway.start(0).behave((n, ids, seen) -> seen.get(ids.get(0)) == 1 ? Reply.unavailable("1") : null);
        try (var run = Sender.start(config(1).build())) {
            var summary = run.await(WAIT);
            assertThat(summary.acknowledged()).isEqualTo(1);
            assertThat(summary.retries()).isEqualTo(1);
            // our own backoff is ≤ 20 ms here, so only the header explains a wait of a second
            assertThat(summary.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void retriesADroppedConnectionWithTheSameIds() throws Exception {
        gateway = FakeGateway.start(0).behave((n, ids, seen) -> seen.get(ids.get(0)) == 1 && n % 4 == 0 ? Reply.DROP : null);
        try (var run = Sender.start(config(200).runId("tdrop").build())) {
            var summary = run.await(WAIT);
            assertThat(summary.acknowledged()).isEqualTo(200);
            assertThat(summary.retries()).isPositive();
            assertThat(gateway.stored().keySet()).isEqualTo(ids("tdrop", 200));
            long seenTwice = gateway.seen().values().stream().filter(v -> v == 2).count();
            assertThat(seenTwice).isEqualTo(summary.retries());
            assertThat(gateway.seen().values()).allMatch(v -> v <= 2);
        }
    }

    @Test
    void aLostAcknowledgementIsRetriedAndCountedAsADuplicate() throws Exception {
        gateway = FakeGateway.start(0).behave((n, ids, seen) ->
                seen.get(ids.get(0)) == 1 && ids.get(0).endsWith("0") ? Reply.STORE_THEN_DROP : null);
        try (var run = Sender.start(config(100).runId("tdup").build())) {
            var summary = run.await(WAIT);
            assertThat(summary.acknowledged()).isEqualTo(100);
            assertThat(summary.duplicates()).isEqualTo(10); // t-10, t-20, … t-100
            assertThat(summary.retries()).isEqualTo(10);
            assertThat(gateway.stored()).hasSize(100);
            assertThat(summary.exitStatus()).isZero();
        }
    }

    @Test
    void doesNotRetryA400AndExitsNonZero() throws Exception {
        gateway = FakeGateway.start(0).behave((n, ids, seen) ->
                ids.get(0).endsWith("-7") ? Reply.badRequest("deviceId: must be 1-64 characters") : null);
        try (var run = Sender.start(config(20).runId("t400").build())) {
            var summary = run.await(WAIT);
            assertThat(gateway.seen().get("t400-7")).isEqualTo(1);
            assertThat(gateway.stored()).hasSize(19).doesNotContainKey("t400-7");
            assertThat(summary.acknowledged()).isEqualTo(19);
            assertThat(summary.rejected()).isEqualTo(1);
            assertThat(summary.retries()).isZero();
            assertThat(summary.lastError()).isEqualTo("HTTP 400: deviceId: must be 1-64 characters");
            assertThat(summary.exitStatus()).isEqualTo(1);
            assertThat(summary.toText()).contains("result: 1 NOT acknowledged");
        }
    }

    @Test
    void givesUpAfterTheRetriesAndCountsItFailed() throws Exception {
        gateway = FakeGateway.start(0).behave((n, ids, seen) -> ids.get(0).equals("tgive-3") ? Reply.unavailable(null) : null);
        var twoRetries = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(10));
        try (var run = Sender.start(config(5).runId("tgive").retry(twoRetries).build())) {
            var summary = run.await(WAIT);
            assertThat(gateway.seen().get("tgive-3")).isEqualTo(3);
            assertThat(summary.acknowledged()).isEqualTo(4);
            assertThat(summary.failed()).isEqualTo(1);
            assertThat(summary.retries()).isEqualTo(2);
            assertThat(summary.lastError()).startsWith("HTTP 503").endsWith("(gave up after 3 attempts)");
            assertThat(summary.exitStatus()).isEqualTo(1);
        }
    }

    @Test
    void aGatewayThatIsNotThereFailsEverythingAfterRetries() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        var config = SenderConfig.builder().gateway(URI.create("http://127.0.0.1:" + closedPort)).count(10)
                .retry(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(10))).build();
        try (var run = Sender.start(config)) {
            var summary = run.await(WAIT);
            assertThat(summary.failed()).isEqualTo(10);
            assertThat(summary.acknowledged()).isZero();
            assertThat(summary.retries()).isEqualTo(20);
            assertThat(summary.lastError()).contains("ConnectException");
            assertThat(summary.exitStatus()).isEqualTo(1);
        }
    }

    @Test
    void batchesGoAsNdjsonWithBatchReplies() throws Exception {
        gateway = FakeGateway.start(0);
        try (var run = Sender.start(config(1_010).runId("tb").batch(50).build())) {
            var summary = run.await(WAIT);
            assertThat(gateway.requests()).isEqualTo(21);
            assertThat(gateway.contentTypes()).allMatch(Payload.NDJSON::equals);
            assertThat(gateway.stored().keySet()).isEqualTo(ids("tb", 1_010));
            assertThat(summary.acknowledged()).isEqualTo(1_010);
            assertThat(summary.requests()).isEqualTo(21);
        }
    }

    @Test
    void aRetriedBatchCountsItsDuplicates() throws Exception {
        // the first attempt of every batch is stored, but its reply lost: each retry is all duplicates
        gateway = FakeGateway.start(0).behave((n, ids, seen) -> seen.get(ids.get(0)) == 1 ? Reply.STORE_THEN_DROP : null);
        try (var run = Sender.start(config(100).batch(10).build())) {
            var summary = run.await(WAIT);
            assertThat(gateway.stored()).hasSize(100);
            assertThat(summary.acknowledged()).isEqualTo(100);
            assertThat(summary.duplicates()).isEqualTo(100);
            assertThat(summary.retries()).isEqualTo(10);
        }
    }

    @Test
    void sendsTheTokenAsABearer() throws Exception {
        gateway = FakeGateway.start(0);
        try (var run = Sender.start(config(3).token("s3cret").build())) {
            run.await(WAIT);
        }
        assertThat(gateway.authorizations()).containsOnly("Bearer s3cret");
    }

    @Test
    void aPacedRunTakesAsLongAsItsRateSays() throws Exception {
        gateway = FakeGateway.start(0);
        try (var run = Sender.start(config(100).rate(200).build())) {
            var summary = run.await(WAIT);
            assertThat(summary.acknowledged()).isEqualTo(100);
            // the 100th measurement is due 99/200 s after the start: a lower bound only
            assertThat(summary.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(495));
        }
    }

    @Test
    void closeStopsTheRunAndAccountsForEveryMeasurement() throws Exception {
        gateway = FakeGateway.start(2);
        var run = Sender.start(config(1_000_000).concurrency(4).build());
        await().atMost(WAIT).until(() -> run.progress().acknowledged() >= 20);
        run.close();
        var summary = run.await(Duration.ofSeconds(1));
        int requestsAtClose = gateway.requests();
        assertThat(summary.notSent()).isPositive();
        assertThat(summary.acknowledged() + summary.rejected() + summary.failed() + summary.notSent())
                .isEqualTo(summary.total());
        assertThat(summary.acknowledged()).isEqualTo(gateway.stored().size());
        assertThat(summary.exitStatus()).isEqualTo(1);
        // nothing more arrives after close
        Thread.sleep(100);
        assertThat(gateway.requests()).isEqualTo(requestsAtClose);
    }

    @Test
    void severalRunsShareAJvmWithoutMixingUp() throws Exception {
        gateway = FakeGateway.start(0);
        var runIds = ConcurrentHashMap.<String>newKeySet();
        try (var a = Sender.start(config(300).build()); var b = Sender.start(config(300).build())) {
            runIds.add(a.runId());
            runIds.add(b.runId());
            assertThat(a.await(WAIT).acknowledged()).isEqualTo(300);
            assertThat(b.await(WAIT).acknowledged()).isEqualTo(300);
        }
        assertThat(runIds).hasSize(2);
        var expected = new HashSet<String>();
        runIds.forEach(r -> expected.addAll(ids(r, 300)));
        assertThat(gateway.stored().keySet()).isEqualTo(expected);
    }
}
