package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadDeadlinesTest {
    private static final Duration SHORT = Duration.ofMillis(100);

    @Test
    void aDeadlineLeftArmedRunsItsExpiryOnceNotBeforeTheTimeoutThenInterruptsTheReader() throws Exception {
        var deadlines = new ReadDeadlines(SHORT);
        var runs = new AtomicInteger();
        var reader = Thread.currentThread();
        long start = System.nanoTime();
        var ranAfterNanos = new long[1];
        var d = deadlines.arm(reader, () -> {
            ranAfterNanos[0] = System.nanoTime() - start;
            runs.incrementAndGet();
        });
        try {
            Thread.sleep(Duration.ofSeconds(10)); // the reader, stuck in a blocking call
        } catch (InterruptedException expected) {
            // the deadline's interrupt ended the "read"
        }
        assertThat(d.disarm()).as("the deadline won").isFalse();
        assertThat(Thread.currentThread().isInterrupted()).as("disarm clears the interrupt").isFalse();
        assertThat(runs).hasValue(1);
        assertThat(ranAfterNanos[0]).as("never before the timeout").isGreaterThanOrEqualTo(SHORT.toNanos());
        assertThat(deadlines.armedCount()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> !deadlines.sweeping());
    }

    @Test
    void aDisarmedDeadlineNeverFiresAndTheSweeperStopsWhenNothingIsArmed() throws Exception {
        var deadlines = new ReadDeadlines(SHORT);
        var runs = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            assertThat(deadlines.arm(Thread.currentThread(), runs::incrementAndGet).disarm()).isTrue();
        }
        assertThat(deadlines.armedCount()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> !deadlines.sweeping());
        // A deadline armed after them is due after all of them: once it has fired, the sweeper has
        // looked past every disarmed one's due time (an event to wait for, not a sleep to guess).
        var sentinel = new CountDownLatch(1);
        deadlines.arm(new Thread(() -> { }), sentinel::countDown);
        assertThat(sentinel.await(30, TimeUnit.SECONDS)).as("the sentinel deadline fired").isTrue();
        assertThat(runs).as("no expiry for a disarmed deadline").hasValue(0);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void aNewDeadlineAfterTheSweeperStoppedStillFires() throws Exception {
        var deadlines = new ReadDeadlines(SHORT);
        deadlines.arm(Thread.currentThread(), () -> { }).disarm();
        await().atMost(Duration.ofSeconds(5)).until(() -> !deadlines.sweeping());
        var fired = new CountDownLatch(1);
        var d = deadlines.arm(new Thread(() -> { }), fired::countDown); // an unstarted reader: interrupt is a no-op
        assertThat(fired.await(5, TimeUnit.SECONDS)).as("a sweeper started again for it").isTrue();
        assertThat(d.disarm()).isFalse();
    }

    /**
     * Many readers on many threads, disarming around the time their deadline passes, so that the
     * reader and the sweeper race for each one: exactly one side must win every deadline, the expiry
     * runs once exactly when the reader lost, and nothing is left armed or running afterwards.
     */
    @Test
    void readerAndSweeperRaceAndExactlyOneWinsEveryDeadline() throws Exception {
        var timeout = Duration.ofMillis(20);
        var deadlines = new ReadDeadlines(timeout);
        int threads = 16;
        int perThread = 300;
        var problems = new ConcurrentLinkedQueue<String>();
        var readerWon = new AtomicInteger();
        var deadlineWon = new AtomicInteger();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<?>>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    var random = new Random(seed);
                    for (int i = 0; i < perThread; i++) {
                        var runs = new AtomicInteger();
                        long armed = System.nanoTime(); // before arm, so a load delay can only lengthen what is measured
                        var d = deadlines.arm(Thread.currentThread(), () -> {
                            if (System.nanoTime() - armed < timeout.toNanos()) {
                                problems.add("an expiry ran before its timeout");
                            }
                            runs.incrementAndGet();
                        });
                        // Mostly immediate (the common case); now and then around the deadline.
                        int waitMillis = random.nextInt(10) == 0 ? 15 + random.nextInt(30) : 0;
                        try {
                            if (waitMillis > 0) {
                                Thread.sleep(waitMillis);
                            }
                        } catch (InterruptedException expected) {
                            // the deadline got there first
                        }
                        boolean inTime = d.disarm();
                        if (Thread.currentThread().isInterrupted()) {
                            problems.add("interrupt left set after disarm");
                            Thread.interrupted();
                        }
                        if (inTime && runs.get() != 0) {
                            problems.add("reader won but the expiry ran " + runs.get() + " times");
                        }
                        if (!inTime && runs.get() != 1) {
                            problems.add("deadline won but the expiry ran " + runs.get() + " times");
                        }
                        (inTime ? readerWon : deadlineWon).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(readerWon.get() + deadlineWon.get()).isEqualTo(threads * perThread);
        // Both sides won some: the race was run. Whether an immediate disarm wins depends on the
        // scheduler of a loaded machine; that no deadline fires early does not, and is checked above.
        assertThat(deadlineWon).as("some waits outlasted their deadline").hasPositiveValue();
        assertThat(readerWon).as("some readers were in time").hasPositiveValue();
        assertThat(deadlines.armedCount()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> !deadlines.sweeping());
    }
}
