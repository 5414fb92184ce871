package io.anomalyflow.client;

import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client's integration tests share, as one JUnit extension: a nats-server for the test
 * class, a test connection to it ({@link TestNats}), an HTTP client, and clean-up after each test of
 * whatever it started ({@link #closeAfterTest}).
 * <pre>{@code @RegisterExtension static final ClientFixture F = new ClientFixture();}</pre>
 */
final class ClientFixture implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final NatsServerExtension server = new NatsServerExtension();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TestNats nats;
    private Http http;

    /** A client on a fresh stream, with its names. */
    record Started(AnomalyClient client, String stream, String subject) {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server.beforeAll(context);
        nats = TestNats.connect(NatsConnections.options(server.server().url(), "client-test"));
        http = new Http();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        var failures = new ArrayList<Exception>();
        for (var c : toClose.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        toClose.clear();
        server.ensureRunning(); // a test may have stopped it
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        http.close();
        nats.close();
        server.afterAll(context);
    }

    NatsServer server() {
        return server.server();
    }

    TestNats nats() {
        return nats;
    }

    Http http() {
        return http;
    }

    /** Closes {@code c} after the current test (in reverse order of registration). */
    <C extends AutoCloseable> C closeAfterTest(C c) {
        toClose.add(c);
        return c;
    }

    /** The defaults for a test: this server, a free port, the given stream. */
    ClientConfig.Builder config(String stream, String subject) {
        return ClientConfig.builder().natsUrl(server.server().url()).port(0).stream(stream).subject(subject);
    }

    /**
     * Starts a client on a fresh stream, created first unless {@code createStream} is false (then the
     * client waits for it), and closed after the test.
     */
    Started start(boolean createStream, UnaryOperator<ClientConfig.Builder> tweak) throws Exception {
        var names = TestNats.freshNames("t");
        if (createStream) {
            nats.createStream(names[0], names[1]);
        }
        var client = closeAfterTest(AnomalyClient.start(tweak.apply(config(names[0], names[1])).build()));
        if (createStream) {
            assertThat(client.awaitReading(WAIT)).as("client reads").isTrue();
        }
        return new Started(client, names[0], names[1]);
    }

    /**
     * Starts a {@code --source anomalies} client on a fresh anomalies stream (its name and subject in
     * the answer), created first unless {@code createStream} is false, and closed after the test.
     */
    Started startAnomalies(boolean createStream, UnaryOperator<ClientConfig.Builder> tweak) throws Exception {
        var names = TestNats.freshNames("an");
        if (createStream) {
            nats.createStream(names[0], names[1]);
        }
        var config = ClientConfig.builder().natsUrl(server.server().url()).port(0)
                .source(ClientConfig.Source.ANOMALIES).anomaliesStream(names[0]);
        var client = closeAfterTest(AnomalyClient.start(tweak.apply(config).build()));
        if (createStream) {
            assertThat(client.awaitReading(WAIT)).as("client reads").isTrue();
        }
        return new Started(client, names[0], names[1]);
    }

    Started start(UnaryOperator<ClientConfig.Builder> tweak) throws Exception {
        return start(true, tweak);
    }

    Started start() throws Exception {
        return start(true, b -> b);
    }
}
