package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NatsServerExtension.class)
class NatsConnectionsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theOptionsAreOurs() {
        var options = NatsConnections.options("nats://127.0.0.1:1,nats://127.0.0.1:2", "unit").build();
        assertThat(options.getServers()).hasSize(2);
        assertThat(options.getConnectionName()).isEqualTo("unit");
        assertThat(options.getMaxReconnect()).as("forever").isEqualTo(-1);
        assertThat(options.getReconnectWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.getReconnectBufferSize()).as("off").isZero();
        assertThat(options.getPingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    /** Reconnect buffer off: a publish during an outage fails now, and is not sent after the reconnect. */
    @Test
    void aPublishWhileDisconnectedFailsAndIsNotSentLater(NatsServer nats) throws Exception {
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "outage").build());
             var observer = Nats.connect(NatsConnections.options(nats.url(), "observer").build())) {
            var seen = observer.subscribe("outage.>");
            observer.flush(Duration.ofSeconds(5));

            nats.stop();
            await().atMost(WAIT).until(() -> nc.getStatus() != Connection.Status.CONNECTED);
            assertThatThrownBy(() -> nc.publish("outage.stale", new byte[] {1}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("reconnect");

            nats.startAgain();
            await().atMost(WAIT).until(() -> nc.getStatus() == Connection.Status.CONNECTED
                    && observer.getStatus() == Connection.Status.CONNECTED);
            await().atMost(WAIT).untilAsserted(() -> {
                nc.publish("outage.fresh", new byte[] {2});
                nc.flush(Duration.ofSeconds(1));
                var m = seen.nextMessage(Duration.ofMillis(500));
                assertThat(m).isNotNull();
                assertThat(m.getSubject()).as("the stale publish never arrives").isEqualTo("outage.fresh");
            });
        }
    }

    /** BouncyCastle is excluded on purpose (it only serves NKey auth); plain connections work without it. */
    @Test
    void worksWithoutBouncyCastle(NatsServer nats) throws Exception {
        assertThatThrownBy(() -> Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider"))
                .isInstanceOf(ClassNotFoundException.class);
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "no-bc").build())) {
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            assertThat(nc.RTT()).isPositive();
        }
    }
}
