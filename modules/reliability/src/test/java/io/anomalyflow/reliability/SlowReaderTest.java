package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.NatsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 6: among fast SSE readers, one that never reads and one that reads a byte a second. The
 * client's promise: a slow reader never slows the pipeline or the other readers;
 * each reader has a bounded buffer that drops its oldest, and drops are counted. So: the fast readers
 * get every anomaly once, in order; ingest sees only 200s; the drops show in the metric; the client's
 * heap after a full GC does not grow between the middle and the end of the load (its map is bounded
 * too, {@code --max-anomalies}); and once the slow sockets close, their writers are gone.
 */
class SlowReaderTest {
    /** The default: a second or so of slack for a fast reader's writer at this load. */
    private static final int SSE_BUFFER = 1000;
    private static final int MAP_LIMIT = 3000;

    @Test
    void slowAndStuckReadersSlowNobody() throws Exception {
        slowReaders(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void slowAndStuckReadersSlowNobodySoak() throws Exception {
        slowReaders(Variant.SOAK);
    }

    private void slowReaders(Variant variant) throws Exception {
        // The kernel holds about 2 MB (some 12 000 events) for a reader that does not read before the
        // client's writer blocks and its buffer starts dropping: so even the short run sends 18 000
        // (16 400 anomalies), in small NDJSON batches, paced: a steady rate a fast reader's writer
        // keeps up with (big bursts would overflow any buffer, fast reader or not).
        int measurements = variant.pick(18_000, 400_000);
        var ledger = new Ledger();
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("slow-readers"), List.of(), List.of("-Xmx128m"),
                     List.of("--sse-buffer", Integer.toString(SSE_BUFFER), "--max-anomalies", Integer.toString(MAP_LIMIT)));
             var stuck = openRaw(rig);
             var trickle = openRaw(rig)) {
            rig.explainFailures(() -> {
                var fast = List.of(rig.openReader(), rig.openReader(), rig.openReader());
                var trickled = new AtomicLong();
                var trickler = Thread.ofVirtual().name("byte-a-second").start(() -> trickle(trickle, trickled));
                assertThat(Probes.metric(rig.http, rig.clientUrl, "anomalyflow_client_sse_readers")).isEqualTo(5);

                // values in [0, 22): ten in eleven at or below 20, so the slow readers' buffers overflow
                // soon; the long run has volume enough with four in five ([0, 25))
                var settings = LoadDriver.Settings.defaults().workers(2).max(measurements)
                        .maxValue(variant.pick(22, 25)).batch(10)
                        .pace(Duration.ofMillis(5));
                long heapMid;
                long rssMid;
                try (var load = rig.load(ledger, "slow-readers", settings)) {
                    load.awaitAcked(measurements / 2, Duration.ofSeconds(variant.pick(60, 600)));
                    heapMid = new ProcessProbe(rig.client.pid()).heapAfterGcKiB();
                    rssMid = new ProcessProbe(rig.client.pid()).residentKiB();
                    load.awaitAcked(measurements, Duration.ofSeconds(variant.pick(60, 600)));
                    load.stopAndJoin(Duration.ofSeconds(60));
                    assertThat(load.statuses().keySet()).as("ingest: only 200s").containsOnly(200);
                    assertThat(load.hangs()).isZero();
                }
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();

                var all = LedgerCheck.expectedAnomalies(rig.stream(), Rig.RULE);
                for (var reader : fast) {
                    Rig.assertReaderSawExactly(reader, all);
                }
                double dropped = Probes.metric(rig.http, rig.clientUrl, "anomalyflow_client_sse_dropped_total");
                assertThat(dropped).as("anomalies dropped for the two slow readers").isPositive();
                long heapEnd = new ProcessProbe(rig.client.pid()).heapAfterGcKiB();
                long rssEnd = new ProcessProbe(rig.client.pid()).residentKiB();
                assertThat(heapEnd).as("heap after GC at the end vs the middle (KiB)").isLessThan(heapMid + 16 * 1024);

                trickler.interrupt();
                stuck.close();
                trickle.close();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (Probes.metric(rig.http, rig.clientUrl, "anomalyflow_client_sse_readers") > 3
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(Probes.metric(rig.http, rig.clientUrl, "anomalyflow_client_sse_readers"))
                        .as("readers left once the slow sockets closed").isEqualTo(3);
                Results.record("6. slow and stuck SSE readers among fast ones", variant,
                        ledger.size() + " in NDJSON batches of 10, paced (" + variant.pick("10 in 11", "4 in 5")
                                + " anomalies), 3 fast + 1 stuck + 1 byte/s reader",
                        "reader buffers " + SSE_BUFFER + ", map " + MAP_LIMIT + ", client -Xmx128m", ledger, verdict,
                        "fast readers got all " + all.size() + " anomalies; " + (long) dropped + " dropped for the slow ones;"
                                + " heap after GC " + heapMid / 1024 + " → " + heapEnd / 1024 + " MiB, RSS " + rssMid / 1024
                                + " → " + rssEnd / 1024 + " MiB; slow reader read " + trickled.get() + " bytes");
            });
        }
    }

    /** An SSE request on a socket with a tiny receive window that nobody reads (unless trickled). */
    private static Socket openRaw(Rig rig) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(2048); // before connect, so the window stays small
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), rig.clientUrl.getPort()), 5_000);
        var request = "GET /anomalies/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        // the status line, so the reader is registered before the load starts
        var in = socket.getInputStream();
        var status = new StringBuilder();
        socket.setSoTimeout(10_000);
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            status.append((char) c);
        }
        if (!status.toString().startsWith("HTTP/1.1 200")) {
            socket.close();
            throw new AssertionError("SSE on a raw socket answered: " + status);
        }
        return socket;
    }

    /** Reads one byte a second until interrupted or the socket closes. */
    private static void trickle(Socket socket, AtomicLong read) {
        try {
            socket.setSoTimeout(0);
            InputStream in = socket.getInputStream();
            while (!Thread.currentThread().isInterrupted() && in.read() != -1) {
                read.incrementAndGet();
                Thread.sleep(1_000);
            }
        } catch (IOException | InterruptedException e) {
            // closed by the test: done
        }
    }
}
