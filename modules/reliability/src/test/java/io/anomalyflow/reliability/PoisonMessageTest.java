package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.NatsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 5: messages that are not measurements, published straight into the subject, around the
 * gateway (as a buggy or hostile producer with access to NATS would): not JSON, wrong types, an empty
 * payload, deep nesting, invalid UTF-8, and 1 MiB of junk (the server's largest payload). The client
 * skips and counts each one and keeps going: the measurements posted around them are all detected.
 */
class PoisonMessageTest {
    private static final int MIB = 1 << 20;

    @Test
    void poisonIsSkippedCountedAndThePipelineKeepsGoing() throws Exception {
        poison(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void poisonIsSkippedCountedAndThePipelineKeepsGoingSoak() throws Exception {
        poison(Variant.SOAK);
    }

    /** The poison, in the order it is published; the last one is the 1 MiB of junk. */
    static List<byte[]> poison(Random random) {
        var junk = new byte[MIB];
        random.nextBytes(junk);
        return List.of(
                utf8("not json at all"),
                utf8("{\"deviceId\":7,\"measurementValue\":\"12.5\"}"),
                utf8("{\"id\":\"x\",\"deviceId\":\"dev-1\",\"measurementValue\":1e400}"),
                utf8("{\"deviceId\":\"dev-1\",\"measurementValue\":5,\"extra\":true}"),
                new byte[0],
                utf8("[".repeat(10_000)),
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
                utf8("[{\"deviceId\":\"dev-1\",\"measurementValue\":5}]"),
                junk);
    }

    private void poison(Variant variant) throws Exception {
        int rounds = variant.pick(2, 20);
        int between = variant.pick(300, 3_000);
        var ledger = new Ledger();
        var random = new Random(5);
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("poison"), List.of(), List.of(), List.of());
             var nc = StreamReadback.connect(nats.url())) {
            rig.explainFailures(nats::log, () -> {
                var js = nc.jetStream();
                var poisonSeqs = new ArrayList<Long>();
                var settings = LoadDriver.Settings.defaults().workers(4).pace(Duration.ofMillis(2));
                try (var load = rig.load(ledger, "poison", settings)) {
                    for (int round = 0; round < rounds; round++) {
                        load.awaitAcked(load.acked() + between, Duration.ofSeconds(60));
                        for (var payload : poison(random)) {
                            long seq = js.publish("measurements", payload).getSeqno();
                            ledger.foreign(seq);
                            poisonSeqs.add(seq);
                        }
                    }
                    load.awaitAcked(load.acked() + between, Duration.ofSeconds(60));
                    load.stopAndJoin(Duration.ofSeconds(60));
                }
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                assertThat(verdict.foreign()).as("poison found in the stream").isEqualTo(poisonSeqs.size());
                assertThat(Probes.metric(rig.http, rig.clientUrl, "anomalyflow_client_messages_invalid_total"))
                        .as("poison the client skipped and counted").isEqualTo(poisonSeqs.size());
                assertThat(Probes.status(rig.http, rig.clientUrl.resolve("/health"))).isEqualTo(200);
                assertThat(rig.client.isRunning()).isTrue();
                Results.record("5. poison messages straight into the subject", variant,
                        ledger.size() + " single POSTs + " + poisonSeqs.size() + " poison messages",
                        rounds + " rounds of 9 kinds (not JSON, wrong types, 1e400, unknown field, empty, 10 000 '[', "
                                + "bad UTF-8, an array, 1 MiB junk)", ledger, verdict,
                        "every poison message skipped and counted (messages_invalid_total = " + poisonSeqs.size() + ")");
            });
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
