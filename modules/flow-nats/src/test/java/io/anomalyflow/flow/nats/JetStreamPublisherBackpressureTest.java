package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The NATS-backed publisher with backpressure, shown on the server: a subscriber that asks for 10 gets
 * 10 while 100 000 wait in the stream, and the consumer on the server has delivered 10, holds no
 * open pull and keeps the rest pending.
 */
@ExtendWith(NatsServerExtension.class)
class JetStreamPublisherBackpressureTest {
    private static final int STORED = 100_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void demandDecidesWhatLeavesTheServer(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"))) {
            TestNats.createStream(nc, "BIG", StorageType.File, "big");
            TestNats.fill(nc, "BIG", "big", STORED, STORED);
            var publisher = JetStreamPublisher.create(nc, JetStreamPublisher.Options.builder("BIG").build());
            var ts = TestSubscriber.<StreamMessage>create(0);
            publisher.subscribe(ts);
            ts.awaitSubscribed(WAIT);
            await().atMost(WAIT).until(() -> TestNats.consumers(nc, "BIG").size() == 1);
            var consumer = TestNats.consumers(nc, "BIG").getFirst();

            assertThat(info(nc, consumer).getDelivered().getConsumerSequence())
                    .as("subscribed without demand: nothing pulled").isZero();

            ts.request(10).awaitCount(10, WAIT);
            // An over-delivery would have to arrive within this second to be caught; the server-side
            // numbers below catch it regardless of timing.
            Thread.sleep(1_000);
            assertThat(ts.count()).isEqualTo(10);
            var info = info(nc, consumer);
            assertThat(info.getDelivered().getConsumerSequence()).as("delivered by the server").isEqualTo(10);
            assertThat(info.getNumPending()).as("still on the server").isEqualTo(STORED - 10);
            assertThat(info.getNumWaiting()).as("no pull left open once the demand is met").isZero();
            assertThat(info.getNumAckPending()).isZero();

            ts.request(5).awaitCount(15, WAIT);
            await().atMost(WAIT).untilAsserted(() -> {
                var after = info(nc, consumer);
                assertThat(after.getDelivered().getConsumerSequence()).isEqualTo(15);
                assertThat(after.getNumWaiting()).isZero();
            });
            assertThat(ts.values().stream().map(StreamMessage::sequence).toList())
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
            ts.assertNotTerminated().assertNoViolations();
            ts.cancel();
            await().atMost(WAIT).until(() -> TestNats.consumers(nc, "BIG").isEmpty());
        }
    }

    private static ConsumerInfo info(io.nats.client.Connection nc, String consumer) throws Exception {
        return TestNats.jsm(nc).getConsumerInfo("BIG", consumer);
    }
}
