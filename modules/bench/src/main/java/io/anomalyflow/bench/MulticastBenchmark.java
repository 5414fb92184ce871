package io.anomalyflow.bench;

import io.anomalyflow.flow.ConsumerSubscriber;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.Subscribers;
import java.util.ArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
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
 * One source of {@value #ITEMS} items fanned out to 1, 4 or 16 subscribers, each of which must see
 * every item; one operation is the whole run.
 * <ul>
 *   <li>{@link #loop}: the floor — each item handed to each consumer in a nested loop;</li>
 *   <li>{@link #toolkit}: a {@link MulticastHub} (prefetch 256, a 1000-item drop-oldest buffer per
 *       subscriber) fed by {@code Flows.range}, with {@code Subscribers.consumer} readers; it runs
 *       on the caller's thread, since every stage is synchronous;</li>
 *   <li>{@link #submissionPublisher}: one {@code SubmissionPublisher} (256 per subscriber) with
 *       {@link CountingSink} readers on an explicit two-thread {@code ForkJoinPool}; {@code submit}
 *       blocks on the slowest reader.</li>
 * </ul>
 * The toolkit's readers keep up (they request from inside {@code onNext}), so it must drop nothing:
 * the benchmark fails if the hub counted a drop or a reader missed an item.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MulticastBenchmark {
    static final int ITEMS = 200_000;
    private static final int BUFFER = Flow.defaultBufferSize();

    @Param({"1", "4", "16"})
    public int subscribers;

    private ForkJoinPool pool;

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
        var counts = new long[subscribers];
        for (long i = 0; i < ITEMS; i++) {
            Long item = i;
            for (int s = 0; s < subscribers; s++) {
                bh.consume(item);
                counts[s]++;
            }
        }
        long total = 0;
        for (long c : counts) {
            total += check(c);
        }
        return total;
    }

    @Benchmark
    public long toolkit(Blackhole bh) {
        var hub = MulticastHub.<Long>builder().prefetch(BUFFER).bufferSize(1000).build();
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
        Flows.range(0, ITEMS).subscribe(hub); // hot: the readers are in place before the first item
        long total = 0;
        for (int s = 0; s < subscribers; s++) {
            readers.get(s).completion().join();
            total += check(counts[s]);
        }
        if (hub.droppedTotal() != 0) {
            throw new IllegalStateException("the hub dropped " + hub.droppedTotal() + " items from readers that kept up");
        }
        return total;
    }

    @Benchmark
    public long submissionPublisher(Blackhole bh) {
        var sinks = new ArrayList<CountingSink<Long>>();
        try (var source = new SubmissionPublisher<Long>(pool, BUFFER)) {
            for (int s = 0; s < subscribers; s++) {
                var sink = new CountingSink<Long>(bh::consume, BUFFER);
                source.subscribe(sink);
                sinks.add(sink);
            }
            for (long i = 0; i < ITEMS; i++) {
                source.submit(i);
            }
        }
        long total = 0;
        for (var sink : sinks) {
            total += check(sink.done().join());
        }
        return total;
    }

    private static long check(long seen) {
        if (seen != ITEMS) {
            throw new IllegalStateException("a reader saw " + seen + " of " + ITEMS + " items");
        }
        return seen;
    }
}
