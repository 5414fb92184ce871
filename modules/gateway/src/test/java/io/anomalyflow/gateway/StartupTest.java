package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.NatsServerExtension;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start-up: the command line, NATS down (fail fast), an incompatible stream, a taken port. */
class StartupTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) throws Exception {
        var launch = GatewayMain.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        if (launch.app() != null) {
            launch.app().close();
        }
        return launch.status();
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() throws Exception {
        assertThat(run(Map.of(), "--help")).isZero();
        var help = out.toString(StandardCharsets.UTF_8);
        for (var o : GatewayConfig.OPTIONS.options()) {
            assertThat(help).contains(o.flag()).contains(o.env());
        }
        assertThat(help).contains("NATS_URL").contains("(default: 8081)").contains("(default: 1MiB)").contains("(default: 2s)");
    }

    @Test
    void badOptionsExitWithTwoAndNameTheProblem() throws Exception {
        assertThat(run(Map.of(), "--port", "x")).isEqualTo(2);
        assertThat(err()).startsWith("gateway: --port: not a number: \"x\"");
        err.reset();
        assertThat(run(Map.of("ACK_TIMEOUT", "soon"))).isEqualTo(2);
        assertThat(err()).startsWith("gateway: ACK_TIMEOUT (for --ack-timeout): not a duration: \"soon\"");
        err.reset();
        assertThat(run(Map.of(), "--nats", "localhost:4222")).isEqualTo(2);
        assertThat(err()).contains("--nats: not an absolute URL");
        err.reset();
        assertThat(run(Map.of(), "--token", " ")).isEqualTo(2);
        assertThat(err()).contains("--token").doesNotContain("\" \"");
    }

    @Test
    void natsDownAtStartFailsFastWithAClearMessage() throws Exception {
        int deadPort;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        assertThat(run(Map.of(), "--nats", "nats://127.0.0.1:" + deadPort, "--port", "0")).isEqualTo(1);
        assertThat(err()).startsWith("gateway: could not start: cannot reach NATS at nats://127.0.0.1:" + deadPort)
                .contains("NATS_URL");
    }

    @Test
    void credentialsInTheNatsUrlAreNotShown() {
        assertThat(NatsLink.redact("nats://user:pa55@h:4222,nats://tok3n@g:4222")).isEqualTo("nats://user:***@h:4222,nats://***@g:4222");
        var config = GatewayFixture.config(NATS.server(), "--nats", "nats://u:secretpw@127.0.0.1:1", "--token", "tkn-123");
        assertThat(config.toString()).doesNotContain("secretpw").doesNotContain("tkn-123");
    }

    @Test
    void anIncompatibleStreamIsRefusedWithAClearMessage() throws Exception {
        try (var nc = Nats.connect(NATS.server().url())) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("TAKEN").subjects("something.else")
                    .storageType(StorageType.Memory).build());
        }
        var config = GatewayFixture.config(NATS.server(), "--stream", "TAKEN", "--subject", "taken");
        assertThatThrownBy(() -> Gateway.start(config)).isInstanceOf(GatewayStartException.class)
                .hasMessageStartingWith("stream TAKEN on " + NATS.server().url() + " exists with an incompatible configuration");
    }

    @Test
    void aCompatibleExistingStreamIsAcceptedAndTheStartLineSaysWhereItListens() throws Exception {
        var config = GatewayFixture.config(NATS.server(), "--stream", "SHARED", "--subject", "shared");
        try (var first = Gateway.start(config); var second = Gateway.start(config)) {
            assertThat(second.port()).isNotEqualTo(first.port());
            assertThat(second.describe()).startsWith("gateway listening on " + second.url())
                    .contains("NATS " + NATS.server().url()).contains("stream SHARED").contains("memory");
        }
    }

    @Test
    void aTakenPortIsAClearStartFailure() throws Exception {
        try (var blocker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run(Map.of(), "--nats", NATS.server().url(), "--port", Integer.toString(blocker.getLocalPort()),
                    "--storage", "memory")).isEqualTo(1);
            assertThat(err()).contains("cannot listen on 127.0.0.1:" + blocker.getLocalPort());
        }
    }

    @Test
    void startsFromTheCommandLineAndStops() throws Exception {
        assertThat(run(Map.of("NATS_URL", NATS.server().url()), "--port", "0", "--storage", "memory")).isZero();
        assertThat(err()).isEmpty();
    }
}
