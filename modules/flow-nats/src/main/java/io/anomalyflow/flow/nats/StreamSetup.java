package io.anomalyflow.flow.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Creates or validates the stream a writer appends to: create it when it is missing, accept a
 * compatible existing one as it is (never change a stream others may rely on), refuse an incompatible one
 * with a message naming each difference (see {@link StreamSpec} for the rules).
 */
public final class StreamSetup {
    private StreamSetup() {
    }

    /**
     * Makes sure the stream of {@code spec} exists and can serve it.
     *
     * @return the stream's info (the created or the existing stream)
     * @throws IncompatibleStreamException when a stream with that name exists but cannot serve the spec
     * @throws UncheckedIOException        when JetStream does not answer (timeout, not connected)
     * @throws IllegalStateException       when JetStream refuses the request (for example, no JetStream account)
     */
    public static StreamInfo ensure(JetStreamManagement jsm, StreamSpec spec) throws IncompatibleStreamException {
        try {
            // Two writers starting together may both find it missing; the loser re-reads the winner's.
            for (int attempt = 1; ; attempt++) {
                var existing = find(jsm, spec.name());
                if (existing == null) {
                    try {
                        return jsm.addStream(spec.toConfiguration());
                    } catch (JetStreamApiException e) {
                        // The winner's stream: "name in use", or "subjects overlap" when the server meets
                        // that check first (seen with three detectors starting at once); the retry re-reads it.
                        int code = e.getApiErrorCode();
                        if (attempt == 1 && (code == JetStreamErrors.STREAM_NAME_IN_USE
                                || code == JetStreamErrors.STREAM_SUBJECT_OVERLAP)) {
                            continue;
                        }
                        throw e;
                    }
                }
                var differences = spec.differences(existing.getConfiguration());
                if (!differences.isEmpty()) {
                    throw new IncompatibleStreamException(spec.name(), differences);
                }
                return existing;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("JetStream did not answer about stream " + spec.name(), e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("JetStream refused to set up stream " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private static StreamInfo find(JetStreamManagement jsm, String name) throws IOException, JetStreamApiException {
        try {
            return jsm.getStreamInfo(name);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == JetStreamErrors.STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
