package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PullTrackerTest {
    private static final long LIFETIME = 4_500;

    @Test
    void withoutDemandNothingIsPulled() {
        var t = new PullTracker(256, LIFETIME);
        assertThat(t.nextPullSize(0, 0)).isZero();
    }

    @Test
    void aPullAsksForTheDemandCappedByMaxBatch() {
        var t = new PullTracker(256, LIFETIME);
        assertThat(t.nextPullSize(10, 0)).isEqualTo(10);
        assertThat(t.nextPullSize(1_000, 0)).isEqualTo(256);
        assertThat(t.nextPullSize(Long.MAX_VALUE, 0)).isEqualTo(256);
    }

    @Test
    void neverMoreInFlightThanTheDemand() {
        var t = new PullTracker(256, LIFETIME);
        t.started(t.nextPullSize(10, 0), 0);
        assertThat(t.pending()).isEqualTo(10);
        assertThat(t.nextPullSize(10, 0)).as("all 10 are on their way").isZero();
    }

    /** nats-server 2.9 serves several open pulls round-robin, so without a backlog the tracker keeps one open at a time. */
    @Test
    void theNextPullGoesOutOnlyOnceTheOpenOneIsOver() {
        var t = new PullTracker(100, LIFETIME);
        long first = t.started(t.nextPullSize(Long.MAX_VALUE, 0), 0);
        for (int i = 0; i < 99; i++) {
            t.received();
        }
        assertThat(t.nextPullSize(Long.MAX_VALUE, 0)).as("99 of 100 received: still open").isZero();
        t.received();
        assertThat(t.batchOf(first)).as("fully served, closed").isEqualTo(-1);
        assertThat(t.nextPullSize(Long.MAX_VALUE, 0)).as("all received").isEqualTo(100);

        long second = t.started(100, 1);
        t.received();
        assertThat(t.nextPullSize(Long.MAX_VALUE, 0)).isZero();
        assertThat(t.ended(second)).as("the server ends it with 99 unfilled").isEqualTo(99);
        assertThat(t.pending()).isZero();
        assertThat(t.nextPullSize(Long.MAX_VALUE, 0)).as("ended by a status").isEqualTo(100);

        t.started(100, 2);
        assertThat(t.expire(2 + LIFETIME)).isEqualTo(1);
        assertThat(t.nextPullSize(Long.MAX_VALUE, 0)).as("past its lifetime").isEqualTo(100);
        assertThat(t.received()).as("a message with no open pull").isFalse();
    }

    /** A catch-up: the server holds enough for both pulls, so the next one goes out at 50 %. */
    @Test
    void withABacklogTheNextPullGoesOutOnceHalfTheWindowIsFree() {
        var t = new PullTracker(100, LIFETIME);
        t.started(t.nextPullSize(Long.MAX_VALUE, 0), 0);
        for (int i = 0; i < 49; i++) {
            t.received();
        }
        assertThat(t.nextPullSize(Long.MAX_VALUE, 1_000_000)).as("49 %% received").isZero();
        t.received();
        assertThat(t.nextPullSize(Long.MAX_VALUE, 99)).as("the server holds 99, both pulls need 100").isZero();
        assertThat(t.nextPullSize(Long.MAX_VALUE, 100)).as("50 %% received, backlog covers both").isEqualTo(50);
        t.started(50, 1);
        assertThat(t.pending()).isEqualTo(100);
        assertThat(t.openPulls()).isEqualTo(2);
        assertThat(t.nextPullSize(Long.MAX_VALUE, 1_000_000)).as("the window is full").isZero();
    }

    @Test
    void aStatusForAnUnknownPullChangesNothing() {
        var t = new PullTracker(100, LIFETIME);
        t.started(7, 0);
        assertThat(t.ended(42)).isEqualTo(-1);
        assertThat(t.pending()).isEqualTo(7);
    }

    @Test
    void pullsAreForgottenAtTheEndOfTheirLifetimeWhateverTheServerSaid() {
        var t = new PullTracker(100, LIFETIME);
        t.started(10, 1_000);
        assertThat(t.nextDeadline()).isEqualTo(1_000 + LIFETIME);
        assertThat(t.expire(1_000 + LIFETIME - 1)).isZero();
        assertThat(t.pending()).isEqualTo(10);
        assertThat(t.expire(1_000 + LIFETIME)).isEqualTo(1);
        assertThat(t.pending()).isZero();
        assertThat(t.isEmpty()).isTrue();
    }

    @Test
    void listeningStartsWithTheFirstPullAfterNoneAndAReplacementDoesNotRestartIt() {
        var t = new PullTracker(100, LIFETIME);
        t.started(10, 100);
        assertThat(t.listeningSince()).isEqualTo(100);
        long end = 100 + LIFETIME;
        assertThat(t.expire(end)).isEqualTo(1);
        t.started(10, end);
        assertThat(t.listeningSince()).as("the replacement, in the same step as the expiry").isEqualTo(100);
        t.ended(t.nextId() - 1); // the server ended it (a status is a word from the server)
        t.started(10, end + 50);
        assertThat(t.listeningSince()).as("a new pull after none was open").isEqualTo(end + 50);
        t.clear();
        t.started(10, end + 60);
        assertThat(t.listeningSince()).as("after a clear (a new consumer)").isEqualTo(end + 60);
    }

    @Test
    void clearForgetsEverything() {
        var t = new PullTracker(100, LIFETIME);
        t.started(10, 0);
        t.clear();
        assertThat(t.pending()).isZero();
        assertThat(t.isEmpty()).isTrue();
        assertThat(t.nextPullSize(5, 0)).isEqualTo(5);
    }

    /** Random demand, backlogs, deliveries and expiries: pending never exceeds the demand nor maxBatch. */
    @Test
    void invariantsHoldUnderRandomTraffic() {
        var random = new SplittableRandom(42);
        for (int run = 0; run < 200; run++) {
            int maxBatch = 1 + random.nextInt(300);
            var t = new PullTracker(maxBatch, LIFETIME);
            long demand = 0; // requested − received, as the subscription computes it
            long now = 0;
            for (int step = 0; step < 2_000; step++) {
                switch (random.nextInt(4)) {
                    case 0 -> demand += random.nextInt(50);
                    case 1 -> {
                        int n = t.nextPullSize(demand, random.nextInt(3) == 0 ? 0 : random.nextLong(1_000));
                        if (n > 0) {
                            t.started(n, now);
                        }
                    }
                    case 2 -> {
                        if (t.received()) {
                            demand--;
                        }
                    }
                    default -> now += random.nextInt(3_000);
                }
                t.expire(now);
                assertThat(t.pending()).isBetween(0L, Math.min(demand, maxBatch));
                assertThat(t.openPulls()).isLessThanOrEqualTo(3);
            }
        }
    }
}
