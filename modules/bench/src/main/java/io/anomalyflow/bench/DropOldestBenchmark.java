package io.anomalyflow.bench;

import io.anomalyflow.flow.BufferPublisher;
import io.anomalyflow.flow.Flows;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A fast producer of {@value #ITEMS} items, a bounded buffer of {@value #CAPACITY}, and a slow
 * consumer on its own thread (about a microsecond of work per item, {@value #WORK} JMH CPU tokens)
 * that takes one item at a time: how fast can the producer get through the buffer when it must
 * never wait for the consumer? One operation = every item offered, the buffer drained, the end
 * seen by the consumer. Each run checks {@code delivered + dropped == ITEMS}.
 * <ul>
 *   <li>{@link #handRolled}: the floor — an {@code ArrayBlockingQueue} where the producer evicts the
 *       oldest item when the queue is full;</li>
 *   <li>{@link #toolkit}: {@code BufferPublisher.dropOldest(Flows.range(..), 1000, onDrop)}, its
 *       subscriber handing each item to the consumer thread and requesting the next from there
 *       (the {@code SseSubscriber} pattern);</li>
 *   <li>{@link #submissionPublisher}: {@code SubmissionPublisher.offer(item, onDrop)} with a
 *       1000-item buffer (rounded up to 1024 by the JDK) and the consumer as its executor. Note
 *       that the JDK drops the <em>newest</em> item, not the oldest.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DropOldestBenchmark {
    static final int ITEMS = 1_000_000;
    static final int CAPACITY = 1000;
    static final int WORK = 500;
    private static final Long END = -1L;

    private ExecutorService consumer;

    @Setup
    public void setUp() {
        consumer = Executors.newSingleThreadExecutor();
    }

    @TearDown
    public void tearDown() {
        consumer.shutdownNow();
    }

    @Benchmark
    public long handRolled() throws Exception {
        var queue = new ArrayBlockingQueue<Long>(CAPACITY);
        Future<Long> delivered = consumer.submit(() -> {
            long n = 0;
            for (Long item = queue.take(); item >= 0; item = queue.take()) {
                Blackhole.consumeCPU(WORK);
                n++;
            }
            return n;
        });
        long dropped = 0;
        for (long i = 0; i < ITEMS; i++) {
            while (!queue.offer(i)) {
                if (queue.poll() != null) {
                    dropped++;
                }
            }
        }
        while (!queue.offer(END)) {
            if (queue.poll() != null) {
                dropped++;
            }
        }
        return check(delivered.get(), dropped);
    }

    @Benchmark
    public long toolkit() throws Exception {
        var handoff = new ArrayBlockingQueue<Long>(2); // at most one item is requested at a time, plus END
        var reader = new HandoffSubscriber(handoff);
        Future<Long> delivered = consumer.submit(() -> {
            long n = 0;
            for (Long item = handoff.take(); item >= 0; item = handoff.take()) {
                Blackhole.consumeCPU(WORK);
                n++;
                reader.requestNext();
            }
            return n;
        });
        var dropped = new long[1];
        // range emits synchronously inside subscribe, on this thread: the producer
        BufferPublisher.dropOldest(Flows.range(0, ITEMS), CAPACITY, x -> dropped[0]++).subscribe(reader);
        return check(delivered.get(), dropped[0]);
    }

    @Benchmark
    public long submissionPublisher() {
        var dropped = new long[1];
        var sink = new SlowSink();
        try (var publisher = new SubmissionPublisher<Long>(consumer, CAPACITY)) {
            publisher.subscribe(sink);
            for (long i = 0; i < ITEMS; i++) {
                publisher.offer(i, (s, item) -> {
                    dropped[0]++;
                    return false; // no retry: drop it
                });
            }
        }
        return check(sink.delivered.join(), dropped[0]);
    }

    private static long check(long delivered, long dropped) {
        if (delivered + dropped != ITEMS || delivered == 0) {
            throw new IllegalStateException("delivered " + delivered + " + dropped " + dropped + " != " + ITEMS);
        }
        return delivered;
    }

    /** Hands each item to the consumer thread, which requests the next one when it is done (§2.7: from one thread at a time). */
    private static final class HandoffSubscriber implements Flow.Subscriber<Long> {
        private final BlockingQueue<Long> handoff;
        private volatile Flow.Subscription subscription;

        HandoffSubscriber(BlockingQueue<Long> handoff) {
            this.handoff = handoff;
        }

        void requestNext() {
            subscription.request(1);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Long item) {
            handoff.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            handoff.add(END);
        }

        @Override
        public void onComplete() {
            handoff.add(END);
        }
    }

    /** The JDK's way: the slow work runs in {@code onNext} on the publisher's executor, one item requested at a time. */
    private static final class SlowSink implements Flow.Subscriber<Long> {
        final CompletableFuture<Long> delivered = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private long n;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Long item) {
            Blackhole.consumeCPU(WORK);
            n++;
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            delivered.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            delivered.complete(n);
        }
    }
}
