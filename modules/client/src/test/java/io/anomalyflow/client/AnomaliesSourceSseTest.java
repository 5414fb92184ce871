package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSE from a {@code --source anomalies} client: events in the order of the anomalies stream, whose
 * {@code seq} values are not monotone (several detectors publish concurrently), so the event id and
 * the {@code Last-Event-ID} resume are the position in that stream.
 */
class AnomaliesSourceSseTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;
    /** Measurement sequences as two detectors might publish their anomalies: far from sorted. */
    static final long[] SEQS = {5, 260, 9, 3, 120, 7, 1};

    final TestNats nats = F.nats();
    final Http http = F.http();
    final DetectorEvents detector = new DetectorEvents(nats);

    SseReader sse(AnomalyClient client, String pathAndQuery, Map<String, String> headers) throws Exception {
        var reader = F.closeAfterTest(SseReader.open(client.url(), pathAndQuery, headers));
        assertThat(reader.status()).isEqualTo(200);
        return reader;
    }

    static List<Long> dataSeqs(SseReader reader) {
        var seqs = new ArrayList<Long>();
        for (var e : reader.events()) {
            try {
                seqs.add(Http.parse(e.data()).get("seq").asLong());
            } catch (java.io.IOException x) {
                throw new AssertionError(x);
            }
        }
        return seqs;
    }

    static List<Long> with(List<Long> before, long last) {
        var all = new ArrayList<>(before);
        all.add(last);
        return all;
    }

    @Test
    void readersGetEveryEventOnceInStreamOrderFilteredByDeviceAndResumeByPosition() throws Exception {
        var s = F.startAnomalies(true, b -> b.heartbeat(Duration.ofMillis(200)));
        var client = s.client();
        var all = sse(client, "/anomalies/stream", Map.of());
        var onlyX = sse(client, "/anomalies/stream?deviceId=x", Map.of());
        var aliasX = sse(client, "/anomalytracker/x/anomalies", Map.of());
        await().atMost(WAIT).until(() -> http.metric(client.url(), "anomalyflow_client_sse_readers") == 3);

        var events = new ArrayList<DetectorEvents.Event>();
        for (int i = 0; i < SEQS.length; i++) {
            events.add(DetectorEvents.event(SEQS[i], i % 2 == 0 ? "x" : "y"));
        }
        var positions = detector.appendAll(s.subject(), events);
        var xPositions = List.of(positions.get(0), positions.get(2), positions.get(4), positions.get(6));

        assertThat(all.awaitCount(SEQS.length, WAIT).ids()).as("ids are positions").isEqualTo(positions);
        assertThat(dataSeqs(all)).as("the JSON keeps the measurements' seq").containsExactly(5L, 260L, 9L, 3L, 120L, 7L, 1L);
        assertThat(all.disorder()).isEmpty();
        assertThat(onlyX.awaitCount(4, WAIT).ids()).isEqualTo(xPositions);
        assertThat(dataSeqs(onlyX)).containsExactly(5L, 9L, 120L, 1L);
        assertThat(aliasX.awaitCount(4, WAIT).ids()).isEqualTo(xPositions);

        // Resume after the third event (seq 9): everything after it in the stream, though 3, 7
        // and 1 are lower seqs than 9 and 260 was a higher one already delivered.
        var third = Long.toString(positions.get(2));
        var resumed = sse(client, "/anomalies/stream", Map.of("Last-Event-ID", third));
        var resumedX = sse(client, "/anomalies/stream?deviceId=x", Map.of("Last-Event-ID", third));
        assertThat(resumed.awaitCount(4, WAIT).ids()).isEqualTo(positions.subList(3, positions.size()));
        assertThat(dataSeqs(resumed)).containsExactly(3L, 120L, 7L, 1L);
        assertThat(resumedX.awaitCount(2, WAIT).ids()).containsExactly(positions.get(4), positions.get(6));

        // live after the replay, no gap and no duplicate: a lower seq than any before
        long live = detector.append(s.subject(), DetectorEvents.event(2, "x")).getSeqno();
        assertThat(all.awaitCount(SEQS.length + 1, WAIT).ids()).isEqualTo(with(positions, live));
        assertThat(onlyX.awaitCount(5, WAIT).ids()).isEqualTo(with(xPositions, live));
        assertThat(aliasX.awaitCount(5, WAIT).ids()).isEqualTo(with(xPositions, live));
        assertThat(resumed.awaitCount(5, WAIT).ids()).isEqualTo(with(positions.subList(3, positions.size()), live));
        assertThat(resumedX.awaitCount(3, WAIT).ids()).containsExactly(positions.get(4), positions.get(6), live);

        // an idle stream gets comments
        int before = all.comments();
        await().atMost(WAIT).until(() -> all.comments() >= before + 2);
        assertThat(all.events()).hasSize(SEQS.length + 1);
    }
}
