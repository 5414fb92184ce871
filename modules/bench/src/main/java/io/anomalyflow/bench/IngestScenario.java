package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Ingest throughput, closed loop over raw keep-alive sockets ({@link LoadGen#closedLoop}):
 * <ul>
 *   <li>single-measurement POSTs on 64 connections against the gateway jar, the naive baseline
 *       (HttpServer + synchronous {@code js.publish} per request) and the trivial baseline
 *       (HttpServer answering 200 without NATS), each in its own JVM;</li>
 *   <li>NDJSON batches of 1000 on 4 connections against the gateway, against raw
 *       {@code publishAsync} with a window of 1000 ({@link RawPublish}), which at the same time fills
 *       the stream {@value #CATCHUP_STREAM} that {@link CatchUpScenario} reads next.</li>
 * </ul>
 * Only 200 answers count (for a batch, the {@code accepted} it reports); anything else is an
 * error, shown in the notes. The single-POST servers run in {@value #ROUNDS} alternating rounds
 * (a fresh JVM each), and the table shows the mean with each round in the notes.
 */
final class IngestScenario {
    static final String CATCHUP_STREAM = "BENCH_CATCHUP";
    static final String CATCHUP_SUBJECT = "bench.catchup";
    private static final String SECTION = "ingest";
    private static final int CONNECTIONS = 64;
    private static final int BATCH = 1000;
    private static final int BATCH_CONNECTIONS = 4;
    private static final int ROUNDS = 2;
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

    private IngestScenario() {
    }

    /** Returns the figures; {@code catchupCount} messages are in {@value #CATCHUP_STREAM} afterwards. */
    static List<Figure> run(Rig rig, int catchupCount) throws Exception {
        var warm = rig.time(Duration.ofSeconds(5), Duration.ofSeconds(1));
        var measure = rig.time(Duration.ofSeconds(8), Duration.ofSeconds(2));
        var single = new byte[Payloads.POOL][];
        for (int i = 0; i < single.length; i++) {
            single[i] = Http1.post("/measurements", "application/json", Payloads.body(i));
        }
        var batches = new byte[8][];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = Http1.post("/measurements", "application/x-ndjson", Payloads.ndjson(i * 137, BATCH));
        }

        // Single POSTs: gateway, naive, trivial, twice in alternation, so that load drifting on a
        // shared machine hits all three alike; each round is a fresh JVM.
        var ours = new Rounds();
        var naive = new Rounds();
        var trivial = new Rounds();
        LoadGen.Throughput oursBatch = null;
        for (int round = 0; round < ROUNDS; round++) {
            int port = Child.freePort();
            try (var gateway = rig.gateway("gateway-ingest-" + round, port, "BENCH_INGEST", "bench.ingest")) {
                ours.add(LoadGen.closedLoop(port, CONNECTIONS, warm, measure, i -> single[i % single.length], r -> 1));
                if (round == 0) {
                    oursBatch = LoadGen.closedLoop(port, BATCH_CONNECTIONS, warm, measure, i -> batches[i % batches.length],
                            IngestScenario::accepted);
                }
            }
            port = Child.freePort();
            try (var server = rig.baseline("baseline-naive-" + round, port, "naive", "--nats", rig.natsUrl(),
                    "--stream", "BENCH_NAIVE", "--subject", "bench.naive")) {
                naive.add(LoadGen.closedLoop(port, CONNECTIONS, warm, measure, i -> single[i % single.length], r -> 1));
            }
            port = Child.freePort();
            try (var server = rig.baseline("baseline-trivial-" + round, port, "trivial")) {
                trivial.add(LoadGen.closedLoop(port, CONNECTIONS, warm, measure, i -> single[i % single.length], r -> 1));
            }
        }
        double publishAsync;
        try (var raw = Child.main("baseline-publish-async", RawPublish.class, rig.logs(), List.of("--nats", rig.natsUrl(),
                "--stream", CATCHUP_STREAM, "--subject", CATCHUP_SUBJECT, "--warmup", Integer.toString(catchupCount / 20),
                "--count", Integer.toString(catchupCount - catchupCount / 20), "--window", "1000"))) {
            raw.awaitExit(Duration.ofMinutes(3));
            publishAsync = Results.value(raw.output(), "rate");
        }

        // The same with at most 64 publishes in flight: all that 64 closed-loop connections allow any
        // gateway that answers after the ack (and what the naive handler's 64 threads have too).
        double publishAsync64;
        try (var raw = Child.main("baseline-publish-async-64", RawPublish.class, rig.logs(), List.of("--nats", rig.natsUrl(),
                "--stream", "BENCH_WINDOW64", "--subject", "bench.window64", "--warmup", Integer.toString(catchupCount / 20),
                "--count", Integer.toString(catchupCount / 5), "--window", Integer.toString(CONNECTIONS)))) {
            raw.awaitExit(Duration.ofMinutes(3));
            publishAsync64 = Results.value(raw.output(), "rate");
        }

        var out = new ArrayList<Figure>();
        out.add(Figure.compared(SECTION, "single POST, 64 connections", ours.mean(), Unit.PER_SECOND,
                "naive HttpServer + sync publish", naive.mean(), Target.ratioAtLeast(1.5),
                "mean of " + ROUNDS + " rounds: ours " + ours + ", naive " + naive + ours.errors("gateway")
                        + naive.errors("naive")));
        out.add(Figure.compared(SECTION, "single POST, 64 connections", ours.mean(), Unit.PER_SECOND,
                "trivial HttpServer (no NATS)", trivial.mean(), Target.NONE,
                "the ceiling of the HTTP server alone; rounds " + trivial + trivial.errors("trivial")));
        // What any single-POST gateway on this server and machine can reach: every request pays the
        // HTTP server's cost (the trivial handler's rate) and one publish with at most 64 in flight
        // (raw publishAsync, window 64), on the same cores, so the times per request add up.
        double ceiling = 1 / (1 / trivial.mean() + 1 / publishAsync64);
        out.add(Figure.compared(SECTION, "single POST, 64 connections", ours.mean(), Unit.PER_SECOND,
                "ceiling: trivial HttpServer and raw publishAsync (window 64) in series", ceiling, Target.NONE,
                String.format(Locale.ROOT, "1/(1/trivial + 1/publishAsync64), publishAsync64 %s; the ceiling is %.2f× the naive handler",
                        Unit.PER_SECOND.format(publishAsync64), ceiling / naive.mean())));
        out.add(Figure.compared(SECTION, "NDJSON batches of 1000, 4 connections", oursBatch.unitsPerSecond(), Unit.PER_SECOND,
                "raw publishAsync, window 1000", publishAsync, Target.ratioAtLeast(0.8),
                "measurements/s" + errors(oursBatch, "gateway")));
        return out;
    }

    private static long accepted(Http1.Response r) {
        var m = ACCEPTED.matcher(r.bodyText());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String errors(LoadGen.Throughput t, String who) {
        return t.errors() == 0 ? "" : "; " + who + ": " + t.errors() + " errors (last: " + t.lastError().replace('\n', ' ') + ")";
    }

    /** The rates of one server over the rounds. */
    private static final class Rounds {
        private final List<LoadGen.Throughput> runs = new ArrayList<>();

        void add(LoadGen.Throughput t) {
            runs.add(t);
        }

        double mean() {
            return runs.stream().mapToDouble(LoadGen.Throughput::unitsPerSecond).average().orElse(Double.NaN);
        }

        String errors(String who) {
            var failed = runs.stream().filter(t -> t.errors() > 0).findFirst();
            return failed.map(t -> IngestScenario.errors(t, who)).orElse("");
        }

        @Override
        public String toString() {
            return String.join(" / ", runs.stream().map(t -> Unit.PER_SECOND.format(t.unitsPerSecond())).toList());
        }
    }
}
