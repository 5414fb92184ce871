package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.Race;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The loop helper under races: many threads request and cancel while the loop waits and takes demand.
 * A lost wake-up shows as a wait that runs into its (generous) time limit or, without one, as a
 * racing task that does not finish within {@link Race}'s 30 s: either fails the test.
 */
class SubscriptionSignalsTest {
    private static final long PATIENCE = TimeUnit.SECONDS.toNanos(30);

    @Test
    void everyRequestFromManyThreadsIsTakenOnceByTheLoop() {
        for (int round = 0; round < 20; round++) {
            var signals = SubscriptionSignals.create();
            int requesters = 4;
            int each = 5_000;
            var taken = new AtomicLong();
            var tasks = new Runnable[requesters + 1];
            tasks[0] = () -> {
                signals.bindLoop();
                try {
                    while (taken.get() < (long) requesters * each) {
                        assertThat(signals.awaitDemand(PATIENCE)).as("demand came after " + taken + " items").isTrue();
                        signals.produced();
                        taken.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            };
            for (int i = 1; i <= requesters; i++) {
                tasks[i] = () -> {
                    for (int k = 0; k < each; k++) {
                        signals.request(1);
                    }
                };
            }
            Race.run(tasks);
            assertThat(taken.get()).isEqualTo((long) requesters * each);
            assertThat(signals.requested()).as("round " + round + ": nothing requested is left over").isZero();
            assertThat(signals.badRequest()).isNull();
        }
    }

    @Test
    void aCancelFromAnotherThreadEndsTheWait() {
        for (int i = 0; i < 500; i++) {
            var signals = SubscriptionSignals.create();
            var result = new AtomicReference<Boolean>();
            Race.run(() -> {
                signals.bindLoop();
                try {
                    result.set(signals.awaitDemand(SubscriptionSignals.NO_TIMEOUT)); // a lost wake-up hangs it
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, signals::cancel);
            assertThat(result.get()).as("the wait ended because of the cancel, not its time limit").isFalse();
            assertThat(signals.isCancelled()).isTrue();
        }
    }

    @Test
    void theFirstBadRequestIsKeptAndEndsTheWaitEvenWithDemand() {
        for (int i = 0; i < 500; i++) {
            var signals = SubscriptionSignals.create();
            var result = new AtomicReference<Boolean>();
            long bad = -ThreadLocalRandom.current().nextLong(0, 3); // 0, -1 or -2
            Race.run(() -> {
                try {
                    result.set(signals.awaitDemand(SubscriptionSignals.NO_TIMEOUT) && signals.badRequest() == null);
                    while (signals.badRequest() == null) { // demand came first: wait on for the bad one
                        signals.produced();
                        assertThat(signals.awaitDemand(SubscriptionSignals.NO_TIMEOUT)).isFalse();
                    }
                    result.set(false);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, () -> signals.request(1), () -> signals.request(bad), () -> signals.request(bad));
            assertThat(result.get()).isFalse();
            assertThat(signals.badRequest()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("§3.9").hasMessageContaining("request(" + bad + ")");
        }
    }

    @Test
    void demandFromRacingThreadsIsCappedAndUnboundedIsNeverTaken() {
        var signals = SubscriptionSignals.create();
        Race.run(() -> signals.request(Long.MAX_VALUE), () -> signals.request(Long.MAX_VALUE - 1),
                () -> signals.request(5));
        assertThat(signals.requested()).isEqualTo(Long.MAX_VALUE);
        signals.produced();
        assertThat(signals.requested()).as("unbounded stays unbounded").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRequestOnTheLoopsThreadWakesNobodyButIsNoticed() throws Exception {
        var wakes = new AtomicInteger();
        var signals = SubscriptionSignals.create(wakes::incrementAndGet);
        signals.bindLoop();
        signals.request(3);
        assertThat(wakes.get()).as("the loop is running: no wake-up").isZero();
        assertThat(signals.requestedInLoop()).isTrue();
        assertThat(signals.requestedInLoop()).as("cleared by reading").isFalse();

        var other = Thread.ofPlatform().start(() -> signals.request(1));
        other.join(TimeUnit.NANOSECONDS.toMillis(PATIENCE));
        assertThat(wakes.get()).as("another thread wakes the loop").isEqualTo(1);
        assertThat(signals.requestedInLoop()).isFalse();
        assertThat(signals.requested()).isEqualTo(4);
    }

    @Test
    void aWakeBeforeTheWaitIsNotLost() throws Exception {
        var signals = SubscriptionSignals.create();
        signals.wake();
        signals.awaitChange(SubscriptionSignals.NO_TIMEOUT); // returns: the wake came first
        signals.awaitChange(0); // nothing new: returns at its (zero) time limit
        assertThat(signals.awaitDemand(0)).as("no demand, no wait").isFalse();
    }

    @Test
    void requestAndCancelAfterCancelChangeNothingTheLoopActsOn() throws Exception {
        var signals = SubscriptionSignals.create();
        signals.cancel();
        signals.cancel();
        signals.request(10);
        assertThat(signals.awaitDemand(PATIENCE)).as("cancelled: the loop stops despite the demand").isFalse();
    }
}
