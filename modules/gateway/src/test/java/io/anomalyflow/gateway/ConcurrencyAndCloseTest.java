package io.anomalyflow.gateway;

import static io.anomalyflow.gateway.GatewayFixture.measurement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.RawHttp;
import io.anomalyflow.testsupport.NatsServerExtension;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "Acked means stored" under concurrent load, and a graceful close. */
class ConcurrencyAndCloseTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void everyTwoHundredIsOneNewMessageUnderConcurrentLoad() throws Exception {
        int threads = 64;
        int perThread = 50;
        try (var fx = GatewayFixture.start(NATS.server(), "--storage", "file", "--stream", "LOAD", "--subject", "load")) {
            long before = fx.stored();
            var ok = new AtomicInteger();
            var other = new AtomicInteger();
            var barrier = new CyclicBarrier(threads);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = new ArrayList<Future<?>>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit((Callable<Void>) () -> {
                        barrier.await();
                        for (int i = 0; i < perThread; i++) {
                            // every third one has an id: the idempotent path under load too
                            var id = i % 3 == 0 ? "c-" + thread + "-" + i : null;
                            var r = fx.postJson(measurement(id, "dev-" + thread % 10, Integer.toString(i)));
                            (r.statusCode() == 200 ? ok : other).incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get(90, TimeUnit.SECONDS);
                }
            }
            assertThat(ok.get() + other.get()).isEqualTo(threads * perThread);
            assertThat(fx.stored() - before).as("2xx replies vs new messages (%d non-2xx)", other.get()).isEqualTo(ok.get());
            assertThat(ok.get()).as("with NATS up and the default limits everything is accepted").isEqualTo(threads * perThread);
        }
    }

    /**
     * Batches whose window is wider than the shared in-flight slots (so their items keep waiting for a
     * slot) racing single POSTs: every request still gets its 200, and every acknowledged item is one
     * stored message.
     */
    @Test
    void batchesWaitingForSlotsAndSinglePostsAllComplete() throws Exception {
        int threads = 16;
        int rounds = 10;
        int batchSize = 200;
        try (var fx = GatewayFixture.start(NATS.server(), "--stream", "MIXED", "--subject", "mixed",
                "--max-in-flight", "16", "--batch-window", "64")) {
            long before = fx.stored();
            var accepted = new AtomicInteger();
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<String>();
            var barrier = new CyclicBarrier(threads);
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = new ArrayList<Future<?>>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit((Callable<Void>) () -> {
                        barrier.await();
                        for (int round = 0; round < rounds; round++) {
                            if (thread % 2 == 0) {
                                var body = new StringBuilder();
                                for (int i = 0; i < batchSize; i++) {
                                    body.append(measurement(null, "b" + thread, Integer.toString(i))).append('\n');
                                }
                                var r = fx.post("application/x-ndjson", body.toString());
                                if (r.statusCode() == 200) {
                                    accepted.addAndGet(GatewayFixture.json(r).get("accepted").asInt());
                                } else {
                                    failures.add(r.statusCode() + " " + r.body());
                                }
                            } else {
                                for (int i = 0; i < 20; i++) {
                                    var r = fx.postJson(measurement(null, "s" + thread, Integer.toString(i)));
                                    if (r.statusCode() == 200) {
                                        accepted.incrementAndGet();
                                    } else {
                                        failures.add(r.statusCode() + " " + r.body());
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            }
            assertThat(failures).as("with NATS up every request is acknowledged").isEmpty();
            int expected = threads / 2 * rounds * (batchSize + 20);
            assertThat(accepted.get()).isEqualTo(expected);
            assertThat(fx.stored() - before).as("acknowledged means stored").isEqualTo(expected);
        }
    }

    @Test
    void closeLetsARequestInFlightFinishAndThenThePortIsClosed() throws Exception {
        var fx = GatewayFixture.start(NATS.server());
        int port = fx.gateway.port();
        long before = fx.stored();
        try (var raw = RawHttp.connect(port)) {
            var body = measurement(null, "closing", "1");
            raw.send(RawHttp.head("POST", "/measurements", "Content-Length: " + body.length()) + body.substring(0, 5));
            // the request reaches its handler, which then waits for the rest of the body
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    fx.get("/metrics").body().contains("anomalyflow_gateway_requests_in_flight 1\n"));
            var closer = Thread.ofVirtual().start(fx.gateway::close);
            awaitRefused(port);
            assertThat(closer.isAlive()).as("close waits for the request in flight").isTrue();
            raw.send(body.substring(5));
            var r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            closer.join(Duration.ofSeconds(30));
            assertThat(closer.isAlive()).isFalse();
        } finally {
            fx.close();
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
        try (var check = GatewayFixture.start(NATS.server())) {
            assertThat(check.stored()).isEqualTo(before + 1);
        }
    }

    private static void awaitRefused(int port) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                        .isInstanceOf(ConnectException.class));
    }
}
