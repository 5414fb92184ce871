package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The client end to end: real nats-server, real HTTP, measurements published straight into the stream. */
class AnomalyClientTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;

    final TestNats nats = F.nats();
    final Http http = F.http();

    ClientFixture.Started start() throws Exception {
        return F.start();
    }

    ClientFixture.Started start(boolean createStream, UnaryOperator<ClientConfig.Builder> tweak) throws Exception {
        return F.start(createStream, tweak);
    }

    SseReader sse(AnomalyClient client, String pathAndQuery, Map<String, String> headers) throws Exception {
        var reader = SseReader.open(client.url(), pathAndQuery, headers);
        F.closeAfterTest(reader);
        assertThat(reader.status()).isEqualTo(200);
        return reader;
    }

    @Test
    void onlyValuesAtOrBelowTheThresholdBecomeAnomaliesInTheListAndOnTheStream() throws Exception {
        var s = start();
        var all = sse(s.client(), "/anomalies/stream", Map.of());
        var onlyA = sse(s.client(), "/anomalies/stream?deviceId=a", Map.of());
        var aliasB = sse(s.client(), "/anomalytracker/b/anomalies", Map.of());
        await().atMost(WAIT).until(() -> http.metric(s.client().url(), "anomalyflow_client_sse_readers") == 3);

        long a5 = nats.measurement(s.subject(), "a", "5");
        long b20 = nats.measurement(s.subject(), "b", "20");
        nats.measurement(s.subject(), "a", "20.0001");
        long a1999 = nats.measurement(s.subject(), "a", "19.9999");
        nats.measurement(s.subject(), "b", "80");
        long bNeg = nats.measurement(s.subject(), "b", "-3.5e2");
        long a200 = nats.measurement(s.subject(), "a", "20.000");

        var expected = List.of(a5, b20, a1999, bNeg, a200);
        await().atMost(WAIT).until(() -> http.seqs(s.client().url(), "/anomalies").size() == 5);
        assertThat(http.seqs(s.client().url(), "/anomalies")).containsExactlyElementsOf(expected.reversed());
        assertThat(http.seqs(s.client().url(), "/anomalies?deviceId=a")).containsExactly(a200, a1999, a5);
        assertThat(http.seqs(s.client().url(), "/anomalies?deviceId=b&limit=1")).containsExactly(bNeg);
        assertThat(http.seqs(s.client().url(), "/anomalies?deviceId=nobody")).isEmpty();

        assertThat(all.awaitCount(5, WAIT).ids()).containsExactlyElementsOf(expected);
        assertThat(onlyA.awaitCount(3, WAIT).ids()).containsExactly(a5, a1999, a200);
        assertThat(aliasB.awaitCount(2, WAIT).ids()).containsExactly(b20, bNeg);

        var first = all.events().getFirst();
        assertThat(first.event()).isEqualTo("anomaly");
        var json = Http.parse(first.data());
        assertThat(json.get("seq").asLong()).isEqualTo(a5);
        assertThat(json.get("deviceId").asText()).isEqualTo("a");
        assertThat(json.get("measurementValue").decimalValue()).isEqualByComparingTo("5");
        assertThat(json.get("anomaly").asText()).isEqualTo("Value too low 5");
        assertThat(json.get("timestamp").asText()).isEqualTo("2026-11-26T12:00:00.123Z");
        // the value is kept as sent, 20.000 stays 20.000
        assertThat(Http.parse(all.events().get(4).data()).get("anomaly").asText()).isEqualTo("Value too low 20.000");

        assertThat(http.metric(s.client().url(), "anomalyflow_client_messages_total")).isEqualTo(7);
        assertThat(http.metric(s.client().url(), "anomalyflow_client_anomalies_total")).isEqualTo(5);
        assertThat(http.metric(s.client().url(), "anomalyflow_client_anomalies_in_map")).isEqualTo(5);
        assertThat(http.metric(s.client().url(), "anomalyflow_client_messages_invalid_total")).isZero();
    }

    @Test
    void aLateReaderGetsTheMapFirstThenLiveAndLastEventIdResumesAfterIt() throws Exception {
        var s = start();
        var seqs = new ArrayList<Long>();
        for (int i = 0; i < 6; i++) {
            seqs.add(nats.measurement(s.subject(), "d" + (i % 2), Integer.toString(i)));
        }
        await().atMost(WAIT).until(() -> http.seqs(s.client().url(), "/anomalies").size() == 6);

        var late = sse(s.client(), "/anomalies/stream", Map.of());
        assertThat(late.awaitCount(6, WAIT).ids()).containsExactlyElementsOf(seqs);
        var resumed = sse(s.client(), "/anomalies/stream", Map.of("Last-Event-ID", Long.toString(seqs.get(3))));
        var resumedD1 = sse(s.client(), "/anomalies/stream?deviceId=d1", Map.of("Last-Event-ID", Long.toString(seqs.get(1))));
        long live = nats.measurement(s.subject(), "d1", "1");

        assertThat(resumed.awaitCount(3, WAIT).ids()).containsExactly(seqs.get(4), seqs.get(5), live);
        assertThat(resumedD1.awaitCount(3, WAIT).ids()).containsExactly(seqs.get(3), seqs.get(5), live);
        assertThat(late.awaitCount(7, WAIT).ids().getLast()).isEqualTo(live);
        // an id beyond all the stream holds belongs to a stream since re-created: the map, then live
        var beyond = sse(s.client(), "/anomalies/stream", Map.of("Last-Event-ID", "999999"));
        long next = nats.measurement(s.subject(), "d0", "0");
        var everything = new ArrayList<>(seqs);
        everything.addAll(List.of(live, next));
        assertThat(beyond.awaitCount(8, WAIT).ids()).containsExactlyElementsOf(everything);
    }

    @Test
    void poisonMessagesAreSkippedAndCountedAndReadingGoesOn() throws Exception {
        var s = start();
        nats.publish(s.subject(), "not json at all");
        nats.publish(s.subject(), "{\"deviceId\":7,\"measurementValue\":1}");            // wrong type
        nats.publish(s.subject(), "{\"deviceId\":\"x\",\"measurementValue\":\"1\"}");     // a string, not a number
        nats.publish(s.subject(), "{\"deviceId\":\"<b>x</b>\",\"measurementValue\":1}");  // not a valid deviceId
        nats.publish(s.subject(), "{\"deviceId\":\"x\",\"measurementValue\":1e400}");     // beyond a double
        nats.publish(s.subject(), "");
        nats.publish(s.subject(), "[]");
        long good = nats.measurement(s.subject(), "x", "1");

        await().atMost(WAIT).until(() -> http.seqs(s.client().url(), "/anomalies").equals(List.of(good)));
        assertThat(http.metric(s.client().url(), "anomalyflow_client_messages_invalid_total")).isEqualTo(7);
        assertThat(http.metric(s.client().url(), "anomalyflow_client_messages_total")).isEqualTo(8);
        assertThat(http.get(s.client().url(), "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void badParametersAreRefusedNamingThem() throws Exception {
        var s = start();
        var base = s.client().url();
        assertBadRequest(base, "/anomalies?limit=0", "limit");
        assertBadRequest(base, "/anomalies?limit=10001", "limit");
        assertBadRequest(base, "/anomalies?limit=ten", "limit");
        assertBadRequest(base, "/anomalies?deviceId=%3Cb%3Ex%3C%2Fb%3E", "deviceId");
        assertBadRequest(base, "/anomalies?deviceid=7", "deviceid");
        assertBadRequest(base, "/anomalies?limit=1&limit=2", "limit");
        assertBadRequest(base, "/anomalies/stream?deviceId=a%20b", "deviceId");
        assertBadRequest(base, "/anomalytracker/a%20b/anomalies", "deviceId");
        assertThat(http.get(base, "/anomalies?limit=10000").statusCode()).isEqualTo(200);
        assertThat(http.get(base, "/anomalies?deviceId=").statusCode()).isEqualTo(200);
        var missing = http.get(base, "/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error\"");

        var badId = SseReader.open(base, "/anomalies/stream", Map.of("Last-Event-ID", "abc"));
        F.closeAfterTest(badId);
        assertThat(badId.status()).isEqualTo(400);
    }

    private void assertBadRequest(java.net.URI base, String pathAndQuery, String named) throws Exception {
        var response = http.get(base, pathAndQuery);
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Http.parse(response.body()).get("error").asText()).as(pathAndQuery).contains(named);
    }

    @Test
    void healthWaitsForTheStreamThenReads() throws Exception {
        var s = start(false, b -> b);
        var base = s.client().url();
        assertThat(http.get(base, "/health").statusCode()).isEqualTo(503);
        await().atMost(WAIT).until(() -> Http.parse(http.get(base, "/health").body()).get("reason").asText()
                .contains("waiting for stream " + s.stream()));
        assertThat(http.get(base, "/health").statusCode()).isEqualTo(503);
        // a reader may connect before the stream exists and goes live when reading starts
        var early = sse(s.client(), "/anomalies/stream", Map.of());

        nats.createStream(s.stream(), s.subject());
        await().atMost(WAIT).until(() -> http.get(base, "/health").statusCode() == 200);
        var ok = Http.parse(http.get(base, "/health").body());
        assertThat(ok.get("status").asText()).isEqualTo("ok");
        long seq = nats.measurement(s.subject(), "late", "3");
        assertThat(early.awaitCount(1, WAIT).ids()).containsExactly(seq);
    }

    @Test
    void aRestartedClientListsTheSameUnexpiredAnomalies() throws Exception {
        var s = start();
        for (int i = 0; i < 50; i++) {
            nats.measurement(s.subject(), "r" + (i % 5), Integer.toString(i)); // 0..20 are anomalies
        }
        await().atMost(WAIT).until(() -> http.seqs(s.client().url(), "/anomalies").size() == 21);
        var before = http.get(s.client().url(), "/anomalies?limit=10000").body();
        var beforeA = http.get(s.client().url(), "/anomalies?deviceId=r1").body();
        s.client().close();

        var again = AnomalyClient.start(s.client().config());
        F.closeAfterTest(again);
        assertThat(again.awaitReading(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> http.seqs(again.url(), "/anomalies").size() == 21);
        assertThat(http.get(again.url(), "/anomalies?limit=10000").body()).isEqualTo(before);
        assertThat(http.get(again.url(), "/anomalies?deviceId=r1").body()).isEqualTo(beforeA);
    }

    @Test
    void healthAndMetricsDescribeTheClient() throws Exception {
        var s = start();
        var health = http.get(s.client().url(), "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Http.parse(health.body()).get("phase").asText()).isEqualTo("reading");
        var metrics = http.get(s.client().url(), "/metrics");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains(
                "# TYPE anomalyflow_client_messages_total counter",
                "# TYPE anomalyflow_client_messages_invalid_total counter",
                "# TYPE anomalyflow_client_anomalies_total counter",
                "# TYPE anomalyflow_client_anomalies_in_map gauge",
                "# TYPE anomalyflow_client_sse_readers gauge",
                "# TYPE anomalyflow_client_sse_dropped_total counter");

    }

    @Test
    void healthIs503WhileNatsIsDownAndReadingResumesWithoutGap() throws Exception {
        var names = TestNats.freshNames("t");
        nats.createFileStream(names[0], names[1]); // survives the server's restart
        var client = F.closeAfterTest(AnomalyClient.start(F.config(names[0], names[1]).build()));
        assertThat(client.awaitReading(WAIT)).isTrue();
        long before = nats.measurement(names[1], "back", "1");
        await().atMost(WAIT).until(() -> http.seqs(client.url(), "/anomalies").equals(List.of(before)));

        F.server().stop();
        try {
            await().atMost(WAIT).until(() -> http.get(client.url(), "/health").statusCode() == 503);
            assertThat(Http.parse(http.get(client.url(), "/health").body()).get("reason").asText()).contains("NATS");
        } finally {
            F.server().startAgain();
        }
        await().atMost(WAIT).until(() -> http.get(client.url(), "/health").statusCode() == 200);
        var after = new ArrayList<Long>();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            after.add(nats.measurement(names[1], "back", "2"));
            return true;
        });
        await().atMost(WAIT).until(() -> http.seqs(client.url(), "/anomalies").size() == 1 + after.size());
        assertThat(http.seqs(client.url(), "/anomalies").reversed()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(java.util.stream.Stream.of(before), after.stream()).toList());
    }

    @Test
    void anIdleStreamGetsHeartbeatComments() throws Exception {
        var s = start(true, b -> b.heartbeat(Duration.ofMillis(200)));
        var idle = sse(s.client(), "/anomalies/stream", Map.of());
        await().atMost(WAIT).until(() -> idle.comments() >= 3);
        assertThat(idle.events()).isEmpty();
        assertThat(idle.ended()).isFalse();
    }

    @Test
    void twoClientsInOneJvmReadTheSameStreamIndependently() throws Exception {
        var s = start();
        var other = AnomalyClient.start(s.client().config());
        F.closeAfterTest(other);
        assertThat(other.awaitReading(WAIT)).isTrue();
        assertThat(other.port()).isNotEqualTo(s.client().port());
        var seqs = List.of(nats.measurement(s.subject(), "two", "1"), nats.measurement(s.subject(), "two", "2"));
        for (var c : List.of(s.client(), other)) {
            await().atMost(WAIT).until(() -> http.seqs(c.url(), "/anomalies").equals(seqs.reversed()));
        }
        s.client().close(); // closing one leaves the other running
        long third = nats.measurement(s.subject(), "two", "3");
        await().atMost(WAIT).until(() -> http.seqs(other.url(), "/anomalies").getFirst() == third);
    }

    @Test
    void aReCreatedStreamIsReadFromItsStartAndReadersAreToldToReconnect() throws Exception {
        var s = start();
        for (int i = 0; i < 5; i++) {
            nats.measurement(s.subject(), "old", "1");
        }
        await().atMost(WAIT).until(() -> http.seqs(s.client().url(), "/anomalies").size() == 5);
        var reader = sse(s.client(), "/anomalies/stream", Map.of());
        reader.awaitCount(5, WAIT);

        nats.nc.jetStreamManagement().deleteStream(s.stream());
        assertThat(reader.awaitEnd(WAIT)).as("the reader's stream ends when reading stops").isTrue();
        await().atMost(WAIT).until(() -> http.get(s.client().url(), "/health").statusCode() == 503);
        nats.createStream(s.stream(), s.subject());
        long fresh = nats.measurement(s.subject(), "new", "2");
        assertThat(fresh).isEqualTo(1);
        await().atMost(WAIT).until(() -> http.seqs(s.client().url(), "/anomalies").equals(List.of(fresh)));
        assertThat(http.get(s.client().url(), "/health").statusCode()).isEqualTo(200);
        var again = sse(s.client(), "/anomalies/stream", Map.of());
        assertThat(again.awaitCount(1, WAIT).ids()).containsExactly(fresh);
    }
}
