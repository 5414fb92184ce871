package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.lang.System.Logger.Level;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * The server-side consumer behind one subscription: creating it, re-creating it after a loss, and
 * removing it at the end.
 *
 * <p><b>Read-only (default):</b> an ephemeral pull consumer with {@code AckPolicy.None}, kept in memory
 * (it is rebuilt from our own position anyway) and deleted when the subscription ends; should our
 * process die, the server removes it after {@code inactiveThreshold} without pulls. After a loss the old
 * one is deleted and a new one starts at {@code lastDelivered + 1}, after checking that the stream still
 * holds that sequence (without a subject filter; with one, a hole in the sequence is normal and cannot
 * be told apart from a loss).
 *
 * <p><b>Durable (work queue):</b> a named pull consumer with {@code AckPolicy.Explicit}, shared by every
 * subscriber and process that uses the name. It is created if missing, used as it is if present (other
 * workers rely on it, so we never update it), and never deleted by us. The server tracks its position,
 * so after a loss we only check that it still exists.
 *
 * <p>Every call to the server goes through {@link #attempt}: when the server is away for now (a timeout,
 * a reconnect in progress, JetStream starting up) it schedules a retry with a growing back-off (100 ms
 * to 2 s) instead of failing; only what retrying cannot fix becomes a {@link JetStreamReadException}.
 */
final class PullConsumer {
    private static final System.Logger LOG = System.getLogger(PullConsumer.class.getName());
    private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF = TimeUnit.SECONDS.toNanos(2);

    /** A call to the JetStream API. */
    interface Call<T> {
        T call() throws IOException, JetStreamApiException;
    }

    private final Connection nc;
    private final JetStreamManagement jsm;
    private final JetStreamPublisher.Options options;
    private String name;
    private ZonedDateTime streamCreated; // of the stream the first consumer was opened on
    private boolean first = true;
    private long retryAt = System.nanoTime();
    private long backoff;

    PullConsumer(Connection nc, JetStreamManagement jsm, JetStreamPublisher.Options options) {
        this.nc = nc;
        this.jsm = jsm;
        this.options = options;
    }

    /**
     * Runs {@code call} unless a retry is not due yet.
     *
     * @return its result, or {@code null} when it has to be tried again at {@link #retryAt()}
     * @throws JetStreamReadException when retrying cannot help (no stream, a gap, a closed connection)
     */
    <T> T attempt(Call<T> call) {
        if (System.nanoTime() - retryAt < 0) {
            return null;
        }
        try {
            var result = call.call();
            backoff = 0;
            return result;
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() != 503) { // 503: JetStream is starting up or has no leader yet
                throw new JetStreamReadException("cannot read stream " + options.stream() + ": " + e.getMessage(), e);
            }
            retryLater(e);
        } catch (JetStreamReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // A timeout, no responders, "unable to queue during reconnect": the server is away for now.
            if (nc.getStatus() == Connection.Status.CLOSED) {
                throw new JetStreamReadException("the NATS connection was closed", e);
            }
            retryLater(e);
        }
        return null;
    }

    /** When the next {@link #attempt} may run. */
    long retryAt() {
        return retryAt;
    }

    private void retryLater(Exception e) {
        backoff = backoff == 0 ? MIN_BACKOFF : Math.min(2 * backoff, MAX_BACKOFF);
        retryAt = System.nanoTime() + backoff;
        LOG.log(Level.DEBUG, () -> "stream " + options.stream() + ": server away (" + e + "), retrying in "
                + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms");
    }

    /** The current consumer's name, or {@code null} between a loss and the next {@link #open}. */
    String name() {
        return name;
    }

    /** Where pull requests for the current consumer go. */
    String pullSubject() {
        return "$JS.API.CONSUMER.MSG.NEXT." + options.stream() + "." + name;
    }

    /** The last sequence in the stream right now (0 when empty): "the end" for {@code endAtLastPresent}. */
    long lastSequence() throws IOException, JetStreamApiException {
        return jsm.getStreamInfo(options.stream()).getStreamState().getLastSequence();
    }

    /**
     * Makes sure a consumer is there to pull from.
     *
     * @param lastDelivered the stream sequence of the last message delivered downstream, 0 for none yet
     * @throws MessagesLostException when the read-only consumer cannot resume without a gap
     */
    ConsumerInfo open(long lastDelivered) throws IOException, JetStreamApiException {
        var info = options.durable() ? openDurable() : openEphemeral(lastDelivered);
        first = false;
        return info;
    }

    private ConsumerInfo openEphemeral(long lastDelivered) throws IOException, JetStreamApiException {
        deleteQuietly();
        var stream = jsm.getStreamInfo(options.stream());
        if (streamCreated == null) {
            streamCreated = stream.getCreateTime();
        } else if (!streamCreated.equals(stream.getCreateTime())) {
            // Its sequences started again at 1: resuming after ours would skip the new stream's first messages.
            throw new JetStreamReadException("stream " + options.stream() + " was re-created (at " + stream.getCreateTime()
                    + "): this subscription read the one before it, and ends rather than resume in another stream");
        }
        if (lastDelivered > 0 && options.filterSubject() == null) {
            long firstInStream = stream.getStreamState().getFirstSequence();
            if (firstInStream > lastDelivered + 1) {
                throw new MessagesLostException(options.stream(), lastDelivered + 1, firstInStream);
            }
        }
        var config = ConsumerConfiguration.builder()
                .ackPolicy(AckPolicy.None)
                .memStorage(true)
                .numReplicas(1)
                .inactiveThreshold(options.inactiveThreshold());
        startAt(config, lastDelivered);
        if (options.filterSubject() != null) {
            config.filterSubject(options.filterSubject());
        }
        var info = jsm.addOrUpdateConsumer(options.stream(), config.build());
        name = info.getName();
        return info;
    }

    private ConsumerInfo openDurable() throws IOException, JetStreamApiException {
        var durable = options.durableName();
        try {
            var info = jsm.getConsumerInfo(options.stream(), durable);
            name = info.getName();
            return info;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != JetStreamErrors.CONSUMER_NOT_FOUND) {
                throw e;
            }
            if (!first) {
                // Re-creating it would restart the whole work queue from its start position.
                throw new JetStreamReadException("durable consumer " + durable + " on stream " + options.stream()
                        + " was deleted while in use; not re-creating it", e);
            }
        }
        // No inactive threshold: a work queue must outlive a time when all its workers are down.
        var config = ConsumerConfiguration.builder()
                .durable(durable)
                .ackPolicy(AckPolicy.Explicit)
                .ackWait(options.ackWait())
                .maxAckPending(options.maxAckPending());
        startAt(config, 0);
        if (options.filterSubject() != null) {
            config.filterSubject(options.filterSubject());
        }
        // addOrUpdate is idempotent for an identical config, so two workers racing here both succeed.
        var info = jsm.addOrUpdateConsumer(options.stream(), config.build());
        name = info.getName();
        return info;
    }

    private void startAt(ConsumerConfiguration.Builder config, long lastDelivered) {
        if (lastDelivered > 0) {
            config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(lastDelivered + 1);
            return;
        }
        switch (options.startPosition()) {
            case StartPosition.All a -> config.deliverPolicy(DeliverPolicy.All);
            case StartPosition.NewOnly n -> config.deliverPolicy(DeliverPolicy.New);
            case StartPosition.FromSequence s -> config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(s.sequence());
            case StartPosition.FromTime t -> config.deliverPolicy(DeliverPolicy.ByStartTime)
                    .startTime(t.time().atZone(ZoneOffset.UTC));
        }
    }

    /** At the end of the subscription: deletes an ephemeral consumer, leaves a durable one alone. */
    void close() {
        if (!options.durable()) {
            deleteQuietly();
        }
    }

    private void deleteQuietly() {
        var old = name;
        name = null;
        if (old == null) {
            return;
        }
        try {
            jsm.deleteConsumer(options.stream(), old);
        } catch (IOException | JetStreamApiException | RuntimeException ignored) {
            // Already gone (server restarted) or unreachable: the server drops it after inactiveThreshold.
        }
    }
}
