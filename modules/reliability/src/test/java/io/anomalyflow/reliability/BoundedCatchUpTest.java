package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.reliability.Ledger.Attempt;
import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 14: a client restarted with far more anomalies inside its TTL than its {@code --max-anomalies}.
 * The stream is filled straight through jnats (in big asynchronous windows, each message entered in
 * the ledger as acknowledged at the seq JetStream gave), every value at or below the threshold, so
 * every message is an anomaly; the client's map is bounded to a quarter (short) or a twelfth (soak) of
 * them. The client is killed ({@code kill -9}) and started again: it reads the whole TTL back.
 *
 * <p>What must hold: the client's heap after a full GC grows with the bound, not with what is stored
 * (at most twice the map's measured cost per anomaly, about 360 bytes, above its empty heap), before and
 * after the restart; the restarted client lists exactly the newest {@code --max-anomalies} anomalies of
 * the stream (the ledger's rule 4 with the bound); and the ledger is clean. The catch-up time (from
 * the restart to its {@code /health} showing the stream's last seq) is reported, not asserted.
 */
class BoundedCatchUpTest {
    private static final int WINDOW = 5_000;
    /** Twice what {@code AnomalyStoreMemoryTest} measures per anomaly in the map. */
    private static final long BYTES_PER_ANOMALY = 720;
    /** The rest of the heap may wobble by this much between two full collections. */
    private static final long SLACK_KIB = 8 * 1024;
    private static final Pattern LAST_SEQ = Pattern.compile("\"lastSeq\":(\\d+)");
    private static final Pattern IN_MAP = Pattern.compile("\"anomaliesInMap\":(\\d+)");

    @Test
    void aRestartedClientKeepsTheNewestWithinItsBound() throws Exception {
        catchUp(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void aRestartedClientKeepsTheNewestWithinItsBoundSoak() throws Exception {
        catchUp(Variant.SOAK);
    }

    private void catchUp(Variant variant) throws Exception {
        int stored = variant.pick(200_000, 1_000_000);
        // at most 9 999 per device: the checks read the list device by device, a page of 10 000 each
        int bound = variant.pick(50_000, 80_000);
        var ledger = new Ledger();
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("bounded-catch-up"), List.of(), List.of("-Xmx256m"),
                     List.of("--max-anomalies", Integer.toString(bound)));
             var nc = StreamReadback.connect(nats.url())) {
            rig.explainFailures(nats::log, () -> {
                long heapEmpty = new ProcessProbe(rig.client.pid()).heapAfterGcKiB();
                long last = publish(nc.jetStream(), ledger, stored, variant);
                var live = awaitCaughtUp(rig.http, rig.clientUrl, last, Duration.ofSeconds(variant.pick(120, 600)));
                long heapLive = new ProcessProbe(rig.client.pid()).heapAfterGcKiB();

                rig.client.kill();
                long restarted = System.nanoTime();
                rig.client.startAgain();
                var again = awaitCaughtUp(rig.http, rig.clientUrl, last, Duration.ofSeconds(variant.pick(120, 600)));
                long catchUpMillis = (again.at() - restarted) / 1_000_000;
                long heapAfter = new ProcessProbe(rig.client.pid()).heapAfterGcKiB();
                long rssAfter = new ProcessProbe(rig.client.pid()).residentKiB();

                long allowedKiB = heapEmpty + bound * BYTES_PER_ANOMALY / 1024 + SLACK_KIB;
                assertThat(live.inMap()).as("anomalies in the map before the restart").isEqualTo(bound);
                assertThat(again.inMap()).as("anomalies in the map after the restart").isEqualTo(bound);
                assertThat(heapLive).as("heap after GC (KiB) with %d stored, bound %d, empty %d KiB", stored, bound, heapEmpty)
                        .isLessThanOrEqualTo(allowedKiB);
                assertThat(heapAfter).as("heap after GC (KiB) once caught up after the restart").isLessThanOrEqualTo(allowedKiB);

                var verdict = rig.settleAndCheck(ledger); // the newest `bound` anomalies, exactly
                verdict.assertClean();
                assertThat(verdict.anomaliesExpected()).isEqualTo(bound);
                Results.record("14. client restarted with " + stored + " anomalies stored, --max-anomalies " + bound, variant,
                        stored + " measurements published straight into the stream (all anomalies)",
                        "kill -9 the client, restart; client -Xmx256m", ledger, verdict,
                        "caught up " + stored + " in " + catchUpMillis + " ms after the restart (a JVM start included); the newest " + bound
                                + " listed exactly; heap after GC " + heapEmpty / 1024 + " MiB empty, " + heapLive / 1024
                                + " MiB before the restart, " + heapAfter / 1024 + " MiB after (allowed " + allowedKiB / 1024
                                + "), RSS " + rssAfter / 1024 + " MiB");
            });
        }
    }

    /**
     * Publishes {@code count} measurements, values 0.00–20.00 over 10 devices, in windows of
     * {@value #WINDOW} asynchronous publishes; enters each in the ledger as acknowledged at its seq.
     * Returns the last seq.
     */
    private static long publish(JetStream js, Ledger ledger, int count, Variant variant) throws Exception {
        var codec = EventCodec.create();
        var random = new Random(14);
        long last = 0;
        for (int from = 0; from < count; from += WINDOW) {
            var window = new ArrayList<Measurement>(WINDOW);
            var acks = new ArrayList<CompletableFuture<PublishAck>>(WINDOW);
            long sent = System.nanoTime();
            for (int i = from; i < Math.min(count, from + WINDOW); i++) {
                var m = new Measurement("bulk-" + variant.name().toLowerCase() + "-" + i,
                        Instant.now().truncatedTo(ChronoUnit.MILLIS), "dev-" + (i % 10),
                        BigDecimal.valueOf(random.nextInt(2_001), 2));
                ledger.sent(m);
                window.add(m);
                acks.add(js.publishAsync("measurements", codec.encode(m)));
            }
            for (int i = 0; i < window.size(); i++) {
                var ack = acks.get(i).join();
                ledger.attempt(window.get(i).id(), Attempt.acked(ack.getSeqno(), ack.isDuplicate(), sent, System.nanoTime()));
                last = Math.max(last, ack.getSeqno());
            }
        }
        return last;
    }

    /** When the client's {@code /health} first showed {@code lastSeq} at {@code last}, and its map's size then. */
    private record CaughtUp(long at, long inMap) {
    }

    private static CaughtUp awaitCaughtUp(HttpClient http, URI client, long last, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                var r = Probes.get(http, client.resolve("/health"));
                body = r.body();
                var seq = LAST_SEQ.matcher(body);
                if (r.statusCode() == 200 && seq.find() && Long.parseLong(seq.group(1)) >= last) {
                    long at = System.nanoTime();
                    var inMap = IN_MAP.matcher(body);
                    return new CaughtUp(at, inMap.find() ? Long.parseLong(inMap.group(1)) : -1);
                }
            } catch (IOException e) {
                body = e.toString(); // not listening yet after the restart
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the client did not read up to seq " + last + " within " + timeout + "; /health: " + body);
    }
}
