package io.anomalyflow.flow.nats;

import io.nats.client.api.ConsumerInfo;
import java.util.Deque;

/**
 * Read-only mode: the subscriber reads the stream in order, each message once, with a consumer of its
 * own that it replaces after any doubt (see {@link DeliveryCheck} for the rule, {@link PullConsumer}
 * for the consumer). Nothing is acked.
 */
final class ReadOnlyMode implements ReadMode {
    private final JetStreamPublisher.Options options;
    private final PullConsumer consumer;
    private final DeliveryCheck check = new DeliveryCheck();

    ReadOnlyMode(JetStreamPublisher.Options options, PullConsumer consumer) {
        this.options = options;
        this.consumer = consumer;
    }

    @Override
    public boolean readyToOpen() {
        if (check.needsEnd(options.endAtLastPresent())) {
            Long last = consumer.attempt(consumer::lastSequence);
            if (last == null) {
                return false; // the server is away: try again later
            }
            check.endAt(last);
        }
        return !check.ended();
    }

    @Override
    public void opened(ConsumerInfo info, boolean nothingHeld) {
        check.opened(info.getDelivered().getConsumerSequence(), info.getNumPending(), nothingHeld);
    }

    @Override
    public DeliveryCheck.Verdict admit(AckReply ack, long lastHeld) {
        return check.check(ack.consumerSequence(), ack.streamSequence(), lastHeld);
    }

    @Override
    public long backlog(AckReply ack) {
        return ack.pending(); // our own consumer: all it has left is ours
    }

    @Override
    public void accepted(Arrival.Delivery d) {
        check.accepted(d.message().sequence(), d.pendingAfter());
    }

    @Override
    public void rejected(Arrival.Delivery d) {
        // nothing to hand back: no acks, and the consumer goes with the subscription
    }

    @Override
    public void lost(Deque<Arrival.Delivery> held) {
        held.clear(); // the next consumer delivers them again, in order
        check.lost();
    }

    @Override
    public JetStreamReadException consumerDeleted() {
        return null; // ours alone, rebuilt from our own position
    }

    @Override
    public boolean ended() {
        return check.ended();
    }
}
