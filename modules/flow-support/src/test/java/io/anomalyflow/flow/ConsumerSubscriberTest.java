package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.testing.Race;
import static io.anomalyflow.flow.testing.DemandPatterns.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsumerSubscriberTest {

    @Test
    void requestsThePrefetchThenTopsUpAtThreeQuarters() {
        var upstream = new ManualPublisher<Integer>();
        var seen = new ArrayList<Integer>();
        upstream.subscribe(Subscribers.consumer(seen::add, 8)); // limit = 8 - 8/4 = 6
        assertThat(upstream.requests()).containsExactly(8L);
        for (int i = 1; i <= 5; i++) {
            upstream.next(i);
        }
        assertThat(upstream.requests()).containsExactly(8L);
        upstream.next(6);
        assertThat(upstream.requests()).containsExactly(8L, 6L);
        for (int i = 7; i <= 12; i++) {
            upstream.next(i);
        }
        assertThat(upstream.requests()).containsExactly(8L, 6L, 6L);
        assertThat(seen).hasSize(12);
        // never more outstanding than the prefetch: 20 requested, 12 delivered
        assertThat(upstream.totalRequested() - seen.size()).isLessThanOrEqualTo(8);
    }

    @Test
    void aPrefetchOfOneRequestsOneAtATime() {
        var upstream = new ManualPublisher<Integer>();
        upstream.subscribe(Subscribers.consumer(x -> { }, 1));
        upstream.next(1).next(2);
        assertThat(upstream.requests()).containsExactly(1L, 1L, 1L);
        assertThatThrownBy(() -> Subscribers.consumer(x -> { }, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void completesWithTheStream() {
        var upstream = new ManualPublisher<Integer>();
        var subscriber = Subscribers.<Integer>consumer(x -> { }, 4);
        upstream.subscribe(subscriber);
        assertThat(subscriber.completion()).isNotDone();
        upstream.next(1).complete();
        assertThat(subscriber.completion()).isCompleted();
        assertThat(upstream.cancels()).isZero(); // nothing to cancel after a terminal signal (§1.6)
    }

    @Test
    void failsWithTheStreamsError() {
        var upstream = new ManualPublisher<Integer>();
        var subscriber = Subscribers.<Integer>consumer(x -> { }, 4);
        upstream.subscribe(subscriber);
        upstream.error(new IllegalStateException("upstream broke"));
        assertThat(subscriber.completion()).isCompletedExceptionally();
        assertThatThrownBy(() -> subscriber.completion().get()).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(upstream.cancels()).isZero();
    }

    @Test
    void aThrowingConsumerCancelsTheSubscriptionAndFailsTheFuture() { // §2.13
        var upstream = new ManualPublisher<Integer>();
        var calls = new ArrayList<Integer>();
        var subscriber = Subscribers.<Integer>consumer(x -> {
            calls.add(x);
            if (x == 2) {
                throw new IllegalStateException("consumer failed");
            }
        }, 4);
        upstream.subscribe(subscriber);
        upstream.next(1).next(2); // must not throw
        assertThat(upstream.cancels()).isEqualTo(1);
        upstream.next(3).complete(); // late signals (§2.8) change nothing
        assertThat(calls).containsExactly(1, 2);
        assertThatThrownBy(() -> subscriber.completion().get()).isInstanceOf(ExecutionException.class).hasMessageContaining("consumer failed");
    }

    @Test
    void cancelStopsTheStreamAndCancelsTheFutureOnce() {
        var upstream = new ManualPublisher<Integer>();
        var calls = new ArrayList<Integer>();
        var subscriber = Subscribers.<Integer>consumer(calls::add, 4);
        upstream.subscribe(subscriber);
        upstream.next(1);
        subscriber.cancel();
        subscriber.cancel();
        upstream.next(2);
        assertThat(upstream.cancels()).isEqualTo(1);
        assertThat(calls).containsExactly(1);
        assertThat(subscriber.completion()).isCancelled();
    }

    @Test
    void cancellingOrCompletingTheFutureCancelsTheSubscription() {
        var cancelled = new ManualPublisher<Integer>();
        var first = Subscribers.<Integer>consumer(x -> { }, 4);
        cancelled.subscribe(first);
        first.completion().cancel(true);
        assertThat(cancelled.cancels()).isEqualTo(1);

        var completed = new ManualPublisher<Integer>();
        var second = Subscribers.<Integer>consumer(x -> { }, 4);
        completed.subscribe(second);
        second.completion().complete(null);
        assertThat(completed.cancels()).isEqualTo(1);
    }

    @Test
    void aSubscriptionArrivingAfterCancelOrASecondOneIsCancelled() { // §2.5
        var early = Subscribers.<Integer>consumer(x -> { }, 4);
        early.cancel();
        var late = new ManualPublisher<Integer>();
        late.subscribe(early);
        assertThat(late.cancels()).isEqualTo(1);
        assertThat(late.requests()).isEmpty();

        var subscriber = Subscribers.<Integer>consumer(x -> { }, 4);
        var first = new MapPublisherTest.CountingSubscription();
        var second = new MapPublisherTest.CountingSubscription();
        subscriber.onSubscribe(first);
        subscriber.onSubscribe(second);
        assertThat(first.cancels).hasValue(0);
        assertThat(second.cancels).hasValue(1);
    }

    @Test
    void nullSignalsThrowNullPointerException() { // §2.13
        var subscriber = Subscribers.<Integer>consumer(x -> { }, 4);
        assertThatThrownBy(() -> subscriber.onSubscribe(null)).isInstanceOf(NullPointerException.class);
        subscriber.onSubscribe(new MapPublisherTest.CountingSubscription());
        assertThatThrownBy(() -> subscriber.onNext(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> subscriber.onError(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Subscribers.consumer(null, 4)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void worksWithEveryKindOfSource() throws Exception {
        var items = new ArrayList<Long>();
        var done = Pipe.from(Flows.range(0, 1000)).forEach(items::add, 7).completion();
        done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(items).hasSize(1000).startsWith(0L, 1L).endsWith(999L);
        Subscribers.consumer(x -> { }).onSubscribe(Subscriptions.CANCELLED); // default prefetch accepted
        assertThat(Pipe.from(Flows.empty()).forEach(x -> { }).completion()).isCompleted();
    }

    @Test
    void cancelFromAnotherThreadStopsAnInfiniteSynchronousSource() {
        for (int round = 0; round < 50; round++) {
            var started = new CountDownLatch(1000);
            var delivered = new AtomicLong();
            var afterCancel = new AtomicLong();
            var handle = new ConsumerSubscriber<?>[1];
            var ready = new CountDownLatch(1);
            Race.run(() -> {
                // runs the emit loop on this thread until the other one cancels
                var subscriber = Subscribers.<Long>consumer(x -> {
                    delivered.incrementAndGet();
                    started.countDown();
                }, 64);
                handle[0] = subscriber;
                ready.countDown();
                Flows.generate(() -> 1L).subscribe(subscriber);
            }, () -> {
                try {
                    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                handle[0].cancel();
                afterCancel.set(delivered.get());
            });
            // Race.run returned, so the emitting thread left the loop; at most one item was in flight.
            assertThat(delivered.get() - afterCancel.get()).isBetween(0L, 1L);
            assertThat(handle[0].completion()).isCancelled();
            assertThatThrownBy(() -> handle[0].completion().join()).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void itemsAreConsumedInOrderWhateverThePrefetch() {
        for (int prefetch : List.of(1, 2, 3, 4, 5, 16, 255, Integer.MAX_VALUE)) {
            var items = new ArrayList<Long>();
            Pipe.from(Flows.range(0, 500)).forEach(items::add, prefetch).completion().join();
            assertThat(items).as("prefetch %d", prefetch).hasSize(500).isSorted();
        }
    }
}
