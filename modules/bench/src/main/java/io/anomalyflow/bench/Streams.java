package io.anomalyflow.bench;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/**
 * The baselines' raw jnats plumbing: a connection, and a stream configured as the gateway creates
 * its own (file storage, 24 h max age, 2 min duplicate window), so baseline and app
 * write to the same kind of store.
 */
final class Streams {
    private Streams() {
    }

    static Connection connect(String url) throws IOException, InterruptedException {
        return Nats.connect(Options.builder().server(url).connectionTimeout(Duration.ofSeconds(5)).build());
    }

    /** Creates {@code stream} on {@code subject} unless it exists. */
    static void ensure(Connection nc, String stream, String subject) throws IOException, JetStreamApiException {
        var jsm = nc.jetStreamManagement();
        if (jsm.getStreamNames().contains(stream)) {
            return;
        }
        jsm.addStream(StreamConfiguration.builder()
                .name(stream)
                .subjects(subject)
                .storageType(StorageType.File)
                .maxAge(Duration.ofHours(24))
                .duplicateWindow(Duration.ofMinutes(2))
                .build());
    }

    static long messages(Connection nc, String stream) throws IOException, JetStreamApiException {
        return nc.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
    }
}
