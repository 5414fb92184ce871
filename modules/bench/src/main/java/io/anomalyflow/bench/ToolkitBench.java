package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The toolkit part of {@code make bench}: runs the four JMH benchmarks of this package (one fork
 * each, 3 × 1 s warm-up, 5 × 1 s measured: about 3 minutes on 2 cores) and turns their scores
 * (milliseconds per operation) into throughput figures against the baselines of the same run.
 * JMH's own JSON result file is kept beside the table.
 */
final class ToolkitBench {
    private static final String SECTION = "toolkit (JMH)";

    private ToolkitBench() {
    }

    /** Runs JMH and returns the figures; {@code quick} shortens every iteration for a smoke test. */
    static List<Figure> run(Path resultDir, boolean quick) throws RunnerException {
        var options = new OptionsBuilder()
                .include(ToolkitBench.class.getPackageName() + "\\.(MapFilter|Multicast|DropOldest|Sse)Benchmark\\.")
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 5)
                .measurementTime(TimeValue.seconds(1))
                .timeout(TimeValue.seconds(60))
                .timeUnit(TimeUnit.MILLISECONDS)
                .jvmArgs("-Xms1g", "-Xmx2g")
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(resultDir.resolve("jmh.json").toString())
                .build();
        var scores = new HashMap<String, Double>(); // "Class.method[:param]" → ms/op
        for (RunResult r : new Runner(options).run()) {
            var params = r.getParams();
            var name = params.getBenchmark().substring(ToolkitBench.class.getPackageName().length() + 1);
            var subscribers = params.getParam("subscribers");
            scores.put(subscribers == null ? name : name + ":" + subscribers, r.getPrimaryResult().getScore());
        }
        return figures(scores);
    }

    static List<Figure> figures(Map<String, Double> msPerOp) {
        var out = new ArrayList<Figure>();
        double mf = MapFilterBenchmark.ITEMS;
        out.add(Figure.compared(SECTION, "map+filter, 10^6 items", rate(mf, msPerOp, "MapFilterBenchmark.toolkit"),
                Unit.PER_SECOND, "SubmissionPublisher chain", rate(mf, msPerOp, "MapFilterBenchmark.submissionPublisher"),
                Target.ratioAtLeast(3), "same topology, 3-thread pool"));
        out.add(Figure.compared(SECTION, "map+filter, 10^6 items", rate(mf, msPerOp, "MapFilterBenchmark.toolkit"),
                Unit.PER_SECOND, "hand-inlined loop", rate(mf, msPerOp, "MapFilterBenchmark.loop"),
                Target.ratioAtLeast(0.5), "within 2× of the floor"));
        out.add(Figure.compared(SECTION, "map+filter, 10^6 items", rate(mf, msPerOp, "MapFilterBenchmark.toolkit"),
                Unit.PER_SECOND, "Reactor Flux.range.map.filter", rate(mf, msPerOp, "MapFilterBenchmark.reactor"),
                Target.ratioAtLeast(1), "the same demand pattern"));
        for (var k : List.of("1", "4", "16", "256")) {
            double items = MulticastBenchmark.items(Integer.parseInt(k));
            String what = "multicast to " + k + " subscriber" + ("1".equals(k) ? "" : "s");
            double ours = rate(items, msPerOp, "MulticastBenchmark.toolkit:" + k);
            out.add(Figure.compared(SECTION, what, ours, Unit.PER_SECOND, "Reactor publish + onBackpressureBuffer(DROP_OLDEST)",
                    rate(items, msPerOp, "MulticastBenchmark.reactorBuffered:" + k), Target.ratioAtLeast(1),
                    "the same semantics: per-reader drop-oldest 1000"));
            out.add(Figure.compared(SECTION, what, ours, Unit.PER_SECOND, "Reactor publish (lock-step)",
                    rate(items, msPerOp, "MulticastBenchmark.reactorPublish:" + k),
                    "16".equals(k) || "256".equals(k) ? Target.ratioAtLeast(1) : Target.NONE,
                    "the slowest reader governs"));
            out.add(Figure.compared(SECTION, what, ours, Unit.PER_SECOND, "SubmissionPublisher",
                    rate(items, msPerOp, "MulticastBenchmark.submissionPublisher:" + k), Target.ratioAtLeast(1.5),
                    "items/s, each to every subscriber; floor (nested loop) "
                            + Unit.PER_SECOND.format(rate(items, msPerOp, "MulticastBenchmark.loop:" + k))));
            out.add(Figure.compared(SECTION, what + " + 1 stuck", rate(items, msPerOp, "MulticastBenchmark.toolkitStuck:" + k),
                    Unit.PER_SECOND, "Reactor buffered + 1 stuck",
                    rate(items, msPerOp, "MulticastBenchmark.reactorBufferedStuck:" + k), Target.ratioAtLeast(1),
                    "one reader never requests"));
        }
        double d = DropOldestBenchmark.ITEMS;
        out.add(Figure.compared(SECTION, "drop-oldest buffer (1000), slow subscriber",
                rate(d, msPerOp, "DropOldestBenchmark.toolkit"), Unit.PER_SECOND,
                "SubmissionPublisher.offer (drops newest)", rate(d, msPerOp, "DropOldestBenchmark.submissionPublisher"),
                Target.NONE, "producer rate; hand-rolled ArrayBlockingQueue floor "
                        + Unit.PER_SECOND.format(rate(d, msPerOp, "DropOldestBenchmark.handRolled"))));
        double e = SseBenchmark.EVENTS;
        double loop = rate(e, msPerOp, "SseBenchmark.loop");
        out.add(Figure.compared(SECTION, "SSE to a loopback socket, hub-fed", rate(e, msPerOp, "SseBenchmark.toolkitHub"),
                Unit.PER_SECOND, "write+flush loop", loop, Target.ratioAtLeast(0.8),
                "the client's path; one flush per batch; window of one "
                        + Unit.PER_SECOND.format(rate(e, msPerOp, "SseBenchmark.toolkitHubOneByOne"))));
        out.add(Figure.compared(SECTION, "SSE to a loopback socket, from a range", rate(e, msPerOp, "SseBenchmark.toolkit"),
                Unit.PER_SECOND, "write+flush loop", loop, Target.NONE,
                "events/s; SubmissionPublisher writer "
                        + Unit.PER_SECOND.format(rate(e, msPerOp, "SseBenchmark.submissionPublisher"))));
        return out;
    }

    /** Items per second from a score in ms per operation of {@code items} items; NaN when the benchmark did not run. */
    private static double rate(double items, Map<String, Double> msPerOp, String key) {
        var ms = msPerOp.get(key);
        return ms == null ? Double.NaN : items / (ms / 1000.0);
    }
}
