package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.AppProcess;
import io.anomalyflow.testsupport.NatsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 7: a connection storm. Many clients connect to both servers and drop, again and again, each
 * in one of the rude ways a network offers: closing at once, resetting (RST), leaving half a request
 * line, half a body, a whole request unread, an SSE stream after its first line. Ordinary load runs
 * throughout (retrying like the sender). Afterwards each app must be back where it started: open file
 * descriptors ({@code /proc/<pid>/fd}), operating-system threads ({@code /proc/<pid>/status}), all
 * threads including virtual ones ({@code jcmd Thread.dump_to_file}), and SSE readers (its metric);
 * and neither app may have logged the rude connections as failures (nor grown its log with the storm).
 */
class ConnectionStormTest {
    /** Growth allowed after the storm: a JVM may start a few threads or open a file lazily. */
    private static final int SLACK = 10;
    /** An app's whole log after the storm: its start-up line and a few reconnects at most. */
    private static final int LOG_LINES = 100;

    @Test
    void aShortStormLeaksNothing() throws Exception {
        storm(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void twoThousandClientsForAMinuteLeakNothing() throws Exception {
        storm(Variant.SOAK);
    }

    /** What one app looked like at one moment. */
    private record Footprint(int fds, int osThreads, int allThreads) {
        static Footprint of(AppProcess app) throws IOException, InterruptedException {
            var probe = new ProcessProbe(app.pid());
            return new Footprint(probe.openFiles(), probe.osThreads(), probe.allThreads());
        }

        boolean within(Footprint base) {
            return fds <= base.fds + SLACK && osThreads <= base.osThreads + SLACK
                    && allThreads <= base.allThreads + SLACK;
        }

        @Override
        public String toString() {
            return fds + "/" + osThreads + "/" + allThreads;
        }
    }

    private void storm(Variant variant) throws Exception {
        int clients = variant.pick(300, 2_000);
        var length = variant.pick(Duration.ofSeconds(3), Duration.ofMinutes(1));
        var ledger = new Ledger();
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("connection-storm"), List.of(), List.of(),
                     // a dropped SSE reader is noticed at the next write: make that within a second
                     List.of("--heartbeat", "1s"))) {
            rig.explainFailures(() -> {
                var settings = LoadDriver.Settings.defaults().workers(2).pace(Duration.ofMillis(5))
                        .retries(100, Duration.ofMillis(200));
                try (var load = rig.load(ledger, "storm", settings)) {
                    load.awaitAcked(100, Duration.ofSeconds(60));
                    rig.openReader().close(); // the client's SSE machinery exists before the baseline
                    awaitReaders(rig, 0);
                    var gatewayBefore = Footprint.of(rig.gateway);
                    var clientBefore = Footprint.of(rig.client);

                    var connections = new AtomicLong();
                    var refused = new AtomicLong();
                    long end = System.nanoTime() + length.toNanos();
                    var threads = new ArrayList<Thread>();
                    for (int c = 0; c < clients; c++) {
                        var random = new Random(c);
                        threads.add(Thread.ofVirtual().name("storm-" + c).start(() -> {
                            // bounded twice: by time, and by a count no client reaches at loopback speed
                            for (int i = 0; i < 100_000 && System.nanoTime() < end; i++) {
                                try {
                                    rude(rig, random);
                                    connections.incrementAndGet();
                                } catch (IOException e) {
                                    refused.incrementAndGet();
                                }
                            }
                        }));
                    }
                    for (var t : threads) {
                        assertThat(t.join(length.plusSeconds(60))).as("storm client " + t.getName() + " ended").isTrue();
                    }

                    awaitReaders(rig, 0);
                    var gatewayAfter = awaitBack(rig.gateway, gatewayBefore);
                    var clientAfter = awaitBack(rig.client, clientBefore);
                    assertThat(gatewayAfter.within(gatewayBefore)).as("gateway " + gatewayBefore + " → " + gatewayAfter).isTrue();
                    assertThat(clientAfter.within(clientBefore)).as("client " + clientBefore + " → " + clientAfter).isTrue();
                    assertThat(Probes.status(rig.http, rig.gatewayUrl.resolve("/health"))).isEqualTo(200);
                    assertThat(Probes.status(rig.http, rig.clientUrl.resolve("/health"))).isEqualTo(200);
                    for (var app : List.of(rig.gateway, rig.client)) {
                        // a client that goes away is its own business: no error, no stack trace, no log
                        // that grows with the storm (it would fill the disk of a server under attack)
                        var log = Files.readAllLines(app.out());
                        assertThat(log).as(app.name() + "'s log after the storm").hasSizeLessThan(LOG_LINES)
                                .noneMatch(line -> line.contains("handler failed"));
                    }

                    load.awaitAcked(load.acked() + 100, Duration.ofSeconds(60));
                    load.stopAndJoin(Duration.ofSeconds(60));
                    var verdict = rig.settleAndCheck(ledger);
                    verdict.assertClean();
                    Results.record("7. connection storm", variant,
                            clients + " clients x " + length.toSeconds() + " s, " + connections.get() + " rude connections ("
                                    + refused.get() + " failed to connect) + " + ledger.size() + " ordinary POSTs",
                            "close at once, RST, half a request line, half a body, unread replies, dropped SSE", ledger, verdict,
                            "fds/OS threads/all threads: gateway " + gatewayBefore + " → " + gatewayAfter + ", client "
                                    + clientBefore + " → " + clientAfter);
                }
            });
        }
    }

    /** One connection, dropped in one of several rude ways. */
    private static void rude(Rig rig, Random random) throws IOException {
        boolean toClient = random.nextBoolean();
        int port = toClient ? rig.clientUrl.getPort() : rig.gatewayUrl.getPort();
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(5_000);
            var out = socket.getOutputStream();
            switch (random.nextInt(6)) {
                case 0 -> { } // connect, close
                case 1 -> socket.setSoLinger(true, 0); // close with a reset
                case 2 -> out.write(ascii("GET /hea"));
                case 3 -> out.write(ascii("POST /measurements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"deviceId\":"));
                case 4 -> out.write(ascii("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")); // and never read the reply
                default -> {
                    out.write(ascii(toClient ? "GET /anomalies/stream HTTP/1.1\r\nHost: x\r\n\r\n"
                            : "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
                    socket.getInputStream().read(); // the first byte of the answer, then drop
                }
            }
        }
    }

    private static Footprint awaitBack(AppProcess app, Footprint before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var now = Footprint.of(app);
        while (!now.within(before) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            now = Footprint.of(app);
        }
        return now;
    }

    private static void awaitReaders(Rig rig, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Probes.metric(rig.http, rig.clientUrl, "anomalyflow_client_sse_readers") != n
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(Probes.metric(rig.http, rig.clientUrl, "anomalyflow_client_sse_readers")).as("SSE readers").isEqualTo(n);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
