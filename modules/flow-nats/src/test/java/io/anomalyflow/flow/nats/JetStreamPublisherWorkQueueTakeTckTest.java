package io.anomalyflow.flow.nats;

/**
 * The work-queue verification of {@link JetStreamPublisherWorkQueueTckTest} again, behind
 * {@code Flows.take}, so that the rules that need a publisher that ends run too.
 */
public class JetStreamPublisherWorkQueueTakeTckTest extends JetStreamPublisherWorkQueueTckTest {
    public JetStreamPublisherWorkQueueTakeTckTest() {
        super("WQTAKETCK", true);
    }
}
