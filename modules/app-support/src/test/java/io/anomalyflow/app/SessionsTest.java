package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Session ids: random, valid until their lifetime ends or they are closed, and bounded in number even under a race. */
class SessionsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));
    private final InstantSource clock = () -> now.get();

    @Test
    void anIdIsValidUntilItsLifetimeEndsOrItIsClosed() {
        var sessions = Sessions.create(Duration.ofMinutes(10), 100, clock);
        var a = sessions.open();
        var b = sessions.open();
        assertThat(a).isNotEqualTo(b).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(sessions.valid(a)).isTrue();
        assertThat(sessions.valid(a + "x")).isFalse();
        assertThat(sessions.valid(null)).isFalse();
        assertThat(sessions.valid("x".repeat(10_000))).isFalse();
        sessions.close(b);
        assertThat(sessions.valid(b)).isFalse();
        now.set(now.get().plus(Duration.ofMinutes(10)).minusMillis(1));
        assertThat(sessions.valid(a)).isTrue();
        now.set(now.get().plusMillis(1));
        assertThat(sessions.valid(a)).isFalse();
        assertThat(sessions.size()).as("an expired session seen is dropped").isZero();
    }

    @Test
    void whenFullTheOldestGoesFirst() {
        var sessions = Sessions.create(Duration.ofHours(1), 3, clock);
        var first = sessions.open();
        now.set(now.get().plusSeconds(1));
        var second = sessions.open();
        now.set(now.get().plusSeconds(1));
        var third = sessions.open();
        now.set(now.get().plusSeconds(1));
        var fourth = sessions.open();
        assertThat(sessions.size()).isEqualTo(3);
        assertThat(sessions.valid(first)).isFalse();
        assertThat(List.of(second, third, fourth)).allMatch(sessions::valid);
    }

    @Test
    void racingOpenersNeverPassTheBoundAndNeverGetTheSameId() throws Exception {
        for (int round = 0; round < 20; round++) {
            var sessions = Sessions.create(Duration.ofHours(1), 50, clock);
            var ids = ConcurrentHashMap.<String>newKeySet();
            var start = new CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(8)) {
                var futures = new java.util.ArrayList<Future<?>>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 100; i++) {
                            ids.add(sessions.open());
                            assertThat(sessions.size()).isLessThanOrEqualTo(50);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (var f : futures) {
                    f.get(); // an assertion failed in a thread fails here
                }
            }
            assertThat(ids).hasSize(800);
            assertThat(sessions.size()).isEqualTo(50);
            Set<String> live = ConcurrentHashMap.newKeySet();
            ids.stream().filter(sessions::valid).forEach(live::add);
            assertThat(live).hasSize(50);
        }
    }
}
