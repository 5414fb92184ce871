package io.anomalyflow.bench;

import io.anomalyflow.testsupport.NatsServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The system part of {@code make bench}: the real jars over loopback, as child processes, against
 * baselines built into this module and run the same way (each in a JVM of its own, same JDK, same
 * flags), all on one {@code nats-server -js} started for the run ({@link NatsServer}: free port,
 * temporary file store, killed at the end). The harness itself is only the load generator and the
 * stopwatch. Scenarios run one after another, each with its own streams and processes, so they do
 * not load each other; a scenario that fails is reported as such and the others still run.
 */
final class SystemBench {
    private SystemBench() {
    }

    /** The scenarios in the order they run: start-up first, on a quiet machine and an empty server. */
    private interface Scenario {
        List<Figure> run(Rig rig) throws Exception;
    }

    /**
     * Scenario names, for {@code --only}: {@code startup}, {@code ingest}, {@code catchup}, {@code latency},
     * {@code fanout}, {@code detector}, and {@code breakdown}, a diagnosis that runs only when named.
     */
    static final List<String> NAMES = List.of("startup", "ingest", "catchup", "latency", "fanout", "detector",
            "breakdown");
    private static final List<String> DEFAULT = NAMES.subList(0, 6);

    /**
     * Runs the scenarios named in {@code only} (all when it is empty). {@code catchup} reads the stream
     * {@code ingest} filled, so it runs only together with it.
     */
    static List<Figure> run(Path root, Path tmp, boolean quick, List<String> only) {
        var figures = new ArrayList<Figure>();
        int catchup = quick ? 100_000 : 1_000_000;
        try (var nats = NatsServer.start()) {
            var rig = new Rig(root, tmp.resolve("logs"), nats.url(), nats.pid(), quick);
            var scenarios = new ArrayList<Scenario>();
            scenarios.add(StartupScenario::run);
            scenarios.add(r -> IngestScenario.run(r, catchup));
            scenarios.add(CatchUpScenario::run);
            scenarios.add(LatencyScenario::run);
            scenarios.add(FanOutScenario::run);
            scenarios.add(DetectorScenario::run);
            scenarios.add(BreakdownScenario::run);
            var names = NAMES;
            for (int i = 0; i < scenarios.size(); i++) {
                if (!(only.isEmpty() ? DEFAULT : only).contains(names.get(i))) {
                    continue;
                }
                long t0 = System.nanoTime();
                System.out.println("== system: " + names.get(i));
                try {
                    var got = scenarios.get(i).run(rig);
                    got.forEach(f -> System.out.println("   " + f.name() + ": " + f.unit().format(f.ours())
                            + (Double.isNaN(f.baseline()) ? "" : " vs " + f.baselineName() + " " + f.unit().format(f.baseline()))));
                    figures.addAll(got);
                } catch (Exception | Error e) {
                    e.printStackTrace();
                    figures.add(Figure.alone(names.get(i), "scenario failed", Double.NaN, Figure.Unit.MILLIS,
                            Figure.Target.atMost(0), oneLine(e)));
                }
                System.out.printf("   (%.0f s)%n", (System.nanoTime() - t0) / 1e9);
            }
        }
        return figures;
    }

    private static String oneLine(Throwable e) {
        var text = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return (e.getClass().getSimpleName() + ": " + text).replace('\t', ' ').replace("|", "/");
    }
}
