package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.FuzzCorpus;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.testsupport.NatsServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 10: the codec's fuzz inputs ({@link FuzzCorpus}, seeded mutations of valid documents, with one
 * in five left valid) sent through the gateway's HTTP path, as JSON, NDJSON, without a content type, or with one it refuses.
 * Every input must be answered, within the timeout, by exactly what the codec decides on its own:
 * 200 when it decodes to at least one measurement, else 400 with a JSON error that says what is
 * wrong (415 for a refused content type); never a 5xx, never an exception in the gateway's log.
 * What the gateway accepted must be in the stream, once each, as it was decoded; the ledger of the
 * ordinary load around the fuzzing stays clean, and the client shows the anomalies of both.
 */
class HttpFuzzTest {
    private static final Pattern ERROR_BODY = Pattern.compile("\\{\"error\":\"[^\"]{3,}.*\"}");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/x-ndjson", "", "text/plain", "application/json; charset=latin1");
    private final EventCodec codec = EventCodec.create();

    @Test
    void mutatedBodiesAreAcceptedOrRefusedClearly() throws Exception {
        fuzz(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void mutatedBodiesAreAcceptedOrRefusedClearlySoak() throws Exception {
        fuzz(Variant.SOAK);
    }

    private void fuzz(Variant variant) throws Exception {
        int inputs = variant.pick(1_000, 40_000);
        var ledger = new Ledger();
        var random = new Random(20261126L);
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("http-fuzz"), List.of(), List.of(), List.of())) {
            rig.explainFailures(() -> {
                ordinaryLoad(rig, ledger, "before");
                // sent one at a time, so every seq above the last one known belongs to the input just accepted
                long high = StreamReadback.lastSeq(rig.natsUrl, Rig.STREAM);
                var accepted = new HashMap<Long, Measurement>(); // single measurements, by seq, for the content check
                var statuses = new TreeMap<Integer, Integer>();
                long declared = 0;
                for (int i = 0; i < inputs; i++) {
                    // one in five unchanged: the valid documents, under every content type, exercise acceptance
                    byte[] body = random.nextInt(5) == 0 ? FuzzCorpus.document(random) : FuzzCorpus.next(random);
                    var type = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
                    var request = HttpRequest.newBuilder(rig.gatewayUrl.resolve("/measurements"))
                            .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (!type.isEmpty()) {
                        request.header("Content-Type", type);
                    }
                    var r = rig.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    var expected = expectedDecoding(type, body);
                    var what = "input " + i + " (" + (type.isEmpty() ? "no content type" : type) + "): "
                            + HexFormat.of().formatHex(body, 0, Math.min(body.length, 400)) + " → " + r.statusCode() + " "
                            + r.body();
                    if (expected.status() != 200) {
                        assertThat(r.statusCode()).as(what).isEqualTo(expected.status());
                        assertThat(r.body()).as(what).matches(ERROR_BODY);
                        continue;
                    }
                    assertThat(r.statusCode()).as(what).isEqualTo(200);
                    boolean single = GatewayReplies.number(r.body(), "seq") >= 0;
                    long last = GatewayReplies.number(r.body(), single ? "seq" : "lastSeq");
                    long fresh = single ? (GatewayReplies.duplicate(r.body()) ? 0 : 1) : GatewayReplies.number(r.body(), "accepted");
                    assertThat(expected.measurements()).as(what).hasSize((int) (single ? 1
                            : GatewayReplies.number(r.body(), "accepted") + GatewayReplies.number(r.body(), "duplicates")));
                    if (fresh > 0) {
                        assertThat(last - high).as("new seqs for " + what).isEqualTo(fresh);
                        for (long seq = high + 1; seq <= last; seq++) {
                            ledger.foreign(seq);
                            declared++;
                        }
                        if (single) {
                            accepted.put(last, expected.measurements().get(0));
                        }
                        high = last;
                    }
                }
                ordinaryLoad(rig, ledger, "after");

                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                assertThat(verdict.foreign()).as("fuzz inputs the gateway acknowledged, found in the stream").isEqualTo(declared);
                var stored = new HashMap<Long, StoredMessage>();
                rig.stream().forEach(m -> stored.put(m.seq(), m));
                accepted.forEach((seq, sent) -> {
                    try {
                        var back = codec.decodeMeasurement(stored.get(seq).data());
                        assertThat(back.id()).isEqualTo(sent.id());
                        assertThat(back.deviceId()).isEqualTo(sent.deviceId());
                        assertThat(back.measurementValue()).isEqualByComparingTo(sent.measurementValue());
                        if (sent.timestamp() != null) {
                            assertThat(back.timestamp()).isEqualTo(sent.timestamp());
                        }
                    } catch (InvalidEventException e) {
                        throw new AssertionError("seq " + seq + " is not the measurement acknowledged", e);
                    }
                });
                var log = Files.readString(rig.gateway.out());
                assertThat(log).as("the gateway's log").doesNotContain("unexpected decoder failure").doesNotContain("ERROR")
                        .doesNotContain("Exception");
                assertThat(statuses).as("both outcomes exercised").containsKeys(200, 400, 415);
                Results.record("10. fuzzing the decoder through HTTP", variant,
                        inputs + " bodies (FuzzCorpus: 4 in 5 mutated), one at a time, 6 content types",
                        "none (hostile input)", ledger, verdict,
                        "statuses " + statuses + "; each as the codec decides alone, errors named; "
                                + declared + " accepted measurements stored once, as decoded");
            });
        }
    }

    /** What the gateway must answer for {@code body}, by the codec alone: 415, 400, or 200 with these measurements. */
    private record Expected(int status, List<Measurement> measurements) {
    }

    private Expected expectedDecoding(String type, byte[] body) {
        if (type.equals("text/plain") || type.contains("latin1")) {
            return new Expected(415, List.of());
        }
        try {
            List<Measurement> decoded;
            if (type.equals("application/x-ndjson")) {
                decoded = codec.decodeNdjson(body);
            } else {
                // one object, or an array: a body can only ever be one of the two
                decoded = decodeOneOrMany(body);
            }
            return decoded.isEmpty() ? new Expected(400, List.of()) : new Expected(200, decoded);
        } catch (InvalidEventException e) {
            return new Expected(400, List.of());
        }
    }

    private List<Measurement> decodeOneOrMany(byte[] body) throws InvalidEventException {
        try {
            return List.of(codec.decodeMeasurement(body));
        } catch (InvalidEventException one) {
            try {
                return codec.decodeArray(body);
            } catch (InvalidEventException many) {
                throw one;
            }
        }
    }

    private void ordinaryLoad(Rig rig, Ledger ledger, String phase) throws InterruptedException {
        try (var load = rig.load(ledger, "fuzz-" + phase, LoadDriver.Settings.defaults().workers(2).max(200))) {
            load.awaitAcked(200, Duration.ofSeconds(60));
            load.stopAndJoin(Duration.ofSeconds(30));
        }
    }
}
