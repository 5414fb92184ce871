package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code --source anomalies} when the anomalies stream holds poison, or is deleted and created again. */
class AnomaliesSourceFaultsTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;

    final TestNats nats = F.nats();
    final Http http = F.http();
    final DetectorEvents detector = new DetectorEvents(nats);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anUndecodableEventIsCountedAndSkippedAndNeverBlocksTheOnesAfterIt() throws Exception {
        var s = F.startAnomalies(true, b -> b);
        var url = s.client().url();
        var reader = F.closeAfterTest(SseReader.open(url, "/anomalies/stream", Map.of()));
        assertThat(reader.status()).isEqualTo(200);
        var valid = new ArrayList<Long>();
        valid.add(detector.append(s.subject(), DetectorEvents.event(10, "p")).getSeqno());
        detector.append(s.subject(), DetectorEvents.event(11, "p"), utf8("not json"));
        detector.append(s.subject(), DetectorEvents.event(12, "p"), utf8(TestNats.json("p", "5"))); // a measurement, not an anomaly
        detector.append(s.subject(), DetectorEvents.event(13, "p"), utf8(
                "{\"seq\":13,\"deviceId\":\"no spaces allowed\",\"measurementValue\":1,\"anomaly\":\"Value too low 1\"}"));
        detector.append(s.subject(), DetectorEvents.event(14, "p"), new byte[0]);
        valid.add(detector.append(s.subject(), DetectorEvents.event(15, "p")).getSeqno());
        nats.publish(s.subject(), "{\"seq\":-1}"); // no headers at all
        valid.add(detector.append(s.subject(), DetectorEvents.event(17, "p")).getSeqno());

        assertThat(reader.awaitCount(3, WAIT).ids()).isEqualTo(valid);
        await().atMost(WAIT).until(() -> http.seqs(url, "/anomalies").size() == 3);
        assertThat(http.seqs(url, "/anomalies")).containsExactly(17L, 15L, 10L);
        assertThat(http.metric(url, "anomalyflow_client_messages_total")).isEqualTo(8);
        assertThat(http.metric(url, "anomalyflow_client_messages_invalid_total")).isEqualTo(5);
        assertThat(http.metric(url, "anomalyflow_client_anomalies_total")).isEqualTo(3);
        assertThat(http.get(url, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aReCreatedAnomaliesStreamClearsTheMapAndIsReadFromItsStart() throws Exception {
        var s = F.startAnomalies(true, b -> b);
        var url = s.client().url();
        detector.appendAll(s.subject(), List.of(DetectorEvents.event(1, "old"), DetectorEvents.event(2, "old"), DetectorEvents.event(3, "old")));
        await().atMost(WAIT).until(() -> http.seqs(url, "/anomalies").size() == 3);

        nats.nc.jetStreamManagement().deleteStream(s.stream());
        await().atMost(WAIT).until(() -> http.get(url, "/health").statusCode() == 503);
        nats.createStream(s.stream(), s.subject());
        long position = detector.append(s.subject(), DetectorEvents.event(40, "new")).getSeqno();
        assertThat(position).isEqualTo(1);

        await().atMost(WAIT).until(() -> http.seqs(url, "/anomalies").equals(List.of(40L)));
        assertThat(s.client().awaitReading(WAIT)).isTrue();
        assertThat(http.json(url, "/health").get("lastSeq").asLong()).isEqualTo(1);
    }
}
