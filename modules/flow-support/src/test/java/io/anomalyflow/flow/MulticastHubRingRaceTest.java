package io.anomalyflow.flow;

import static io.anomalyflow.flow.testing.FlowAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.testing.SeqPublisher;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.flow.testing.ThreadFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The shared ring's subscribers ({@link RingLane}: no filter, drop-oldest, a capacity the ring holds)
 * raced: demand from other threads, while the upstream pushes on its own, with readers that fall behind
 * and skip ahead. The ledger of each reader: what it received and what it was told it lost add up to
 * what the hub dispatched while it was there, in order, nothing twice.
 */
class MulticastHubRingRaceTest {
    private static final int CAPACITY = 64;

    @Test
    void everyItemIsReceivedOrCountedAsDroppedWhileDemandComesFromOtherThreads() throws Exception {
        for (int round = 0; round < 5; round++) {
            int n = 200_000;
            var hub = MulticastHub.<Integer>builder().prefetch(128).bufferSize(CAPACITY).build();
            var readers = new ArrayList<TestSubscriber<Integer>>();
            var subscriptions = new ArrayList<HubSubscription<Integer>>();
            for (int i = 0; i < 6; i++) {
                var ts = TestSubscriber.<Integer>create(i == 0 ? Long.MAX_VALUE : 0);
                subscriptions.add(hub.subscribe(ts, hub.options()));
                readers.add(ts);
            }
            assertThat(subscriptions).as("all on the ring").allMatch(s -> s instanceof RingLane<?>);
            var failures = new ThreadFailures();
            var requesters = new ArrayList<Thread>();
            for (int i = 1; i < readers.size(); i++) {
                var ts = readers.get(i);
                boolean slow = i == 1; // pauses: it must fall behind and skip
                requesters.add(Thread.ofPlatform().name("requester-" + i).start(failures.guard(() -> {
                    var random = ThreadLocalRandom.current();
                    while (!ts.isTerminated()) {
                        ts.request(random.nextInt(1, 50));
                        if (slow || random.nextInt(100) == 0) {
                            LockSupport.parkNanos(200_000);
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                })));
            }
            var source = new SeqPublisher(n, index -> {
                if (index % 5000 == 4999) {
                    LockSupport.parkNanos(500_000); // bursty, as a NATS pull is
                }
            });
            var watcher = Thread.ofPlatform().name("watcher").start(failures.guard(() -> {
                long last = 0;
                while (!hub.isTerminated() || hub.subscriberCount() > 0) {
                    long now = hub.droppedTotal();
                    assertThat(now).as("the hub's drop count never goes down").isGreaterThanOrEqualTo(last);
                    last = now;
                }
            }));
            var producer = Thread.ofPlatform().name("producer").start(failures.guard(() -> source.subscribe(hub)));
            producer.join(TIMEOUT.toMillis());
            for (var t : requesters) {
                t.join(TIMEOUT.toMillis());
            }
            watcher.join(TIMEOUT.toMillis());
            failures.rethrow();
            assertThat(producer.isAlive()).isFalse();
            assertThat(requesters).noneMatch(Thread::isAlive);
            long droppedSum = 0;
            for (int i = 0; i < readers.size(); i++) {
                var ts = readers.get(i).awaitTerminated(TIMEOUT).assertComplete().assertNoViolations();
                long dropped = subscriptions.get(i).dropped();
                assertStrictlyIncreasing(ts.values(), "reader " + i);
                assertThat(ts.count() + dropped).as("reader %d: received + dropped, round %d", i, round).isEqualTo(n);
                droppedSum += dropped;
            }
            assertThat(subscriptions.get(1).dropped()).as("the slow reader skipped ahead").isPositive();
            assertThat(hub.droppedTotal()).as("the hub's total is the readers' sum").isEqualTo(droppedSum);
            assertThat(hub.subscriberCount()).isZero();
        }
    }

    @Test
    void joinersSeeOnlyItemsDispatchedAfterTheyJoinedInOrderAndAccountedFor() throws Exception {
        int n = 500_000;
        var dispatched = new AtomicInteger(-1);
        var hub = MulticastHub.<Integer>builder().prefetch(256).bufferSize(1024).onItem(dispatched::set).build();
        var failures = new ThreadFailures();
        var seen = new ConcurrentLinkedQueue<String>();
        var joiners = new ArrayList<Thread>();
        var started = new java.util.concurrent.CountDownLatch(3);
        for (int t = 0; t < 3; t++) {
            joiners.add(Thread.ofPlatform().name("joiner-" + t).start(failures.guard(() -> {
                var random = ThreadLocalRandom.current();
                started.countDown();
                while (!hub.isTerminated()) {
                    var ts = TestSubscriber.<Integer>create(random.nextBoolean() ? Long.MAX_VALUE : 0);
                    int before = dispatched.get();
                    var s = hub.subscribe(ts, hub.options().noReplay());
                    int after = dispatched.get();
                    int want = random.nextInt(1, 3000);
                    for (int got = 0; got < want && !ts.isTerminated(); got += 100) {
                        ts.request(100);
                    }
                    ts.awaitCount(Math.min(want, 1), TIMEOUT);
                    ts.cancel();
                    int last = dispatched.get();
                    var values = ts.values();
                    assertThat(ts.violations()).isEmpty();
                    assertStrictlyIncreasing(values, "joiner");
                    if (!values.isEmpty()) {
                        assertThat(values.get(0)).as("nothing from before the join").isGreaterThan(before);
                        assertThat(values.get(values.size() - 1)).isLessThanOrEqualTo(Math.max(last, after) + 1);
                        if (s.dropped() == 0) {
                            assertThat(values.get(0)).as("the first item after the join, dropping none")
                                    .isLessThanOrEqualTo(after + 1);
                            assertThat(values.get(values.size() - 1) - values.get(0) + 1).as("contiguous")
                                    .isEqualTo(values.size());
                        }
                    }
                    seen.add(before + ".." + after);
                }
            })));
        }
        started.await();
        var source = new SeqPublisher(n, index -> {
            if (index % 5000 == 4999) {
                LockSupport.parkNanos(1_000_000);
            }
        });
        var producer = Thread.ofPlatform().name("producer").start(failures.guard(() -> source.subscribe(hub)));
        producer.join(TIMEOUT.toMillis());
        for (var j : joiners) {
            j.join(TIMEOUT.toMillis());
        }
        failures.rethrow();
        assertThat(producer.isAlive()).isFalse();
        assertThat(joiners).noneMatch(Thread::isAlive);
        assertThat(seen).as("joins happened").isNotEmpty();
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == 0);
    }

    @Test
    void cancelFromAnotherThreadStopsTheItemsAndLeavesTheHub() throws Exception {
        var hub = MulticastHub.<Integer>builder().bufferSize(CAPACITY).build();
        var source = new SeqPublisher(Integer.MAX_VALUE); // until the hub's close cancels it
        var failures = new ThreadFailures();
        var pusher = Thread.ofPlatform().name("pusher").start(failures.guard(() -> source.subscribe(hub)));
        for (int round = 0; round < 500; round++) {
            var ts = TestSubscriber.<Integer>create(Long.MAX_VALUE);
            hub.subscribe(ts, hub.options().noReplay());
            if (round % 2 == 0) {
                ts.awaitCount(1, TIMEOUT);
            }
            ts.cancel();
            int after = ts.count();
            assertThat(hub.subscriberCount()).as("round %d: left at once", round).isZero();
            await().atMost(TIMEOUT).pollDelay(java.time.Duration.ZERO).pollInterval(java.time.Duration.ofMillis(1))
                    .untilAsserted(() -> assertThat(ts.count()).isLessThanOrEqualTo(after + 1));
            assertThat(ts.violations()).isEmpty();
            assertThat(ts.isTerminated()).as("round %d: cancel is no terminal signal (error %s)", round, ts.error())
                    .isFalse();
        }
        hub.close();
        pusher.join(TIMEOUT.toMillis());
        failures.rethrow();
    }

    private static void assertStrictlyIncreasing(List<Integer> values, String who) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) <= values.get(i - 1)) {
                throw new AssertionError(who + ": " + values.get(i) + " after " + values.get(i - 1) + " at " + i);
            }
        }
    }
}
