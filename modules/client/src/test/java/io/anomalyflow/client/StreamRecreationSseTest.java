package io.anomalyflow.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        var resumed = new Follower(base, "5");
        var fresh = new Follower(base, null);
        resumed.awaitConnected();
        fresh.awaitConnected();

        nats.createStream(s.stream(), s.subject());
        var seqs = List.of(nats.measurement(s.subject(), "new", "2"), nats.measurement(s.subject(), "new", "3"),
                nats.measurement(s.subject(), "new", "4"));
        assertThat(seqs).containsExactly(1L, 2L, 3L);

        for (var reader : List.of(resumed, fresh)) {
            var got = reader.newDeviceSeqs(3);
            assertThat(got).as("the new stream's anomalies, each once, in order, whoever the reader").isEqualTo(seqs);
        }
    }

    /**
     * A reader that reconnects like an {@code EventSource}: when its stream ends it opens a new one
     * with the last id it received as {@code Last-Event-ID}. Runs on the test thread.
     */
    private static final class Follower {
        private final URI base;
        private final List<SseTestReader.Event> received = new ArrayList<>();
        private String lastId;
        private SseTestReader current;

        Follower(URI base, String lastId) throws Exception {
            this.base = base;
            this.lastId = lastId;
            connect();
        }

        void awaitConnected() throws InterruptedException {
            assertThat(current.status()).isEqualTo(200);
        }

        /** Follows (reconnecting as needed) until {@code n} anomalies of device "new" arrived; their seqs. */
        List<Long> newDeviceSeqs(int n) throws Exception {
            await().atMost(ClientFixture.WAIT).until(() -> {
                if (newDevice(all()).size() >= n) {
                    return true;
                }
                if (current.ended()) {
                    received.addAll(current.events());
                    current.close();
                    connect();
                }
                return false;
            });
            current.close();
            return newDevice(all());
        }

        private List<SseTestReader.Event> all() {
            var all = new ArrayList<>(received);
            all.addAll(current.events());
            return all;
        }

        private static List<Long> newDevice(List<SseTestReader.Event> events) {
            return events.stream().filter(e -> e.data().contains("\"deviceId\":\"new\"")).map(SseTestReader.Event::seq).toList();
        }

        private void connect() throws Exception {
            if (!received.isEmpty()) {
                lastId = received.getLast().id();
            }
            current = F.closeAfterTest(SseTestReader.open(base, "/anomalies/stream",
                    lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId)));
        }
    }
}
