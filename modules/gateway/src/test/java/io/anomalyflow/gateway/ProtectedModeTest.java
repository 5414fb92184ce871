package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A gateway asked to listen beyond loopback without a token refuses to start (status 2, before it
 * connects to NATS or binds anything) and says how to set one; a token or --allow-anonymous lets the
 * options through. Nothing here listens on a non-loopback address: the refusal comes first, and
 * the accepted cases are checked as configuration only.
 */
class ProtectedModeTest {
    // nobody listens there: a status 2 rather than 1 shows the refusal came before any connection
    private static final String NO_NATS = "nats://127.0.0.1:1";

    @Test
    void aWildcardBindWithoutATokenIsRefusedWithTheWayToSetOne() {
        var err = new ByteArrayOutputStream();
        var launch = GatewayMain.run(List.of("--bind", "0.0.0.0", "--nats", NO_NATS), Map.of(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(launch.status()).isEqualTo(2);
        assertThat(launch.app()).isNull();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("gateway: --bind: 0.0.0.0 is reachable from other machines")
                .contains("--token or GATEWAY_TOKEN", "--allow-anonymous");
    }

    @Test
    void aTokenOrAnonymousServiceAskedForPassesAndLoopbackNeedsNeither() {
        assertThat(GatewayConfig.parse(List.of("--bind", "0.0.0.0"), Map.of("GATEWAY_TOKEN", "t0ken")).bind().isAnyLocalAddress())
                .isTrue();
        var anonymous = GatewayConfig.parse(List.of("--bind", "0.0.0.0", "--allow-anonymous"), Map.of());
        assertThat(anonymous.access().allowAnonymous()).isTrue();
        assertThat(anonymous.token()).isNull();
        assertThat(GatewayConfig.parse(List.of("--bind", "::1"), Map.of()).token()).isNull();
    }
}
