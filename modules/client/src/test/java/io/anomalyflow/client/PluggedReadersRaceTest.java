package io.anomalyflow.client;

import io.anomalyflow.flow.BufferPublisher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PluggedReaders} over our real hub and map, readers joining while detections flow: each
 * reader, whatever its {@code Last-Event-ID} and device, gets every detection after it exactly
 * once, in order (the live stream subscribed before the replay is taken, and what both bring
 * skipped once). The parts are a buffer of ours given as another's (so the path is the plugged
 * one), or a multicast of another's built on {@link SubmissionPublisher}; buffers are big enough
 * that nothing is dropped, so any gap or duplicate is the replay's hand-over to live.
 */
class PluggedReadersRaceTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final int ITEMS = 3_000;
    private static final int READERS = 8;
    private static final int ROUNDS = 20;

    /** Asks one at a time, from inside onNext, and records what it gets. */
    static final class Reader implements Flow.Subscriber<Detection> {
        final List<Long> positions = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Throwable> error = new AtomicReference<>();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Detection item) {
            positions.add(item.position());
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            error.set(throwable);
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }
    }

    /** A multicast of another's: {@link SubmissionPublisher} (it registers a subscriber at once, delivers on its pool). */
    static final class Multicast<T> extends SubmissionPublisher<T> implements Flow.Processor<T, T> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(T item) {
            submit(item);
        }

        @Override
        public void onError(Throwable throwable) {
            closeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            close();
        }
    }

    @Test
    void readersJoiningWhileDetectionsFlowGetEachAfterTheirIdExactlyOnceInOrder() throws Exception {
        ClientParts.Buffer buffer = new ClientParts.Buffer() {
            @Override
            public <T> Flow.Publisher<T> dropOldest(Flow.Publisher<T> source, int capacity) {
                return BufferPublisher.dropOldest(source, capacity, d -> { });
            }
        };
        race(new ClientParts(null, null, null, null, buffer, null, null));
    }

    @Test
    void throughAMulticastOfAnothersToo() throws Exception {
        ClientParts.MulticastFactory multicast = new ClientParts.MulticastFactory() {
            @Override
            public <T> Flow.Processor<T, T> create() {
                return new Multicast<>();
            }
        };
        race(new ClientParts(null, null, multicast, null, null, null, null));
    }

    private static void race(ClientParts parts) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            var store = AnomalyStore.create(Duration.ofDays(1), ITEMS * 2, () -> T0);
            var hub = AnomalyPipeline.newHub(store, new ClientMetrics(), ITEMS * 2, 64);
            var readers = new PluggedReaders(parts, store, ITEMS * 2);
            var source = new SubmissionPublisher<Detection>();
            source.subscribe(hub);
            var joined = new ArrayList<Reader>();
            var seens = new ArrayList<Long>();
            var joiner = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < READERS; i++) {
                    long due = (long) i * ITEMS / (READERS + 1); // spread over the flow
                    while (store.lastPosition() < due) {
                        Thread.onSpinWait();
                    }
                    long last = store.lastPosition();
                    long seen = i % 2 == 0 || last == 0 ? 0 : ThreadLocalRandom.current().nextLong(last + 1);
                    var reader = new Reader();
                    readers.reader(hub, seen, i % 4 == 3 ? "a" : null).subscribe(reader); // device a: every third
                    synchronized (joined) {
                        joined.add(reader);
                        seens.add(seen);
                    }
                }
            });
            for (long p = 1; p <= ITEMS; p++) {
                source.submit(AnomalyStoreTest.detection(p, p % 3 == 0 ? "a" : "b", T0));
            }
            joiner.join(60_000);
            source.close();
            synchronized (joined) {
                for (int r = 0; r < joined.size(); r++) {
                    int i = r;
                    var reader = joined.get(i);
                    long seen = seens.get(i);
                    assertThat(reader.done.await(60, TimeUnit.SECONDS)).as("round %d reader %d ended", round, i).isTrue();
                    assertThat(reader.error.get()).isNull();
                    assertThat(reader.positions).as("round %d reader %d after %d", round, i, seen)
                            .containsExactlyElementsOf(LongStream.rangeClosed(seen + 1, ITEMS)
                                    .filter(p -> i % 4 != 3 || p % 3 == 0).boxed().toList());
                }
                assertThat(joined).hasSize(READERS);
            }
        }
    }
}
