package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.testsupport.AnomalyLedger;
import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.Connection;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 11: two detectors of one group, {@code kill -9}ed again and again while the load goes on
 * through the gateway; each is started again at once, and the last round kills both before starting
 * them again (the group resumes from its durable consumer, on the server). The detectors run with an
 * ack wait of 2 s, so the work a killed one pulled and did not ack goes to the other within seconds.
 * What must hold:
 * <ul>
 *   <li>ingest never notices (only 200s), and the ledger is clean: every acknowledged measurement is
 *       stored once, and the client shows exactly the stored anomalies;</li>
 *   <li>ANOMALIES holds each anomaly of the stored measurements exactly once
 *       ({@link AnomalyLedger}), although measurements were judged again after each kill (counted:
 *       redeliveries, and anomalies JetStream reported as duplicates).</li>
 * </ul>
 * The short variant (4 rounds, a few thousand POSTs) runs in {@code make test}; the soak variant 20 rounds.
 */
class DetectorCrashTest {
    private static final Duration GROUP_DONE = Duration.ofSeconds(60);

    @Test
    void killDetectorsRepeatedlyUnderLoad() throws Exception {
        killDetectors(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void killDetectorsRepeatedlyUnderLoadSoak() throws Exception {
        killDetectors(Variant.SOAK);
    }

    private static void killDetectors(Variant variant) throws Exception {
        int rounds = variant.pick(4, 20);
        int between = variant.pick(500, 3_000);
        var ledger = new Ledger();
        var logs = variant.logs("kill-detectors");
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), logs, List.of(), List.of(), List.of());
             var group = DetectorGroup.start(2, nats.url(), logs, List.of("--ack-wait", "2s"));
             var nc = StreamReadback.connect(nats.url())) {
            rig.explainFailures(() -> group.logs() + "\n===== nats =====\n" + nats.log(), () -> {
                var tally = new Tally(rig.http, group);
                var settings = LoadDriver.Settings.defaults().workers(4).pace(Duration.ofMillis(2));
                try (var load = rig.load(ledger, "kill-detectors", settings)) {
                    for (int round = 1; round <= rounds; round++) {
                        load.awaitAcked(load.acked() + between, Duration.ofSeconds(90));
                        if (round < rounds) {
                            int victim = round % group.size();
                            tally.add(victim);
                            group.kill(victim);
                            group.startAgain(victim);
                        } else { // the last round leaves no detector alive for a moment
                            for (int i = 0; i < group.size(); i++) {
                                tally.add(i);
                                group.kill(i);
                            }
                            for (int i = 0; i < group.size(); i++) {
                                group.startAgain(i);
                            }
                        }
                    }
                    load.awaitAcked(load.acked() + between, Duration.ofSeconds(90));
                    load.stopAndJoin(Duration.ofSeconds(60));
                    assertThat(load.statuses().keySet()).as("ingest does not notice the detectors").containsOnly(200);
                }
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                awaitGroupDone(nc);
                var codec = EventCodec.create();
                var report = AnomalyLedger.check(nc, Rig.STREAM, DetectorGroup.OUT_STREAM,
                        data -> DetectorGroup.isAnomaly(codec, Rig.RULE, data));
                assertThat(report.exactlyOnce()).as(report.summary()).isTrue();
                assertThat((long) report.expected()).as("anomalies in ANOMALIES = anomalies the client shows")
                        .isEqualTo(verdict.anomaliesExpected());
                for (int i = 0; i < group.size(); i++) {
                    tally.add(i);
                }
                assertThat(tally.redeliveries).as("measurements a killed detector held, judged again by another")
                        .isPositive();
                Results.record("11. kill -9 detectors under load", variant,
                        ledger.size() + " single POSTs, 4 workers; 2 detectors, ack wait 2 s",
                        (rounds - 1) + " kill(s) of one detector + 1 of both, each restarted at once", ledger, verdict,
                        "ANOMALIES: " + report.expected() + " anomalies, each stored once; at least "
                                + tally.redeliveries + " redeliveries and " + tally.duplicates
                                + " anomalies judged again that JetStream reported as duplicates");
            });
        }
    }

    /** Waits until the group's consumer handed out every measurement and got every ack back. */
    private static void awaitGroupDone(Connection nc) throws Exception {
        long deadline = System.nanoTime() + GROUP_DONE.toNanos();
        String last;
        do {
            var info = nc.jetStreamManagement().getConsumerInfo(Rig.STREAM, DetectorGroup.GROUP);
            if (info.getNumPending() == 0 && info.getNumAckPending() == 0) {
                return;
            }
            last = "pending " + info.getNumPending() + ", ack pending " + info.getNumAckPending();
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("group " + DetectorGroup.GROUP + " not done within " + GROUP_DONE + ": " + last);
    }

    /** What the detectors counted, read from each before it is killed and from all at the end. */
    private static final class Tally {
        private final HttpClient http;
        private final DetectorGroup group;
        long redeliveries;
        long duplicates;

        Tally(HttpClient http, DetectorGroup group) {
            this.http = http;
            this.group = group;
        }

        void add(int detector) throws InterruptedException {
            redeliveries += group.counter(http, detector, "anomalyflow_detector_redeliveries_total");
            duplicates += group.counter(http, detector, "anomalyflow_detector_anomalies_duplicate_total");
        }
    }
}
