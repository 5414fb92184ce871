package io.anomalyflow.flow.nats;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the tests that need a fresh stream per test on their class's nats-server: stream
 * {@code <PREFIX><unique>} capturing {@code <prefix><unique>} and {@code <prefix><unique>.>}, file
 * storage, and a connection with our options. A test that stopped the server gets it started again.
 */
@ExtendWith(NatsServerExtension.class)
abstract class StreamTestSupport {
    protected NatsServer server;
    protected Connection nc;
    protected String stream;
    protected String subject;

    /** The lower-case name prefix of this class's streams and subjects. */
    protected abstract String prefix();

    @BeforeEach
    void openStream(NatsServer nats) throws Exception {
        server = nats;
        if (!server.isRunning()) {
            server.startAgain();
        }
        nc = TestNats.open(NatsConnections.options(server.url(), "flow-nats-test"));
        var unique = Long.toString(System.nanoTime(), 36);
        stream = prefix().toUpperCase() + unique;
        subject = prefix() + unique;
        StreamSetup.ensure(TestNats.jsm(nc), StreamSpec.of(stream, subject, subject + ".>"));
    }

    @AfterEach
    void closeConnection() throws InterruptedException {
        if (!server.isRunning()) {
            server.startAgain();
        }
        nc.close();
    }
}
