package io.anomalyflow.workshop.reference;

import io.anomalyflow.flow.nats.JetStreamAppender;
import io.anomalyflow.flow.nats.OutgoingMessage;
import io.anomalyflow.flow.nats.PublishAck;
import io.anomalyflow.workshop.api.PublishStep;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Step 05 by {@link JetStreamAppender} (flow-nats), what the gateway publishes with: a bounded
 * window of asynchronous publishes, each future completed by its ack or failed by a timeout.
 * One appender per connection, kept for the connection's life.
 */
public final class ReferencePublish implements PublishStep {
    private final Map<Connection, JetStreamAppender> appenders = new ConcurrentHashMap<>();

    /** Creates the adapter; appenders are made on first use of each connection. */
    public ReferencePublish() {
    }

    @Override
    public CompletableFuture<Long> publish(Connection nc, String subject, byte[] data) {
        var appender = appenders.computeIfAbsent(nc, c -> JetStreamAppender.create(c, 256, Duration.ofSeconds(5)));
        return appender.append(new OutgoingMessage(subject, null, data)).thenApply(PublishAck::sequence);
    }
}
