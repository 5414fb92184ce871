package io.anomalyflow.flow.nats;

import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Small helpers for the integration tests: connect, create a stream, fill it fast. */
final class TestNats {
    static final Duration LONG = Duration.ofSeconds(30);

    private TestNats() {
    }

    static Connection connect(NatsServer server) throws IOException, InterruptedException {
        return Nats.connect(NatsConnections.options(server.url(), "flow-nats-test").build());
    }

    static JetStreamManagement jsm(Connection nc) {
        try {
            return nc.jetStreamManagement();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void createStream(Connection nc, String name, StorageType storage, String... subjects)
            throws IOException, JetStreamApiException {
        jsm(nc).addStream(StreamConfiguration.builder().name(name).subjects(subjects).storageType(storage).build());
    }

    /** The payload {@link #fill} gives message {@code i} (counted from 1 on that subject). */
    static byte[] payload(String subject, int i) {
        return (subject + "#" + i).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Publishes {@code count} messages on {@code subject} with plain NATS publishes (no ack round trip
     * each, so 100 000 take a second), then waits until the stream holds {@code expectedTotal}.
     */
    static void fill(Connection nc, String stream, String subject, int count, long expectedTotal)
            throws InterruptedException, TimeoutException {
        for (int i = 1; i <= count; i++) {
            nc.publish(subject, payload(subject, i));
        }
        nc.flush(Duration.ofSeconds(10));
        await().atMost(LONG).until(() -> messageCount(nc, stream) >= expectedTotal);
    }

    static long messageCount(Connection nc, String stream) {
        try {
            return jsm(nc).getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (IOException | JetStreamApiException e) {
            return -1;
        }
    }

    static List<String> consumers(Connection nc, String stream) {
        try {
            return jsm(nc).getConsumerNames(stream);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(StreamMessage m) {
        return new String(m.data(), StandardCharsets.UTF_8);
    }
}
