package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NATS side of one subscription: it keeps a consumer, pulls as much as the demand allows, checks
 * what arrives, and hands over deliveries in order. Confined to the subscription's thread, except
 * {@link #wake()} and the connection listener, which only set flags and wake it.
 *
 * <p><b>Read-only:</b> a delivery is accepted only if its consumer sequence is the next one of the
 * current consumer (the ordered-consumer rule), so nothing is skipped or repeated. Any doubt (a jump, a
 * missed heartbeat, a reconnect, a deleted consumer) replaces the consumer with one starting right after
 * the last message handed over and accepted downstream; whatever the old one still sends is dropped.
 * <b>Durable:</b> each accepted delivery is acked; what was received but never accepted is NAKed at the
 * end, so another worker gets it at once instead of after the ack wait.
 *
 * <p>Unrecoverable trouble is reported through {@link #failure()}, the end of a bounded read through
 * {@link #ended()}; the subscription signals both.
 */
final class PullReader {
    private static final System.Logger LOG = System.getLogger(PullReader.class.getName());
    private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAK = "-NAK".getBytes(StandardCharsets.US_ASCII);
    private static final long BUSY_PAUSE = TimeUnit.MILLISECONDS.toNanos(250);
    /** Like nats.java: three heartbeat intervals without a word mean the pull is dead. */
    private static final int HEARTBEATS_MISSED = 3;
    /**
     * A pull counts as open until {@code 1/}{@value #RENEW_BEFORE_EXPIRY} of its expiry before it
     * expires; then the next one goes out, so the server always has a pull to serve when the old one
     * ends. nats-server 2.9 ends an expired pull with a 408 only when its timer gets there first: when a
     * message comes in just after the expiry, it drops the pull without a word (consumer.go,
     * {@code nextWaiting}), and a reader waiting for the 408 stalls (with the round-robin service of
     * open pulls, see {@link PullTracker}, this stalled the client for 3 s in {@code make bench},
     * issue #8). The price: a delivery for the old pull in its last moments counts against the next
     * one, so the next pulls may ask for a few messages more than the demand; they wait here, and
     * nothing is emitted beyond the demand (§1.1). A late 408 is ignored.
     */
    private static final int RENEW_BEFORE_EXPIRY = 10;

    private final Connection nc;
    private final JetStreamPublisher.Options options;
    private final PullConsumer consumer;
    private final AtomicLong recoveries;
    private final PullInbox inbox = new PullInbox();
    private final PullTracker pulls;
    private final long alarmNanos;
    private final ArrayDeque<Arrival.Delivery> held = new ArrayDeque<>();
    private final ConnectionListener connectionListener = this::connectionEvent;
    private volatile boolean reconnected;
    private volatile boolean connectionClosed;

    private boolean needConsumer = true;
    private long pullsPausedUntil = System.nanoTime();
    private long lastDelivered;
    private long nextConsumerSeq;
    /** {@code endAtLastPresent}: the last stream sequence at subscribe time; -1 when not ending. */
    private long endSequence = -1;
    private boolean ended;
    /**
     * What the consumer had left to deliver after the last delivery received (its {@code pending});
     * 0 in work-queue mode.
     */
    private long backlog;
    private Throwable failure;

    PullReader(Connection nc, JetStreamPublisher.Options options, PullConsumer consumer, AtomicLong recoveries) {
        this.nc = nc;
        this.options = options;
        this.consumer = consumer;
        this.recoveries = recoveries;
        this.alarmNanos = HEARTBEATS_MISSED * options.idleHeartbeat().toNanos();
        long expiry = options.pullExpiry().toNanos();
        this.pulls = new PullTracker(options.maxBatch(), expiry - expiry / RENEW_BEFORE_EXPIRY);
    }

    void open() {
        nc.addConnectionListener(connectionListener);
        inbox.open(nc);
    }

    /** From any thread: demand or cancellation changed. */
    void wake() {
        inbox.poke();
    }

    /** Why the read cannot go on, or {@code null}. */
    Throwable failure() {
        return failure;
    }

    /** {@code endAtLastPresent}: everything present at subscribe time was handed over. */
    boolean ended() {
        return ended;
    }

    /**
     * Does what is due now: (re)create the consumer, forget expired pulls, notice missing heartbeats,
     * and pull for {@code requested} (the subscriber's outstanding demand).
     */
    void step(long requested) {
        if (connectionClosed) {
            fail(new JetStreamReadException("the NATS connection was closed"));
            return;
        }
        if (reconnected) {
            reconnected = false;
            lose("the connection to NATS was re-established");
        }
        if (needConsumer) {
            openConsumer();
        }
        long now = System.nanoTime(); // after openConsumer, which may have waited for the server
        if (!needConsumer) {
            checkPulls(now);
        }
        if (!needConsumer && failure == null && !ended) { // checkPulls may just have lost the consumer
            pull(now, requested);
        }
    }

    /** The next delivery in order, or {@code null}; call only with demand (§1.1). */
    Arrival.Delivery next() {
        return ended ? null : held.pollFirst();
    }

    /** The subscriber's {@code onNext} returned for {@code d}: it is delivered. */
    void accepted(Arrival.Delivery d) {
        lastDelivered = d.message().sequence();
        if (options.durable()) {
            publishQuietly(d.ackSubject(), ACK);
        }
        if (endSequence >= 0 && (lastDelivered >= endSequence || d.pendingAfter() == 0)) {
            ended = true;
        }
    }

    /** The subscriber's {@code onNext} threw for {@code d} (§2.13): hand it back in durable mode. */
    void rejected(Arrival.Delivery d) {
        if (options.durable()) {
            publishQuietly(d.ackSubject(), NAK);
        }
    }

    /**
     * Waits for the next message, wake-up or timer, and takes the message in, with every other one
     * already queued: one lock per batch instead of one per message (a catch-up reads ~10^5/s).
     */
    void await() throws InterruptedException {
        var message = inbox.poll(waitNanos(System.nanoTime()));
        if (message != null) {
            receive(message);
            for (var more : inbox.drain()) {
                receive(more);
            }
        }
    }

    private void openConsumer() {
        try {
            if (options.endAtLastPresent() && endSequence < 0) {
                Long last = consumer.attempt(consumer::lastSequence);
                if (last == null) {
                    return; // the server is away: try again later
                }
                endSequence = last;
                if (endSequence == 0) {
                    ended = true; // an empty stream has nothing "present"
                    return;
                }
            }
            var info = consumer.attempt(() -> consumer.open(lastDelivered));
            if (info == null) {
                return;
            }
            needConsumer = false;
            nextConsumerSeq = info.getDelivered().getConsumerSequence() + 1;
            if (endSequence >= 0 && held.isEmpty() && info.getNumPending() == 0) {
                ended = true; // nothing left to deliver up to the end
            }
        } catch (JetStreamReadException e) {
            fail(e); // no stream, a gap, a durable consumer deleted under us: retrying cannot help
        }
    }

    /** The consumer, its pulls or the connection are gone: start over right after {@code lastDelivered}. */
    private void lose(String reason) {
        if (needConsumer) {
            return; // already recovering
        }
        LOG.log(Level.INFO, () -> "stream " + options.stream() + ": " + reason + "; resuming after sequence "
                + lastDelivered);
        recoveries.incrementAndGet();
        pulls.clear();
        backlog = 0; // the next consumer's deliveries will say
        if (!options.durable()) {
            held.clear(); // the next consumer delivers them again, in order
        }
        needConsumer = true;
    }

    private void fail(Throwable error) {
        if (failure == null) {
            failure = error;
        }
    }

    /** Drops pulls the server forgot to end, and notices a dead server by its missing heartbeats. */
    private void checkPulls(long now) {
        if (pulls.isEmpty()) {
            return;
        }
        pulls.expire(now);
        if (!pulls.isEmpty() && inbox.isEmpty() && now - heartbeatDeadline() >= 0) {
            lose("no message and no heartbeat for " + TimeUnit.NANOSECONDS.toMillis(alarmNanos) + " ms");
        }
    }

    private long heartbeatDeadline() {
        return Math.max(inbox.lastActivity(), pulls.listeningSince()) + alarmNanos;
    }

    private void pull(long now, long requested) {
        if (now - pullsPausedUntil < 0) {
            return;
        }
        int n = pulls.nextPullSize(requested - held.size(), backlog);
        if (n == 0) {
            return;
        }
        var request = PullRequestOptions.builder(n)
                .expiresIn(options.pullExpiry())
                .idleHeartbeat(options.idleHeartbeat());
        if (options.maxBytes() > 0) {
            request.maxBytes(options.maxBytes());
        }
        try {
            nc.publish(consumer.pullSubject(), inbox.replySubject(pulls.nextId()), request.build().serialize());
            pulls.started(n, now);
        } catch (IllegalStateException e) {
            // Disconnected without a reconnect buffer: try again shortly; the reconnect (or the closed
            // connection) is handled through connectionEvent.
            pullsPausedUntil = now + BUSY_PAUSE;
        }
    }

    private long waitNanos(long now) {
        if (failure != null || ended) {
            return 0;
        }
        if (needConsumer) {
            return Math.max(0, consumer.retryAt() - now);
        }
        long wait = Long.MAX_VALUE;
        if (!pulls.isEmpty()) {
            wait = Math.min(pulls.nextDeadline() - now, heartbeatDeadline() - now);
        }
        if (pullsPausedUntil - now > 0) {
            wait = Math.min(wait, pullsPausedUntil - now);
        }
        return wait == Long.MAX_VALUE ? wait : Math.max(0, wait);
    }

    private void receive(Arrival arrival) {
        var d = arrival.delivery();
        if (d == null) {
            if (arrival.message().isStatusMessage()) {
                status(arrival.message());
            }
            return; // else not a delivery
        }
        var ack = d.ack();
        if (!ack.consumer().equals(consumer.name()) || (needConsumer && !options.durable())) {
            return; // from a consumer we are replacing: the next one re-delivers it
        }
        pulls.received();
        if (!options.durable()) {
            if (ack.consumerSequence() != nextConsumerSeq) {
                lose("delivery " + nextConsumerSeq + " of consumer " + ack.consumer() + " went missing (got "
                        + ack.consumerSequence() + ")");
                return;
            }
            nextConsumerSeq++;
            if (endSequence >= 0 && ack.streamSequence() > endSequence) {
                // Past the end: everything present at subscribe time came before it.
                if (held.isEmpty()) {
                    ended = true;
                } else {
                    endSequence = held.peekLast().message().sequence();
                }
                return;
            }
        }
        if (!options.durable()) {
            // Work-queue mode shares the backlog with other workers, so it cannot promise this
            // reader's pulls their messages: there, one pull at a time (see PullTracker).
            backlog = ack.pending();
        }
        held.addLast(d);
    }

    private void status(Message m) {
        long id = inbox.pullIdOf(m.getSubject());
        var status = m.getStatus();
        var kind = PullStatus.of(status);
        if (kind == PullStatus.HEARTBEAT) {
            return; // the inbox already noted the sign of life
        }
        int batch = pulls.batchOf(id);
        int missing = pulls.ended(id);
        if (missing < 0) {
            return; // about a pull we no longer track (an old consumer's): nothing to do
        }
        switch (kind) {
            case PULL_ENDED_BYTES -> {
                if (missing == batch) {
                    // Every pull has the same byte budget, so a pull that got nothing never will.
                    fail(new JetStreamReadException("the next message of stream " + options.stream()
                            + " is larger than maxBytes=" + options.maxBytes() + ", so no pull can fetch it"));
                }
            }
            case PULL_REFUSED_BUSY -> pullsPausedUntil = System.nanoTime() + BUSY_PAUSE;
            case CONSUMER_GONE -> {
                if (options.durable()) {
                    fail(new JetStreamReadException("durable consumer " + options.durableName() + " was deleted while in use"));
                } else {
                    lose("the server said " + status.getMessageWithCode());
                }
            }
            case SERVER_GONE -> lose("the server said " + status.getMessageWithCode());
            case FATAL -> fail(new JetStreamReadException("the server refused a pull on stream " + options.stream()
                    + ": " + status.getMessageWithCode()));
            default -> {
                // PULL_ENDED: this pull is over, the next step pulls again if demand is left
            }
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            // RESUBSCRIBED comes after RECONNECTED, once our inbox is subscribed again on the new
            // connection: from then on a pull can be answered.
            case RESUBSCRIBED -> reconnected = true;
            case CLOSED -> connectionClosed = true;
            default -> {
                return;
            }
        }
        inbox.poke();
    }

    private void publishQuietly(String subject, byte[] body) {
        try {
            nc.publish(subject, body);
        } catch (RuntimeException e) {
            // Disconnected: the server redelivers the message after its ack wait anyway.
        }
    }

    /** Leaves nothing behind: no listener, no subscription or dispatcher thread, no ephemeral consumer. */
    void close() {
        try {
            nc.removeConnectionListener(connectionListener);
        } catch (RuntimeException ignored) {
            // a closed connection has no listeners to remove
        }
        inbox.close(nc);
        if (options.durable()) {
            held.forEach(d -> publishQuietly(d.ackSubject(), NAK));
            for (var a : inbox.drain()) {
                var d = a.delivery();
                if (d != null && Objects.equals(d.ack().consumer(), consumer.name())) {
                    publishQuietly(d.ackSubject(), NAK);
                }
            }
        }
        held.clear();
        pulls.clear();
        if (nc.getStatus() != Connection.Status.CLOSED) {
            consumer.close();
        }
    }
}
