package io.anomalyflow.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --source anomalies} against {@code --source measurements} over the same data (real
 * nats-server, real HTTP): the test writes measurements, then the events a detector writes for them,
 * in a shuffled order, some twice ({@link DetectorEvents}).
 */
class AnomaliesSourceTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;
    static final String ALL = "/anomalies?limit=10000";

    final TestNats nats = F.nats();
    final Http http = F.http();
    final DetectorEvents detector = new DetectorEvents(nats);

    /** {@code count} measurements of 7 devices, values spread over 0–99, with two poison messages among them. */
    List<Long> measurements(String subject, int count) throws Exception {
        var bodies = new ArrayList<byte[]>();
        for (int i = 0; i < count; i++) {
            var json = i % 97 == 50 ? "not a measurement" : TestNats.json("d" + i % 7, Integer.toString(i * 37 % 100));
            bodies.add(json.getBytes(StandardCharsets.UTF_8));
        }
        return nats.publishAll(subject, bodies, 64);
    }

    List<JsonNode> rows(AnomalyClient client) throws Exception {
        var rows = new ArrayList<JsonNode>();
        http.json(client.url(), ALL).forEach(rows::add);
        return rows;
    }

    static List<Long> seqs(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("seq").asLong()).toList();
    }

    @Test
    void anAnomaliesClientListsExactlyTheRowsOfAMeasurementsClientOverTheSameData() throws Exception {
        var m = F.start();
        var events = detector.judge(m.stream(), measurements(m.subject(), 400));
        assertThat(events).as("about one in five is an anomaly").hasSizeBetween(60, 100);
        var shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(13)); // several detectors: seq order is lost
        var a = F.startAnomalies(false, b -> b);
        var waitingFor = "waiting for stream " + a.stream() + " (the detector creates it)";
        await().atMost(WAIT).until(() -> Http.parse(http.get(a.client().url(), "/health").body())
                .get("reason").asText().equals(waitingFor));
        var waiting = http.get(a.client().url(), "/health");
        assertThat(waiting.statusCode()).isEqualTo(503);
        assertThat(Http.parse(waiting.body()).get("stream").asText()).isEqualTo(a.stream());

        nats.createStream(a.stream(), a.subject());
        var positions = new ArrayList<>(detector.appendAll(a.subject(), shuffled.subList(0, 40)));
        assertThat(a.client().awaitReading(WAIT)).isTrue();
        positions.addAll(detector.appendAll(a.subject(), shuffled.subList(40, shuffled.size())));
        var random = new Random(7);
        for (int i = 0; i < 8; i++) { // a detector that judged a measurement again: the same message id
            var ack = detector.append(a.subject(), shuffled.get(random.nextInt(shuffled.size())));
            assertThat(ack.isDuplicate()).as("JetStream de-duplicates by Nats-Msg-Id").isTrue();
        }
        assertThat(TestNats.messageCount(nats.nc, a.stream())).isEqualTo(events.size());

        await().atMost(WAIT).until(() -> rows(m.client()).size() == events.size()
                && rows(a.client()).size() == events.size());
        var fromMeasurements = rows(m.client());
        var fromAnomalies = rows(a.client());
        assertThat(new HashSet<>(fromAnomalies)).as("the same rows, as JSON objects")
                .isEqualTo(new HashSet<>(fromMeasurements)).hasSize(events.size());
        // Each newest first in the log it read: by seq for one, by the order appended for the other.
        var appended = shuffled.stream().map(e -> e.anomaly().seq()).toList();
        assertThat(seqs(fromAnomalies)).isEqualTo(appended.reversed());
        assertThat(seqs(fromMeasurements)).isSortedAccordingTo(Collections.reverseOrder());

        var url = a.client().url();
        assertThat(http.metric(url, "anomalyflow_client_messages_total")).isEqualTo(events.size());
        assertThat(http.metric(url, "anomalyflow_client_anomalies_total")).isEqualTo(events.size());
        assertThat(http.metric(url, "anomalyflow_client_messages_invalid_total")).isZero();
        assertThat(http.metric(m.client().url(), "anomalyflow_client_messages_invalid_total")).isEqualTo(4);
        var health = http.json(url, "/health");
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("stream").asText()).isEqualTo(a.stream());
        assertThat(health.get("reason").asText()).isEqualTo("reading stream " + a.stream());
        assertThat(health.get("lastSeq").asLong()).isEqualTo(positions.getLast()).isEqualTo(events.size());
        assertThat(http.json(m.client().url(), "/health").get("stream").asText()).isEqualTo(m.stream());
        assertThat(a.client().describe()).contains("anomaly events from stream " + a.stream());
    }

    @Test
    void aRestartedAnomaliesClientRebuildsTheSameMapAndItsReadersResumeByPosition() throws Exception {
        var m = F.start();
        var events = detector.judge(m.stream(), measurements(m.subject(), 150));
        Collections.shuffle(events, new Random(5));
        var s = F.startAnomalies(true, b -> b);
        var first = s.client();
        var anomaliesSubject = s.subject();
        var positions = new ArrayList<>(detector.appendAll(anomaliesSubject, events.subList(0, 20)));
        var reader = F.closeAfterTest(new ReconnectingReader(first.url(), "/anomalies/stream", null));
        positions.addAll(detector.appendAll(anomaliesSubject, events.subList(20, events.size())));
        await().atMost(WAIT).until(() -> rows(first).size() == events.size());
        var before = rows(first);
        reader.await(WAIT, e -> e.size() == events.size());

        first.close();
        var second = F.closeAfterTest(AnomalyClient.start(first.config().toBuilder().port(first.port()).build()));
        assertThat(second.awaitReading(WAIT)).isTrue();
        await().atMost(WAIT).until(() -> rows(second).size() == events.size());
        assertThat(rows(second)).as("the same rows in the same order").isEqualTo(before);

        var more = detector.judge(m.stream(), measurements(m.subject(), 30));
        positions.addAll(detector.appendAll(anomaliesSubject, more));
        reader.await(WAIT, e -> e.size() >= positions.size());
        assertThat(reader.ids()).as("every event once, by position, across the restart").isEqualTo(positions);
        assertThat(reader.refusals()).isEmpty();
    }
}
