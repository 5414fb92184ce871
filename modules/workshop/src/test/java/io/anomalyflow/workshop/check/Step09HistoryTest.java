package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.workshop.api.HistoryStep;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Step 09, on a clock the test moves: nothing waits for real time. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Step09HistoryTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(10);
    private final HistoryStep step = Implementations.of(HistoryStep.class);
    private final TestClock clock = new TestClock(T0);

    @Test
    @DisplayName("an entry is live until ttl after its stream time and gone from that instant, swept or not")
    void expiresOnTheClock() {
        var history = step.create(TTL, clock);
        history.put(1, "a", T0);
        history.put(2, "b", T0.plusSeconds(5));
        clock.set(T0.plus(TTL).minusMillis(1));
        assertThat(history.live()).as("live 1 ms before the first entry's time is up").isEqualTo(List.of(1L, 2L));
        clock.set(T0.plus(TTL));
        assertThat(history.live()).as("live when the first entry's time is up (no sweep ran)").isEqualTo(List.of(2L));
        clock.set(T0.plusSeconds(15));
        assertThat(history.live()).as("live when both are up").isEmpty();
    }

    @Test
    @DisplayName("expire() removes the expired run and counts it, and removes nothing twice")
    void expireCounts() {
        var history = step.create(TTL, clock);
        for (int i = 1; i <= 5; i++) {
            history.put(i, "d" + i, T0.plusSeconds(i));
        }
        clock.set(T0.plusMillis(13_500)); // entries 1..3 are up, 4 and 5 live
        assertThat(history.expire()).as("removed by the sweep").isEqualTo(3);
        assertThat(history.size()).as("entries left").isEqualTo(2);
        assertThat(history.live()).isEqualTo(List.of(4L, 5L));
        assertThat(history.expire()).as("removed by a second sweep at the same instant").isZero();
    }

    @Test
    @DisplayName("the stream time counts, not when put() was called: an entry already too old is never live")
    void streamTimeCounts() {
        var history = step.create(TTL, clock);
        clock.set(T0.plusSeconds(100));
        history.put(1, "a", T0);
        history.put(2, "a", T0.plusSeconds(95));
        assertThat(history.live()).as("live right after put").isEqualTo(List.of(2L));
    }

    /** A clock that moves only when told. */
    static final class TestClock implements InstantSource {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
