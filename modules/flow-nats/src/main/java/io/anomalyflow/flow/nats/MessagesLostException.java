package io.anomalyflow.flow.nats;

/**
 * A subscription could not resume without a gap: the next message it needed is no longer in the
 * stream (purged, expired by max age, or removed by a limit while the subscription was recovering).
 * Rather than skip silently, the subscription ends with this error; {@link #neededSequence()} and
 * {@link #firstAvailableSequence()} say how large the hole is.
 */
public final class MessagesLostException extends JetStreamReadException {
    private static final long serialVersionUID = 1L;

    private final long neededSequence;
    private final long firstAvailableSequence;

    public MessagesLostException(String stream, long neededSequence, long firstAvailableSequence) {
        super("stream " + stream + " no longer holds sequence " + neededSequence + " (it now starts at "
                + firstAvailableSequence + "): " + (firstAvailableSequence - neededSequence)
                + " message(s) were removed before they could be delivered");
        this.neededSequence = neededSequence;
        this.firstAvailableSequence = firstAvailableSequence;
    }

    /** The sequence the subscription had to deliver next. */
    public long neededSequence() {
        return neededSequence;
    }

    /** The first sequence the stream still holds. */
    public long firstAvailableSequence() {
        return firstAvailableSequence;
    }
}
