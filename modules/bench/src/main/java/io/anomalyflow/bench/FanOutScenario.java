package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Ten thousand idle SSE readers: a fresh client jar ({@code --replay new}, empty map, so nobody gets
 * a replay) behind a gateway, and {@value #READERS} raw-socket readers on {@code /anomalies/stream},
 * one virtual thread each in the harness. Measured:
 * <ul>
 *   <li>memory per idle reader: the client's heap after a full GC ({@code jcmd GC.run}, then
 *       {@code GC.heap_info}) and its RSS, before the readers connect and once they sit idle,
 *       divided by the number of readers;</li>
 *   <li>fan-out: the time from POSTing one anomaly to the gateway until the last reader read it.</li>
 * </ul>
 * Baseline: the same readers on the trivial server's {@code /idle} ({@link BaselineServer}), a
 * hand-written SSE handler whose virtual thread just waits, and {@code POST /broadcast} waking them all.
 * With {@code BENCH_HISTOGRAM=1} the class histogram of both servers, taken with the readers idle,
 * is written beside their logs.
 */
final class FanOutScenario {
    private static final String SECTION = "fan-out";
    static final int READERS = 10_000;
    private static final String MARK = "fanout";

    private FanOutScenario() {
    }

    /** Memory per reader (bytes, heap and RSS) and the time for one event to reach every reader. */
    record Outcome(double heapPerReader, double rssPerReader, double allReachedMillis, double medianMillis, int failed,
                   String lastFailure) {
    }

    static List<Figure> run(Rig rig) throws Exception {
        int readers = rig.size(READERS, 500);
        var histograms = System.getenv("BENCH_HISTOGRAM") == null ? null : rig.logs();
        Outcome ours;
        int gatewayPort = Child.freePort();
        int clientPort = Child.freePort();
        try (var gateway = rig.gateway("gateway-fanout", gatewayPort, "BENCH_FANOUT", "bench.fanout");
             var client = rig.client("client-fanout", clientPort, "BENCH_FANOUT", "bench.fanout", "new",
                     "--max-streams", Integer.toString(readers), "--max-streams-per-client", Integer.toString(readers))) {
            var anomaly = Http1.post("/measurements", "application/json",
                    Payloads.json(MARK, "1.5").getBytes(StandardCharsets.UTF_8));
            ours = measure(client, clientPort, "/anomalies/stream", readers, () -> post(gatewayPort, anomaly), histograms);
        }
        Outcome floor;
        int port = Child.freePort();
        try (var server = rig.baseline("baseline-idle-sse", port, "trivial")) {
            var broadcast = Http1.post("/broadcast", "text/plain",
                    ("{\"deviceId\":\"" + MARK + "\"}").getBytes(StandardCharsets.UTF_8));
            floor = measure(server, port, "/idle", readers, () -> post(port, broadcast), histograms);
        }
        var n = String.format(Locale.ROOT, "%,d", readers);
        var failed = ours.failed() == 0 ? "" : "; " + ours.failed() + " readers failed to connect or never got the event"
                + (ours.lastFailure() == null ? "" : " (" + ours.lastFailure() + ")");
        var out = new ArrayList<Figure>();
        out.add(Figure.compared(SECTION, "heap per idle SSE reader (" + n + ")", ours.heapPerReader() / 1024, Unit.KIB,
                "hand-written idle handler", floor.heapPerReader() / 1024, Target.ratioAtMost(1.05),
                "heap after full GC, delta / readers" + failed));
        out.add(Figure.compared(SECTION, "RSS per idle SSE reader (" + n + ")", ours.rssPerReader() / 1024, Unit.KIB,
                "hand-written idle handler", floor.rssPerReader() / 1024, Target.atMost(32), "process RSS delta / readers"));
        out.add(Figure.compared(SECTION, "new anomaly reaches all " + n + " readers", ours.allReachedMillis(), Unit.MILLIS,
                "hand-written broadcast", floor.allReachedMillis(), Target.atMost(1000),
                String.format(Locale.ROOT, "median reader %.0f ms; ours includes gateway → NATS → client", ours.medianMillis())));
        return out;
    }

    private interface Trigger {
        void fire() throws IOException;
    }

    private static void post(int port, byte[] request) throws IOException {
        try (var http = Http1.connect(port, Duration.ofSeconds(10))) {
            var r = http.send(request);
            if (r.status() != 200) {
                throw new IOException("POST answered " + r.status() + " " + r.bodyText());
            }
        }
    }

    private static int arrived(AtomicLongArray arrivals) {
        int n = 0;
        for (int k = 0; k < arrivals.length(); k++) {
            if (arrivals.get(k) != 0) {
                n++;
            }
        }
        return n;
    }

    private static Outcome measure(Child server, int port, String path, int readers, Trigger trigger, Path histogramDir)
            throws Exception {
        Thread.sleep(1000);
        long heap0 = server.heapAfterGcBytes();
        long rss0 = server.rssBytes();
        var arrivals = new AtomicLongArray(readers); // written by each reader's thread, polled by this one
        var connected = new CountDownLatch(readers);
        var gate = new Semaphore(256); // connects in flight: stay well inside the accept backlog
        var open = new ConcurrentLinkedQueue<SseClient>();
        var failure = new AtomicReference<String>();
        var threads = new ArrayList<Thread>(readers);
        for (int k = 0; k < readers; k++) {
            int me = k;
            threads.add(Thread.ofVirtual().start(() -> {
                SseClient sse;
                try {
                    gate.acquire();
                    try {
                        sse = SseClient.open(port, path, Duration.ofSeconds(30));
                    } finally {
                        gate.release();
                    }
                } catch (IOException | InterruptedException e) {
                    failure.set(e.toString());
                    connected.countDown();
                    return;
                }
                open.add(sse);
                connected.countDown();
                try {
                    for (var line = sse.readLine(); line != null; line = sse.readLine()) {
                        if (line.startsWith("data:") && line.contains(MARK)) {
                            arrivals.compareAndSet(me, 0, System.nanoTime());
                        }
                    }
                } catch (IOException e) {
                    // closed at the end
                }
            }));
        }
        try {
            if (!connected.await(3, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (readers - connected.getCount()) + " readers connected in 3 min");
            }
            Thread.sleep(2000); // let them go idle: every handler parked, nothing in flight
            long heap1 = server.heapAfterGcBytes();
            long rss1 = server.rssBytes();
            if (histogramDir != null) { // BENCH_HISTOGRAM=1: what the idle readers' memory is made of
                Files.writeString(histogramDir.resolve(server.name() + "-histogram.txt"), server.jcmd("GC.class_histogram"));
            }
            long t0 = System.nanoTime();
            trigger.fire();
            long deadline = t0 + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && arrived(arrivals) < readers) {
                Thread.sleep(5);
            }
            var reached = new long[arrived(arrivals)];
            for (int k = 0, j = 0; k < readers; k++) {
                if (arrivals.get(k) != 0) {
                    reached[j++] = arrivals.get(k) - t0;
                }
            }
            Arrays.sort(reached);
            int failed = readers - reached.length;
            double all = failed == 0 ? reached[reached.length - 1] / 1e6 : Double.NaN;
            double median = reached.length == 0 ? Double.NaN : reached[reached.length / 2] / 1e6;
            int ok = open.size();
            return new Outcome((heap1 - heap0) / (double) ok, (rss1 - rss0) / (double) ok, all, median, failed,
                    failure.get());
        } finally {
            for (var sse : open) {
                try {
                    sse.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            for (var t : threads) {
                t.join(10_000);
            }
        }
    }
}
