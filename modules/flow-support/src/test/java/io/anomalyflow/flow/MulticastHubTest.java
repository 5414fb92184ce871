package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.DemandPatterns;
import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.testing.TestSubscriber;
import static io.anomalyflow.flow.testing.FlowAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.testing.RecordingSubscription;
import io.anomalyflow.flow.testing.SeqPublisher;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MulticastHubTest {
    private static final int N = 100_000;
    private static final int CAPACITY = 1000;

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static MulticastHub<Integer> hub() {
        return MulticastHub.<Integer>builder().bufferSize(CAPACITY).build();
    }

    @Test
    void multicastsEveryItemToEverySubscriberInOrder() {
        var hub = hub();
        var a = TestSubscriber.<Integer>create();
        var b = TestSubscriber.<Integer>create();
        hub.subscribe(a);
        hub.subscribe(b);

        new SeqPublisher(500).subscribe(hub);

        a.assertValues(range(0, 500)).assertComplete().assertNoViolations();
        b.assertValues(range(0, 500)).assertComplete().assertNoViolations();
        assertThat(hub.subscriberCount()).isZero();
        assertThat(hub.droppedTotal()).isZero();
    }

    @Test
    void aCompletedHubWithHistoryPassesTheFourDemandPatterns() {
        var hub = MulticastHub.<Integer>builder().history(20).build();
        new SeqPublisher(20).subscribe(hub);

        // every late subscriber gets the history, then onComplete, under any demand pattern
        DemandPatterns.assertResult(hub, range(0, 20));
    }

    @Test
    void isHotConsumesWithoutSubscribersAndNeverRequestsUnbounded() {
        var hub = MulticastHub.<Integer>builder().prefetch(64).build();
        var source = new SeqPublisher(N);

        source.subscribe(hub);

        assertThat(source.emitted.get()).as("drained without any subscriber").isEqualTo(N);
        assertThat(source.maxOutstanding.get()).as("outstanding demand never above prefetch").isLessThanOrEqualTo(64);
        assertThat(hub.isTerminated()).isTrue();
        var late = TestSubscriber.<Integer>create();
        hub.subscribe(late);
        late.assertValues().assertComplete().assertNoViolations(); // nothing kept without history
    }

    @Test
    void slowSubscriberDropsOldestWithoutSlowingUpstreamOrOthers() {
        var hub = hub();
        var source = new SeqPublisher(N);
        var slow = TestSubscriber.<Integer>create(0);
        var fast = TestSubscriber.<Integer>create();
        var slowSubscription = hub.subscribe(slow, hub.options());
        hub.subscribe(fast);

        source.subscribe(hub);

        assertThat(source.emitted.get()).isEqualTo(N);
        fast.assertValues(range(0, N)).assertComplete();
        assertThat(slowSubscription.dropped()).isEqualTo(N - CAPACITY);
        assertThat(slowSubscription.buffered()).isEqualTo(CAPACITY);
        assertThat(hub.droppedTotal()).isEqualTo(N - CAPACITY);
        slow.assertNotTerminated(); // completion waits behind its buffer

        slow.request(Long.MAX_VALUE);
        slow.assertValues(range(N - CAPACITY, N)).assertComplete().assertNoViolations();
        fast.assertNoViolations();
    }

    @Test
    void dropNewestKeepsTheOldestItems() {
        var hub = hub();
        var slow = TestSubscriber.<Integer>create(0);
        var s = hub.subscribe(slow, hub.options().overflow(OverflowPolicy.DROP_NEWEST));

        new SeqPublisher(N).subscribe(hub);

        assertThat(s.dropped()).isEqualTo(N - CAPACITY);
        slow.request(Long.MAX_VALUE);
        slow.assertValues(range(0, CAPACITY)).assertComplete().assertNoViolations();
    }

    @Test
    void failPolicyFailsOnlyThatSubscriberAndRemovesIt() {
        var hub = hub();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var slow = TestSubscriber.<Integer>create(0);
        var fast = TestSubscriber.<Integer>create();
        hub.subscribe(slow, hub.options().overflow(OverflowPolicy.FAIL).bufferSize(10));
        hub.subscribe(fast);

        for (int i = 0; i < 100; i++) {
            source.next(i);
        }

        slow.assertError(OverflowPolicy.OverflowException.class).assertNoViolations();
        assertThat(slow.values()).isEmpty();
        assertThat(hub.subscriberCount()).isEqualTo(1);
        fast.assertValues(range(0, 100)).assertNotTerminated().assertNoViolations();
        assertThat(source.cancels()).as("the upstream is not affected").isZero();
    }

    @Test
    void filterRunsBeforeBufferingSoDropsCountOnlyRelevantItems() {
        var hub = hub();
        var evens = TestSubscriber.<Integer>create(0);
        var s = hub.subscribe(evens, hub.options().bufferSize(10).filter(i -> i % 2 == 0));

        new SeqPublisher(100).subscribe(hub);

        assertThat(s.dropped()).isEqualTo(50 - 10);
        evens.request(Long.MAX_VALUE);
        evens.assertValues(List.of(80, 82, 84, 86, 88, 90, 92, 94, 96, 98)).assertComplete().assertNoViolations();
    }

    @Test
    void historyReplaysTheLastItemsFilteredThenLiveOnes() {
        var hub = MulticastHub.<Integer>builder().history(3).build();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        for (int i = 0; i < 10; i++) {
            source.next(i);
        }
        var all = TestSubscriber.<Integer>create();
        var evens = TestSubscriber.<Integer>create();
        var none = TestSubscriber.<Integer>create();
        hub.subscribe(all);
        hub.subscribe(evens, hub.options().filter(i -> i % 2 == 0));
        hub.subscribe(none, hub.options().noReplay());

        source.next(10);
        source.next(11);

        all.assertValues(7, 8, 9, 10, 11).assertNoViolations();
        evens.assertValues(8, 10).assertNoViolations();
        none.assertValues(10, 11).assertNoViolations();
    }

    @Test
    void snapshotReplayComesFirstThenLiveItemsAndReplacesHistory() {
        var owner = new ArrayList<Integer>(); // touched only under the hub's lock
        var hub = MulticastHub.<Integer>builder().history(2).onItem(owner::add).build();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        for (int i = 0; i < 5; i++) {
            source.next(i);
        }
        var ts = TestSubscriber.<Integer>create(0);
        hub.subscribe(ts, hub.options().replay(() -> List.copyOf(owner)));
        source.next(5);

        ts.request(2);
        ts.assertValues(0, 1);
        ts.request(Long.MAX_VALUE);
        ts.assertValues(0, 1, 2, 3, 4, 5).assertNotTerminated().assertNoViolations();
        assertThat(owner).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void failingSnapshotSupplierFailsOnlyThatSubscriber() {
        var hub = hub();
        var other = TestSubscriber.<Integer>create();
        hub.subscribe(other);
        var ts = TestSubscriber.<Integer>create();
        var boom = new IllegalStateException("no snapshot");

        hub.subscribe(ts, hub.options().replay(() -> {
            throw boom;
        }));

        assertThat(ts.error()).isSameAs(boom);
        ts.assertNoViolations();
        assertThat(hub.subscriberCount()).isEqualTo(1);
    }

    @Test
    void completionFollowsBufferedItemsAndLateSubscribersGetReplayThenComplete() {
        var hub = MulticastHub.<Integer>builder().history(2).build();
        var ts = TestSubscriber.<Integer>create(0);
        hub.subscribe(ts);
        new SeqPublisher(5).subscribe(hub);
        ts.assertNotTerminated();
        ts.request(5);
        ts.assertValues(0, 1, 2, 3, 4).assertComplete();

        var late = TestSubscriber.<Integer>create(1);
        hub.subscribe(late);
        late.assertValues(3).assertNotTerminated();
        late.request(1);
        late.assertValues(3, 4).assertComplete().assertNoViolations();
    }

    @Test
    void errorJumpsAheadOfBufferedItemsAndReachesLateSubscribersAtOnce() {
        var hub = MulticastHub.<Integer>builder().history(10).build();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var ts = TestSubscriber.<Integer>create(0);
        hub.subscribe(ts);
        source.next(1);
        var boom = new IllegalStateException("upstream failed");

        source.error(boom);

        assertThat(ts.error()).isSameAs(boom);
        assertThat(ts.values()).isEmpty();
        var late = TestSubscriber.<Integer>create(0);
        hub.subscribe(late);
        assertThat(late.error()).isSameAs(boom);
        assertThat(late.values()).isEmpty();
        late.assertNoViolations();
    }

    @Test
    void cancelRemovesTheSubscriberAndItsBufferAtOnce() {
        var hub = hub();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var ts = TestSubscriber.<Integer>create(0);
        var s = hub.subscribe(ts, hub.options());
        source.next(1);
        source.next(2);
        assertThat(s.buffered()).isEqualTo(2);

        ts.cancel();

        assertThat(hub.subscriberCount()).isZero();
        assertThat(s.buffered()).isZero();
        assertThat(s.isFinished()).isTrue();
        source.next(3);
        ts.request(10); // §3.6: a no-op
        assertThat(ts.values()).isEmpty();
        ts.assertNotTerminated().assertNoViolations();
        assertThat(source.cancels()).as("the hub stays hot").isZero();
    }

    @Test
    void aCancelledSubscriberBecomesUnreachable() {
        var hub = hub();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var ts = TestSubscriber.<Integer>create(1);
        var ref = new WeakReference<>(ts);
        hub.subscribe(ts);
        source.next(1);
        ts.cancel();
        ts = null;
        source.next(2);

        await().atMost(TIMEOUT).until(() -> {
            System.gc();
            return ref.get() == null;
        });
    }

    @Test
    void autoCancelCancelsUpstreamWhenTheLastSubscriberLeaves() {
        var hub = MulticastHub.<Integer>builder().autoCancel(true).build();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var a = TestSubscriber.<Integer>create();
        var b = TestSubscriber.<Integer>create();
        hub.subscribe(a);
        hub.subscribe(b);

        a.cancel();
        assertThat(source.cancels()).isZero();
        b.cancel();

        assertThat(source.cancels()).isEqualTo(1);
        assertThat(hub.isTerminated()).isTrue();
        var late = TestSubscriber.<Integer>create();
        hub.subscribe(late);
        late.assertComplete().assertNoViolations();
    }

    @Test
    void closeCancelsUpstreamAndCompletesSubscribersAfterTheirBuffers() {
        var hub = hub();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var ts = TestSubscriber.<Integer>create(0);
        hub.subscribe(ts);
        source.next(7);

        hub.close();
        hub.close();

        assertThat(source.cancels()).isEqualTo(1);
        ts.assertNotTerminated();
        ts.request(1);
        ts.assertValues(7).assertComplete().assertNoViolations();
        source.next(8); // §2.8: after cancel, ignored
        assertThat(ts.values()).containsExactly(7);
    }

    @Test
    void closeBeforeTheUpstreamArrivesCancelsItOnArrival() {
        var hub = hub();
        hub.close();
        var upstream = new RecordingSubscription();

        hub.onSubscribe(upstream);

        assertThat(upstream.cancelled.get()).isEqualTo(1);
        assertThat(upstream.requested.get()).isZero();
    }

    @Test
    void failingOnItemHookCancelsUpstreamAndFailsEveryone() {
        var boom = new IllegalStateException("map full");
        var hub = MulticastHub.<Integer>builder().onItem(i -> {
            if (i == 3) {
                throw boom;
            }
        }).build();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var ts = TestSubscriber.<Integer>create();
        hub.subscribe(ts);

        for (int i = 0; i < 5; i++) {
            source.next(i);
        }

        ts.assertValues(0, 1, 2).assertNoViolations();
        assertThat(ts.error()).isSameAs(boom);
        assertThat(source.cancels()).isEqualTo(1);
    }

    @Test
    void throwingFilterFailsOnlyThatSubscriber() {
        var hub = hub();
        var source = new ManualPublisher<Integer>();
        source.subscribe(hub);
        var bad = TestSubscriber.<Integer>create();
        var good = TestSubscriber.<Integer>create();
        var boom = new IllegalStateException("filter");
        hub.subscribe(bad, hub.options().filter(i -> {
            if (i == 1) {
                throw boom;
            }
            return true;
        }));
        hub.subscribe(good);

        source.next(0);
        source.next(1);
        source.next(2);

        bad.assertValues(0).assertNoViolations();
        assertThat(bad.error()).isSameAs(boom);
        good.assertValues(0, 1, 2).assertNotTerminated();
        assertThat(hub.subscriberCount()).isEqualTo(1);
    }

    @Test
    void nonPositiveRequestSignalsIllegalArgumentAndRemovesTheSubscriber() {
        var hub = hub();
        var ts = TestSubscriber.<Integer>create(0);
        hub.subscribe(ts);

        ts.request(-1);

        ts.assertError(IllegalArgumentException.class).assertNoViolations();
        assertThat(ts.error()).hasMessageContaining("§3.9");
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void aSubscriberThrowingFromOnSubscribeIsRemoved() {
        var hub = hub();
        var calls = new AtomicInteger();
        hub.subscribe(new Flow.Subscriber<Integer>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                throw new IllegalStateException("broken subscriber");
            }

            @Override
            public void onNext(Integer item) {
                calls.incrementAndGet();
            }

            @Override
            public void onError(Throwable t) {
                calls.incrementAndGet();
            }

            @Override
            public void onComplete() {
                calls.incrementAndGet();
            }
        });
        new SeqPublisher(3).subscribe(hub);

        assertThat(hub.subscriberCount()).isZero();
        assertThat(calls.get()).isZero();
    }

    @Test
    void refusesASecondUpstreamNullsAndBadSettings() {
        var hub = hub();
        var first = new RecordingSubscription();
        var second = new RecordingSubscription();
        hub.onSubscribe(first);
        hub.onSubscribe(second);

        assertThat(first.requested.get()).isEqualTo(Flow.defaultBufferSize());
        assertThat(second.cancelled.get()).as("§2.5").isEqualTo(1);
        assertThatThrownBy(() -> hub.subscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> hub.onNext(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> hub.onError(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> hub.onSubscribe(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MulticastHub.builder().prefetch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> MulticastHub.builder().bufferSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufferSize");
        assertThatThrownBy(() -> MulticastHub.builder().history(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> hub.options().bufferSize(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
    }
}
