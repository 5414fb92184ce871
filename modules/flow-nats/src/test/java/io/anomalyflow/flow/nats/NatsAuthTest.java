package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerConfig;
import io.anomalyflow.testsupport.TestCerts;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and credentials against a real nats-server with TLS and users, certificates made now. */
class NatsAuthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    static TestCerts certs;
    static NatsServer nats;
    static NatsServerConfig config;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.create(dir);
        config = NatsServerConfig.defaults().withTls(certs).withUser("app", "app-pw").withUser("other", "other-pw");
        nats = NatsServer.start(config);
    }

    @AfterAll
    static void stop() {
        nats.close();
    }

    private static NatsAuth auth(String user, String password) throws Exception {
        return new NatsAuth(certs.clientContext(), user, password, null);
    }

    /** Connects; a failure says why, as the apps would. */
    private static Connection connect(io.nats.client.Options options, NatsTrouble trouble) throws Exception {
        try {
            return Nats.connect(options);
        } catch (java.io.IOException e) {
            throw new AssertionError(trouble.explainConnectFailure(e, nats.url()), e);
        }
    }

    @Test
    void trustedTlsAndTheRightPasswordReachJetStream() throws Exception {
        var trouble = new NatsTrouble();
        try (var nc = connect(NatsConnections.options(nats.url(), "ok", auth("app", "app-pw")).errorListener(trouble).build(), trouble)) {
            var jsm = nc.jetStreamManagement();
            jsm.addStream(io.nats.client.api.StreamConfiguration.builder().name("AUTH_OK").subjects("auth.ok").build());
            var ack = nc.jetStream().publish("auth.ok", "x".getBytes(StandardCharsets.UTF_8));
            assertThat(ack.getSeqno()).isEqualTo(1);
            assertThat(nc.getConnectedUrl()).startsWith("tls://");
        }
    }

    @Test
    void aWrongPasswordFailsTheConnectAndIsExplainedAsCredentials() throws Exception {
        var trouble = new NatsTrouble();
        var options = NatsConnections.options(nats.url(), "bad", auth("app", "nope")).errorListener(trouble).build();
        assertThatThrownBy(() -> Nats.connect(options).close())
                .satisfies(e -> assertThat(trouble.explainConnectFailure(e, nats.url()))
                        .contains("refused our credentials").contains("--nats-password").doesNotContain("nope"));
    }

    @Test
    void anUntrustedCertificateFailsTheConnectAndIsExplainedAsTrust() throws Exception {
        var trouble = new NatsTrouble();
        var options = NatsConnections.options(nats.url(), "untrusted", new NatsAuth(null, "app", "app-pw", null)).errorListener(trouble).build();
        assertThatThrownBy(() -> Nats.connect(options).close())
                .satisfies(e -> assertThat(trouble.explainConnectFailure(e, nats.url()))
                        .contains("not trusted").contains("--nats-truststore"));
    }

    @Test
    void plainNatsToATlsServerIsExplainedAsTls() throws Exception {
        var plain = nats.url().replace("tls://", "nats://");
        var trouble = new NatsTrouble();
        var options = NatsConnections.options(plain, "plain", new NatsAuth(null, "app", "app-pw", null)).errorListener(trouble).build();
        assertThatThrownBy(() -> Nats.connect(options).close())
                .satisfies(e -> assertThat(trouble.explainConnectFailure(e, plain)).contains("TLS"));
    }

    /** jnats closes a connection whose credentials are refused twice in a row while reconnecting (its "double auth error" rule). */
    @Test
    void aUserRemovedAtRunTimeClosesTheConnectionAndIsReportedAsRefusedCredentials() throws Exception {
        var trouble = new NatsTrouble();
        var options = NatsConnections.options(nats.url(), "revoked", auth("other", "other-pw"))
                .errorListener(trouble).connectionListener(trouble).build();
        try (var nc = connect(options, trouble)) {
            assertThat(trouble.reason(nc.getStatus())).isEqualTo("NATS connection is connected");
            nats.reconfigure(config.withUsers(List.of(new NatsServerConfig.User("app", "app-pw"))));
            try {
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(nc.getStatus()).isEqualTo(Connection.Status.CLOSED);
                    assertThat(trouble.reason(nc.getStatus())).contains("refused our credentials")
                            .contains("Authorization Violation").contains("restart with valid ones");
                });
            } finally {
                nats.reconfigure(config);
            }
        }
    }

    @Test
    void secretsNeverShowAndBadCombinationsAreRefused() throws Exception {
        assertThat(auth("app", "app-pw").toString()).doesNotContain("app-pw").contains("user=app");
        assertThat(new NatsAuth(null, null, null, "tok-secret").toString()).doesNotContain("tok-secret");
        assertThatThrownBy(() -> new NatsAuth(null, "u", null, null)).hasMessageContaining("needs a password");
        assertThatThrownBy(() -> new NatsAuth(null, "u", "p", "t")).hasMessageContaining("not both");
    }
}
