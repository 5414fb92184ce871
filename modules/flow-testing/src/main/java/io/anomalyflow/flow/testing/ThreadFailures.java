package io.anomalyflow.flow.testing;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What helper threads of a test threw, kept for the test's own thread: an assertion that fails on a
 * helper thread is otherwise lost. Wrap each helper's body with {@link #guard}, and call
 * {@link #rethrow} on the test thread after joining them.
 */
public final class ThreadFailures {
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    /** {@code body}, with whatever it throws (an assertion too) kept instead of lost. */
    public Runnable guard(Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        };
    }

    /** Fails with the first kept failure, the others attached as suppressed; nothing when none. */
    public void rethrow() {
        var first = failures.peek();
        if (first != null) {
            var e = new AssertionError("a helper thread failed: " + first, first);
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
