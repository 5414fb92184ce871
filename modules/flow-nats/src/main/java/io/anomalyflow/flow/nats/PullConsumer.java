package io.anomalyflow.flow.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.time.ZoneOffset;

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
 */
final class PullConsumer {
    /** JetStream API error codes (nats-server {@code server/errors.json}). */
    static final int STREAM_NOT_FOUND = 10059;
    static final int CONSUMER_NOT_FOUND = 10014;

    private final JetStreamManagement jsm;
    private final JetStreamPublisher.Options options;
    private String name;

    PullConsumer(JetStreamManagement jsm, JetStreamPublisher.Options options) {
        this.jsm = jsm;
        this.options = options;
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
     * @param first         whether this is the subscription's first consumer
     * @throws MessagesLostException when the read-only consumer cannot resume without a gap
     */
    ConsumerInfo open(long lastDelivered, boolean first) throws IOException, JetStreamApiException {
        if (options.durable()) {
            return openDurable(first);
        }
        deleteQuietly();
        if (lastDelivered > 0 && options.filterSubject() == null) {
            long firstInStream = jsm.getStreamInfo(options.stream()).getStreamState().getFirstSequence();
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

    private ConsumerInfo openDurable(boolean first) throws IOException, JetStreamApiException {
        var durable = options.durableName();
        try {
            var info = jsm.getConsumerInfo(options.stream(), durable);
            name = info.getName();
            return info;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
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
                .ackPolicy(AckPolicy.Explicit);
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
