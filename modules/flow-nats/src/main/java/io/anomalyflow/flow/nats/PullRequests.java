package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * The pull requests of one subscription: it sends them as {@link PullTracker} allows, forgets the ones
 * past their lifetime, pauses when the server is busy or the connection is down, settles the status
 * messages that end them, and notices a server gone silent. Only the subscription's loop thread uses it.
 */
final class PullRequests {
    private static final long BUSY_PAUSE = TimeUnit.MILLISECONDS.toNanos(250);
    /** Like nats.java: three heartbeat intervals without a word mean the pull is dead. */
    private static final int HEARTBEATS_MISSED = 3;
    /**
     * A pull counts as open until {@code 1/}{@value #RENEW_BEFORE_EXPIRY} of its expiry before it
     * expires; then the next one goes out, so the server always has a pull to serve: nats-server 2.9
     * may drop an expired pull without a 408 (consumer.go, {@code nextWaiting}). The price: a delivery
     * for the old pull in its last moments counts against the next one, so the next pulls may ask for
     * a few messages more than the demand; they wait in the reader, and nothing is emitted beyond the
     * demand (§1.1). A late 408 is ignored.
     */
    private static final int RENEW_BEFORE_EXPIRY = 10;

    private final Connection nc;
    private final JetStreamPublisher.Options options;
    private final PullInbox inbox;
    private final PullTracker pulls;
    private final long alarmNanos;
    private long pausedUntil = System.nanoTime();

    PullRequests(Connection nc, JetStreamPublisher.Options options, PullInbox inbox) {
        this.nc = nc;
        this.options = options;
        this.inbox = inbox;
        this.alarmNanos = HEARTBEATS_MISSED * options.idleHeartbeat().toNanos();
        long expiry = options.pullExpiry().toNanos();
        this.pulls = new PullTracker(options.maxBatch(), expiry - expiry / RENEW_BEFORE_EXPIRY);
    }

    /**
     * Forgets pulls the server forgot to end.
     *
     * @return true when the server owes us a word for longer than three heartbeats: it or the consumer is gone
     */
    boolean silent(long now) {
        if (pulls.isEmpty()) {
            return false;
        }
        pulls.expire(now);
        return !pulls.isEmpty() && inbox.isEmpty() && now - heartbeatDeadline() >= 0;
    }

    long alarmMillis() {
        return TimeUnit.NANOSECONDS.toMillis(alarmNanos);
    }

    /**
     * Pulls from {@code subject} what the demand allows, unless paused.
     *
     * @param demand  requested and not received, minus what is held
     * @param backlog see {@link ReadMode#backlog}
     */
    void pull(String subject, long now, long demand, long backlog) {
        if (now - pausedUntil < 0) {
            return;
        }
        int n = pulls.nextPullSize(demand, backlog);
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
            nc.publish(subject, inbox.replySubject(pulls.nextId()), request.build().serialize());
            pulls.started(n, now);
        } catch (IllegalStateException e) {
            // Disconnected without a reconnect buffer: try again shortly; the reconnect (or the closed
            // connection) reaches the reader through its ConnectionWatch.
            pausedUntil = now + BUSY_PAUSE;
        }
    }

    /** A delivery arrived (it answers one of the open pulls). */
    void received() {
        pulls.received();
    }

    /**
     * Books the status message {@code m} against its pull.
     *
     * @return what the reader must act on ({@link PullStatus#PULL_ENDED_BYTES} meaning "no pull can
     *     ever fetch the next message"), or {@code null} when nothing: a heartbeat, an old pull's
     *     status, a pull that ended normally, a busy server (the next pull waits a little)
     */
    PullStatus settle(Message m) {
        var kind = PullStatus.of(m.getStatus());
        if (kind == PullStatus.HEARTBEAT) {
            return null; // the inbox already noted the sign of life
        }
        long id = inbox.pullIdOf(m.getSubject());
        int batch = pulls.batchOf(id);
        int missing = pulls.ended(id);
        if (missing < 0) {
            return null; // about a pull we no longer track (an old consumer's): nothing to do
        }
        return switch (kind) {
            // Every pull has the same byte budget, so a pull that got nothing never will.
            case PULL_ENDED_BYTES -> missing == batch ? kind : null;
            case PULL_REFUSED_BUSY -> {
                pausedUntil = System.nanoTime() + BUSY_PAUSE;
                yield null;
            }
            case PULL_ENDED, HEARTBEAT -> null; // over: the next step pulls again if demand is left
            default -> kind;
        };
    }

    /** How long the loop may wait before something here is due ({@code Long.MAX_VALUE}: nothing). */
    long waitNanos(long now) {
        long wait = Long.MAX_VALUE;
        if (!pulls.isEmpty()) {
            wait = Math.min(pulls.nextDeadline() - now, heartbeatDeadline() - now);
        }
        if (pausedUntil - now > 0) {
            wait = Math.min(wait, pausedUntil - now);
        }
        return wait == Long.MAX_VALUE ? wait : Math.max(0, wait);
    }

    /** Forgets every pull (the consumer or connection they went to is gone). */
    void clear() {
        pulls.clear();
    }

    private long heartbeatDeadline() {
        return Math.max(inbox.lastActivity(), pulls.listeningSince()) + alarmNanos;
    }
}
