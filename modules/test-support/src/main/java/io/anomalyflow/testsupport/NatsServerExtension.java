package io.anomalyflow.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving a test class one real {@link NatsServer} (JetStream on, free loopback
 * port, temporary store), started before the first test and killed, store deleted, after the last.
 *
 * <p>Use it either declaratively, taking the server as a parameter:
 * <pre>{@code
 * @ExtendWith(NatsServerExtension.class)
 * class MyTest {
 *     @Test void works(NatsServer nats) { connect(nats.url()); }
 * }
 * }</pre>
 * or programmatically: {@code @RegisterExtension static final NatsServerExtension NATS = new NatsServerExtension();}
 * then {@code NATS.server()}. Each test class gets its own server, so tests never share streams.
 * A test that stops or kills the server should start it again ({@link NatsServer#startAgain()})
 * when later tests in the class need it; {@link #ensureRunning()} does that between tests.
 */
public final class NatsServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private NatsServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = NatsServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server of the current test class. */
    public NatsServer server() {
        if (server == null) {
            throw new IllegalStateException("NatsServerExtension is not active: register it on a test class");
        }
        return server;
    }

    /** Starts the server again if a previous test stopped or killed it. */
    public NatsServer ensureRunning() {
        var s = server();
        if (!s.isRunning()) {
            s.startAgain();
        }
        return s;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == NatsServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return server();
    }
}
