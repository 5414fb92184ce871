package io.anomalyflow.bench;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.Pipe;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

/**
 * {@code range(0, 10^6) → map(x·3) → filter(even) → consumer}, three ways; one operation is the
 * whole stream of {@value #ITEMS} items, so the score is milliseconds per million items.
 * <ul>
 *   <li>{@link #loop}: the floor — the same work as a plain loop, boxing where the toolkit boxes;</li>
 *   <li>{@link #toolkit}: {@code Pipe.from(Flows.range(..)).map(..).filter(..).forEach(..)};</li>
 *   <li>{@link #reactor}: Project Reactor's {@code Flux.range(..).map(..).filter(..)} into a
 *       {@link ReactorSink} that requests as our consumer does (its items are {@code Integer}s, boxed
 *       like ours);</li>
 *   <li>{@link #submissionPublisher}: the same topology from the JDK's parts — a
 *       {@code SubmissionPublisher} source, two {@link SubmissionStage} processors, a
 *       {@link CountingSink} — on an explicit fixed pool of three threads, one per consuming stage.
 *       (Not a {@code ForkJoinPool}: a stage blocks in {@code submit} inside its consumer task,
 *       and the pool's "help while blocking" then nests tasks until the chain deadlocks — seen
 *       here with a two-thread pool.)</li>
 * </ul>
 * Every variant checks that exactly half the items came out, so a broken pipeline cannot post a
 * fast score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MapFilterBenchmark {
    static final int ITEMS = 1_000_000;
    private static final Function<Long, Long> TIMES_THREE = x -> x * 3;
    private static final Predicate<Long> EVEN = x -> (x & 1) == 0;
    /** The buffer of each baseline stage: the same 256 our consumer prefetches. */
    private static final int BUFFER = Flow.defaultBufferSize();

    private ExecutorService pool;

    @Setup
    public void setUp() {
        pool = Executors.newFixedThreadPool(3);
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    public long loop(Blackhole bh) {
        long kept = 0;
        for (long i = 0; i < ITEMS; i++) {
            Long item = i;             // the source's boxed item
            Long mapped = item * 3;    // map
            if ((mapped & 1) == 0) {   // filter
                bh.consume(mapped);
                kept++;
            }
        }
        return check(kept);
    }

    @Benchmark
    public long toolkit(Blackhole bh) {
        var kept = new long[1];
        Pipe.from(Flows.range(0, ITEMS))
                .map(TIMES_THREE)
                .filter(EVEN)
                .forEach(v -> {
                    bh.consume(v);
                    kept[0]++;
                })
                .completion()
                .join();
        return check(kept[0]);
    }

    @Benchmark
    public long reactor(Blackhole bh) {
        var sink = new ReactorSink<Integer>(bh::consume, BUFFER);
        Flux.range(0, ITEMS).map(x -> x * 3).filter(x -> (x & 1) == 0).subscribe(sink);
        return check(sink.done().join());
    }

    @Benchmark
    public long submissionPublisher(Blackhole bh) {
        var sink = new CountingSink<Long>(bh::consume, BUFFER);
        try (var source = new SubmissionPublisher<Long>(pool, BUFFER)) {
            var map = new SubmissionStage<Long, Long>(pool, BUFFER, TIMES_THREE);
            var filter = new SubmissionStage<Long, Long>(pool, BUFFER, v -> EVEN.test(v) ? v : null);
            source.subscribe(map);
            map.subscribe(filter);
            filter.subscribe(sink);
            for (long i = 0; i < ITEMS; i++) {
                source.submit(i); // blocks while the map stage's buffer is full
            }
        } // close(): completion flows down the chain
        return check(sink.done().join());
    }

    private static long check(long kept) {
        if (kept != ITEMS / 2) {
            throw new IllegalStateException("expected " + ITEMS / 2 + " items, got " + kept);
        }
        return kept;
    }
}
