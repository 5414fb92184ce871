package io.anomalyflow.gateway;

import static io.anomalyflow.gateway.GatewayFixture.json;
import static io.anomalyflow.gateway.GatewayFixture.measurement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.NatsServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** NATS going away and coming back under one gateway process. */
class OutageTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);
    /** "within the ack timeout", plus room for a loaded 2-core machine. */
    private static final Duration PROMPTLY = ACK_TIMEOUT.plusSeconds(4);

    @Test
    void stoppedNatsGives503PromptlyAndTheSameGatewayRecovers() throws Exception {
        var nats = NATS.ensureRunning();
        try (var fx = GatewayFixture.start(nats, "--ack-timeout", "1s", "--storage", "file", "--retry-after", "2s")) {
            assertThat(fx.postJson(measurement(null, "before", "1")).statusCode()).isEqualTo(200);
            // a steady writer through the whole outage: every 200 it gets must be in the stream afterwards
            var acked = new ConcurrentHashMap<Long, String>();
            var running = new AtomicBoolean(true);
            var attempts = new AtomicInteger();
            var writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; running.get(); i++) {
                    var id = "outage-" + i;
                    try {
                        var r = fx.postJson(measurement(id, "w", Integer.toString(i)));
                        attempts.incrementAndGet();
                        if (r.statusCode() == 200) {
                            acked.put(json(r).get("seq").asLong(), id);
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });

            nats.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> fx.get("/metrics").body().contains("anomalyflow_gateway_nats_connected 0\n"));
            long start = System.nanoTime();
            var r = fx.postJson(measurement(null, "during", "1"));
            var took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(json(r).get("error").asText()).contains("did not acknowledge").contains("retrying with the same id is safe");
            assertThat(took).isLessThan(PROMPTLY);
            var batch = fx.postJson("[" + measurement(null, "b1", "1") + "," + measurement(null, "b2", "2") + "]");
            assertThat(batch.statusCode()).isEqualTo(503);
            var health = fx.get("/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(json(health).get("status").asText()).isEqualTo("down");
            assertThat(json(health).get("error").asText()).contains("NATS connection is ").doesNotContain("connection is connected");

            nats.startAgain();
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.postJson(measurement(null, "after", "1")).statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.get("/health").statusCode() == 200);
            assertThat(fx.get("/metrics").body()).contains("anomalyflow_gateway_nats_connected 1\n")
                    .containsPattern("anomalyflow_gateway_requests_total\\{status=\"503\"} [1-9]");
            int before = attempts.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() > before + 5);
            running.set(false);
            writer.join(Duration.ofSeconds(30));

            assertThat(acked).isNotEmpty();
            for (Map.Entry<Long, String> e : acked.entrySet()) {
                assertThat(fx.message(e.getKey()).get("id").asText()).as("acked seq %d", e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void aFrozenServerThatDoesNotAckGives503WithinTheAckTimeout() throws Exception {
        var nats = NATS.ensureRunning();
        try (var fx = GatewayFixture.start(nats, "--ack-timeout", "1s", "--stream", "FROZEN", "--subject", "frozen")) {
            assertThat(fx.postJson(measurement(null, "before", "1")).statusCode()).isEqualTo(200);
            nats.pause();
            try {
                long start = System.nanoTime();
                var r = fx.postJson(measurement(null, "frozen", "1"));
                var took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(took).isGreaterThanOrEqualTo(ACK_TIMEOUT.minusMillis(50)).isLessThan(PROMPTLY);
            } finally {
                nats.resume();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.postJson(measurement(null, "after", "1")).statusCode() == 200);
        }
    }

    @Test
    void aMemoryStreamLostWithItsServerIsProvisionedAgainOnReconnect() throws Exception {
        var nats = NATS.ensureRunning();
        try (var fx = GatewayFixture.start(nats, "--stream", "VOLATILE", "--subject", "volatile", "--storage", "memory")) {
            assertThat(fx.postJson(measurement(null, "before", "1")).statusCode()).isEqualTo(200);
            nats.restart(); // a memory stream does not survive this
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.postJson(measurement(null, "after", "1")).statusCode() == 200);
            assertThat(fx.get("/health").statusCode()).isEqualTo(200);
        }
    }
}
