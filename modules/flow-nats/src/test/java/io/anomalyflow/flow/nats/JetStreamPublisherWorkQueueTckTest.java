package io.anomalyflow.flow.nats;

import org.testng.SkipException;

/**
 * The Reactive Streams TCK against {@link JetStreamPublisher} in its work-queue mode: every publisher
 * is a durable consumer of its own (explicit acks) over a subject of its own, and never ends.
 * Subscribers of one work queue share its messages, each message going to one of them, so the
 * optional rule that every subscriber sees the same elements does not apply to it.
 */
public class JetStreamPublisherWorkQueueTckTest extends EndlessPublisherTckSupport {
    public JetStreamPublisherWorkQueueTckTest() {
        this("WQTCK", false);
    }

    JetStreamPublisherWorkQueueTckTest(String prefix, boolean behindTake) {
        super(prefix, behindTake);
    }

    @Override
    JetStreamPublisher.Options options(String stream, String subject, int id) {
        return JetStreamPublisher.Options.builder(stream).filterSubject(subject).durable("workers" + id).build();
    }

    @Override
    public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne() {
        throw new SkipException("a work queue splits its messages between its subscribers");
    }

    @Override
    public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront() {
        throw new SkipException("a work queue splits its messages between its subscribers");
    }

    @Override
    public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected() {
        throw new SkipException("a work queue splits its messages between its subscribers");
    }
}
