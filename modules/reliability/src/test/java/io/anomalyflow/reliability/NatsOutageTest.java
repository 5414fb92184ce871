package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.reliability.Ledger.Outcome;
import io.anomalyflow.testsupport.NatsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cases 1 and 2: the event store goes away under steady load, and comes back.
 * <ul>
 *   <li>{@code kill -9} of nats-server, restart on the same store: the gateway answers 503 (not 200,
 *       not a hang) while it is down and recovers by itself; the client and its SSE readers resume
 *       with no gap and no duplicate.</li>
 *   <li>SIGSTOP longer than the gateway's ack timeout, then SIGCONT: publishes whose fate the gateway
 *       cannot know (answered 503, yet stored when the server wakes). The load retries like the sender,
 *       with the same ids; the duplicate window stores each once.</li>
 * </ul>
 */
class NatsOutageTest {
    private static final List<String> GATEWAY = List.of("--ack-timeout", "1s", "--retry-after", "1s");

    @Test
    void killNatsUnderLoad() throws Exception {
        killNatsUnderLoad(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void killNatsUnderLoadSoak() throws Exception {
        killNatsUnderLoad(Variant.SOAK);
    }

    @Test
    void pauseNatsLongerThanTheAckTimeout() throws Exception {
        pauseNats(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void pauseNatsLongerThanTheAckTimeoutSoak() throws Exception {
        pauseNats(Variant.SOAK);
    }

    private void killNatsUnderLoad(Variant variant) throws Exception {
        int before = variant.pick(400, 20_000);
        int after = variant.pick(400, 20_000);
        var outage = variant.pick(Duration.ofSeconds(3), Duration.ofSeconds(20));
        var ledger = new Ledger();
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("kill-nats"), GATEWAY, List.of(),
                     List.of("--sse-buffer", "100000"))) {
            rig.explainFailures(nats::log, () -> {
                var readers = List.of(rig.openReader(), rig.openReader());
                var settings = LoadDriver.Settings.defaults().workers(4).pace(Duration.ofMillis(5));
                try (var load = rig.load(ledger, "kill-nats", settings)) {
                    load.awaitAcked(before, Duration.ofSeconds(60));
                    nats.kill();
                    long down = System.nanoTime();
                    Thread.sleep(outage);
                    long up = System.nanoTime();
                    nats.startAgain();
                    long ackedAtRestart = load.acked();
                    // recovers by itself: nobody touches the gateway, it acknowledges again
                    load.awaitAcked(ackedAtRestart + after, Duration.ofSeconds(90));
                    load.stopAndJoin(Duration.ofSeconds(60));

                    var duringOutage = ledger.attempts().stream().filter(a -> a.within(down, up)).toList();
                    assertThat(duringOutage).as("attempts made and answered while nats-server was down").isNotEmpty();
                    assertThat(duringOutage).as("every answer during the outage is a 503")
                            .allSatisfy(a -> assertThat(a.status()).as(a.detail()).isEqualTo(503));
                    assertThat(load.hangs()).as("requests the gateway left unanswered for 15 s").isZero();
                    assertThat(load.statuses().keySet()).as("statuses seen").containsOnly(200, 503);
                }
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                var expected = rig.awaitClientShows(LedgerCheck.expectedAnomalies(rig.stream(), Rig.RULE));
                for (var reader : readers) {
                    Rig.assertReaderSawExactly(reader, expected);
                }
                Results.record("1. kill -9 nats-server, restart on its store", variant,
                        ledger.size() + " single POSTs, 4 workers", "1 kill, " + outage.toSeconds() + " s down", ledger, verdict,
                        "503 during the outage, no hang; 2 SSE readers: no gap, no duplicate ("
                                + readers.stream().mapToInt(SseReader::connections).sum() + " connections)");
            });
        }
    }

    private void pauseNats(Variant variant) throws Exception {
        int before = variant.pick(300, 10_000);
        int after = variant.pick(300, 10_000);
        // short: shorter than the 10-15 s in which a client's pings notice a hung server, so the
        // publishes sit in the socket and land when the server wakes; soak: longer, so the connection
        // is also declared dead and re-established in the middle of it
        var paused = variant.pick(Duration.ofSeconds(3), Duration.ofSeconds(25));
        var ledger = new Ledger();
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("pause-nats"), GATEWAY, List.of(), List.of())) {
            rig.explainFailures(nats::log, () -> {
                var settings = LoadDriver.Settings.defaults().workers(4).pace(Duration.ofMillis(5))
                        .retries(200, Duration.ofMillis(250));
                try (var load = rig.load(ledger, "pause-nats", settings)) {
                    load.awaitAcked(before, Duration.ofSeconds(60));
                    nats.pause(); // returns once every thread of the server is stopped
                    Thread.sleep(paused);
                    nats.resume();
                    long ackedAtResume = load.acked();
                    load.awaitAcked(ackedAtResume + after, Duration.ofSeconds(90));
                    load.stopAndJoin(Duration.ofSeconds(90));
                    assertThat(load.hangs()).as("requests the gateway left unanswered for 15 s").isZero();
                }
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                assertThat(ledger.count(Outcome.ACKED)).as("every id acknowledged in the end (the sender's retries)")
                        .isEqualTo(ledger.size());
                assertThat(ledger.duplicateReplies())
                        .as("retries answered {duplicate:true}: the pause made publishes ambiguous, the window caught them")
                        .isPositive();
                Results.record("2. SIGSTOP nats-server > ack timeout, SIGCONT", variant,
                        ledger.size() + " single POSTs, 4 workers, retried with the same id",
                        paused.toSeconds() + " s paused (ack timeout 1 s)", ledger, verdict,
                        ledger.duplicateReplies() + " retries answered duplicate:true, each id stored once");
            });
        }
    }
}
