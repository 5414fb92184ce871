package io.anomalyflow.bench;

import io.anomalyflow.flow.ConsumerSubscriber;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.Subscribers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One source fanned out to 1, 4, 16 or 256 subscribers, each of which must see every item; one
 * operation is the whole run of {@link #items(int)} items (200 000; 50 000 at 256 subscribers).
 * <ul>
 *   <li>{@link #loop}: the floor — each item handed to each consumer in a nested loop;</li>
 *   <li>{@link #toolkit}: a {@link MulticastHub} (prefetch 256, a 1000-item drop-oldest buffer per
 *       subscriber: its shared ring) fed by {@code Flows.range}, with {@code Subscribers.consumer}
 *       readers; it runs on the caller's thread, since every stage is synchronous;
 *       {@link #toolkitStuck}: the same with one more reader that never requests;</li>
 *   <li>{@link #reactorPublish}: {@code Flux.range(..).publish(256)} — lock-step: the slowest reader
 *       governs, so it has no stuck variant (it would never finish);</li>
 *   <li>{@link #reactorBuffered}: the shape with our semantics — {@code publish(256)} and, per reader,
 *       {@code onBackpressureBuffer(1000, DROP_OLDEST)}; {@link #reactorBufferedStuck} with one more
 *       reader that never requests;</li>
 *   <li>{@link #submissionPublisher}: one {@code SubmissionPublisher} (256 per subscriber) with
 *       {@link CountingSink} readers on an explicit two-thread {@code ForkJoinPool}; {@code submit}
 *       blocks on the slowest reader.</li>
 * </ul>
 * Every reader requests as our {@code ConsumerSubscriber} does (256, then 192 at a time). The readers
 * that keep up must drop nothing and see every item, and the stuck one must have lost all but its
 * buffer: the benchmark fails otherwise, so a broken fan-out cannot post a fast score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MulticastBenchmark {
    private static final int BUFFER = Flow.defaultBufferSize();
    private static final int KEEP = 1000;

    @Param({"1", "4", "16", "256"})
    public int subscribers;

    private ForkJoinPool pool;

    /** Items per operation: fewer at 256 subscribers, so one operation stays well under a second. */
    static int items(int subscribers) {
        return subscribers >= 256 ? 50_000 : 200_000;
    }

    @Setup
    public void setUp() {
        pool = new ForkJoinPool(2);
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public long loop(Blackhole bh) {
        int n = items(subscribers);
        var counts = new long[subscribers];
        for (long i = 0; i < n; i++) {
            Long item = i;
            for (int s = 0; s < subscribers; s++) {
                bh.consume(item);
                counts[s]++;
            }
        }
        long total = 0;
        for (long c : counts) {
            total += check(c, n);
        }
        return total;
    }

    @Benchmark
    public long toolkit(Blackhole bh) {
        return runHub(bh, false);
    }

    @Benchmark
    public long toolkitStuck(Blackhole bh) {
        return runHub(bh, true);
    }

    @Benchmark
    public long reactorPublish(Blackhole bh) {
        int n = items(subscribers);
        var shared = Flux.range(0, n).publish(BUFFER);
        var sinks = new ArrayList<ReactorSink<Integer>>();
        for (int s = 0; s < subscribers; s++) {
            var sink = new ReactorSink<Integer>(bh::consume, BUFFER);
            shared.subscribe(sink);
            sinks.add(sink);
        }
        shared.connect();
        return total(sinks, n);
    }

    @Benchmark
    public long reactorBuffered(Blackhole bh) {
        return runReactorBuffered(bh, false);
    }

    @Benchmark
    public long reactorBufferedStuck(Blackhole bh) {
        return runReactorBuffered(bh, true);
    }

    @Benchmark
    public long submissionPublisher(Blackhole bh) {
        int n = items(subscribers);
        var sinks = new ArrayList<CountingSink<Long>>();
        try (var source = new SubmissionPublisher<Long>(pool, BUFFER)) {
            for (int s = 0; s < subscribers; s++) {
                var sink = new CountingSink<Long>(bh::consume, BUFFER);
                source.subscribe(sink);
                sinks.add(sink);
            }
            for (long i = 0; i < n; i++) {
                source.submit(i);
            }
        }
        long total = 0;
        for (var sink : sinks) {
            total += check(sink.done().join(), n);
        }
        return total;
    }

    private long runHub(Blackhole bh, boolean stuck) {
        int n = items(subscribers);
        var hub = MulticastHub.<Long>builder().prefetch(BUFFER).bufferSize(KEEP).build();
        var readers = new ArrayList<ConsumerSubscriber<Long>>();
        var counts = new long[subscribers];
        for (int s = 0; s < subscribers; s++) {
            int me = s;
            var reader = Subscribers.<Long>consumer(v -> {
                bh.consume(v);
                counts[me]++;
            }, BUFFER);
            hub.subscribe(reader);
            readers.add(reader);
        }
        var idle = new Idle();
        var idleSubscription = stuck ? hub.subscribe(idle, hub.options()) : null;
        Flows.range(0, n).subscribe(hub); // hot: the readers are in place before the first item
        long total = 0;
        for (int s = 0; s < subscribers; s++) {
            readers.get(s).completion().join();
            total += check(counts[s], n);
        }
        long lost = stuck ? idleSubscription.dropped() : 0;
        if (hub.droppedTotal() != lost || (stuck && lost != n - KEEP)) {
            throw new IllegalStateException("the hub dropped " + hub.droppedTotal() + ", the stuck reader " + lost);
        }
        if (idleSubscription != null) {
            idleSubscription.cancel();
        }
        return total;
    }

    private long runReactorBuffered(Blackhole bh, boolean stuck) {
        int n = items(subscribers);
        var shared = Flux.range(0, n).publish(BUFFER);
        var sinks = new ArrayList<ReactorSink<Integer>>();
        for (int s = 0; s < subscribers; s++) {
            var sink = new ReactorSink<Integer>(bh::consume, BUFFER);
            shared.onBackpressureBuffer(KEEP, BufferOverflowStrategy.DROP_OLDEST).subscribe(sink);
            sinks.add(sink);
        }
        var idle = new ReactorSink<Integer>(bh::consume, 0);
        if (stuck) {
            shared.onBackpressureBuffer(KEEP, BufferOverflowStrategy.DROP_OLDEST).subscribe(idle);
        }
        shared.connect();
        long total = total(sinks, n);
        if (stuck) {
            idle.cancel();
        }
        return total;
    }

    private static long total(List<ReactorSink<Integer>> sinks, int n) {
        long total = 0;
        for (var sink : sinks) {
            total += check(sink.done().join(), n);
        }
        return total;
    }

    private static long check(long seen, int n) {
        if (seen != n) {
            throw new IllegalStateException("a reader saw " + seen + " of " + n + " items");
        }
        return seen;
    }

    /** A reader whose socket never drains: it takes its subscription and asks for nothing. */
    private static final class Idle implements Flow.Subscriber<Long> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            // never requests
        }

        @Override
        public void onNext(Long item) {
            throw new IllegalStateException("nothing was requested");
        }

        @Override
        public void onError(Throwable throwable) {
            // the run is over
        }

        @Override
        public void onComplete() {
            // the run is over
        }
    }
}
