package io.anomalyflow.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReplayThenLive} with the reader's requests on one thread and the live stream on another:
 * no gap, no duplicate, never more items than asked for (§1.1), never two signals at once (§1.3),
 * a cancel racing the live stream's {@code onSubscribe} always reaches the live subscription, and
 * the live subscription is never called from two threads at once (§2.7).
 */
class ReplayThenLiveRaceTest {

    /** A live stream on a thread of its own: positions {@code from..to}, one per unit of demand, then the end. */
    static final class Live implements Flow.Publisher<Detection> {
        final long from;
        final long to;
        final AtomicInteger cancels = new AtomicInteger();

        Live(long from, long to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Detection> s) {
            var demand = new Semaphore(0);
            var cancelled = new AtomicBoolean();
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    demand.release((int) Math.min(n, 1 << 20));
                }

                @Override
                public void cancel() {
                    cancels.incrementAndGet();
                    cancelled.set(true);
                    demand.release();
                }
            });
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (long p = from; p <= to; p++) {
                        demand.acquire();
                        if (cancelled.get()) {
                            return;
                        }
                        s.onNext(ReplayThenLiveTest.d(p));
                    }
                    s.onComplete();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    @Test
    void replayAndLiveOnTwoThreadsGiveEachPositionOnceInOrderAndNoMoreThanAsked() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            var random = ThreadLocalRandom.current();
            int replayed = random.nextInt(0, 40);
            long liveFrom = random.nextLong(1, replayed + 2); // overlaps the replay, or starts right after it
            long last = replayed + random.nextInt(1, 40);
            var replay = LongStream.rangeClosed(1, replayed).mapToObj(ReplayThenLiveTest::d).toList();
            var got = new ArrayList<Long>();
            var requested = new AtomicLong();
            var tooMany = new AtomicBoolean();
            var overlapped = new AtomicBoolean();
            var inside = new AtomicBoolean();
            var arrived = new Semaphore(0);
            var done = new CountDownLatch(1);
            var error = new AtomicReference<Throwable>();
            var subscription = new AtomicReference<Flow.Subscription>();
            new ReplayThenLive(() -> replay, new Live(liveFrom, last), 0).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription.set(s);
                }

                @Override
                public void onNext(Detection item) {
                    enter();
                    synchronized (got) {
                        got.add(item.position());
                        if (got.size() > requested.get()) {
                            tooMany.set(true);
                        }
                    }
                    inside.set(false);
                    arrived.release();
                }

                @Override
                public void onError(Throwable t) {
                    error.set(t);
                    done.countDown();
                    arrived.release(1 << 20);
                }

                @Override
                public void onComplete() {
                    enter();
                    inside.set(false);
                    done.countDown();
                    arrived.release(1 << 20);
                }

                private void enter() {
                    if (!inside.compareAndSet(false, true)) {
                        overlapped.set(true);
                    }
                }
            });
            while (done.getCount() > 0) {
                int n = random.nextInt(1, 8);
                requested.addAndGet(n);
                subscription.get().request(n);
                assertThat(arrived.tryAcquire(n, 30, TimeUnit.SECONDS)).as("round %d: items came", round).isTrue();
            }
            assertThat(error.get()).isNull();
            assertThat(overlapped).as("round %d: §1.3", round).isFalse();
            assertThat(tooMany).as("round %d: §1.1", round).isFalse();
            synchronized (got) {
                assertThat(got).as("round %d: replay 1..%d, live %d..%d", round, replayed, liveFrom, last)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
            }
        }
    }

    @Test
    void aCancelRacingTheLiveSubscriptionAlwaysReachesIt() throws Exception {
        var barrier = new CyclicBarrier(2);
        for (int round = 0; round < 5_000; round++) {
            var cancels = new AtomicInteger();
            var liveSubscriber = new AtomicReference<Flow.Subscriber<? super Detection>>();
            Flow.Publisher<Detection> live = liveSubscriber::set; // onSubscribe comes later, on another thread
            var handle = new AtomicReference<Flow.Subscription>();
            new ReplayThenLive(List::of, live, 0).subscribe(new ReplayThenLiveTest.Reader() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    handle.set(s);
                }
            });
            var other = Thread.ofPlatform().start(() -> {
                await(barrier);
                liveSubscriber.get().onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                        cancels.incrementAndGet();
                    }
                });
            });
            await(barrier);
            handle.get().cancel();
            other.join(30_000);
            assertThat(cancels.get()).as("round %d", round).isPositive();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * §2.7: the one more asked for a live item the reader was replayed already, on the live
     * stream's thread, must not enter the live subscription while the reader's own request is in it
     * on the reader's thread. The live subscription here lets the live stream send such an item from
     * inside the reader's request, and sees whether it is entered twice.
     */
    @Test
    void theRequestForASkippedItemNeverEntersTheLiveSubscriptionAlongsideTheReadersOwn() throws Exception {
        var liveSubscriber = new AtomicReference<Flow.Subscriber<? super Detection>>();
        var inside = new AtomicBoolean();
        var overlapped = new AtomicBoolean();
        var asked = new AtomicLong();
        var first = new AtomicBoolean(true);
        var skippedOne = new CountDownLatch(1);
        Flow.Publisher<Detection> live = s -> {
            liveSubscriber.set(s);
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    if (!inside.compareAndSet(false, true)) {
                        overlapped.set(true);
                        asked.addAndGet(n);
                        return;
                    }
                    asked.addAndGet(n);
                    if (first.getAndSet(false)) {
                        // the live stream sends an item the reader was replayed, meanwhile, on its thread
                        Thread.ofPlatform().start(() -> {
                            liveSubscriber.get().onNext(ReplayThenLiveTest.d(2));
                            skippedOne.countDown();
                        });
                        ReplayThenLiveTest.awaitInSignal(skippedOne);
                    }
                    inside.set(false);
                }

                @Override
                public void cancel() {
                }
            });
        };
        var reader = new ReplayThenLiveTest.Reader();
        new ReplayThenLive(() -> LongStream.rangeClosed(1, 3).mapToObj(ReplayThenLiveTest::d).toList(), live, 0)
                .subscribe(reader);
        reader.subscription.request(3); // the replay
        assertThat(reader.positions).containsExactly(1L, 2L, 3L);
        reader.subscription.request(5); // to the live stream, which sends 2 from inside this request
        assertThat(skippedOne.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(overlapped).as("§2.7: request entered twice at once").isFalse();
        assertThat(asked).as("the 5 asked and one more for the skipped item").hasValue(6);
        assertThat(reader.positions).containsExactly(1L, 2L, 3L);
    }
}
