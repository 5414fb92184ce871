package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.reliability.Ledger.Outcome;
import io.anomalyflow.testsupport.NatsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cases 3 and 4: an app process dies by {@code kill -9} under load and is started again.
 * <ul>
 *   <li>The gateway: every 2xx it gave before it died is in the stream; the load, retrying like the
 *       sender with the same ids, ends with every id stored once.</li>
 *   <li>The client: after the restart its map equals a reference built from the stream, and SSE
 *       readers that reconnect with {@code Last-Event-ID} miss nothing still in the map (nor get
 *       anything twice).</li>
 * </ul>
 */
class AppCrashTest {

    @Test
    void killTheGatewayMidLoad() throws Exception {
        killGateway(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void killTheGatewayMidLoadSoak() throws Exception {
        killGateway(Variant.SOAK);
    }

    @Test
    void killTheClientMidLoad() throws Exception {
        killClient(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void killTheClientMidLoadSoak() throws Exception {
        killClient(Variant.SOAK);
    }

    private void killGateway(Variant variant) throws Exception {
        int rounds = variant.pick(1, 5);
        int between = variant.pick(400, 8_000);
        var ledger = new Ledger();
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("kill-gateway"), List.of(), List.of(), List.of())) {
            rig.explainFailures(nats::log, () -> {
                var settings = LoadDriver.Settings.defaults().workers(8).retries(400, Duration.ofMillis(100));
                long ackedBeforeKills = 0;
                try (var load = rig.load(ledger, "kill-gateway", settings)) {
                    for (int round = 1; round <= rounds; round++) {
                        load.awaitAcked(load.acked() + between, Duration.ofSeconds(90));
                        rig.gateway.kill();
                        long killed = System.nanoTime();
                        // the 2xx answers given before the kill: each must be in the stream
                        ackedBeforeKills = ledger.attempts().stream()
                                .filter(a -> a.outcome() == Outcome.ACKED && a.answeredNanos() < killed).count();
                        rig.gateway.startAgain();
                        rig.gateway.awaitHttp(rig.gatewayUrl.resolve("/health"), Rig.START_TIMEOUT);
                    }
                    load.awaitAcked(load.acked() + between, Duration.ofSeconds(90));
                    load.stopAndJoin(Duration.ofSeconds(90));
                    assertThat(load.statuses()).as("attempts without an answer: the kills cut them off")
                            .containsKey(0);
                }
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean(); // lost == 0 covers the acknowledgements given before each kill
                assertThat(ackedBeforeKills).isPositive();
                assertThat(ledger.count(Outcome.ACKED)).as("every id acknowledged in the end").isEqualTo(ledger.size());
                Results.record("3. kill -9 the gateway mid-load, restart", variant,
                        ledger.size() + " single POSTs, 8 workers, retried with the same id",
                        rounds + " kill(s) + restart on the same port", ledger, verdict,
                        ackedBeforeKills + " acknowledged before the last kill all stored; "
                                + ledger.duplicateReplies() + " retries answered duplicate:true");
            });
        }
    }

    private void killClient(Variant variant) throws Exception {
        int rounds = variant.pick(1, 5);
        int between = variant.pick(400, 8_000);
        var ledger = new Ledger();
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("kill-client"), List.of(), List.of(),
                     List.of("--sse-buffer", "100000"))) {
            rig.explainFailures(nats::log, () -> {
                var readers = List.of(rig.openReader(), rig.openReader());
                var settings = LoadDriver.Settings.defaults().workers(4).pace(Duration.ofMillis(2));
                try (var load = rig.load(ledger, "kill-client", settings)) {
                    for (int round = 1; round <= rounds; round++) {
                        load.awaitAcked(load.acked() + between, Duration.ofSeconds(90));
                        rig.client.kill();
                        rig.client.startAgain();
                        rig.client.awaitHttp(rig.clientUrl.resolve("/health"), Rig.START_TIMEOUT);
                    }
                    load.awaitAcked(load.acked() + between, Duration.ofSeconds(90));
                    load.stopAndJoin(Duration.ofSeconds(60));
                    assertThat(load.statuses().keySet()).as("ingest does not notice the client").containsOnly(200);
                }
                // the map of the restarted client equals the reference built from the stream
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                var expected = LedgerCheck.expectedAnomalies(rig.stream(), Rig.RULE);
                for (var reader : readers) {
                    Rig.assertReaderSawExactly(reader, expected);
                    assertThat(reader.connections()).as("the reader reconnected after each kill").isGreaterThan(rounds);
                }
                Results.record("4. kill -9 the client mid-load, restart", variant,
                        ledger.size() + " single POSTs, 4 workers", rounds + " kill(s) + restart", ledger, verdict,
                        "map rebuilt = stream reference (" + expected.size() + " anomalies); 2 SSE readers resumed with "
                                + "Last-Event-ID: nothing missed, nothing twice");
            });
        }
    }
}
