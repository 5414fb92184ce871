package io.anomalyflow.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnomalyStore#sweptBy}: with another's history ({@link ClientParts#history()}), the sweep
 * removes what that history no longer calls live, and nothing else; reads still never show an
 * anomaly expired by the map's own clock; a clear starts a new history; a history that throws from
 * {@code put} leaves the map as it was, one that throws from its sweep breaks no read.
 */
class AnomalyStoreHistoryTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    /** A history that calls live only what {@code live} holds, and records what it was told. */
    static class FakeHistory implements ClientParts.ExpiringHistory {
        final TreeSet<Long> live = new TreeSet<>();
        final List<Long> put = new ArrayList<>();
        int sweeps;

        @Override
        public void put(long position, String deviceId, Instant streamTime) {
            put.add(position);
            live.add(position);
        }

        @Override
        public List<Long> live() {
            return List.copyOf(live);
        }

        @Override
        public int expire() {
            sweeps++;
            return 0;
        }
    }

    @Test
    void theSweepRemovesWhatTheHistoryNoLongerCallsLiveAndReadsStillSkipWhatOurClockExpired() {
        var now = new AtomicReference<>(T0);
        InstantSource clock = now::get;
        var store = AnomalyStore.create(TTL, 100, clock);
        var histories = new ArrayList<FakeHistory>();
        store.sweptBy((ttl, c) -> {
            assertThat(ttl).isEqualTo(TTL);
            var h = new FakeHistory();
            histories.add(h);
            return h;
        });
        for (long p = 1; p <= 6; p++) {
            store.put(AnomalyStoreTest.detection(p, p % 2 == 0 ? "a" : "b", T0.plusSeconds(p)));
        }
        var history = histories.getFirst();
        assertThat(history.put).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

        history.live.removeAll(List.of(1L, 4L)); // the history says these have expired
        assertThat(store.expire()).isEqualTo(2);
        assertThat(history.sweeps).isEqualTo(1);
        assertThat(store.size()).isEqualTo(4);
        assertThat(store.expiredCount()).isEqualTo(2);
        assertThat(store.after(0, null).stream().map(Detection::position)).containsExactly(2L, 3L, 5L, 6L);
        assertThat(store.after(0, "a").stream().map(Detection::position)).containsExactly(2L, 6L);

        now.set(T0.plus(TTL).plusSeconds(3)); // by our clock 2 and 3 have expired; the history says not
        assertThat(store.expire()).as("the sweep is the history's").isZero();
        assertThat(store.size()).isEqualTo(4);
        assertThat(store.newest(null, 10).stream().map(Detection::position)).as("reads skip them all the same")
                .containsExactly(6L, 5L);

        store.clear();
        assertThat(histories).as("a clear starts a new history").hasSize(2);
        store.put(AnomalyStoreTest.detection(1, "a", now.get()));
        assertThat(histories.get(1).put).containsExactly(1L);
        assertThat(history.put).hasSize(6);
    }

    /**
     * A history that throws from {@code put} (the learner's code, under the map's write lock): the
     * put fails as a whole, so the map neither shows an anomaly it does not count (its size and
     * the {@code --max-anomalies} bound stay true) nor one the history never heard of.
     */
    @Test
    void aHistoryThatThrowsFromPutLeavesTheMapAsItWas() {
        var store = AnomalyStore.create(TTL, 3, () -> T0);
        var history = new FakeHistory() {
            @Override
            public void put(long position, String deviceId, Instant streamTime) {
                if (position == 2) {
                    throw new IllegalStateException("a learner's bug");
                }
                super.put(position, deviceId, streamTime);
            }
        };
        store.sweptBy((ttl, c) -> history);
        store.put(AnomalyStoreTest.detection(1, "a", T0));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put(AnomalyStoreTest.detection(2, "a", T0)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.after(0, null).stream().map(Detection::position)).as("nothing half-stored").containsExactly(1L);
        for (long p = 3; p <= 6; p++) {
            store.put(AnomalyStoreTest.detection(p, "a", T0));
        }
        assertThat(store.after(0, null)).as("the size bound holds").hasSize(3);
        assertThat(store.size()).isEqualTo(3);
    }

    /**
     * A history that throws from its sweep (a learner's code): the map's reads, which sweep first,
     * still answer, and skip what our clock expired; the sweep removes nothing that time (the
     * client's sweeper, a scheduled task, would never run again after a throw) and works again once
     * the history does.
     */
    @Test
    void aHistoryThatThrowsFromItsSweepBreaksNeitherReadsNorLaterSweeps() {
        var now = new AtomicReference<>(T0);
        var store = AnomalyStore.create(TTL, 100, now::get);
        var broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        var history = new FakeHistory() {
            @Override
            public List<Long> live() {
                if (broken.get()) {
                    throw new java.util.ConcurrentModificationException("a learner's bug");
                }
                return super.live();
            }
        };
        store.sweptBy((ttl, c) -> history);
        store.put(AnomalyStoreTest.detection(1, "a", T0));
        store.put(AnomalyStoreTest.detection(2, "a", T0.plus(TTL)));
        now.set(T0.plus(TTL).plusSeconds(1)); // 1 has expired by our clock
        assertThat(store.after(0, null).stream().map(Detection::position)).containsExactly(2L);
        assertThat(store.newest(null, 10).stream().map(Detection::position)).containsExactly(2L);
        assertThat(store.expire()).isZero();
        assertThat(store.size()).isEqualTo(2);

        broken.set(false);
        history.live.remove(1L);
        assertThat(store.expire()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
    }
}
