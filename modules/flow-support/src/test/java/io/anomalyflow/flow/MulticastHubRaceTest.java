package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.FlowAssertions;
import io.anomalyflow.flow.testing.TestSubscriber;
import io.anomalyflow.flow.testing.ThreadFailures;
import static io.anomalyflow.flow.testing.FlowAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.testing.SeqPublisher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Subscribers join and leave on several threads while the upstream pushes items on another:
 * nothing may be lost, duplicated or reordered, replay must meet live items exactly, and no
 * subscription may stay behind.
 */
class MulticastHubRaceTest {
    private static final int JOINERS = 3;
    private static final int PACE = 5000;

    /** What one short-lived subscriber saw, with the dispatch counter read around its join. */
    private record Visit(int before, int after, TestSubscriber<Integer> subscriber) {
    }

    @Test
    void joinersAndLeaversSeeContiguousRunsWhileAMillionItemsFlow() throws Exception {
        int n = 1_000_000;
        var dispatched = new AtomicInteger(-1); // the last item through onItem, i.e. under the lock
        var hub = MulticastHub.<Integer>builder().prefetch(256).bufferSize(Integer.MAX_VALUE)
                .onItem(dispatched::set).build();
        var early = TestSubscriber.<Integer>create();
        hub.subscribe(early);

        var visits = run(hub, n, dispatched, h -> h.options());

        early.awaitTerminated(TIMEOUT).assertComplete().assertNoViolations();
        assertThat(early.count()).isEqualTo(n);
        FlowAssertions.assertContiguous(early.values(), "early subscriber");
        check(visits, n, 1, false);
        assertThat(visits.stream().filter(v -> v.before() >= 0 && v.after() < n - 1).count())
                .as("joins in the middle of the flow").isPositive();
        assertThat(hub.subscriberCount()).isZero();
        assertThat(hub.droppedTotal()).isZero();
    }

    @Test
    void snapshotReplayMeetsLiveItemsWithoutGapOrDuplicate() throws Exception {
        for (int round = 0; round < 3; round++) {
            int n = 200_000;
            var dispatched = new AtomicInteger(-1);
            var window = new ArrayDeque<Integer>(); // the owner's state; only touched under the hub's lock
            var replays = new LongAdder();
            var hub = MulticastHub.<Integer>builder().bufferSize(Integer.MAX_VALUE).onItem(i -> {
                window.addLast(i);
                if (window.size() > 300) {
                    window.removeFirst();
                }
                dispatched.set(i);
            }).build();

            var visits = run(hub, n, dispatched, h -> h.options().replay(() -> {
                if (!window.isEmpty()) {
                    replays.increment();
                }
                return List.copyOf(window);
            }));

            check(visits, n, 1, true);
            assertThat(replays.sum()).as("joins that got a non-empty snapshot").isPositive();
            assertThat(hub.subscriberCount()).isZero();
        }
    }

    @Test
    void filteredHistoryReplayMeetsLiveItemsWithoutGapOrDuplicate() throws Exception {
        for (int round = 0; round < 3; round++) {
            int n = 200_000;
            var dispatched = new AtomicInteger(-1);
            var replayed = new LongAdder(); // history items filtered on a joining thread, i.e. replayed
            var hub = MulticastHub.<Integer>builder().bufferSize(Integer.MAX_VALUE).history(300)
                    .onItem(dispatched::set).build();

            var visits = run(hub, n, dispatched, h -> h.options().filter(i -> {
                if (Thread.currentThread().getName().startsWith("joiner")) {
                    replayed.increment();
                }
                return i % 2 == 0;
            }));

            check(visits, n, 2, true);
            assertThat(replayed.sum()).as("history items replayed").isPositive();
            assertThat(hub.subscriberCount()).isZero();
        }
    }

    /**
     * Runs {@link #JOINERS} threads joining and leaving, and once each has joined, a source of
     * {@code n} items on its own thread. The source is bursty, as a NATS pull is: it pauses for a
     * millisecond every {@link #PACE} items, which gives the joiners turns in the middle of the
     * flow even on a crowded machine.
     */
    private static List<Visit> run(MulticastHub<Integer> hub, int n, AtomicInteger dispatched,
            Function<MulticastHub<Integer>, HubOptions<Integer>> options) throws Exception {
        var visits = new ConcurrentLinkedQueue<Visit>();
        var joined = new CountDownLatch(JOINERS);
        var source = new SeqPublisher(n, index -> {
            if (index % PACE == PACE - 1) {
                LockSupport.parkNanos(1_000_000);
            }
        });
        var failures = new ThreadFailures(); // thrown on a helper thread, rethrown on this one
        var joiners = new ArrayList<Thread>();
        for (int t = 0; t < JOINERS; t++) {
            joiners.add(Thread.ofPlatform().name("joiner-" + t).start(failures.guard(() -> {
                var random = ThreadLocalRandom.current();
                while (!hub.isTerminated()) {
                    boolean batches = random.nextBoolean(); // unbounded, or requests racing with the drain
                    var ts = TestSubscriber.<Integer>create(batches ? 0 : Long.MAX_VALUE);
                    int before = dispatched.get();
                    hub.subscribe(ts, options.apply(hub));
                    int after = dispatched.get();
                    joined.countDown();
                    int want = random.nextInt(1, 3000);
                    if (batches) {
                        for (int got = 0; got < want && !ts.isTerminated(); got += 100) {
                            ts.request(100);
                        }
                    }
                    ts.awaitCount(want, TIMEOUT);
                    ts.cancel();
                    visits.add(new Visit(before, after, ts));
                }
            })));
        }
        boolean allJoined = joined.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        failures.rethrow();
        assertThat(allJoined).as("every joiner subscribed").isTrue();
        var producer = Thread.ofPlatform().name("producer").start(failures.guard(() -> source.subscribe(hub)));
        producer.join(TIMEOUT.toMillis());
        for (var j : joiners) {
            j.join(TIMEOUT.toMillis());
        }
        failures.rethrow();
        assertThat(producer.isAlive()).as("producer still running").isFalse();
        assertThat(joiners).as("joiners still running").noneMatch(Thread::isAlive);
        assertThat(source.emitted.get()).isEqualTo(n);
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == 0);
        return List.copyOf(visits);
    }



    /**
     * Each visitor saw a run of the upstream sequence with the given step, nothing twice, nothing
     * skipped; without replay it starts right after the items dispatched before it joined, with
     * replay at or before them (the seam between replay and live is inside the run).
     */
    private static void check(List<Visit> visits, int n, int step, boolean replay) {
        for (var v : visits) {
            var ts = v.subscriber();
            ts.assertNoViolations();
            var items = ts.values();
            for (int i = 1; i < items.size(); i++) {
                if (items.get(i) != items.get(i - 1) + step) {
                    throw new AssertionError("gap or duplicate after " + items.get(i - 1) + ": " + items.get(i)
                            + " (visitor joined between dispatch " + v.before() + " and " + v.after() + ")");
                }
            }
            if (items.isEmpty()) {
                continue;
            }
            int first = items.getFirst();
            if (!replay) {
                assertThat(first).as("first live item").isBetween(v.before() + 1, v.after() + 1);
            } else {
                assertThat(first).as("first item (replay) of a visitor joined after " + v.after())
                        .isLessThanOrEqualTo(Math.max(v.after() + step, 0));
            }
            if (ts.isCompleted()) {
                assertThat(items.getLast()).as("a completed visitor saw the end").isGreaterThan(n - 1 - step);
            }
        }
    }

    @Test
    void sanityOfTheChecker() {
        var ts = TestSubscriber.<Integer>create();
        var hub = MulticastHub.<Integer>create();
        hub.subscribe(ts);
        new SeqPublisher(10).subscribe(hub);
        check(List.of(new Visit(-1, -1, ts)), 10, 1, false);
        assertThat(ts.values()).isEqualTo(IntStream.range(0, 10).boxed().toList());
    }
}
