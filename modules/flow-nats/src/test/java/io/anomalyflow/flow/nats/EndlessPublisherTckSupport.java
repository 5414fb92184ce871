package io.anomalyflow.flow.nats;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The TCK wiring shared by the verifications of {@link JetStreamPublisher}'s never-ending modes:
 * a nats-server for the class, one memory stream, and for every publisher the TCK asks for a subject
 * of its own, pre-filled with the elements it needs (100 for the one rule that asks for
 * {@code Integer.MAX_VALUE}: it only needs a dozen, then cancels). The publishers never complete: either
 * {@link #maxElementsFromPublisher()} says so and the TCK skips the rules that need an end, or (behind
 * a take) {@link Flows#take} ends each one after the elements the TCK asked for by cancelling it, which
 * runs the rules that need an end over the endless publisher's cancel path.
 * Positive expectations get four times {@code anomalyflow.tck.timeout}: every subscription first
 * creates a consumer on the server.
 */
abstract class EndlessPublisherTckSupport extends FlowPublisherVerification<StreamMessage> {
    static final long TIMEOUT = Long.getLong("anomalyflow.tck.timeout", 300);
    private static final int MAX_FILLED = 1_000;
    private static final int UNBOUNDED_STORED = 100;

    private final String stream;
    private final boolean behindTake;
    private final AtomicInteger publishers = new AtomicInteger();
    private NatsServer server;
    private Connection nc;

    EndlessPublisherTckSupport(String stream, boolean behindTake) {
        super(new TestEnvironment(4 * TIMEOUT, TIMEOUT, 4 * TIMEOUT), 4 * TIMEOUT);
        this.stream = stream;
        this.behindTake = behindTake;
    }

    /** The options of a publisher reading {@code subject} of {@code stream}; {@code id} is unique per publisher. */
    abstract JetStreamPublisher.Options options(String stream, String subject, int id);

    @BeforeClass
    public void startNats() throws Exception {
        server = NatsServer.start();
        nc = TestNats.open(NatsConnections.options(server.url(), "flow-nats-test"));
        TestNats.createStream(nc, stream, StorageType.Memory, stream.toLowerCase() + ".>");
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
        int id = publishers.incrementAndGet();
        var subject = stream.toLowerCase() + "." + id;
        int count = elements <= MAX_FILLED ? (int) elements : UNBOUNDED_STORED;
        try {
            var js = nc.jetStream();
            for (int i = 1; i <= count; i++) {
                js.publish(subject, TestNats.payload(subject, i)); // acked, so stored: no need to wait for the count
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot fill " + subject, e);
        }
        var publisher = JetStreamPublisher.create(nc, options(stream, subject, id));
        return behindTake ? Flows.take(publisher, elements) : publisher;
    }

    @Override
    public Flow.Publisher<StreamMessage> createFailedFlowPublisher() {
        // A stream that does not exist: onSubscribe, then onError(JetStreamReadException).
        return JetStreamPublisher.create(nc, options("NO_SUCH_STREAM", "nothing", 0));
    }

    @Override
    public long maxElementsFromPublisher() {
        return behindTake ? Integer.MAX_VALUE : publisherUnableToSignalOnComplete();
    }
}
