package io.anomalyflow.app;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A deadline for a thread that is reading a request body with blocking reads.
 *
 * <p>The JDK's {@code HttpServer} offers no per-exchange read timeout and no way to close an
 * exchange's socket from another thread without first draining it (which blocks on the same slow
 * client). What does work: the server reads through a {@code SocketChannel}, an interruptible
 * channel, so interrupting the reading thread closes the connection and ends the blocked read with
 * {@code ClosedByInterruptException}. When the deadline passes, a virtual thread runs
 * {@code onExpiry} (typically: write a 408 reply), then interrupts the reader.
 *
 * <p>Exactly one side wins: the reader calls {@link #disarm()} when it is done; {@code true} means
 * it beat the deadline and nothing will happen to it; {@code false} means the expiry action ran (or
 * is running): {@code disarm} then waits until it has finished and clears the interrupt, so the
 * caller continues with a clean thread and must not reply itself.
 */
final class ReadDeadline {
    private static final long EXPIRY_WAIT_SECONDS = 10;

    private final CompletableFuture<Void> outcome = new CompletableFuture<>();
    private final CountDownLatch expiryDone = new CountDownLatch(1);

    private ReadDeadline() {
    }

    /** Arms a deadline {@code timeout} from now for {@code reader} (usually the current thread). */
    static ReadDeadline arm(Duration timeout, Thread reader, Runnable onExpiry) {
        var d = new ReadDeadline();
        // orTimeout's timer is the JDK's shared delayer thread: hop off it at once, since
        // onExpiry writes to a socket. complete() cancels the timer when the reader wins.
        d.outcome.orTimeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            if (e instanceof TimeoutException) {
                Thread.ofVirtual().name("read-deadline").start(() -> {
                    try {
                        onExpiry.run();
                    } finally {
                        reader.interrupt();
                        d.expiryDone.countDown();
                    }
                });
            }
        });
        return d;
    }

    /**
     * Stops the deadline. {@code true}: the reader was in time. {@code false}: the deadline passed;
     * returns once the expiry action has finished, with this thread's interrupt flag cleared.
     */
    boolean disarm() {
        if (outcome.complete(null)) {
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
}
