package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerConfig;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

/** Token authentication against a real nats-server. */
class NatsTokenTest {

    @Test
    void theTokenConnectsAndAMissingOrWrongOneIsRefused() throws Exception {
        try (var nats = NatsServer.start(NatsServerConfig.defaults().withToken("s3cret-token"))) {
            try (var nc = Nats.connect(NatsConnections.options(nats.url(), "t", new NatsAuth(null, null, null, "s3cret-token")).build())) {
                assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
                assertThat(nc.RTT()).isPositive();
            }
            for (var auth : new NatsAuth[] {NatsAuth.NONE, new NatsAuth(null, null, null, "wrong")}) {
                var trouble = new NatsTrouble();
                var options = NatsConnections.options(nats.url(), "t", auth).errorListener(trouble).build();
                assertThatThrownBy(() -> Nats.connect(options).close())
                        .satisfies(e -> assertThat(trouble.explainConnectFailure(e, nats.url()))
                                .contains("refused our credentials").contains("--nats-token"));
            }
        }
    }
}
