package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1 000 subscribe / receive one / cancel cycles leave nothing behind: no consumer on the server, no
 * subscription (virtual) thread, no dispatcher thread, no connection listener.
 */
@ExtendWith(NatsServerExtension.class)
class JetStreamPublisherLeakTest {
    private static final int CYCLES = 1_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void subscribeCancelCyclesLeaveNothingBehind(NatsServer nats) throws Exception {
        try (var nc = TestNats.open(NatsConnections.options(nats.url(), "flow-nats-test"))) {
            TestNats.createStream(nc, "LEAK", StorageType.Memory, "leak");
            TestNats.fill(nc, "LEAK", "leak", 10, 10);
            var publisher = JetStreamPublisher.create(nc, JetStreamPublisher.Options.builder("LEAK").build());
            warmUp(publisher);
            int threadsBefore = platformThreads().size();

            for (int i = 0; i < CYCLES; i++) {
                var ts = TestSubscriber.<StreamMessage>create(1);
                publisher.subscribe(ts);
                ts.awaitCount(1, WAIT).cancel();
                assertThat(ts.values().getFirst().sequence()).isEqualTo(1);
                ts.assertNotTerminated().assertNoViolations();
            }

            await().atMost(WAIT).until(() -> publisher.activeSubscriptions() == 0);
            await().atMost(WAIT).until(() -> TestNats.consumers(nc, "LEAK").isEmpty());
            // Each subscription's dispatcher ran on a pooled jnats thread, which ends 500 ms after going idle.
            await().atMost(WAIT).untilAsserted(() -> assertThat(platformThreads()).hasSizeLessThanOrEqualTo(threadsBefore));
        }
    }

    /** One cycle first, so lazily started client threads (the request inbox dispatcher) are in the baseline. */
    private static void warmUp(JetStreamPublisher publisher) {
        var ts = TestSubscriber.<StreamMessage>create(1);
        publisher.subscribe(ts);
        ts.awaitCount(1, WAIT).cancel();
        await().atMost(WAIT).until(() -> publisher.activeSubscriptions() == 0);
    }

    /**
     * Live platform threads, except the carriers of the JDK's virtual-thread scheduler
     * ({@code ForkJoinPool-N-worker-M}): it adds carriers under load, up to one per core, and keeps
     * them; they are not ours. Our virtual threads are counted by {@code activeSubscriptions()}.
     */
    private static List<String> platformThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> !name.startsWith("ForkJoinPool-")).sorted().toList();
    }
}
