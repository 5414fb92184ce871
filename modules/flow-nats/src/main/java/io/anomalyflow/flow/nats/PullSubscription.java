package io.anomalyflow.flow.nats;

import io.anomalyflow.flow.Demand;
import io.anomalyflow.flow.Subscriptions;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PullRequestOptions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One subscriber's reading of a stream: the {@link Flow.Subscription} handed to it, and the loop that
 * runs on its own virtual thread (STYLE §3.9) and is the only caller of the subscriber's {@code on*}
 * methods, so they are serial (§1.3) without any lock around them.
 *
 * <p>{@code request} and {@code cancel} only record what changed and wake the loop: they never signal
 * anything themselves, so {@code request} inside {@code onNext} cannot recurse (§3.3), and the §3.9
 * error for a non-positive request is delivered by the loop too. The loop turns demand into pulls
 * ({@link PullTracker}), receives what the server sends ({@link PullInbox}), emits at most what was
 * requested (§1.1), and recovers from a lost consumer or connection ({@link PullConsumer}).
 *
 * <p>Read-only mode delivers every message once, in stream order: a message is accepted only if its
 * consumer sequence is the next one expected from the current consumer (the ordered-consumer rule). Any
 * doubt (a jump, a missed heartbeat, a reconnect, a deleted consumer) replaces the consumer with one
 * starting right after the last message delivered downstream; whatever the old one still sends is
 * dropped. Durable mode acknowledges each message after {@code onNext} returns, and NAKs what it
 * received but never delivered, so another worker gets it at once.
 */
final class PullSubscription implements Flow.Subscription, Runnable {
    private static final System.Logger LOG = System.getLogger(PullSubscription.class.getName());
    private static final byte[] ACK = "+ACK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NAK = "-NAK".getBytes(StandardCharsets.US_ASCII);
    private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(2);
    private static final long BUSY_PAUSE = TimeUnit.MILLISECONDS.toNanos(250);
    /** Like nats.java: three heartbeat intervals without a word mean the pull is dead. */
    private static final int HEARTBEATS_MISSED = 3;

    /** A checked message waiting for demand, with what its delivery said. */
    private record Delivery(StreamMessage message, String ackSubject, long pendingAfter) {
    }

    private final Connection nc;
    private final JetStreamPublisher.Options options;
    private final PullConsumer consumer;
    private final AtomicLong recoveries;
    private final Runnable onEnd;
    private final PullInbox inbox = new PullInbox();
    private final PullTracker pulls;
    private final long alarmNanos;
    private final ArrayDeque<Delivery> held = new ArrayDeque<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicReference<Throwable> badRequest = new AtomicReference<>();
    private final ConnectionListener connectionListener = this::connectionEvent;
    private volatile boolean cancelled;
    private volatile boolean reconnected;
    private volatile boolean connectionClosed;
    private Flow.Subscriber<? super StreamMessage> downstream;

    // Loop-thread state: only the subscription's own thread reads or writes these.
    private boolean done;
    private boolean needConsumer = true;
    private boolean firstConsumer = true;
    private long retryAt = System.nanoTime();
    private long backoff;
    private long pullsPausedUntil = System.nanoTime();
    private long lastDelivered;
    private long nextConsumerSeq;
    /** {@code endAtLastPresent}: the last stream sequence at subscribe time; -1 when not ending. */
    private long endSequence = -1;
    private boolean endSeen;

    PullSubscription(Connection nc, JetStreamPublisher.Options options, PullConsumer consumer,
                     Flow.Subscriber<? super StreamMessage> downstream, AtomicLong recoveries, Runnable onEnd) {
        this.nc = nc;
        this.options = options;
        this.consumer = consumer;
        this.downstream = downstream;
        this.recoveries = recoveries;
        this.onEnd = onEnd;
        this.alarmNanos = HEARTBEATS_MISSED * options.idleHeartbeat().toNanos();
        this.pulls = new PullTracker(options.maxBatch(), options.pullExpiry().toNanos(), alarmNanos);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            badRequest.compareAndSet(null, Subscriptions.nonPositiveRequest(n));
        } else {
            Demand.add(requested, n);
        }
        inbox.poke();
    }

    @Override
    public void cancel() {
        cancelled = true; // §3.5/§3.7: idempotent; the loop notices, stops and cleans up
        inbox.poke();
    }

    @Override
    public void run() {
        try {
            downstream.onSubscribe(this); // §1.9: before anything else, even when the stream is missing
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "onSubscribe threw (§2.13); treating the subscription as cancelled", t);
            cancelled = true;
        }
        try {
            if (!cancelled) {
                nc.addConnectionListener(connectionListener);
                inbox.open(nc);
                loop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            signalError(new JetStreamReadException("the reading thread was interrupted", e));
        } catch (Throwable t) {
            signalError(t);
        } finally {
            close();
        }
    }

    private void loop() throws InterruptedException {
        while (!done && !cancelled) {
            var bad = badRequest.get();
            if (bad != null) {
                signalError(bad); // §3.9, from this thread so it stays serial with onNext
                return;
            }
            if (connectionClosed) {
                signalError(new JetStreamReadException("the NATS connection was closed"));
                return;
            }
            if (reconnected) {
                reconnected = false;
                lose("the connection to NATS was re-established");
            }
            long now = System.nanoTime();
            if (needConsumer && now - retryAt >= 0) {
                openConsumer();
                continue;
            }
            emit();
            if (done || cancelled) {
                return;
            }
            if (!needConsumer) {
                checkPulls(now);
            }
            if (!needConsumer) { // checkPulls may have just lost the consumer: never pull from the old one
                pull(now);
            }
            var message = inbox.poll(waitNanos(System.nanoTime()));
            if (message != null) {
                receive(message);
            }
        }
    }

    private void openConsumer() {
        try {
            if (firstConsumer && options.endAtLastPresent() && endSequence < 0) {
                endSequence = consumer.lastSequence();
                if (endSequence == 0) {
                    complete(); // an empty stream has nothing "present"
                    return;
                }
            }
            var info = consumer.open(lastDelivered, firstConsumer);
            firstConsumer = false;
            needConsumer = false;
            backoff = 0;
            nextConsumerSeq = info.getDelivered().getConsumerSequence() + 1;
            if (endSequence >= 0 && info.getNumPending() == 0) {
                complete(); // nothing left to deliver up to the end
            }
        } catch (JetStreamReadException e) {
            signalError(e); // a gap, or a durable consumer deleted under us: retrying cannot help
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 503) {
                retryLater(e); // JetStream is starting up or has no leader yet
            } else {
                signalError(new JetStreamReadException("cannot read stream " + options.stream() + ": "
                        + e.getMessage(), e));
            }
        } catch (IOException | RuntimeException e) {
            // A timeout, no responders, "unable to queue during reconnect": the server is away for now.
            if (nc.getStatus() == Connection.Status.CLOSED) {
                signalError(new JetStreamReadException("the NATS connection was closed", e));
            } else {
                retryLater(e);
            }
        }
    }

    private void retryLater(Exception e) {
        backoff = backoff == 0 ? MIN_BACKOFF : Math.min(2 * backoff, MAX_BACKOFF);
        retryAt = System.nanoTime() + backoff;
        LOG.log(Level.DEBUG, () -> "stream " + options.stream() + ": consumer not ready (" + e
                + "), retrying in " + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms");
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
        if (!options.durable()) {
            held.clear(); // the next consumer delivers them again, in order
        }
        needConsumer = true;
        retryAt = System.nanoTime();
    }

    /** Emits held messages while there is demand (§1.1). */
    private void emit() {
        while (!held.isEmpty() && !cancelled && requested.get() > 0) {
            var d = held.pollFirst();
            Demand.produced(requested, 1); // only this thread decrements, so the check above holds
            lastDelivered = d.message().sequence();
            try {
                downstream.onNext(d.message());
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "onNext threw (§2.13); cancelling the subscription", t);
                cancelled = true;
                if (options.durable()) {
                    publishQuietly(d.ackSubject(), NAK);
                }
                return;
            }
            if (options.durable()) {
                publishQuietly(d.ackSubject(), ACK); // after onNext returned: the subscriber accepted it
            }
            if (endSequence >= 0 && (d.message().sequence() >= endSequence || d.pendingAfter() == 0)) {
                complete();
                return;
            }
        }
        if (endSeen && held.isEmpty()) {
            complete();
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
        long lastSign = Math.max(inbox.lastActivity(), pulls.lastIssued());
        return lastSign + alarmNanos;
    }

    private void pull(long now) {
        if (now - pullsPausedUntil < 0) {
            return;
        }
        int n = pulls.nextPullSize(requested.get() - held.size());
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
            // Closed, or disconnected without a reconnect buffer: try again a little later; a
            // reconnect or the closed connection is handled by connectionEvent.
            pullsPausedUntil = now + BUSY_PAUSE;
        }
    }

    private long waitNanos(long now) {
        if (needConsumer) {
            return Math.max(0, retryAt - now);
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

    private void receive(Message m) {
        if (m.isStatusMessage()) {
            status(m);
            return;
        }
        var ack = AckReply.parse(m.getReplyTo());
        if (ack == null || !ack.consumer().equals(consumer.name()) || (needConsumer && !options.durable())) {
            return; // not a delivery, or one from a consumer we are replacing: the next one re-delivers it
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
                endSeen = true; // past the end: everything present at subscribe time was delivered
                return;
            }
        }
        var data = m.getData() == null ? new byte[0] : m.getData();
        var message = new StreamMessage(ack.streamSequence(), ack.timestamp(), m.getSubject(), m.getHeaders(), data);
        held.addLast(new Delivery(message, m.getReplyTo(), ack.pending()));
    }

    private void status(Message m) {
        long id = inbox.pullIdOf(m.getSubject());
        var status = m.getStatus();
        switch (PullStatus.of(status)) {
            case HEARTBEAT -> {
                // the inbox already noted the sign of life
            }
            case PULL_ENDED -> pulls.ended(id);
            case PULL_ENDED_BYTES -> {
                int batch = pulls.batchOf(id);
                if (batch > 0 && pulls.ended(id) == batch) {
                    signalError(new JetStreamReadException("the next message of stream " + options.stream()
                            + " is larger than maxBytes=" + options.maxBytes() + ", so no pull can ever fetch it"));
                }
            }
            case PULL_REFUSED_BUSY -> {
                if (pulls.ended(id) >= 0) {
                    pullsPausedUntil = System.nanoTime() + BUSY_PAUSE;
                }
            }
            case CONSUMER_GONE, SERVER_GONE -> {
                if (pulls.ended(id) >= 0) {
                    if (options.durable() && PullStatus.of(status) == PullStatus.CONSUMER_GONE) {
                        signalError(new JetStreamReadException("durable consumer " + options.durableName()
                                + " was deleted while in use"));
                    } else {
                        lose("the server said " + status.getMessageWithCode());
                    }
                }
            }
            case FATAL -> {
                if (pulls.ended(id) >= 0) {
                    signalError(new JetStreamReadException("the server refused a pull on stream "
                            + options.stream() + ": " + status.getMessageWithCode()));
                }
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

    private void complete() {
        if (!done) {
            done = true;
            try {
                downstream.onComplete();
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "onComplete threw (§2.13)", t);
            }
        }
    }

    private void signalError(Throwable error) {
        if (!done) {
            done = true;
            try {
                downstream.onError(error);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "onError threw (§2.13)", t);
            }
        }
    }

    private void publishQuietly(String subject, byte[] body) {
        try {
            nc.publish(subject, body);
        } catch (RuntimeException e) {
            // Disconnected: the server redelivers the message after its ack wait anyway.
        }
    }

    /** Ends the subscription: no thread, subscription, listener or ephemeral consumer is left behind. */
    private void close() {
        done = true;
        try {
            nc.removeConnectionListener(connectionListener);
        } catch (RuntimeException ignored) {
            // a closed connection has no listeners to remove
        }
        inbox.close(nc);
        if (options.durable()) {
            // Received but never delivered: hand them back now rather than after the ack wait.
            held.forEach(d -> publishQuietly(d.ackSubject(), NAK));
            for (var m : inbox.drain()) {
                var ack = AckReply.parse(m.getReplyTo());
                if (ack != null && Objects.equals(ack.consumer(), consumer.name())) {
                    publishQuietly(m.getReplyTo(), NAK);
                }
            }
        }
        held.clear();
        pulls.clear();
        if (nc.getStatus() != Connection.Status.CLOSED) {
            consumer.close();
        }
        downstream = null; // §3.13: drop the subscriber
        onEnd.run();
    }
}
