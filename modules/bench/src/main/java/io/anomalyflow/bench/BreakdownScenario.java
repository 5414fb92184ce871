package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A diagnosis, not part of the default run ({@code BenchMain system --only breakdown}): where the
 * gateway's time per single POST goes. The same closed loop as {@link IngestScenario} (64
 * connections) against, in alternation for {@value #ROUNDS} rounds so that drifting machine load
 * hits all alike:
 * <ol>
 *   <li>the naive baseline (HttpServer + synchronous {@code js.publish});</li>
 *   <li>the {@code appender} baseline (HttpServer + the gateway's {@code JetStreamAppender}, nothing else);</li>
 *   <li>the gateway jar (app-support routing, read deadline, metrics, decode, validation, encode, appender).</li>
 * </ol>
 * Naive vs appender isolates the publishing path; appender vs gateway the rest.
 */
final class BreakdownScenario {
    private static final int ROUNDS = 2;

    private BreakdownScenario() {
    }

    static List<Figure> run(Rig rig) throws Exception {
        var warm = rig.time(Duration.ofSeconds(4), Duration.ofSeconds(1));
        var measure = rig.time(Duration.ofSeconds(6), Duration.ofSeconds(2));
        var single = new byte[Payloads.POOL][];
        for (int i = 0; i < single.length; i++) {
            single[i] = Http1.post("/measurements", "application/json", Payloads.body(i));
        }
        var sums = new double[3];
        var names = List.of("naive", "appender", "gateway");
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < names.size(); k++) {
                int port = Child.freePort();
                var stream = "BENCH_BREAKDOWN_" + k;
                var subject = "bench.breakdown." + k;
                try (var server = k < 2
                        ? rig.baseline("breakdown-" + names.get(k), port, names.get(k), "--nats", rig.natsUrl(),
                                "--stream", stream, "--subject", subject)
                        : rig.gateway("breakdown-gateway", port, stream, subject)) {
                    var t = LoadGen.closedLoop(port, 64, warm, measure, i -> single[i % single.length], r -> 1);
                    System.out.printf("   round %d %s: %.0f/s (%d errors)%n", round + 1, names.get(k), t.unitsPerSecond(), t.errors());
                    sums[k] += t.unitsPerSecond();
                }
            }
        }
        var out = new ArrayList<Figure>();
        out.add(Figure.compared("diagnosis", "single POST: appender-only handler", sums[1] / ROUNDS, Unit.PER_SECOND,
                "naive sync publish", sums[0] / ROUNDS, Target.NONE, "HttpServer + JetStreamAppender, no parsing"));
        out.add(Figure.compared("diagnosis", "single POST: gateway", sums[2] / ROUNDS, Unit.PER_SECOND,
                "appender-only handler", sums[1] / ROUNDS, Target.NONE, "what app-support + codec + metrics cost"));
        return out;
    }
}
