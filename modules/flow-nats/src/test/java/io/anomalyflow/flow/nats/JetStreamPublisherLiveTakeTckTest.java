package io.anomalyflow.flow.nats;

/**
 * The Reactive Streams TCK against {@link JetStreamPublisher}, behind {@code Flows.take}, in its live read-only mode: no end
 * sequence, so after the stored messages it waits for new ones for as long as there is demand.
 */
public class JetStreamPublisherLiveTakeTckTest extends EndlessPublisherTckSupport {
    public JetStreamPublisherLiveTakeTckTest() {
        super("LIVETAKETCK", true);
    }

    @Override
    JetStreamPublisher.Options options(String stream, String subject, int id) {
        return JetStreamPublisher.Options.builder(stream).filterSubject(subject).build();
    }
}
