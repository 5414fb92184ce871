package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NATS side of one subscription: it keeps a consumer, pulls as much as the demand allows, checks
 * what arrives, and hands over deliveries in order. Confined to the subscription's thread, except
 * {@link #wake()} and the {@link ConnectionWatch}, which only set flags and wake it.
 *
 * <p>The protocol here is the same for both modes: a consumer opened through {@link PullConsumer},
 * pulls through {@link PullRequests}, and a new consumer after any doubt (a missed heartbeat, a
 * reconnect, a deleted consumer). What a delivery means, what a loss costs, and what becomes of a
 * message the subscriber accepted or not is the {@link ReadMode}'s: {@link ReadOnlyMode} or
 * {@link WorkQueueMode}.
 *
 * <p>Unrecoverable trouble is reported through {@link #failure()}, the end of a bounded read through
 * {@link #ended()}; the subscription signals both.
 */
final class PullReader {
    private static final System.Logger LOG = System.getLogger(PullReader.class.getName());

    private final Connection nc;
    private final JetStreamPublisher.Options options;
    private final PullConsumer consumer;
    private final ReadMode mode;
    private final AtomicLong recoveries;
    private final PullInbox inbox;
    private final PullRequests pulls;
    private final ArrayDeque<Arrival.Delivery> held = new ArrayDeque<>();
    private final ConnectionWatch connection;

    private boolean needConsumer = true;
    private long lastDelivered;
    /** What the consumer had left for us after the last delivery received (see {@link ReadMode#backlog}). */
    private long backlog;
    private Throwable failure;

    PullReader(Connection nc, JetStreamPublisher.Options options, PullConsumer consumer, AtomicLong recoveries) {
        this.nc = nc;
        this.options = options;
        this.consumer = consumer;
        this.mode = options.durable() ? new WorkQueueMode(nc, options) : new ReadOnlyMode(options, consumer);
        this.recoveries = recoveries;
        this.inbox = new PullInbox(options.subscriberAcks());
        this.pulls = new PullRequests(nc, options, inbox);
        this.connection = new ConnectionWatch(nc, inbox::poke);
    }

    void open() {
        connection.start();
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
        return mode.ended();
    }

    /**
     * Does what is due now: (re)create the consumer, forget expired pulls, notice missing heartbeats,
     * and pull for {@code requested} (the subscriber's outstanding demand).
     */
    void step(long requested) {
        if (connection.closed()) {
            fail(new JetStreamReadException("the NATS connection was closed"));
            return;
        }
        if (connection.reconnected()) {
            lose("the connection to NATS was re-established");
        }
        if (needConsumer) {
            openConsumer();
        }
        long now = System.nanoTime(); // after openConsumer, which may have waited for the server
        if (!needConsumer && pulls.silent(now)) {
            lose("no message and no heartbeat for " + pulls.alarmMillis() + " ms");
        }
        if (!needConsumer && failure == null && !mode.ended()) {
            pulls.pull(consumer.pullSubject(), now, requested - held.size(), backlog);
        }
    }

    /** The next delivery in order, or {@code null}; call only with demand (§1.1). */
    Arrival.Delivery next() {
        return mode.ended() ? null : held.pollFirst();
    }

    /** The subscriber's {@code onNext} returned for {@code d}: it is delivered. */
    void accepted(Arrival.Delivery d) {
        lastDelivered = d.message().sequence();
        mode.accepted(d);
    }

    /** The subscriber's {@code onNext} threw for {@code d} (§2.13). */
    void rejected(Arrival.Delivery d) {
        mode.rejected(d);
    }

    /**
     * Waits for the next message, wake-up or timer, and takes the message in, with every other one
     * already queued: one lock per batch instead of one per message.
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
            if (!mode.readyToOpen()) {
                return;
            }
            var info = consumer.attempt(() -> consumer.open(lastDelivered));
            if (info == null) {
                return; // the server is away: try again later
            }
            needConsumer = false;
            mode.opened(info, held.isEmpty());
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
        mode.lost(held);
        needConsumer = true;
    }

    private void fail(Throwable error) {
        if (failure == null) {
            failure = error;
        }
    }

    private long waitNanos(long now) {
        if (failure != null || mode.ended()) {
            return 0;
        }
        if (needConsumer) {
            return Math.max(0, consumer.retryAt() - now);
        }
        return pulls.waitNanos(now);
    }

    private void receive(Arrival arrival) {
        var d = arrival.delivery();
        if (d == null) {
            if (arrival.message().isStatusMessage()) {
                status(arrival);
            }
            return; // else not a delivery
        }
        var ack = d.ack();
        if (!ack.consumer().equals(consumer.name())) {
            return; // from a consumer we replaced
        }
        var verdict = mode.admit(ack, held.isEmpty() ? -1 : held.peekLast().message().sequence());
        if (verdict == DeliveryCheck.Verdict.STALE) {
            return; // from a consumer we are replacing: the next one re-delivers it
        }
        pulls.received();
        switch (verdict) {
            case GAP -> lose("consumer " + ack.consumer() + " skipped a delivery (got consumer sequence "
                    + ack.consumerSequence() + ")");
            case NEXT -> {
                backlog = mode.backlog(ack);
                held.addLast(d);
            }
            default -> {
                // PAST_END: everything present at subscribe time came before it
            }
        }
    }

    private void status(Arrival arrival) {
        var kind = pulls.settle(arrival.message());
        if (kind == null) {
            return;
        }
        var said = "the server said " + arrival.message().getStatus().getMessageWithCode();
        switch (kind) {
            case PULL_ENDED_BYTES -> fail(new JetStreamReadException("the next message of stream " + options.stream()
                    + " is larger than maxBytes=" + options.maxBytes() + ", so no pull can fetch it"));
            case CONSUMER_GONE -> {
                var error = mode.consumerDeleted();
                if (error != null) {
                    fail(error);
                } else {
                    lose(said);
                }
            }
            case SERVER_GONE -> lose(said);
            default -> fail(new JetStreamReadException("the server refused a pull on stream " + options.stream()
                    + ": " + arrival.message().getStatus().getMessageWithCode()));
        }
    }

    /** Leaves nothing behind: no listener, no subscription or dispatcher thread, no ephemeral consumer. */
    void close() {
        connection.stop();
        inbox.close(nc);
        held.forEach(mode::rejected); // received, never accepted: a work queue hands them back
        for (var a : inbox.drain()) {
            var d = a.delivery();
            if (d != null && Objects.equals(d.ack().consumer(), consumer.name())) {
                mode.rejected(d);
            }
        }
        held.clear();
        pulls.clear();
        if (nc.getStatus() != Connection.Status.CLOSED) {
            consumer.close();
        }
    }
}
