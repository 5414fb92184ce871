package io.anomalyflow.flow.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;

/**
 * What a {@link PullReader} must know about its connection: it was re-established (our pulls and
 * the consumer may be gone), or it was closed for good. The NATS connection thread only sets a flag
 * and wakes the loop; the loop takes the news with {@link #reconnected()} and {@link #closed()}.
 */
final class ConnectionWatch {
    private final Connection nc;
    private final Runnable wake;
    private final ConnectionListener listener = this::event;
    private volatile boolean reconnected;
    private volatile boolean closed;

    ConnectionWatch(Connection nc, Runnable wake) {
        this.nc = nc;
        this.wake = wake;
    }

    void start() {
        nc.addConnectionListener(listener);
    }

    void stop() {
        try {
            nc.removeConnectionListener(listener);
        } catch (RuntimeException ignored) {
            // a closed connection has no listeners to remove
        }
    }

    /** Whether the connection came back since the last call (clears the news). */
    boolean reconnected() {
        if (!reconnected) {
            return false;
        }
        reconnected = false;
        return true;
    }

    boolean closed() {
        return closed;
    }

    private void event(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            // RESUBSCRIBED comes after RECONNECTED, once our inbox is subscribed again on the new
            // connection: from then on a pull can be answered.
            case RESUBSCRIBED -> reconnected = true;
            case CLOSED -> closed = true;
            default -> {
                return;
            }
        }
        wake.run();
    }
}
