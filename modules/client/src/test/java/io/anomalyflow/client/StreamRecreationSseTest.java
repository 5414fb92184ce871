package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSE readers across a deletion and re-creation of the stream (real nats-server, real HTTP): the
 * new stream's sequences start at 1 again, below the ids the readers already hold.
 */
class StreamRecreationSseTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();

    private final TestNats nats = F.nats();
    private final Http http = F.http();

    @Test
    void readersWhoJoinedBeforeTheReCreationGetEveryNewAnomalyOnceAfterReconnecting() throws Exception {
        var s = F.start();
        var base = s.client().url();
        for (int i = 0; i < 5; i++) {
            nats.measurement(s.subject(), "old", "1");
        }
        await().atMost(ClientFixture.WAIT).until(() -> http.seqs(base, "/anomalies").size() == 5);

        nats.nc.jetStreamManagement().deleteStream(s.stream());
        await().atMost(ClientFixture.WAIT).until(() -> http.get(base, "/health").statusCode() == 503);
        // Both join while the map still holds the old stream: one resumes after the last old id
        // (a page that was open), one is a new page that is replayed the old map.
        var resumed = F.closeAfterTest(new ReconnectingReader(base, "/anomalies/stream", "5"));
        var fresh = F.closeAfterTest(new ReconnectingReader(base, "/anomalies/stream", null));
        assertThat(resumed.isStreaming()).isTrue();
        assertThat(fresh.isStreaming()).isTrue();

        nats.createStream(s.stream(), s.subject());
        var seqs = List.of(nats.measurement(s.subject(), "new", "2"), nats.measurement(s.subject(), "new", "3"),
                nats.measurement(s.subject(), "new", "4"));
        assertThat(seqs).containsExactly(1L, 2L, 3L);

        for (var reader : List.of(resumed, fresh)) {
            reader.await(ClientFixture.WAIT, events -> newDevice(events).size() >= 3);
            assertThat(newDevice(reader.events())).as("the new stream's anomalies, each once, in order, whoever the reader")
                    .isEqualTo(seqs);
            assertThat(reader.refusals()).isEmpty();
        }
    }

    /**
     * A reader connected through a re-creation whose new stream already holds more messages than
     * the reader's last id: its old id would hide the new stream's first anomalies, so the client
     * clears the reader's last event id (an empty {@code id:} field) before ending its stream, and
     * the reader comes back without one.
     */
    @Test
    void aReaderConnectedThroughAReCreationGetsTheNewStreamsFirstAnomalies() throws Exception {
        var s = F.start();
        var base = s.client().url();
        for (int i = 0; i < 3; i++) {
            nats.measurement(s.subject(), "old", "1");
        }
        var reader = F.closeAfterTest(new ReconnectingReader(base, "/anomalies/stream", null));
        reader.await(ClientFixture.WAIT, events -> events.size() >= 3);

        nats.nc.jetStreamManagement().deleteStream(s.stream());
        nats.createStream(s.stream(), s.subject());
        var seqs = new java.util.ArrayList<Long>();
        for (int i = 0; i < 5; i++) {
            seqs.add(nats.measurement(s.subject(), "new", Integer.toString(i)));
        }
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);

        reader.await(ClientFixture.WAIT, events -> newDevice(events).size() >= 5);
        assertThat(newDevice(reader.events())).as("the new stream's anomalies, each once, in order").isEqualTo(seqs);
        assertThat(reader.refusals()).isEmpty();
    }

    private static List<Long> newDevice(List<SseReader.Event> events) {
        return events.stream().filter(e -> e.data().contains("\"deviceId\":\"new\"")).map(SseReader.Event::id).toList();
    }
}
