package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The detector tier: {@value #STREAM} is filled with {@code N} measurements, two in five of them
 * anomalies ({@link RawPublish} {@code --anomaly-percent 40}), then
 * <ol>
 *   <li>one detector process, then two, each time on a fresh group and a fresh anomalies stream,
 *       timed from the group's first delivery until the group consumer has nothing pending and
 *       nothing unacknowledged and the anomalies stream holds every anomaly (polled on the server
 *       every {@value #POLL_MILLIS} ms); each process's CPU time over that window
 *       ({@link ProcessHandle.Info#totalCpuDuration()}), and nats-server's, as a share of one core;</li>
 *   <li>the baseline {@link RawPull} {@code --ack true}: pull, decode, judge and ack every
 *       measurement, without publishing, the reading half of a detector's work;</li>
 *   <li>client catch-up ({@link SourceCatchUp}) over the same data: {@code --source anomalies} on the
 *       one detector's stream against {@code --source measurements} on {@value #STREAM}.</li>
 * </ol>
 */
final class DetectorScenario {
    static final String STREAM = "BENCH_DETECT";
    static final String SUBJECT = "bench.detect";
    private static final String SECTION = "detector";
    private static final long POLL_MILLIS = 20;
    private static final Pattern JUDGED = Pattern.compile("(?m)^anomalyflow_detector_measurements_total(?:\\{[^}]*})? ([0-9.eE+]+)$");

    private DetectorScenario() {
    }

    static List<Figure> run(Rig rig) throws Exception {
        int n = rig.size(200_000, 20_000);
        long anomalies = 0;
        for (int i = 1; i <= n; i++) { // RawPublish's measured bodies start at 1
            anomalies += Double.parseDouble(Payloads.value40(i)) <= 20 ? 1 : 0;
        }
        double fill;
        try (var raw = Child.main("detector-fill", RawPublish.class, rig.logs(), List.of("--nats", rig.natsUrl(),
                "--stream", STREAM, "--subject", SUBJECT, "--count", Integer.toString(n), "--anomaly-percent", "40"))) {
            raw.awaitExit(Duration.ofMinutes(2));
            fill = Results.value(raw.output(), "rate");
        }
        var one = detect(rig, 1, n, anomalies);
        var two = detect(rig, 2, n, anomalies);
        double pullAck;
        try (var pull = Child.main("baseline-pull-ack", RawPull.class, rig.logs(), List.of("--nats", rig.natsUrl(),
                "--stream", STREAM, "--count", Integer.toString(n), "--ack", "true"))) {
            pull.awaitExit(Duration.ofMinutes(2));
            pullAck = Results.value(pull.output(), "rate");
        }
        var out = new ArrayList<Figure>();
        var size = String.format(Locale.ROOT, "%,d measurements, %,d anomalies", n, anomalies);
        out.add(Figure.compared(SECTION, "1 detector process, " + size, one.rate, Unit.PER_SECOND,
                "raw pull + judge + ack, no publish", pullAck, Target.NONE, "measurements/s; " + one
                        + "; raw publishAsync (window 1000) filled the stream at " + Unit.PER_SECOND.format(fill)));
        out.add(Figure.compared(SECTION, "2 detector processes, " + size, two.rate, Unit.PER_SECOND,
                "1 detector process", one.rate, Target.NONE, "ratio = 2/1 on " + Runtime.getRuntime().availableProcessors()
                        + " cores, shared with nats-server; " + two));
        try {
            out.add(SourceCatchUp.run(rig, STREAM, SUBJECT, outStream(1), anomalies));
        } catch (RuntimeException e) { // a client without --source anomalies: keep the detector's figures
            out.add(Figure.alone(SECTION, "client catch-up from ANOMALIES", Double.NaN, Unit.MILLIS, Target.NONE,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse("").replace("|", "/")));
        }
        return out;
    }

    static String outStream(int processes) {
        return "BENCH_ANOMALIES_" + processes;
    }

    /** One run of {@code processes} detectors on a group and an anomalies stream of their own. */
    private static Run detect(Rig rig, int processes, int n, long anomalies) throws Exception {
        var group = "bench-" + processes;
        var children = new ArrayList<Child>();
        var ports = new ArrayList<Integer>();
        try (var nc = Streams.connect(rig.natsUrl())) {
            for (int k = 0; k < processes; k++) {
                int port = Child.freePort();
                ports.add(port);
                children.add(Child.jar("detector-" + processes + "-" + (k + 1), rig.appJar("detector"), rig.logs(),
                        List.of("--port", Integer.toString(port), "--nats", rig.natsUrl(), "--stream", STREAM,
                                "--subject", SUBJECT, "--group", group, "--out-stream", outStream(processes),
                                "--out-subject", "bench.anomalies." + processes)));
            }
            var pids = new ArrayList<Long>();
            children.forEach(c -> pids.add(c.pid()));
            pids.add(rig.natsPid());
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long first = 0;
            long[] cpuBefore = null;
            while (true) {
                for (var c : children) {
                    if (System.nanoTime() > deadline || !c.isAlive()) {
                        throw new IllegalStateException(c + " did not finish " + n + " measurements in time or exited; its log:\n"
                                + c.tail());
                    }
                }
                Thread.sleep(POLL_MILLIS);
                var info = consumer(nc, group);
                if (info == null) {
                    continue;
                }
                if (first == 0 && info.getDelivered().getConsumerSequence() > 0) {
                    first = System.nanoTime();
                    cpuBefore = cpu(pids);
                }
                if (first != 0 && info.getNumPending() == 0 && info.getNumAckPending() == 0
                        && stored(nc, outStream(processes)) >= anomalies) {
                    break;
                }
            }
            double seconds = (System.nanoTime() - first) / 1e9;
            var cpuAfter = cpu(pids);
            var text = new StringBuilder(String.format(Locale.ROOT, "%.1f s; CPU, share of one core:", seconds));
            for (int k = 0; k < pids.size(); k++) {
                var who = k < processes ? "detector " + (k + 1) : "nats-server";
                text.append(String.format(Locale.ROOT, " %s %.0f%%", who, 100 * (cpuAfter[k] - cpuBefore[k]) / 1e9 / seconds));
                if (k < processes) {
                    text.append(String.format(Locale.ROOT, " (%,d judged)", judged(ports.get(k))));
                }
                text.append(k + 1 < pids.size() ? "," : "");
            }
            long stored = stored(nc, outStream(processes));
            if (stored != anomalies) {
                throw new IllegalStateException(outStream(processes) + " holds " + stored + " events, expected " + anomalies);
            }
            return new Run(n / seconds, text.toString());
        } finally {
            children.forEach(Child::close);
        }
    }

    private static io.nats.client.api.ConsumerInfo consumer(Connection nc, String group) throws Exception {
        try {
            return nc.jetStreamManagement().getConsumerInfo(STREAM, group);
        } catch (JetStreamApiException e) {
            return null; // not created yet
        }
    }

    private static long stored(Connection nc, String stream) throws Exception {
        try {
            return Streams.messages(nc, stream);
        } catch (JetStreamApiException e) {
            return 0;
        }
    }

    /** CPU time (user + system) of each process so far, in nanoseconds. */
    private static long[] cpu(List<Long> pids) {
        var out = new long[pids.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ProcessHandle.of(pids.get(k)).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
        }
        return out;
    }

    private static long judged(int port) {
        try (var http = Http1.connect(port, Duration.ofSeconds(5))) {
            var m = JUDGED.matcher(http.get("/metrics").bodyText());
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private record Run(double rate, String text) {
        @Override
        public String toString() {
            return text;
        }
    }
}
