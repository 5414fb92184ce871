package io.anomalyflow.client;

import io.anomalyflow.events.Anomaly;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnomalyStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    private final ManualClock clock = new ManualClock(T0);

    static Detection detection(long seq, String device, Instant streamTime) {
        var value = BigDecimal.valueOf(seq % 20);
        return new Detection(seq, new Anomaly(seq, T0.plusMillis(seq), device, value, "Value too low " + value), streamTime);
    }

    private static List<Long> seqs(List<Detection> detections) {
        return detections.stream().map(Detection::position).toList();
    }

    @Test
    void listsNewestFirstWithLimitAndByDevice() {
        var store = AnomalyStore.create(TTL, 100, clock);
        for (long seq = 1; seq <= 6; seq++) {
            assertThat(store.put(detection(seq, seq % 2 == 0 ? "even" : "odd", T0))).isTrue();
        }
        assertThat(seqs(store.newest(null, 100))).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
        assertThat(seqs(store.newest(null, 2))).containsExactly(6L, 5L);
        assertThat(seqs(store.newest("even", 100))).containsExactly(6L, 4L, 2L);
        assertThat(seqs(store.newest("odd", 1))).containsExactly(5L);
        assertThat(store.newest("nobody", 10)).isEmpty();
        assertThat(store.newest(null, 0)).isEmpty();
        assertThat(store.size()).isEqualTo(6);
        assertThat(store.devices()).isEqualTo(2);
        assertThat(store.lastPosition()).isEqualTo(6);
        assertThatThrownBy(() -> store.newest(null, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void afterReturnsOldestFirstStrictlyAfterTheSequence() {
        var store = AnomalyStore.create(TTL, 100, clock);
        for (long seq = 10; seq <= 15; seq++) {
            store.put(detection(seq, seq < 13 ? "a" : "b", T0));
        }
        assertThat(seqs(store.after(0, null))).containsExactly(10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(seqs(store.after(12, null))).containsExactly(13L, 14L, 15L);
        assertThat(seqs(store.after(11, "a"))).containsExactly(12L);
        assertThat(seqs(store.after(11, "b"))).containsExactly(13L, 14L, 15L);
        assertThat(store.after(15, null)).isEmpty();
        assertThat(store.after(1_000, null)).isEmpty();
    }

    @Test
    void theReplayViewIsBoundedByTheLastSequenceAndSkipsWhatLeftOrExpired() {
        var store = AnomalyStore.create(TTL, 4, clock);
        store.put(detection(1, "a", T0));
        store.put(detection(2, "b", T0.plusSeconds(30)));
        store.put(detection(3, "a", T0.plusSeconds(30)));
        var all = store.replayAfter(0, null);
        var onlyA = store.replayAfter(1, "a");
        assertThat(store.replayAfter(3, null)).isEmpty();
        // what comes after the view was taken is live, not replay
        store.put(detection(4, "a", T0.plusSeconds(30)));
        assertThat(seqs(list(all))).containsExactly(1L, 2L, 3L);
        assertThat(seqs(list(onlyA))).containsExactly(3L);
        // an anomaly that expires before the reader gets to it is not sent
        clock.set(T0.plus(TTL));
        assertThat(seqs(list(all))).containsExactly(2L, 3L);
        // nor one that was evicted
        store.put(detection(5, "b", T0.plusSeconds(30)));
        store.put(detection(6, "b", T0.plusSeconds(30)));
        assertThat(seqs(list(all))).containsExactly(3L);
        var it = store.replayAfter(6, null).iterator();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(java.util.NoSuchElementException.class);
    }

    /**
     * Read from the anomaly events of several detectors, the position (the order read) and the
     * stream time (the measurement's) disagree a little: an entry expires before entries put before
     * it. It leaves reads, the size and its device on time all the same, not when they have gone.
     */
    @Test
    void anEntryThatExpiresBeforeTheEntriesBeforeItLeavesOnTimeToo() {
        var store = AnomalyStore.create(TTL, 100, clock);
        store.put(detection(1, "a", T0.plusSeconds(10)));
        store.put(detection(2, "late", T0));                 // judged late: an older measurement
        store.put(detection(3, "later", T0.plusSeconds(5)));  // behind 1 too, though after 2
        store.put(detection(4, "a", T0.plusSeconds(20)));

        clock.set(T0.plus(TTL));
        assertThat(store.expire()).isEqualTo(1);
        assertThat(seqs(store.newest(null, 10))).containsExactly(4L, 3L, 1L);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.newest("late", 10)).isEmpty();
        assertThat(store.devices()).as("device late has nothing left").isEqualTo(2);

        clock.set(T0.plus(TTL).plusSeconds(5));
        assertThat(store.expire()).isEqualTo(1);
        assertThat(seqs(store.after(0, null))).containsExactly(1L, 4L);
        assertThat(store.size()).isEqualTo(2);

        clock.set(T0.plus(TTL).plusSeconds(10));
        assertThat(store.expire()).isEqualTo(1);
        clock.set(T0.plus(TTL).plusSeconds(20));
        assertThat(store.expire()).isEqualTo(1);
        assertThat(store.size()).isZero();
        assertThat(store.devices()).isZero();
        assertThat(store.expiredCount()).isEqualTo(4);
    }

    @Test
    void aLateEntryThatWasEvictedOrClearedIsNotCountedAgainWhenItsTimeComes() {
        var store = AnomalyStore.create(TTL, 2, clock);
        store.put(detection(1, "a", T0.plusSeconds(10)));
        store.put(detection(2, "a", T0));
        store.put(detection(3, "a", T0.plusSeconds(20))); // evicts 1
        store.put(detection(4, "a", T0.plusSeconds(20))); // evicts 2, the late one
        clock.set(T0.plus(TTL));
        assertThat(store.expire()).isZero();
        assertThat(store.size()).isEqualTo(2);

        store.put(detection(5, "b", T0.plus(TTL).plusSeconds(30)));
        store.put(detection(6, "b", T0.plus(TTL).plusSeconds(1)));
        store.clear();
        store.put(detection(6, "c", T0.plus(TTL).plusSeconds(40))); // the re-created stream's 6
        clock.set(T0.plus(TTL).plus(TTL).plusSeconds(2));
        assertThat(store.expire()).as("the old 6 went with the clear; this 6 is live").isZero();
        assertThat(seqs(store.newest(null, 10))).containsExactly(6L);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.expiredCount()).isZero();
        assertThat(store.evictedCount()).isEqualTo(4);
    }

    private static List<Detection> list(Iterable<Detection> view) {
        var out = new ArrayList<Detection>();
        view.forEach(out::add);
        return out;
    }

    @Test
    void aSequenceIsStoredOnce() {
        var store = AnomalyStore.create(TTL, 100, clock);
        assertThat(store.put(detection(7, "a", T0))).isTrue();
        assertThat(store.put(detection(7, "b", T0))).isFalse();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.newest("a", 10)).hasSize(1);
        assertThat(store.newest("b", 10)).isEmpty();
    }

    @Test
    void anomaliesLeaveExactlyTtlAfterTheirStreamTime() {
        var store = AnomalyStore.create(TTL, 100, clock);
        store.put(detection(1, "a", T0));
        store.put(detection(2, "a", T0.plusSeconds(10)));
        store.put(detection(3, "b", T0.plusSeconds(20)));

        clock.set(T0.plus(TTL).minusMillis(1));
        assertThat(store.expire()).isZero();
        assertThat(seqs(store.newest(null, 10))).containsExactly(3L, 2L, 1L);

        clock.set(T0.plus(TTL));
        assertThat(seqs(store.newest(null, 10))).containsExactly(3L, 2L);
        assertThat(store.size()).as("the read expired it lazily").isEqualTo(2);

        clock.set(T0.plus(TTL).plusSeconds(15));
        assertThat(store.expire()).isEqualTo(1);
        assertThat(seqs(store.after(0, null))).containsExactly(3L);
        assertThat(store.devices()).as("device a has nothing left").isEqualTo(1);

        clock.set(T0.plus(TTL).plusSeconds(20));
        assertThat(store.expire()).isEqualTo(1);
        assertThat(store.size()).isZero();
        assertThat(store.devices()).isZero();
        assertThat(store.expiredCount()).isEqualTo(3);
        assertThat(store.lastPosition()).isZero();
    }

    @Test
    void anAlreadyExpiredAnomalyIsNotStored() {
        var store = AnomalyStore.create(TTL, 100, clock);
        clock.set(T0.plus(TTL));
        assertThat(store.put(detection(1, "a", T0))).isFalse();
        assertThat(store.put(detection(2, "a", T0.plusMillis(1)))).isTrue();
        assertThat(seqs(store.newest(null, 10))).containsExactly(2L);
    }

    @Test
    void entryBehindALiveOneIsHiddenOnceExpiredEvenBeforeItIsRemoved() {
        // the server clock stepped back: seq 2 entered the stream "before" seq 1
        var store = AnomalyStore.create(TTL, 100, clock);
        store.put(detection(1, "a", T0.plusSeconds(60)));
        store.put(detection(2, "a", T0));
        clock.set(T0.plus(TTL).plusSeconds(1));
        assertThat(seqs(store.newest(null, 10))).containsExactly(1L);
        assertThat(seqs(store.after(0, "a"))).containsExactly(1L);
        clock.set(T0.plus(TTL).plusSeconds(61));
        store.expire();
        assertThat(store.size()).isZero();
    }

    @Test
    void theOldestAreEvictedFirstWhenFull() {
        var store = AnomalyStore.create(TTL, 3, clock);
        store.put(detection(1, "gone", T0));
        store.put(detection(2, "a", T0));
        store.put(detection(3, "a", T0));
        store.put(detection(4, "b", T0));
        store.put(detection(5, "b", T0));
        assertThat(seqs(store.newest(null, 10))).containsExactly(5L, 4L, 3L);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.evictedCount()).isEqualTo(2);
        assertThat(store.newest("gone", 10)).isEmpty();
        assertThat(store.devices()).isEqualTo(2);
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> AnomalyStore.create(Duration.ZERO, 1, clock)).hasMessageContaining("ttl");
        assertThatThrownBy(() -> AnomalyStore.create(TTL, 0, clock)).hasMessageContaining("maxEntries");
    }

    /**
     * One writer, one sweeper and four readers at once, over many iterations: readers must always
     * see strictly ordered lists, never an expired entry, and the two indexes must agree at the end.
     */
    @Test
    void writerSweeperAndReadersRaceWithoutBreakingOrderOrIndexes() throws Exception {
        for (int round = 0; round < 5; round++) {
            clock.set(T0); // the writer moves it forward only: readers rely on that
            var store = AnomalyStore.create(Duration.ofMillis(50), 2_000, clock);
            int total = 20_000;
            var stop = new AtomicBoolean();
            var failures = new ConcurrentLinkedQueue<String>();
            var threads = new ArrayList<Thread>();
            var start = new CountDownLatch(1);
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (long seq = 1; seq <= total; seq++) {
                    // stream time moves 1 ms per message; the clock follows with a lag
                    store.put(detection(seq, "d" + (seq % 7), T0.plusMillis(seq)));
                    if (seq % 10 == 0) {
                        clock.set(T0.plusMillis(seq - 40));
                    }
                }
                stop.set(true);
            }));
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                while (!stop.get()) {
                    store.expire();
                }
            }));
            for (int r = 0; r < 4; r++) {
                String device = r % 2 == 0 ? null : "d3";
                threads.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    while (!stop.get()) {
                        long oldestAllowed = clock.millis() - T0.toEpochMilli() - 50; // seq = stream ms
                        var newest = store.newest(device, 500);
                        var after = store.after(store.lastPosition() - 300, device);
                        check(newest, true, oldestAllowed, device, failures);
                        check(after, false, oldestAllowed, device, failures);
                    }
                }));
            }
            start.countDown();
            for (var t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as("thread finished").isFalse();
            }
            assertThat(failures).isEmpty();
            store.expire();
            var all = store.after(0, null);
            var union = new HashSet<Detection>();
            for (int d = 0; d < 7; d++) {
                union.addAll(store.after(0, "d" + d));
            }
            assertThat(union).containsExactlyInAnyOrderElementsOf(all);
            store.expire(); // after a sweep, size() counts exactly the live entries
            assertThat(store.size()).isEqualTo(store.after(0, null).size()).isPositive();
        }
    }

    /**
     * The same race with every fifth entry late (its stream time 30 ms before the entry put before
     * it, as when several detectors publish): readers never see an expired entry and the order stays
     * by position; after the last sweep, the size counts exactly the live entries, late ones included.
     */
    @Test
    void lateEntriesRaceTheSweeperAndReadersAndLeaveOnTime() throws Exception {
        long ttl = 50;
        for (int round = 0; round < 5; round++) {
            clock.set(T0);
            var store = AnomalyStore.create(Duration.ofMillis(ttl), 2_000, clock);
            int total = 20_000;
            var stop = new AtomicBoolean();
            var failures = new ConcurrentLinkedQueue<String>();
            var start = new CountDownLatch(1);
            var threads = new ArrayList<Thread>();
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (long seq = 1; seq <= total; seq++) {
                    store.put(detection(seq, "d" + (seq % 7), T0.plusMillis(seq % 5 == 0 ? seq - 30 : seq)));
                    if (seq % 10 == 0) {
                        clock.set(T0.plusMillis(seq - 40));
                    }
                }
                stop.set(true);
            }));
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                while (!stop.get()) {
                    store.expire();
                }
            }));
            for (int r = 0; r < 3; r++) {
                String device = r == 0 ? null : "d" + r;
                threads.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    while (!stop.get()) {
                        long now = clock.millis(); // the clock only moves forward: a read is at least this late
                        var newest = store.newest(device, 500);
                        check(newest, true, Long.MIN_VALUE, device, failures);
                        for (var d : newest) {
                            if (d.streamTime().toEpochMilli() + ttl <= now) {
                                failures.add("expired entry served: " + d.position());
                            }
                        }
                    }
                }));
            }
            start.countDown();
            for (var t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as("thread finished").isFalse();
            }
            assertThat(failures).isEmpty();
            store.expire();
            var live = store.after(0, null);
            assertThat(live).anyMatch(d -> d.position() % 5 == 0).anyMatch(d -> d.position() % 5 != 0);
            assertThat(store.size()).as("exactly the live entries").isEqualTo(live.size());
            var union = new HashSet<Detection>();
            for (int d = 0; d < 7; d++) {
                union.addAll(store.after(0, "d" + d));
            }
            assertThat(union).containsExactlyInAnyOrderElementsOf(live);
        }
    }

    private static void check(List<Detection> list, boolean descending, long oldestAllowedSeq, String device,
            ConcurrentLinkedQueue<String> failures) {
        for (int i = 1; i < list.size(); i++) {
            long prev = list.get(i - 1).position();
            long cur = list.get(i).position();
            if (descending ? cur >= prev : cur <= prev) {
                failures.add("out of order: " + prev + " then " + cur);
            }
        }
        for (var a : list) {
            if (a.position() < oldestAllowedSeq) {
                failures.add("expired entry served: " + a.position() + " < " + oldestAllowedSeq);
            }
            if (device != null && !device.equals(a.deviceId())) {
                failures.add("wrong device: " + a.deviceId());
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
