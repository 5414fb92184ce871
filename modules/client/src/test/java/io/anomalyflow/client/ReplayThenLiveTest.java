package io.anomalyflow.client;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReplayThenLive}, signal by signal on the test thread: the replay on the reader's demand,
 * the live stream asked for nothing until the replay is over, live items already replayed skipped
 * (and one more asked for each), the live stream's end after the replay, a cancel that reaches a
 * live subscription that came late, a request of 0 while live items pass (its error after them).
 */
class ReplayThenLiveTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    /** A live stream driven by hand: it subscribes its subscriber when told to. */
    static final class Live implements Flow.Publisher<Detection> {
        Flow.Subscriber<? super Detection> subscriber;
        final List<Long> requests = new ArrayList<>();
        int cancels;

        @Override
        public void subscribe(Flow.Subscriber<? super Detection> s) {
            subscriber = s;
        }

        void start() {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requests.add(n);
                    if (n <= 0) {
                        subscriber.onError(new IllegalArgumentException("§3.9 of the live stream")); // as a live stream must
                    }
                }

                @Override
                public void cancel() {
                    cancels++;
                }
            });
        }

        void next(long position) {
            subscriber.onNext(d(position));
        }

        long requested() {
            return requests.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Records what it gets; asks only when told. */
    static class Reader implements Flow.Subscriber<Detection> {
        Flow.Subscription subscription;
        final List<Long> positions = new ArrayList<>();
        boolean completed;
        Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Detection item) {
            positions.add(item.position());
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    /** Waits (at most 30 s) for {@code latch} inside a signal, which may not throw it. */
    static void awaitInSignal(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Detection d(long position) {
        return AnomalyStoreTest.detection(position, "a", T0.plusSeconds(position));
    }

    @Test
    void theReplayOnDemandThenTheLiveStreamWithoutWhatWasReplayed() {
        var live = new Live();
        var reader = new Reader();
        new ReplayThenLive(() -> List.of(d(1), d(2), d(3)), live, 0).subscribe(reader);
        live.start();
        reader.subscription.request(2);
        assertThat(reader.positions).containsExactly(1L, 2L);
        assertThat(live.requested()).as("nothing live before the replay is over").isZero();

        reader.subscription.request(5);
        assertThat(reader.positions).containsExactly(1L, 2L, 3L);
        assertThat(live.requested()).as("what is left of the demand").isEqualTo(4);
        live.next(2); // came live too: replayed already
        live.next(3);
        live.next(4);
        assertThat(reader.positions).containsExactly(1L, 2L, 3L, 4L);
        assertThat(live.requested()).as("one more for each skipped").isEqualTo(6);
        live.subscriber.onComplete();
        assertThat(reader.completed).isTrue();
        assertThat(reader.error).isNull();
    }

    @Test
    void theLiveStreamsEndComesAfterTheReplayAndNothingAtOrBelowTheLastEventIdPasses() {
        var live = new Live();
        var reader = new Reader();
        new ReplayThenLive(() -> List.of(d(5), d(6)), live, 4).subscribe(reader);
        live.start();
        live.subscriber.onComplete();
        assertThat(reader.completed).as("not before the replay").isFalse();
        reader.subscription.request(1);
        assertThat(reader.positions).containsExactly(5L);
        assertThat(reader.completed).isFalse();
        reader.subscription.request(1);
        assertThat(reader.positions).containsExactly(5L, 6L);
        assertThat(reader.completed).isTrue();

        var live2 = new Live();
        var reader2 = new Reader();
        new ReplayThenLive(List::of, live2, 4).subscribe(reader2);
        live2.start();
        reader2.subscription.request(3);
        live2.next(4);
        live2.next(5);
        assertThat(reader2.positions).as("the reader had 4 already").containsExactly(5L);
    }

    @Test
    void aCancelBeforeTheLiveSubscriptionCameCancelsItWhenItComes() {
        var live = new Live();
        var reader = new Reader();
        new ReplayThenLive(() -> List.of(d(1)), live, 0).subscribe(reader);
        reader.subscription.request(1);
        assertThat(reader.positions).as("the replay waits for the live subscription").isEmpty();
        reader.subscription.cancel();
        live.start();
        assertThat(live.cancels).isEqualTo(1);
        assertThat(live.requested()).isZero();
        assertThat(reader.positions).isEmpty();
    }

    @Test
    void aRequestOfZeroFailsTheReaderAndCancelsTheLiveStream() {
        var live = new Live();
        var reader = new Reader();
        new ReplayThenLive(List::of, live, 0).subscribe(reader);
        live.start();
        reader.subscription.request(0);
        assertThat(reader.error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
        assertThat(live.cancels).isEqualTo(1);
    }

    /**
     * A request of 0 while live items pass on the live stream's thread: the reader's error must
     * neither overlap a live item (§1.3) nor come before one the live stream still sends for what
     * was asked earlier (§1.7). The live stream here is a thread of its own that serves requests in
     * order and, as §3.9 says, answers a bad one with onError after the items before it.
     */
    @Test
    void aRequestOfZeroWhileLiveNeitherOverlapsNorPrecedesALiveItem() throws Exception {
        var requests = new LinkedBlockingQueue<Long>();
        var liveSubscriber = new AtomicReference<Flow.Subscriber<? super Detection>>();
        Flow.Publisher<Detection> live = s -> {
            liveSubscriber.set(s);
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requests.add(n);
                }

                @Override
                public void cancel() {
                    requests.add(Long.MIN_VALUE);
                }
            });
        };
        var inItem = new CountDownLatch(1);
        var letGo = new CountDownLatch(1);
        var inside = new AtomicBoolean();
        var overlapped = new AtomicBoolean();
        var afterEnd = new AtomicBoolean();
        var ended = new AtomicBoolean();
        var error = new AtomicReference<Throwable>();
        var done = new CountDownLatch(1);
        var subscription = new AtomicReference<Flow.Subscription>();
        new ReplayThenLive(List::of, live, 0).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
            }

            @Override
            public void onNext(Detection item) {
                enter();
                if (ended.get()) {
                    afterEnd.set(true);
                }
                inItem.countDown();
                awaitInSignal(letGo);
                inside.set(false);
            }

            @Override
            public void onError(Throwable t) {
                enter();
                error.set(t);
                ended.set(true);
                inside.set(false);
                done.countDown();
            }

            @Override
            public void onComplete() {
                enter();
                ended.set(true);
                inside.set(false);
                done.countDown();
            }

            private void enter() {
                if (!inside.compareAndSet(false, true)) {
                    overlapped.set(true);
                }
            }
        });
        var liveThread = Thread.ofPlatform().daemon().start(() -> {
            long position = 0;
            try {
                while (true) {
                    long n = requests.take();
                    if (n == Long.MIN_VALUE) {
                        return; // cancelled
                    }
                    if (n <= 0) {
                        liveSubscriber.get().onError(new IllegalArgumentException("§3.9 of the live stream"));
                        return;
                    }
                    for (long i = 0; i < n; i++) {
                        liveSubscriber.get().onNext(d(++position));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        subscription.get().request(2); // the replay is empty: both go to the live stream
        assertThat(inItem.await(30, TimeUnit.SECONDS)).as("the first live item reached the reader").isTrue();
        subscription.get().request(0); // while that item is in the reader's onNext, on the live thread
        letGo.countDown();
        assertThat(done.await(30, TimeUnit.SECONDS)).as("the reader was ended").isTrue();
        liveThread.join(30_000);
        assertThat(overlapped).as("§1.3: no signal while another is in progress").isFalse();
        assertThat(afterEnd).as("§1.7: nothing after the end").isFalse();
        assertThat(error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
    }

    /**
     * §3.13: once the reader cancelled, the relay, which the live stream may still hold as its
     * subscriber (a multicast that drops a leaver only on its next item), holds the reader no more,
     * nor the rest of the map's replay.
     */
    @Test
    void aCancelledRelayHoldsNeitherTheReaderNorTheReplay() {
        var live = new Live();
        var reader = new Reader();
        var readerGone = new java.lang.ref.WeakReference<>(reader);
        var replayed = new ArrayList<Detection>(List.of(d(1), d(2), d(3)));
        var replayGone = new java.lang.ref.WeakReference<>(replayed);
        var handedOnce = new AtomicReference<List<Detection>>(replayed); // the map's view, taken once
        new ReplayThenLive(() -> handedOnce.getAndSet(null), live, 0).subscribe(reader);
        live.start();
        reader.subscription.request(1);
        reader.subscription.cancel();
        reader = null;
        replayed = null;
        for (int i = 0; i < 100 && (readerGone.get() != null || replayGone.get() != null); i++) {
            System.gc();
        }
        assertThat(live.subscriber).as("the live stream still holds the relay").isNotNull();
        assertThat(readerGone.get()).as("the reader").isNull();
        assertThat(replayGone.get()).as("the replay").isNull();
    }

    @Test
    void aRelayCancelledBeforeTheReplayCameHoldsNoReplay() {
        var live = new Live();
        var replayed = new ArrayList<Detection>(List.of(d(1)));
        var replayGone = new java.lang.ref.WeakReference<>(replayed);
        var handedOnce = new AtomicReference<List<Detection>>(replayed);
        replayed = null;
        new ReplayThenLive(() -> handedOnce.getAndSet(null), live, 0).subscribe(new Reader() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.cancel();
            }
        });
        live.start();
        for (int i = 0; i < 100 && replayGone.get() != null; i++) {
            System.gc();
        }
        assertThat(live.cancels).isEqualTo(1);
        assertThat(replayGone.get()).isNull();
    }
}
