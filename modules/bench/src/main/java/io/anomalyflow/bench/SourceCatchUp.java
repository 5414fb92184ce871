package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Client catch-up by source over the same data: a client {@code --replay all --source anomalies}
 * on the detector's anomalies stream against one {@code --source measurements} on the measurements
 * it was made from, each timed from its first anomaly to the last by polling
 * {@code anomalyflow_client_anomalies_total} on {@code /metrics} (both count anomalies there).
 */
final class SourceCatchUp {
    private static final Pattern ANOMALIES = Pattern.compile("(?m)^anomalyflow_client_anomalies_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

    private SourceCatchUp() {
    }

    static Figure run(Rig rig, String stream, String subject, String anomaliesStream, long anomalies) throws Exception {
        double fromAnomalies = time(rig, "client-source-anomalies", anomalies, "--stream", stream, "--subject", subject,
                "--source", "anomalies", "--anomalies-stream", anomaliesStream);
        double fromMeasurements = time(rig, "client-source-measurements", anomalies, "--stream", stream, "--subject", subject,
                "--source", "measurements");
        return Figure.compared("detector", String.format(Locale.ROOT, "client catch-up from ANOMALIES, %,d anomalies", anomalies),
                fromAnomalies, Unit.MILLIS, "from MEASUREMENTS (judging them)", fromMeasurements, Target.NONE,
                "first to last anomaly in the client's map; lower is better");
    }

    /** Milliseconds from the client's first anomaly to its {@code expected}-th. */
    private static double time(Rig rig, String name, long expected, String... source) throws Exception {
        int port = Child.freePort();
        var args = new ArrayList<>(List.of("--port", Integer.toString(port), "--nats", rig.natsUrl(), "--replay", "all"));
        args.addAll(List.of(source));
        try (var client = Child.jar(name, rig.appJar("client"), rig.logs(), args)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long first = 0;
            long count = 0;
            Http1 http = null;
            while (count < expected) {
                if (System.nanoTime() > deadline || !client.isAlive()) {
                    throw new IllegalStateException(name + " had " + count + " of " + expected + " anomalies; its log:\n" + client.tail());
                }
                Thread.sleep(20);
                try {
                    http = http == null ? Http1.connect(port, Duration.ofSeconds(10)) : http;
                    var m = ANOMALIES.matcher(http.get("/metrics").bodyText());
                    count = m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
                } catch (IOException e) {
                    http = null; // not listening yet
                    continue;
                }
                if (first == 0 && count > 0) {
                    first = System.nanoTime();
                }
            }
            if (http != null) {
                http.close();
            }
            return (System.nanoTime() - first) / 1e6;
        }
    }
}
