package io.anomalyflow.flow.nats;

/**
 * The read-only mode's judgement of each delivery, kept apart from any I/O so it can be tested on its
 * own: is it the next one of the current consumer, and has the read reached its end? Only the
 * subscription's loop thread touches it.
 *
 * <p><b>No gap, no repeat.</b> A consumer numbers its deliveries 1, 2, 3, … (the consumer sequence in
 * the reply subject). A delivery is {@link Verdict#NEXT} only when it carries the number after the
 * last one accepted, as nats.java's ordered consumer checks; any other number means one was lost, and
 * the consumer must be replaced ({@link Verdict#GAP}). Between a loss and the next consumer, whatever
 * the old one still sends is {@link Verdict#STALE}: the new one re-delivers it, in order.
 *
 * <p><b>The end</b> ({@code endAtLastPresent}): the last stream sequence when the read began. The read
 * has ended once the message at (or after) it was accepted downstream, once a consumer reports nothing
 * left after the last accepted message, or when a delivery past the end shows that nothing held is
 * missing ({@link Verdict#PAST_END}).
 */
final class DeliveryCheck {
    /** What to do with a delivery. */
    enum Verdict {
        /** The next one, before the end: hold it for the subscriber. */
        NEXT,
        /** A delivery went missing: replace the consumer, resuming after the last one accepted. */
        GAP,
        /** From a consumer being replaced: drop it, the next consumer delivers it again. */
        STALE,
        /** After the end: drop it, everything up to the end came before it. */
        PAST_END
    }

    private static final long NONE = -1;

    private long expected = NONE;
    private long end = NONE;
    private boolean ended;

    /** Whether the read must still learn where its end is before opening a consumer. */
    boolean needsEnd(boolean endAtLastPresent) {
        return endAtLastPresent && end == NONE;
    }

    /** The read ends after stream sequence {@code last} (0: an empty stream, nothing to read). */
    void endAt(long last) {
        end = last;
        if (last == 0) {
            ended = true;
        }
    }

    /**
     * A consumer was opened.
     *
     * @param delivered  the consumer sequence it already delivered (0 for a new one)
     * @param pending    what it holds for us
     * @param nothingHeld whether no delivery waits for the subscriber
     */
    void opened(long delivered, long pending, boolean nothingHeld) {
        expected = delivered + 1;
        if (end != NONE && nothingHeld && pending == 0) {
            ended = true; // nothing left to deliver up to the end
        }
    }

    /** The consumer is lost: drop its deliveries until the next one is {@link #opened}. */
    void lost() {
        expected = NONE;
    }

    /**
     * Judges one delivery of the current consumer.
     *
     * @param lastHeld the stream sequence of the last delivery held for the subscriber, or -1 for none
     */
    Verdict check(long consumerSequence, long streamSequence, long lastHeld) {
        if (expected == NONE) {
            return Verdict.STALE;
        }
        if (consumerSequence != expected) {
            return Verdict.GAP;
        }
        expected++;
        if (end != NONE && streamSequence > end) {
            if (lastHeld < 0) {
                ended = true;
            } else {
                end = lastHeld; // ends with what is held
            }
            return Verdict.PAST_END;
        }
        return Verdict.NEXT;
    }

    /** The subscriber accepted stream sequence {@code sequence}, after which its consumer held {@code pending}. */
    void accepted(long sequence, long pending) {
        if (end != NONE && (sequence >= end || pending == 0)) {
            ended = true;
        }
    }

    /** The consumer sequence the next delivery must carry, or -1 while no consumer is open. */
    long expected() {
        return expected;
    }

    boolean ended() {
        return ended;
    }
}
