package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server restart (graceful, and {@code kill -9}) while a subscriber reads: every sequence arrives
 * exactly once, in order, because the subscription resumes after the last one it delivered.
 */
class JetStreamPublisherRestartTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();
    private static final int STORED = 50_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void gracefulRestartWhileReading() throws Exception {
        readAcross("GRACEFUL", NatsServer::restart);
    }

    @Test
    void killMinus9WhileReading() throws Exception {
        readAcross("KILLED", server -> {
            server.kill();
            server.startAgain();
        });
    }

    private static void readAcross(String stream, Consumer<NatsServer> outage) throws Exception {
        var server = NATS.ensureRunning();
        try (var nc = TestNats.open(NatsConnections.options(server.url(), "flow-nats-test"))) {
            TestNats.createStream(nc, stream, StorageType.File, stream.toLowerCase());
            TestNats.fill(nc, stream, stream.toLowerCase(), STORED, STORED);
            var publisher = JetStreamPublisher.create(nc, JetStreamPublisher.Options.builder(stream)
                    .endAtLastPresent(true).build());
            var ts = TestSubscriber.<StreamMessage>create();
            publisher.subscribe(slowly(ts)); // about 20 µs per message, so the outage lands mid-read

            ts.awaitCount(5_000, WAIT);
            outage.accept(server);
            int beforeRecovery = ts.count();

            ts.awaitTerminated(WAIT).assertComplete().assertNoViolations();
            assertThat(beforeRecovery).as("the outage happened while reading").isLessThan(STORED);
            assertThat(ts.values().stream().mapToLong(StreamMessage::sequence).toArray())
                    .as("every sequence once, in order").isEqualTo(LongStream.rangeClosed(1, STORED).toArray());
            assertThat(publisher.recoveries()).as("the consumer was rebuilt").isPositive();
        }
    }

    /** Passes every signal on, pausing a little in each {@code onNext}. */
    private static Flow.Subscriber<StreamMessage> slowly(Flow.Subscriber<StreamMessage> delegate) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                delegate.onSubscribe(s);
            }

            @Override
            public void onNext(StreamMessage item) {
                LockSupport.parkNanos(20_000);
                delegate.onNext(item);
            }

            @Override
            public void onError(Throwable t) {
                delegate.onError(t);
            }

            @Override
            public void onComplete() {
                delegate.onComplete();
            }
        };
    }
}
