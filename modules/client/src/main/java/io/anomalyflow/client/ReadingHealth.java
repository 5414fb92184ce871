package io.anomalyflow.client;

import io.nats.client.Connection;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the client's reading is going, for {@code /health}: a {@link Phase} and the reason for it.
 * The supervisor's loop thread sets it; any thread may ask. The answer is healthy only while the
 * phase is {@link Phase#READING} and, at the moment of asking, the NATS connection is connected.
 * {@link Phase#CLOSED} is final: a run that ends during shutdown cannot make the client look alive
 * again. Thread-safe.
 */
final class ReadingHealth {

    /** How reading is going. */
    enum Phase { WAITING_FOR_STREAM, READING, RESTARTING, CLOSED }

    /** A health answer: healthy or not, and why. */
    record Health(boolean ok, Phase phase, String reason) {
    }

    private final Supplier<Connection.Status> connection;
    private final Function<Connection.Status, String> connectionReason;
    private final String stream;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Phase phase = Phase.WAITING_FOR_STREAM;
    private volatile String reason = "starting: looking for the stream";

    /**
     * @param connection the NATS connection's status now ({@code nc::getStatus})
     * @param stream     the stream's name, for the healthy answer's reason
     */
    ReadingHealth(Supplier<Connection.Status> connection, String stream) {
        this(connection, status -> "NATS connection is " + status.name().toLowerCase(Locale.ROOT), stream);
    }

    /**
     * @param connection       the NATS connection's status now ({@code nc::getStatus})
     * @param connectionReason why a connection in that status is not usable ({@code NatsTrouble::reason}:
     *                         it adds what the server said, a refusal of our credentials say)
     * @param stream           the stream's name, for the healthy answer's reason
     */
    ReadingHealth(Supplier<Connection.Status> connection, Function<Connection.Status, String> connectionReason, String stream) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.connectionReason = Objects.requireNonNull(connectionReason, "connectionReason");
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    /** Moves to {@code p} for {@code why}, and wakes {@link #awaitReading}; ignored once closed. */
    void set(Phase p, String why) {
        lock.lock();
        try {
            if (phase == Phase.CLOSED && p != Phase.CLOSED) {
                return;
            }
            phase = p;
            reason = why;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** 200-worthy while connected and a run is reading; otherwise why not (an unusable connection first). */
    Health health() {
        var p = phase;
        if (p == Phase.CLOSED) {
            return new Health(false, p, reason);
        }
        // a connection that is not usable is the reason, whatever the run thinks: it says more
        // ("refused our credentials") than the run's own "JetStream does not answer"
        var status = connection.get();
        if (status != Connection.Status.CONNECTED) {
            return new Health(false, p, connectionReason.apply(status));
        }
        return p == Phase.READING ? new Health(true, p, "reading stream " + stream) : new Health(false, p, reason);
    }

    /** Blocks until a run is reading, the health is closed, or {@code timeout} passed; true when reading. */
    boolean awaitReading(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (phase != Phase.READING && phase != Phase.CLOSED) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return phase == Phase.READING;
        } finally {
            lock.unlock();
        }
    }
}
