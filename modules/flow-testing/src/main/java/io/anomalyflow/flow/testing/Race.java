package io.anomalyflow.flow.testing;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs tasks on separate threads released at the same instant, to make races likely rather than
 * lucky: each thread announces itself and spins (bounded) until all are ready. Waits for all of them
 * and rethrows the first failure, so an assertion inside a task fails the test.
 */
public final class Race {
    private Race() {
    }

    public static void run(Runnable... tasks) {
        var ready = new AtomicInteger();
        var failure = new AtomicReference<Throwable>();
        var threads = new ArrayList<Thread>();
        for (var task : tasks) {
            threads.add(Thread.ofPlatform().start(() -> {
                ready.incrementAndGet();
                long giveUp = System.nanoTime() + 1_000_000_000L; // never spin forever on a loaded machine
                while (ready.get() < tasks.length && System.nanoTime() < giveUp) {
                    Thread.onSpinWait();
                }
                try {
                    task.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (var thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (thread.isAlive()) {
                throw new AssertionError("a racing task did not finish within 30 s: " + thread);
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a racing task failed", failure.get());
        }
    }
}
