package io.anomalyflow.flow.nats;

import io.anomalyflow.flow.Subscriptions;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JetStream stream as a cold, unicast {@link Flow.Publisher}: every subscriber gets its own consumer
 * on the server and reads the stream from its {@link StartPosition}, at the pace of its own demand.
 *
 * <p><b>Demand drives the pulls.</b> {@code request(n)} becomes pull requests for at most {@code n}
 * messages in total (also capped by {@code maxBatch} and {@code maxBytes}); without demand nothing is
 * pulled and the messages stay on the server. See {@link PullTracker} for the arithmetic,
 * {@link PullReader} for the protocol, {@link ReadMode} for what differs between the two modes, and
 * {@link PullSubscription} for the Reactive Streams side.
 *
 * <p><b>Threads.</b> Each subscription runs on one virtual thread of its own, which makes every
 * {@code on*} call (§1.3), including {@code onSubscribe} (§1.9) and the §3.9 error; {@code request} and
 * {@code cancel} may be called from any thread and return at once (§3.4, §3.5). {@code cancel} stops
 * pulling, deletes the consumer, ends the thread and drops the subscriber (§3.13); messages already on
 * their way are dropped (§2.8, §3.12). {@link #activeSubscriptions()} counts the threads still running.
 *
 * <p><b>Order and resumption.</b> In the default read-only mode each subscriber receives every message
 * once, in stream order. When the consumer, the connection or the server is lost (a missed heartbeat, a
 * reconnect, a restart), the subscription builds a new consumer starting right after the last message
 * it delivered, so there is no gap and no duplicate; it ends with {@link MessagesLostException} when the
 * stream no longer holds the next message, and with {@link JetStreamReadException} when the stream is
 * gone or the connection is closed. With {@code endAtLastPresent} it completes after the last message
 * that was in the stream when it subscribed.
 *
 * <p><b>Work-queue mode.</b> With a {@code durableName}, subscribers (in any process) share one durable
 * consumer: each message goes to one of them, and is acknowledged after its {@code onNext} returns, or,
 * with {@code subscriberAcks}, when the subscriber says so ({@link Acks}). Unacknowledged messages are
 * redelivered by the server, not necessarily in order.
 */
public final class JetStreamPublisher implements Flow.Publisher<StreamMessage> {
    private final Connection nc;
    private final JetStreamManagement jsm;
    private final Options options;
    private final ThreadFactory threads;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong recoveries = new AtomicLong();

    private JetStreamPublisher(Connection nc, Options options) {
        this.nc = Objects.requireNonNull(nc, "nc");
        this.options = Objects.requireNonNull(options, "options");
        try {
            this.jsm = nc.jetStreamManagement();
        } catch (IOException e) {
            throw new UncheckedIOException("JetStream is not available on " + nc.getConnectedUrl(), e);
        }
        this.threads = Thread.ofVirtual().name("jetstream-" + options.stream() + "-", 1).factory();
    }

    /** A publisher of {@code options.stream()} reading through {@code nc} (which it does not own or close). */
    public static JetStreamPublisher create(Connection nc, Options options) {
        return new JetStreamPublisher(nc, options);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super StreamMessage> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        var reader = new PullReader(nc, options, new PullConsumer(nc, jsm, options), recoveries);
        var subscription = new PullSubscription(reader, subscriber, active::decrementAndGet);
        active.incrementAndGet();
        try {
            threads.newThread(subscription).start();
        } catch (RuntimeException | OutOfMemoryError e) {
            active.decrementAndGet();
            Subscriptions.error(subscriber, e);
        }
    }

    public Options options() {
        return options;
    }

    /** Subscriptions whose thread still runs (for leak checks and metrics). */
    public int activeSubscriptions() {
        return active.get();
    }

    /** How many times a subscription had to rebuild its consumer (restarts, reconnects, lost pulls). */
    public long recoveries() {
        return recoveries.get();
    }

    /**
     * What to read and how.
     *
     * @param stream            the stream to read
     * @param filterSubject     only messages on this subject (wildcards allowed), or {@code null} for all
     * @param startPosition     where the first consumer starts
     * @param endAtLastPresent  complete after the last message present at subscribe time (not in work-queue mode)
     * @param maxBatch          the most messages one pull asks for, and so in flight at once (1–10 000)
     * @param maxBytes          the most bytes one pull asks for, 0 for no limit
     * @param pullExpiry        how long the server keeps a pull open (≥ 1 s)
     * @param idleHeartbeat     how often the server says "alive" to an open pull without messages
     *                          (≤ half the expiry); three missed ones mean the server or consumer is gone
     * @param durableName       {@code null} (read-only, ephemeral, no acks) or the work-queue consumer's name
     * @param inactiveThreshold read-only mode: after how long without pulls the server deletes the
     *                          ephemeral consumer, so a crashed process leaves none behind for long (a live
     *                          subscription idle for longer re-creates it when demand comes back)
     * @param ackWait           work-queue mode, when this subscription creates the durable consumer: how long
     *                          the server waits for a delivery's ack before it delivers the message again
     *                          (an existing consumer keeps its own)
     * @param maxAckPending     work-queue mode, when creating the consumer: the most deliveries unacknowledged
     *                          at once over all its workers; the server delivers no more until some are acked
     * @param subscriberAcks    work-queue mode: the subscriber acknowledges each message itself, with
     *                          {@link Acks} (for example once its result is stored); a message it never acks
     *                          comes again after {@code ackWait}. Otherwise a delivery is acked when its
     *                          {@code onNext} returns.
     */
    public record Options(String stream, String filterSubject, StartPosition startPosition, boolean endAtLastPresent,
                          int maxBatch, long maxBytes, Duration pullExpiry, Duration idleHeartbeat,
                          String durableName, Duration inactiveThreshold, Duration ackWait, int maxAckPending,
                          boolean subscriberAcks) {
        public static final int DEFAULT_MAX_BATCH = 256;
        public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);
        public static final int DEFAULT_MAX_ACK_PENDING = 1000;
        public static final Duration DEFAULT_PULL_EXPIRY = Duration.ofSeconds(5);
        public static final Duration DEFAULT_IDLE_HEARTBEAT = Duration.ofSeconds(1);
        public static final Duration DEFAULT_INACTIVE_THRESHOLD = Duration.ofMinutes(2);

        public Options {
            requireName(stream, "stream");
            if (filterSubject != null && (filterSubject.isBlank() || filterSubject.contains(" "))) {
                throw new IllegalArgumentException("filterSubject must be a NATS subject: '" + filterSubject + "'");
            }
            Objects.requireNonNull(startPosition, "startPosition");
            Objects.requireNonNull(pullExpiry, "pullExpiry");
            Objects.requireNonNull(idleHeartbeat, "idleHeartbeat");
            Objects.requireNonNull(inactiveThreshold, "inactiveThreshold");
            if (maxBatch < 1 || maxBatch > 10_000) {
                throw new IllegalArgumentException("maxBatch must be 1..10000: " + maxBatch);
            }
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes must be >= 0 (0 = no limit): " + maxBytes);
            }
            if (pullExpiry.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("pullExpiry must be >= 1s: " + pullExpiry);
            }
            if (idleHeartbeat.isNegative() || idleHeartbeat.isZero()
                    || idleHeartbeat.multipliedBy(2).compareTo(pullExpiry) > 0) {
                // nats-server refuses a heartbeat above half the expiry ("heartbeat value too large")
                throw new IllegalArgumentException("idleHeartbeat must be > 0 and <= pullExpiry/2 (" + pullExpiry
                        + "): " + idleHeartbeat);
            }
            if (durableName != null) {
                requireName(durableName, "durableName");
                if (endAtLastPresent) {
                    throw new IllegalArgumentException("a work queue (durableName " + durableName
                            + ") has no end: endAtLastPresent is for read-only subscriptions");
                }
            }
            if (inactiveThreshold.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("inactiveThreshold must be >= 1s: " + inactiveThreshold);
            }
            if (ackWait == null || ackWait.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("ackWait must be >= 1s: " + ackWait);
            }
            if (maxAckPending < 1) {
                throw new IllegalArgumentException("maxAckPending must be >= 1: " + maxAckPending);
            }
            if (subscriberAcks && durableName == null) {
                throw new IllegalArgumentException("subscriberAcks needs a work queue (durableName): a read-only "
                        + "subscription has nothing to acknowledge");
            }
        }

        /** The defaults for {@code stream}: everything, from the start, read-only, never ending. */
        public static Builder builder(String stream) {
            return new Builder(stream);
        }

        /** Work-queue mode: a shared durable consumer with explicit acks. */
        public boolean durable() {
            return durableName != null;
        }

        private static void requireName(String name, String what) {
            if (name == null || name.isBlank() || !name.chars().allMatch(c -> c > ' ' && c != '.' && c != '*' && c != '>')) {
                throw new IllegalArgumentException(what + " must be a non-empty name without spaces, '.', '*' or '>': '"
                        + name + "'");
            }
        }

        /** Builds {@link Options}; every setter returns the builder. */
        public static final class Builder {
            private final String stream;
            private String filterSubject;
            private StartPosition startPosition = StartPosition.all();
            private boolean endAtLastPresent;
            private int maxBatch = DEFAULT_MAX_BATCH;
            private long maxBytes;
            private Duration pullExpiry = DEFAULT_PULL_EXPIRY;
            private Duration idleHeartbeat = DEFAULT_IDLE_HEARTBEAT;
            private String durableName;
            private Duration inactiveThreshold = DEFAULT_INACTIVE_THRESHOLD;
            private Duration ackWait = DEFAULT_ACK_WAIT;
            private int maxAckPending = DEFAULT_MAX_ACK_PENDING;
            private boolean subscriberAcks;

            private Builder(String stream) {
                this.stream = stream;
            }

            public Builder filterSubject(String subject) {
                this.filterSubject = subject;
                return this;
            }

            public Builder startPosition(StartPosition position) {
                this.startPosition = position;
                return this;
            }

            public Builder endAtLastPresent(boolean end) {
                this.endAtLastPresent = end;
                return this;
            }

            public Builder maxBatch(int messages) {
                this.maxBatch = messages;
                return this;
            }

            public Builder maxBytes(long bytes) {
                this.maxBytes = bytes;
                return this;
            }

            public Builder pullExpiry(Duration expiry) {
                this.pullExpiry = expiry;
                return this;
            }

            public Builder idleHeartbeat(Duration heartbeat) {
                this.idleHeartbeat = heartbeat;
                return this;
            }

            /** Work-queue mode on the durable consumer {@code name}. */
            public Builder durable(String name) {
                this.durableName = name;
                return this;
            }

            public Builder inactiveThreshold(Duration threshold) {
                this.inactiveThreshold = threshold;
                return this;
            }

            /** Work-queue mode: the ack wait of a consumer this subscription creates. */
            public Builder ackWait(Duration wait) {
                this.ackWait = wait;
                return this;
            }

            /** Work-queue mode: the max ack pending of a consumer this subscription creates. */
            public Builder maxAckPending(int deliveries) {
                this.maxAckPending = deliveries;
                return this;
            }

            /** Work-queue mode: the subscriber acknowledges each message with {@link Acks}. */
            public Builder subscriberAcks(boolean subscriberAcks) {
                this.subscriberAcks = subscriberAcks;
                return this;
            }

            public Options build() {
                return new Options(stream, filterSubject, startPosition, endAtLastPresent, maxBatch, maxBytes,
                        pullExpiry, idleHeartbeat, durableName, inactiveThreshold, ackWait, maxAckPending,
                        subscriberAcks);
            }
        }
    }
}
