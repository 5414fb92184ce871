package io.anomalyflow.gateway;

import io.anomalyflow.flow.nats.IncompatibleStreamException;
import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.flow.nats.NatsTrouble;
import io.anomalyflow.flow.nats.StreamSetup;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's NATS connection: connects at start (failing fast with a clear message when NATS is
 * unreachable, see {@link #connect}), makes sure the stream exists, reconnects by itself for ever
 * after, and answers "is NATS usable?" for {@code /health} and the {@code nats_connected} gauge.
 *
 * <p>The connection comes from {@link NatsConnections#options}, whose reconnect buffer is off: while
 * disconnected a publish fails at once instead of being queued and sent minutes later, so a 503
 * during an outage never turns into a stale write afterwards (a 503 means "not acknowledged").
 */
final class NatsLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatsLink.class);

    /** What {@code /health} reports. */
    record Health(boolean up, String nats, String problem) {
    }

    private final Connection connection;
    private final JetStreamManagement management;
    private final String streamName;
    private final StreamInfo streamAtStart;
    private final NatsTrouble trouble;

    private NatsLink(Connection connection, JetStreamManagement management, String streamName, StreamInfo streamAtStart,
                     NatsTrouble trouble) {
        this.trouble = trouble;
        this.connection = connection;
        this.management = management;
        this.streamName = streamName;
        this.streamAtStart = streamAtStart;
    }

    /**
     * Connects and provisions the stream. Start-up policy: fail fast. A gateway that cannot reach
     * NATS, or finds the stream configured incompatibly, does not start: it would answer every
     * POST with 503 anyway, and a process that exits with a clear message is easier to notice and
     * to restart (by a supervisor, or by {@code make run-all}, which starts NATS first) than one
     * that seems up. Once started, outages are survived: it reconnects by itself.
     *
     * @throws GatewayStartException saying what is wrong and where
     */
    static NatsLink connect(GatewayConfig config) throws GatewayStartException {
        var where = redact(config.natsUrl());
        // NatsConnections: reconnect for ever (an outage of any length is survived, POSTs get 503
        // meanwhile), reconnect buffer off, pings that notice a hung server within seconds.
        var events = new ConnectionLog(config);
        var options = NatsConnections.options(config.natsUrl(), "anomalyflow-gateway", config.natsAuth())
                .connectionListener(events)
                .errorListener(events)
                .build();
        Connection nc;
        try {
            nc = Nats.connect(options);
        } catch (IOException e) {
            // refused credentials, an untrusted certificate, TLS on one side only, or nothing there
            throw new GatewayStartException(events.trouble.explainConnectFailure(e, where), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayStartException("interrupted while connecting to NATS at " + where, e);
        }
        try {
            var jsm = nc.jetStreamManagement(JetStreamOptions.builder().requestTimeout(config.ackTimeout()).build());
            var info = StreamSetup.ensure(jsm, config.stream(), StreamSetup.START_PATIENCE);
            events.established = true;
            return new NatsLink(nc, jsm, config.stream().name(), info, events.trouble);
        } catch (IncompatibleStreamException e) {
            closeQuietly(nc);
            throw new GatewayStartException("stream " + config.stream().name() + " on " + where
                    + " exists with an incompatible configuration: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(nc);
            throw new GatewayStartException("cannot provision stream " + config.stream().name() + " on " + where
                    + ": " + e.getMessage(), e);
        }
    }

    Connection connection() {
        return connection;
    }

    boolean connected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    /** Up when connected and the stream answers; a NATS round trip (bounded by the ack timeout) when connected. */
    Health health() {
        var status = connection.getStatus();
        if (status != Connection.Status.CONNECTED) {
            // "reconnecting: the server refused our credentials (Authorization Violation)" when our user went away
            return new Health(false, status.name().toLowerCase(), trouble.reason(status));
        }
        try {
            management.getStreamInfo(streamName);
            return new Health(true, "connected", null);
        } catch (JetStreamApiException e) {
            return new Health(false, "connected", "stream " + streamName + " is not available: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Health(false, "connected", "NATS did not answer about stream " + streamName + ": " + e.getMessage());
        }
    }

    /** For the start-up line: the server we reached and the stream we use. */
    String describe() {
        var c = streamAtStart.getConfiguration();
        return "NATS " + redact(connection.getConnectedUrl() == null ? "?" : connection.getConnectedUrl())
                + " (server " + connection.getServerInfo().getVersion() + "), stream " + c.getName()
                + " (subjects " + c.getSubjects() + ", " + c.getStorageType().name().toLowerCase() + " storage, "
                + streamAtStart.getStreamState().getMsgCount() + " messages)";
    }

    /** Drains (pending acks arrive, bounded by {@code timeout}), then closes. */
    void close(Duration timeout) {
        try {
            if (connected()) {
                connection.drain(timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            LOG.debug("NATS drain did not finish cleanly: {}", e.toString());
        } finally {
            closeQuietly(connection);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    /** {@code url} with any password or token replaced by {@code ***}, for logs and messages. */
    static String redact(String url) {
        return NatsConnections.redact(url);
    }

    /**
     * Connection events and asynchronous errors, logged through slf4j: jnats' default error listener
     * writes to java.util.logging at SEVERE, once per reconnect attempt (four times a second during
     * an outage). Failed reconnect attempts are debug; state changes are one line each.
     */
    private static final class ConnectionLog implements ConnectionListener, ErrorListener {
        private final GatewayConfig config;
        private final NatsTrouble trouble = new NatsTrouble(error -> LOG.warn("NATS server error: {}", error));
        /** Set once the gateway started: before that, a failed connect is reported by {@link #connect}. */
        private volatile boolean established;

        ConnectionLog(GatewayConfig config) {
            this.config = config;
        }

        @Override
        public void connectionEvent(Connection conn, ConnectionListener.Events event) {
            trouble.connectionEvent(conn, event);
            if (!established) {
                return;
            }
            switch (event) {
                case DISCONNECTED -> LOG.warn("NATS disconnected; POST /measurements answers 503 until it is back");
                case RECONNECTED -> {
                    LOG.info("NATS reconnected to {}", redact(String.valueOf(conn.getConnectedUrl())));
                    // The server may have come back without the stream (memory storage, a wiped
                    // store): provision it again, off the connection's event thread.
                    Thread.ofVirtual().name("stream-setup").start(() -> reprovision(conn, config));
                }
                case CLOSED -> LOG.info("NATS connection closed");
                default -> LOG.debug("NATS connection event {}", event);
            }
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            trouble.errorOccurred(conn, error); // logs a new error once, not at each reconnect attempt
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            trouble.exceptionOccurred(conn, exp);
            LOG.debug("NATS connection: {}", exp.toString());
        }
    }

    private static void reprovision(Connection conn, GatewayConfig config) {
        try {
            var jsm = conn.jetStreamManagement(JetStreamOptions.builder().requestTimeout(config.ackTimeout()).build());
            StreamSetup.ensure(jsm, config.stream());
        } catch (IncompatibleStreamException | IOException | RuntimeException e) {
            LOG.error("after reconnecting, stream {} could not be provisioned: {}; /health reports it",
                    config.stream().name(), e.getMessage());
        }
    }

    private static void closeQuietly(Connection nc) {
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ignored) {
            // closing anyway
        }
    }
}
