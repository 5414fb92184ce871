package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client asked to listen beyond loopback without a read token refuses to start (status 2, before
 * it connects to NATS) and says how to set one; a metrics token alone does not count, since the
 * anomalies would still be open. Nothing here listens beyond loopback: the accepted cases are
 * checked as configuration only.
 */
class ProtectedModeTest {
    @Test
    void aWildcardBindWithoutAReadTokenIsRefusedWithTheWayToSetOne() {
        for (var env : List.of(Map.<String, String>of(), Map.of("CLIENT_METRICS_TOKEN", "m"))) {
            var r = ClientMainTest.run(List.of("--bind", "0.0.0.0", "--nats", "nats://127.0.0.1:1"), env);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.app()).isNull();
            assertThat(r.err()).startsWith("client: --bind: 0.0.0.0 is reachable from other machines")
                    .contains("--token or CLIENT_TOKEN", "--allow-anonymous");
        }
    }

    @Test
    void aReadTokenOrAnonymousServiceAskedForPasses() {
        var withToken = ClientConfig.parse(List.of("--bind", "0.0.0.0", "--token", "t0ken"), Map.of());
        assertThat(withToken.bind().isAnyLocalAddress()).isTrue();
        var anonymous = ClientConfig.parse(List.of("--bind", "0.0.0.0"), Map.of("ALLOW_ANONYMOUS", "yes"));
        assertThat(anonymous.access().allowAnonymous()).isTrue();
        assertThat(anonymous.token()).isNull();
    }
}
