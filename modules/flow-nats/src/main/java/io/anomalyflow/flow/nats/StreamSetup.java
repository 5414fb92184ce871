package io.anomalyflow.flow.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Creates or validates the stream a writer appends to: create it when it is missing, accept a
 * compatible existing one as it is (never change a stream others may rely on), refuse an incompatible one
 * with a message naming each difference (see {@link StreamSpec} for the rules).
 */
public final class StreamSetup {
    /** How long an app starting up keeps asking a JetStream that does not answer before it gives up. */
    public static final Duration START_PATIENCE = Duration.ofSeconds(30);

    private StreamSetup() {
    }

    /**
     * {@link #ensure(JetStreamManagement, StreamSpec)}, asked again while JetStream does not answer, for up
     * to {@code patience}: a cluster that has just formed, or is busy creating a replicated stream another
     * writer asked for a moment earlier, lets requests time out for a few seconds (two gateways started
     * together over a fresh 3-node cluster saw it). A refusal or an incompatible stream is final at once.
     *
     * @throws UncheckedIOException when JetStream still does not answer after {@code patience}; its message
     *                              says how long it was asked and what usually causes it
     */
    public static StreamInfo ensure(JetStreamManagement jsm, StreamSpec spec, Duration patience)
            throws IncompatibleStreamException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return ensure(jsm, spec);
            } catch (UncheckedIOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new UncheckedIOException("JetStream did not answer about stream " + spec.name()
                            + " within " + patience.toSeconds() + " s (is the server started with -js, and, in a"
                            + " cluster, do enough nodes run to elect a leader?)", e.getCause());
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while setting up a stream"));
        }
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
