package io.anomalyflow.gateway;

import static io.anomalyflow.gateway.GatewayFixture.json;
import static io.anomalyflow.gateway.GatewayFixture.measurement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.RawHttp;
import io.anomalyflow.testsupport.NatsServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract of POST /measurements, /health and /metrics against a real nats-server. */
class GatewayTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.start(NATS.server(), "--max-batch", "50");
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    private static String id() {
        return "t-" + UUID.randomUUID();
    }

    @Test
    void oneMeasurementIsStoredAndTheReplyCarriesItsSequence() throws Exception {
        long before = fx.stored();
        var r = fx.postJson("{\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"7\",\"measurementValue\":12.50}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        var seq = json(r).get("seq").asLong();
        assertThat(json(r).get("duplicate").asBoolean()).isFalse();
        assertThat(fx.stored()).isEqualTo(before + 1);
        var stored = fx.message(seq);
        assertThat(stored.get("deviceId").asText()).isEqualTo("7");
        assertThat(stored.get("measurementValue").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(stored.get("timestamp").asText()).isEqualTo("2026-11-26T12:00:00.123Z");
    }

    @Test
    void noContentTypeMeansJsonAndAMissingTimestampIsTheTimeOfReceipt() throws Exception {
        var before = Instant.now().minusSeconds(1);
        var r = fx.post(null, measurement(null, "dev-1", "3"));
        assertThat(r.statusCode()).isEqualTo(200);
        var stamped = Instant.parse(fx.message(json(r).get("seq").asLong()).get("timestamp").asText());
        assertThat(stamped).isBetween(before, Instant.now().plusSeconds(1));
    }

    @Test
    void anArrayIsStoredWholeWithCountsAndTheSequenceRange() throws Exception {
        long before = fx.stored();
        var r = fx.postJson("[" + measurement(id(), "a", "1") + "," + measurement(null, "b", "2") + ","
                + measurement(id(), "c", "3") + "]");
        assertThat(r.statusCode()).isEqualTo(200);
        var body = json(r);
        assertThat(body.get("accepted").asLong()).isEqualTo(3);
        assertThat(body.get("duplicates").asLong()).isZero();
        assertThat(body.get("lastSeq").asLong() - body.get("firstSeq").asLong()).isEqualTo(2);
        assertThat(fx.stored()).isEqualTo(before + 3);
        assertThat(fx.message(body.get("lastSeq").asLong()).get("deviceId").asText()).isEqualTo("c");
    }

    @Test
    void ndjsonLinesAreABatchAndBlankLinesAreSkipped() throws Exception {
        long before = fx.stored();
        var r = fx.post("application/x-ndjson", measurement(null, "n1", "1") + "\n\n" + measurement(null, "n2", "2") + "\r\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("accepted").asLong()).isEqualTo(2);
        assertThat(fx.stored()).isEqualTo(before + 2);
    }

    @Test
    void aRepeatedIdIsStoredOnceAndTheRetryGetsTheOriginalSequence() throws Exception {
        var id = id();
        long before = fx.stored();
        var first = fx.postJson(measurement(id, "7", "1"));
        var retry = fx.postJson(measurement(id, "7", "1"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).get("duplicate").asBoolean()).isTrue();
        assertThat(json(retry).get("seq").asLong()).isEqualTo(json(first).get("seq").asLong());
        assertThat(fx.stored()).isEqualTo(before + 1);
    }

    @Test
    void idsAlreadyStoredAreDuplicatesInsideBatchesToo() throws Exception {
        var a = id();
        var b = id();
        assertThat(fx.postJson(measurement(a, "7", "1")).statusCode()).isEqualTo(200);
        long before = fx.stored();
        var batch = "[" + measurement(a, "7", "1") + "," + measurement(b, "7", "2") + "," + measurement(b, "7", "2") + "]";
        var r = fx.postJson(batch);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("accepted").asLong()).isEqualTo(1);
        assertThat(json(r).get("duplicates").asLong()).isEqualTo(2);
        assertThat(fx.stored()).isEqualTo(before + 1);
        var again = fx.post("application/x-ndjson", measurement(a, "7", "1") + "\n" + measurement(b, "7", "2"));
        assertThat(json(again).get("duplicates").asLong()).isEqualTo(2);
        assertThat(fx.stored()).isEqualTo(before + 1);
    }

    @Test
    void anInvalidBatchStoresNothingAndNamesTheLineAndField() throws Exception {
        long before = fx.stored();
        var r = fx.post("application/x-ndjson", measurement(null, "ok", "1") + "\n" + measurement(null, "ok", "2")
                + "\n{\"deviceId\":\"bad id!\",\"measurementValue\":1}\n");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).startsWith("line 3: deviceId:");
        var array = fx.postJson("[" + measurement(null, "ok", "1") + ",{\"deviceId\":\"x\"}]");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(json(array).get("error").asText()).startsWith("item 2: measurementValue:");
        assertThat(fx.stored()).isEqualTo(before);
    }

    @Test
    void aBatchOverTheLengthLimitIs413AndStoresNothing() throws Exception {
        long before = fx.stored();
        var sb = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            sb.append(measurement(null, "d" + i, "1")).append('\n');
        }
        var r = fx.post("application/x-ndjson", sb.toString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("batch of 51 measurements is over the limit of 50; split it");
        assertThat(fx.stored()).isEqualTo(before);
    }

    @Test
    void unknownPathsAndWrongMethodsGetJsonErrors() throws Exception {
        var notFound = fx.get("/nope");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(json(notFound).get("error").asText()).contains("/nope");
        var wrong = fx.get("/measurements");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("POST");
        assertThat(json(wrong).get("error").asText()).contains("GET");
    }

    @Test
    void unsupportedContentTypesAre415() throws Exception {
        long before = fx.stored();
        var r = fx.post("text/plain", measurement(null, "7", "1"));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).get("error").asText()).contains("text/plain").contains("application/json");
        assertThat(fx.stored()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheSizeLimitIs413AndTheSenderReadsIt() throws Exception {
        long before = fx.stored();
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            var body = new byte[2 << 20];
            java.util.Arrays.fill(body, (byte) ' ');
            raw.send(RawHttp.head("POST", "/measurements", "Content-Type: application/json", "Content-Length: " + body.length));
            raw.send(body);
            var r = raw.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).isEqualTo("{\"error\":\"body over the limit of 1MiB (1048576 bytes); send smaller batches\"}");
            assertThat(raw.awaitEnd(10_000)).isEqualTo("closed");
        }
        assertThat(fx.stored()).isEqualTo(before);
    }

    @Test
    void healthIsUpWhileNatsIsConnectedAndTheStreamExists() throws Exception {
        var r = fx.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"up\",\"nats\":\"connected\",\"stream\":\"MEASUREMENTS\"}");
    }

    @Test
    void metricsCountRepliesAcceptedAndDuplicates() throws Exception {
        var id = id();
        fx.postJson(measurement(id, "m", "1"));
        fx.postJson(measurement(id, "m", "1"));
        fx.get("/nope");
        var r = fx.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        var text = r.body();
        assertThat(text).contains("# TYPE anomalyflow_gateway_requests_total counter")
                .containsPattern("anomalyflow_gateway_requests_total\\{status=\"200\"} [1-9]")
                .containsPattern("anomalyflow_gateway_requests_total\\{status=\"404\"} [1-9]")
                .containsPattern("anomalyflow_gateway_measurements_accepted_total [1-9]")
                .containsPattern("anomalyflow_gateway_duplicates_total [1-9]")
                .contains("# TYPE anomalyflow_gateway_publish_seconds histogram")
                .containsPattern("anomalyflow_gateway_publish_seconds_count [1-9]")
                .contains("anomalyflow_gateway_nats_connected 1\n");
    }

    @Test
    void aRequestBodyThatStallsGets408AndNothingIsStored() throws Exception {
        try (var slow = GatewayFixture.start(NATS.server(), "--read-timeout", "500ms");
             var raw = RawHttp.connect(slow.gateway.port())) {
            long before = slow.stored();
            raw.send(RawHttp.head("POST", "/measurements", "Content-Length: 60") + "{\"deviceId\":\"7\",");
            var r = raw.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.body()).contains("not received in full within 500ms");
            assertThat(raw.awaitEnd(10_000)).isEqualTo("closed");
            assertThat(slow.stored()).isEqualTo(before);
        }
    }

    @Test
    void overTheConcurrencyLimitIs503WithRetryAfter() throws Exception {
        try (var one = GatewayFixture.start(NATS.server(), "--max-concurrent", "1", "--retry-after", "3s");
             var holder = RawHttp.connect(one.gateway.port())) {
            // the first request holds the only permit while its body is still coming
            var body = measurement(null, "held", "1");
            holder.send(RawHttp.head("POST", "/measurements", "Content-Length: " + body.length()) + body.substring(0, 10));
            await().atMost(Duration.ofSeconds(10)).until(() -> one.postJson(measurement(null, "x", "1")).statusCode() == 503);
            var r = one.postJson(measurement(null, "x", "1"));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(json(r).get("error").asText()).contains("1 requests already");
            holder.send(body.substring(10));
            assertThat(holder.read().status()).isEqualTo(200);
            // The permit is released just after the 200 is written, so the next POST may still race it.
            await().atMost(Duration.ofSeconds(10)).until(() -> one.postJson(measurement(null, "x", "1")).statusCode() == 200);
        }
    }

    @Test
    void withATokenPostsNeedTheBearerAndOtherEndpointsStayOpen() throws Exception {
        try (var locked = GatewayFixture.start(NATS.server(), "--token", "s3cr3t-token")) {
            long before = locked.stored();
            var missing = locked.postJson(measurement(null, "7", "1"));
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"anomalyflow\"");
            assertThat(json(missing).get("error").asText()).contains("bearer token");
            var wrong = locked.post("application/json", measurement(null, "7", "1"), "Authorization", "Bearer s3cr3t-tokeN");
            assertThat(wrong.statusCode()).isEqualTo(401);
            var basic = locked.post("application/json", measurement(null, "7", "1"), "Authorization", "Basic czNjcjN0LXRva2Vu");
            assertThat(basic.statusCode()).isEqualTo(401);
            assertThat(locked.stored()).isEqualTo(before);
            var right = locked.post("application/json", measurement(null, "7", "1"), "Authorization", "bearer s3cr3t-token");
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(locked.get("/health").statusCode()).isEqualTo(200);
            assertThat(locked.get("/metrics").statusCode()).isEqualTo(200);
        }
    }

}
