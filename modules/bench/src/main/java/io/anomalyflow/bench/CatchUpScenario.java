package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Client catch-up: a client jar started with {@code --replay all} on the stream
 * {@link IngestScenario} filled, timed from its first read message to its last by polling its
 * {@code /metrics} ({@code anomalyflow_client_messages_total}) every {@value #POLL_MILLIS} ms, against
 * {@link RawPull} (jnats consume + EventCodec + the anomaly rule) reading the same stream in its
 * own JVM. Both start cold, and both are timed from their first message.
 */
final class CatchUpScenario {
    private static final String SECTION = "read";
    private static final long POLL_MILLIS = 50;
    private static final Pattern MESSAGES = Pattern.compile("(?m)^anomalyflow_client_messages_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

    private CatchUpScenario() {
    }

    static List<Figure> run(Rig rig) throws Exception {
        long stored;
        try (var nc = Streams.connect(rig.natsUrl())) {
            stored = Streams.messages(nc, IngestScenario.CATCHUP_STREAM);
        }
        double ours;
        double oursSeconds;
        int port = Child.freePort();
        try (var client = Child.jar("client-catchup", rig.appJar("client"), rig.logs(), List.of("--port",
                Integer.toString(port), "--nats", rig.natsUrl(), "--stream", IngestScenario.CATCHUP_STREAM,
                "--subject", IngestScenario.CATCHUP_SUBJECT, "--replay", "all"))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            long firstNanos = 0;
            long firstCount = 0;
            long count = 0;
            Http1 http = null;
            while (count < stored) {
                if (System.nanoTime() > deadline || !client.isAlive()) {
                    throw new IllegalStateException("the client read " + count + " of " + stored + " messages; its log:\n"
                            + client.tail());
                }
                Thread.sleep(POLL_MILLIS);
                try {
                    http = http == null ? Http1.connect(port, Duration.ofSeconds(10)) : http;
                    var m = MESSAGES.matcher(http.get("/metrics").bodyText());
                    count = m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
                } catch (IOException e) {
                    http = null; // not listening yet
                    continue;
                }
                if (firstNanos == 0 && count > 0) {
                    firstNanos = System.nanoTime();
                    firstCount = count;
                }
            }
            oursSeconds = (System.nanoTime() - firstNanos) / 1e9;
            ours = (count - firstCount) / oursSeconds;
            if (http != null) {
                http.close();
            }
        }
        double raw;
        try (var pull = Child.main("baseline-raw-pull", RawPull.class, rig.logs(), List.of("--nats", rig.natsUrl(),
                "--stream", IngestScenario.CATCHUP_STREAM, "--count", Long.toString(stored)))) {
            pull.awaitExit(Duration.ofMinutes(3));
            raw = Results.value(pull.output(), "rate");
        }
        return List.of(Figure.compared(SECTION, String.format(Locale.ROOT, "client catch-up, %,d stored", stored), ours,
                Unit.PER_SECOND, "raw pull + decode", raw, Target.ratioAtLeast(0.9),
                String.format(Locale.ROOT, "messages/s; the client took %.1f s from its first message", oursSeconds)));
    }
}
