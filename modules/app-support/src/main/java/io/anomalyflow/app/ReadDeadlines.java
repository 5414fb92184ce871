package io.anomalyflow.app;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deadlines for threads that read request bodies with blocking reads, all with the same timeout,
 * watched by one sweeper instead of one timer each.
 *
 * <p>The JDK's {@code HttpServer} offers no per-exchange read timeout and no way to close an
 * exchange's socket from another thread without first draining it (which blocks on the same slow
 * client). What does work: the server reads through a {@code SocketChannel}, an interruptible
 * channel, so interrupting the reading thread closes the connection and ends the blocked read with
 * {@code ClosedByInterruptException}. When a deadline passes, a virtual thread runs its
 * {@code onExpiry} (typically: write a 408 reply), then interrupts the reader.
 *
 * <p><b>Why a sweeper.</b> Every request arms a deadline, and almost every one is disarmed a few
 * microseconds later. A timer per request ({@code CompletableFuture.orTimeout}) puts each one into the
 * JDK's shared timer queue and takes it out again, under that queue's lock, which at tens of
 * thousands of requests a second costs real throughput (measured in {@code docs/performance.md}). Here
 * arming and disarming are one add to and one remove from a concurrent set; a sweeper looks at the set
 * once per period ({@code timeout/20}, clamped to 5–250 ms), so a deadline fires up to one period
 * late. The sweeper is a virtual thread that runs only while deadlines are armed: nothing to start or
 * close, nothing left running when the server is idle.
 *
 * <p>Exactly one side wins each deadline: the reader calls {@link Deadline#disarm()} when it is done;
 * {@code true} means it beat the deadline and nothing will happen to it; {@code false} means the
 * expiry action ran (or is running): {@code disarm} then waits until it has finished and clears the
 * interrupt, so the caller continues with a clean thread and must not reply itself. Thread-safe.
 */
final class ReadDeadlines {
    private static final long EXPIRY_WAIT_SECONDS = 10;
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final long timeoutNanos;
    private final long periodNanos;
    private final Set<Deadline> armed = ConcurrentHashMap.newKeySet();
    /** A sweeper is running, or about to; at most one at a time. */
    private final AtomicBoolean sweeping = new AtomicBoolean();

    ReadDeadlines(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.periodNanos = Math.clamp(timeoutNanos / 20, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
    }

    /** Arms a deadline {@code timeout} from now for {@code reader} (usually the current thread). */
    Deadline arm(Thread reader, Runnable onExpiry) {
        var d = new Deadline(reader, onExpiry, System.nanoTime() + timeoutNanos);
        armed.add(d);
        if (!sweeping.get() && sweeping.compareAndSet(false, true)) {
            Thread.ofVirtual().name("read-deadlines").start(this::sweep);
        }
        return d;
    }

    /** Deadlines armed and not yet disarmed or expired (for tests). */
    int armedCount() {
        return armed.size();
    }

    /** Whether a sweeper thread is running (for tests: none once every deadline is settled). */
    boolean sweeping() {
        return sweeping.get();
    }

    private void sweep() {
        while (true) {
            try {
                TimeUnit.NANOSECONDS.sleep(periodNanos);
            } catch (InterruptedException e) {
                // nobody interrupts this thread on purpose; keep watching, the readers depend on it
            }
            long now = System.nanoTime();
            for (var d : armed) {
                if (now - d.due >= 0 && d.decided.compareAndSet(false, true)) {
                    armed.remove(d);
                    Thread.ofVirtual().name("read-deadline").start(d::expire); // onExpiry writes to a socket
                }
            }
            if (armed.isEmpty()) {
                sweeping.set(false);
                // A deadline armed between the check and the reset saw `sweeping` still set and
                // started nobody: look again, and go on sweeping if one came (and no new sweeper did).
                if (armed.isEmpty() || !sweeping.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }

    /** One reader's deadline. */
    final class Deadline {
        private final Thread reader;
        private final Runnable onExpiry;
        private final long due;
        /** Set once, by whichever comes first: the reader's {@code disarm} or the sweeper. */
        private final AtomicBoolean decided = new AtomicBoolean();
        private final CountDownLatch expiryDone = new CountDownLatch(1);

        private Deadline(Thread reader, Runnable onExpiry, long due) {
            this.reader = reader;
            this.onExpiry = onExpiry;
            this.due = due;
        }

        /**
         * Stops the deadline. {@code true}: the reader was in time. {@code false}: the deadline passed;
         * returns once the expiry action has finished, with this thread's interrupt flag cleared.
         */
        boolean disarm() {
            if (decided.compareAndSet(false, true)) {
                armed.remove(this);
                return true;
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXPIRY_WAIT_SECONDS);
            boolean done = false;
            while (!done && System.nanoTime() < until) {
                try {
                    done = expiryDone.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException expected) {
                    // the expiry action interrupts us on purpose; keep waiting for it to finish
                }
            }
            Thread.interrupted();
            return false;
        }

        private void expire() {
            try {
                onExpiry.run();
            } finally {
                reader.interrupt();
                expiryDone.countDown();
            }
        }
    }
}
