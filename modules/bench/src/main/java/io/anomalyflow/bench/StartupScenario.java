package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipFile;

/**
 * Start-up and size of the runnable jars.
 * <ul>
 *   <li>Start-up: from the moment {@code java -jar <app>.jar} is launched until the app's first 2xx
 *       answer (gateway and client: {@code GET /health}, which is 200 only once NATS is connected and
 *       the stream is there; sender {@code --serve}: {@code GET /}), polled every 5 ms, NATS already
 *       up; the median of {@value #RUNS} launches. Baseline: the same for the trivial HttpServer in a
 *       JVM of its own (launched from the benchmarks jar) — what the JVM and {@code HttpServer} alone cost.</li>
 *   <li>Size: each app jar, whether it holds any BouncyCastle class, and how much of it is our code.</li>
 * </ul>
 */
final class StartupScenario {
    private static final String SECTION = "start-up";
    private static final int RUNS = 5;
    private static final long MIB = 1 << 20;

    private StartupScenario() {
    }

    static List<Figure> run(Rig rig) throws Exception {
        int runs = rig.size(RUNS, 1);
        double trivial = median(runs, () -> {
            int port = Child.freePort();
            var c = Child.main("baseline-startup", BaselineServer.class, rig.logs(),
                    List.of("trivial", "--port", Integer.toString(port)));
            return timeToFirstAnswer(c, port, "/health");
        });
        var out = new ArrayList<Figure>();
        for (var app : List.of("gateway", "client", "sender")) {
            double ms = median(runs, () -> {
                int port = Child.freePort();
                var args = switch (app) {
                    case "gateway" -> List.of("--port", Integer.toString(port), "--nats", rig.natsUrl(),
                            "--stream", "BENCH_STARTUP", "--subject", "bench.startup");
                    case "client" -> List.of("--port", Integer.toString(port), "--nats", rig.natsUrl(),
                            "--stream", "BENCH_STARTUP", "--subject", "bench.startup", "--replay", "new");
                    default -> List.of("--serve", "--port", Integer.toString(port), "--gateway", "http://127.0.0.1:9");
                };
                var c = Child.jar(app + "-startup", rig.appJar(app), rig.logs(), args);
                return timeToFirstAnswer(c, port, "sender".equals(app) ? "/" : "/health");
            });
            out.add(Figure.compared(SECTION, app + ": java -jar to first served request", ms, Unit.MILLIS,
                    "trivial HttpServer JVM", trivial, Target.atMost(500),
                    "median of " + runs + (app.equals("sender") ? "; GET / of --serve" : "; GET /health = 200")));
        }
        for (var app : List.of("gateway", "client", "sender")) {
            out.add(size(rig, app));
        }
        return out;
    }

    private interface Launch {
        double millis() throws Exception;
    }

    private static double median(int runs, Launch launch) throws Exception {
        var ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            ms[i] = launch.millis();
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static double timeToFirstAnswer(Child child, int port, String path) throws InterruptedException {
        try (child) {
            return (child.awaitHttp(port, path, Rig.START_TIMEOUT) - child.startedNanos()) / 1e6;
        }
    }

    private static Figure size(Rig rig, String app) throws IOException {
        var jar = rig.appJar(app);
        long ours = 0;
        boolean bouncyCastle = false;
        try (var zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                var e = entries.nextElement();
                bouncyCastle |= e.getName().startsWith("org/bouncycastle/");
                if (e.getName().startsWith("io/anomalyflow/")) {
                    ours += e.getCompressedSize();
                }
            }
        }
        double mib = Files.size(jar) / (double) MIB;
        var note = String.format(Locale.ROOT, "%s; our classes %.0f KiB of it",
                bouncyCastle ? "**contains BouncyCastle**" : "no BouncyCastle", ours / 1024.0);
        return Figure.alone("size", app + ".jar", mib, Unit.MIB,
                "sender".equals(app) ? Target.NONE : Target.atMost(4), note);
    }
}
