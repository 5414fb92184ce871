package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import java.nio.charset.StandardCharsets;
import java.util.Deque;

/**
 * Work-queue mode: subscribers in any process share one durable consumer, which hands each message to
 * one of them and keeps the position. Each delivery is acked once the subscriber accepted it (or, with
 * {@link JetStreamPublisher.Options#subscriberAcks()}, left for the subscriber to ack through
 * {@link Acks}); one never accepted is NAKed, so another worker gets it at once instead of after the
 * ack wait. Deliveries come
 * as the server sends them (a redelivery out of order), so there is no sequence check and no end.
 */
final class WorkQueueMode implements ReadMode {
    private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAK = "-NAK".getBytes(StandardCharsets.US_ASCII);

    private final Connection nc;
    private final JetStreamPublisher.Options options;

    WorkQueueMode(Connection nc, JetStreamPublisher.Options options) {
        this.nc = nc;
        this.options = options;
    }

    @Override
    public boolean readyToOpen() {
        return true;
    }

    @Override
    public void opened(ConsumerInfo info, boolean nothingHeld) {
        // the server keeps the position: nothing to set up
    }

    @Override
    public DeliveryCheck.Verdict admit(AckReply ack, long lastHeld) {
        return DeliveryCheck.Verdict.NEXT; // held deliveries stay valid across a loss
    }

    @Override
    public long backlog(AckReply ack) {
        // The backlog is shared with the other workers, so it cannot promise this reader's pulls
        // their messages: one pull at a time (see PullTracker).
        return 0;
    }

    @Override
    public void accepted(Arrival.Delivery d) {
        if (!options.subscriberAcks()) {
            publishQuietly(d.ackSubject(), ACK);
        }
    }

    @Override
    public void rejected(Arrival.Delivery d) {
        publishQuietly(d.ackSubject(), NAK);
    }

    @Override
    public void lost(Deque<Arrival.Delivery> held) {
        // what is held was delivered to us and can still be acked
    }

    @Override
    public JetStreamReadException consumerDeleted() {
        return new JetStreamReadException("durable consumer " + options.durableName() + " was deleted while in use");
    }

    @Override
    public boolean ended() {
        return false; // a work queue has no end
    }

    private void publishQuietly(String subject, byte[] body) {
        try {
            nc.publish(subject, body);
        } catch (RuntimeException e) {
            // Disconnected: the server redelivers the message after its ack wait anyway.
        }
    }
}
