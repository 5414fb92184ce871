package io.anomalyflow.flow.nats;

import io.nats.client.Message;

/**
 * A message as the NATS dispatcher thread hands it to a subscription's {@link PullInbox}: for a
 * JetStream delivery, its metadata already parsed and the {@link StreamMessage} already built.
 *
 * <p>That work depends on nothing but the message, so it is done on the dispatcher thread, which
 * otherwise only queues; the subscription's thread, which also runs the subscriber's whole chain
 * and is the busy one in a catch-up, is left with the checks that need its state.
 *
 * @param message  what the server sent
 * @param delivery the parsed delivery, or {@code null} for a status or anything that is not a delivery
 */
record Arrival(Message message, Delivery delivery) {

    /** A delivery: the message, its reply-subject metadata and where to ack it. */
    record Delivery(StreamMessage message, AckReply ack, String ackSubject) {
        long pendingAfter() {
            return ack.pending();
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /** {@code subscriberAcks}: the delivery's ack subject goes into its {@link StreamMessage}. */
    static Arrival of(Message m, boolean subscriberAcks) {
        if (m.isStatusMessage()) {
            return new Arrival(m, null);
        }
        var ack = AckReply.parse(m.getReplyTo());
        if (ack == null || ack.streamSequence() < 1) {
            return new Arrival(m, null); // not a delivery (a stray message on the inbox): ignored
        }
        var data = m.getData() == null ? EMPTY : m.getData();
        var message = new StreamMessage(ack.streamSequence(), ack.timestamp(), m.getSubject(), m.getHeaders(), data,
                Math.max(1, ack.delivered()), subscriberAcks ? m.getReplyTo() : null);
        return new Arrival(m, new Delivery(message, ack, m.getReplyTo()));
    }
}
