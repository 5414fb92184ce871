package io.anomalyflow.workshop.api;

import io.nats.client.Connection;
import java.util.concurrent.CompletableFuture;

/**
 * Step 05: publish one message to JetStream and answer only after the stream acknowledged it.
 */
public interface PublishStep {
    /**
     * Publishes {@code data} on {@code subject} through {@code nc}.
     *
     * @return a future that completes with the stream sequence JetStream acknowledged, or
     *     exceptionally when there is no acknowledgement (no stream listens on the subject, the
     *     server refused it, the ack did not come in time); never normally for a message that was
     *     not stored
     */
    CompletableFuture<Long> publish(Connection nc, String subject, byte[] data);
}
