package io.anomalyflow.flow.nats;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK against {@link JetStreamPublisher} in its bounded mode: {@code
 * createFlowPublisher(n)} reads subject {@code tck.<n>}, pre-filled with exactly {@code n} messages,
 * with {@code endAtLastPresent}, so it emits {@code n} and completes.
 *
 * <p>Only {@code required_spec317_mustNotSignalOnErrorWhenPendingAboveLongMaxValue} asks for
 * {@code Integer.MAX_VALUE} elements; storing two billion messages is not an option, so that one gets a
 * never-ending subscription over 100 stored messages (it only needs a dozen, then cancels). Timeouts come
 * from {@code anomalyflow.tck.timeout}: positive expectations get four times that, because every
 * subscription first creates a consumer on the server.
 */
public class JetStreamPublisherTckTest extends FlowPublisherVerification<StreamMessage> {
    private static final long TIMEOUT = Long.getLong("anomalyflow.tck.timeout", 300);
    private static final int BOUNDED_LIMIT = 1_000;
    private static final int UNBOUNDED_STORED = 100;

    private NatsServer server;
    private Connection nc;
    private final Map<Long, Boolean> filled = new HashMap<>();

    public JetStreamPublisherTckTest() {
        super(new TestEnvironment(4 * TIMEOUT, TIMEOUT, 4 * TIMEOUT), 4 * TIMEOUT);
    }

    @BeforeClass
    public void startNats() throws Exception {
        server = NatsServer.start();
        nc = TestNats.open(NatsConnections.options(server.url(), "flow-nats-test"));
        TestNats.createStream(nc, "TCK", StorageType.Memory, "tck.>");
    }

    @AfterClass(alwaysRun = true)
    public void stopNats() throws InterruptedException {
        if (nc != null) {
            nc.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    public Flow.Publisher<StreamMessage> createFlowPublisher(long elements) {
        boolean bounded = elements <= BOUNDED_LIMIT;
        var subject = bounded ? "tck." + elements : "tck.unbounded";
        fillOnce(subject, bounded ? (int) elements : UNBOUNDED_STORED, elements);
        return JetStreamPublisher.create(nc, JetStreamPublisher.Options.builder("TCK")
                .filterSubject(subject).endAtLastPresent(bounded).build());
    }

    @Override
    public Flow.Publisher<StreamMessage> createFailedFlowPublisher() {
        // A stream that does not exist: onSubscribe, then onError(JetStreamReadException).
        return JetStreamPublisher.create(nc, JetStreamPublisher.Options.builder("NO_SUCH_STREAM").build());
    }

    @Override
    public long maxElementsFromPublisher() {
        return Integer.MAX_VALUE;
    }

    private synchronized void fillOnce(String subject, int count, long key) {
        if (filled.putIfAbsent(key, true) != null) {
            return;
        }
        try {
            long total = TestNats.messageCount(nc, "TCK") + count;
            TestNats.fill(nc, "TCK", subject, count, total);
        } catch (Exception e) {
            throw new IllegalStateException("cannot fill " + subject, e);
        }
    }
}
