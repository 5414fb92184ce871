package io.anomalyflow.bench;

import io.anomalyflow.bench.Figure.Target;
import io.anomalyflow.bench.Figure.Unit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end latency, POST to SSE event, open loop: a gateway jar and a client jar
 * ({@code --replay new}) on a stream of their own, one SSE reader on the client's
 * {@code /anomalies/stream}, and {@value #CONNECTIONS} keep-alive connections posting anomalies
 * ({@code deviceId "L<n>"}, value 5.5) at a fixed rate. The latency of measurement {@code n} is
 * the time from its <em>intended</em> send time to the moment its event was read, so a stall is
 * charged to every request it delayed. After a warm-up at the same rate, each rate is measured for a
 * fixed number of requests; events that never arrive are counted as lost.
 *
 * <p>Baseline: the trivial HttpServer ({@link BaselineServer}) under the same open loop, POST to
 * answer — the tail this machine gives any HTTP round trip at that rate, before NATS and SSE.
 */
final class LatencyScenario {
    private static final String SECTION = "latency";
    private static final int CONNECTIONS = 32;
    private static final int[] RATES = {1000, 5000};

    private LatencyScenario() {
    }

    /** Percentiles of one phase, in milliseconds, with the number of requests that got no answer or no event. */
    record Percentiles(double p50, double p99, double p999, double max, int lost) {
        static Percentiles of(long[] nanos) {
            var ok = Arrays.stream(nanos).filter(n -> n >= 0).sorted().toArray();
            int lost = nanos.length - ok.length;
            if (ok.length == 0) {
                return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN, lost);
            }
            return new Percentiles(at(ok, 0.50), at(ok, 0.99), at(ok, 0.999), ok[ok.length - 1] / 1e6, lost);
        }

        private static double at(long[] sorted, double q) {
            return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
        }
    }

    static List<Figure> run(Rig rig) throws Exception {
        var warmFirst = rig.time(Duration.ofSeconds(5), Duration.ofSeconds(1));
        var warmNext = rig.time(Duration.ofSeconds(2), Duration.ofSeconds(1));
        var measure = new Duration[] {rig.time(Duration.ofSeconds(15), Duration.ofSeconds(2)),
            rig.time(Duration.ofSeconds(6), Duration.ofSeconds(2))};
        var e2e = new Percentiles[RATES.length];
        var gatewayAck = new Percentiles[RATES.length];
        int gatewayPort = Child.freePort();
        int clientPort = Child.freePort();
        try (var gateway = rig.gateway("gateway-e2e", gatewayPort, "BENCH_E2E", "bench.e2e");
             var client = rig.client("client-e2e", clientPort, "BENCH_E2E", "bench.e2e", "new");
             var reader = new EventTimes(clientPort, 1 << 20)) {
            int next = 0;
            for (int r = 0; r < RATES.length; r++) {
                var warm = r == 0 ? warmFirst : warmNext;
                next += phase(gatewayPort, RATES[r], (int) (RATES[r] * warm.toMillis() / 1000), next, null, null);
                int count = (int) (RATES[r] * measure[r].toMillis() / 1000);
                var ack = new long[count];
                var events = new long[count];
                next += phase(gatewayPort, RATES[r], count, next, ack, events);
                reader.awaitAll(next - count, count, Duration.ofSeconds(5));
                reader.fill(next - count, events);
                e2e[r] = Percentiles.of(events);
                gatewayAck[r] = Percentiles.of(ack);
            }
        }
        var trivial = new Percentiles[RATES.length];
        int port = Child.freePort();
        try (var server = rig.baseline("baseline-trivial-latency", port, "trivial")) {
            int next = 0;
            for (int r = 0; r < RATES.length; r++) {
                var warm = r == 0 ? warmFirst : warmNext;
                next += phase(port, RATES[r], (int) (RATES[r] * warm.toMillis() / 1000), next, null, null);
                int count = (int) (RATES[r] * measure[r].toMillis() / 1000);
                var ack = new long[count];
                next += phase(port, RATES[r], count, next, ack, null);
                trivial[r] = Percentiles.of(ack);
            }
        }
        var out = new ArrayList<Figure>();
        for (int r = 0; r < RATES.length; r++) {
            var at = String.format(Locale.ROOT, " at %,d/s", RATES[r]);
            var baseline = "trivial HttpServer POST→200";
            var note = String.format(Locale.ROOT, "gateway POST→200 p50 %.2f / p99 %.2f ms; max %.1f ms; %d lost",
                    gatewayAck[r].p50(), gatewayAck[r].p99(), e2e[r].max(), e2e[r].lost());
            out.add(Figure.compared(SECTION, "E2E POST→SSE p50" + at, e2e[r].p50(), Unit.MILLIS, baseline, trivial[r].p50(),
                    Target.NONE, note));
            out.add(Figure.compared(SECTION, "E2E POST→SSE p99" + at, e2e[r].p99(), Unit.MILLIS, baseline, trivial[r].p99(),
                    Target.atMost(10), "")); // at 1 000/s and at 5 000/s alike
            out.add(Figure.compared(SECTION, "E2E POST→SSE p99.9" + at, e2e[r].p999(), Unit.MILLIS, baseline,
                    trivial[r].p999(), RATES[r] == 1000 ? Target.ratioAtMost(2) : Target.NONE,
                    RATES[r] == 1000 ? "within 2× of a bare HTTP round trip's tail" : ""));
        }
        return out;
    }

    /**
     * Sends {@code count} anomalies numbered {@code first…} at {@code rate}; fills {@code ack} (POST
     * to answer) and {@code due} (each one's intended send time) when given; returns {@code count}.
     */
    private static int phase(int port, int rate, int count, int first, long[] ack, long[] due)
            throws InterruptedException {
        var acks = ack != null ? ack : new long[count];
        var requests = new byte[count][];
        for (int i = 0; i < count; i++) {
            requests[i] = Http1.post("/measurements", "application/json",
                    Payloads.json("L" + (first + i), "5.5").getBytes(StandardCharsets.UTF_8));
        }
        long start = System.nanoTime() + 20_000_000; // due times begin just after the requests are built
        LoadGen.openLoop(port, CONNECTIONS, rate, count, start, i -> requests[i], acks);
        if (due != null) {
            for (int i = 0; i < count; i++) {
                due[i] = LoadGen.dueNanos(start, rate, i);
            }
        }
        return count;
    }

    /** One SSE reader that stamps when each {@code deviceId "L<n>"} event arrives. */
    private static final class EventTimes implements AutoCloseable {
        private static final String MARK = "\"deviceId\":\"L";
        private final long[] arrivals;
        private final SseClient sse;
        private final Thread thread;

        EventTimes(int port, int capacity) throws IOException {
            this.arrivals = new long[capacity];
            this.sse = SseClient.open(port, "/anomalies/stream", Duration.ofSeconds(10));
            this.thread = Thread.ofPlatform().name("sse-latency-reader").start(this::read);
        }

        private void read() {
            try {
                for (var line = sse.readLine(); line != null; line = sse.readLine()) {
                    int at = line.startsWith("data:") ? line.indexOf(MARK) : -1;
                    if (at >= 0) {
                        long now = System.nanoTime();
                        int end = line.indexOf('"', at + MARK.length());
                        int n = Integer.parseInt(line, at + MARK.length(), end, 10);
                        synchronized (arrivals) {
                            if (n < arrivals.length && arrivals[n] == 0) {
                                arrivals[n] = now;
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // closed at the end of the scenario
            }
        }

        void awaitAll(int first, int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (arrivals) {
                    boolean all = true;
                    for (int i = first; i < first + count && all; i++) {
                        all = arrivals[i] != 0;
                    }
                    if (all) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }

        /** Turns {@code dueOrLatency[i]} (the due time of {@code first + i}) into its latency, or -1 when lost. */
        void fill(int first, long[] dueOrLatency) {
            synchronized (arrivals) {
                for (int i = 0; i < dueOrLatency.length; i++) {
                    long a = arrivals[first + i];
                    dueOrLatency[i] = a == 0 ? -1 : a - dueOrLatency[i];
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            sse.close();
            thread.join(5000);
        }
    }
}
