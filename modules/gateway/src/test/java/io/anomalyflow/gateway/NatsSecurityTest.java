package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerConfig;
import io.anomalyflow.testsupport.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against a real nats-server with TLS (certificates made now) and users: it connects
 * over {@code tls://} with a truststore and credentials from the environment, and stores; a wrong
 * password or an untrusted certificate stop it at start with the cause; its user removed by a config
 * reload turns {@code /health} to 503 with the reason (jnats then closes the connection: it gives up
 * on credentials refused twice, so only a restart with valid ones brings the gateway back). No
 * secret appears in the help, the config, the errors or the log.
 */
class NatsSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "gw-pass-7f3a";
    @TempDir
    static Path dir;
    static TestCerts certs;
    static NatsServer nats;
    static NatsServerConfig serverConfig;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.create(dir);
        serverConfig = NatsServerConfig.defaults().withTls(certs).withUser("gateway", PASSWORD).withUser("admin", "admin-pw");
        nats = NatsServer.start(serverConfig);
    }

    @AfterAll
    static void stop() {
        nats.close();
    }

    private io.anomalyflow.app.AppLauncher.Launch launch(Map<String, String> env, String... args) {
        var all = new ArrayList<>(List.of("--nats", nats.url(), "--port", "0", "--storage", "memory"));
        all.addAll(List.of(args));
        return GatewayMain.run(all, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Map<String, String> env(String password) {
        return Map.of("NATS_USER", "gateway", "NATS_PASSWORD", password, "NATS_TRUSTSTORE", certs.truststore().toString(),
                "NATS_TRUSTSTORE_PASSWORD", certs.password());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void overTlsWithCredentialsFromTheEnvironmentItStoresAndLosingTheUserTurnsHealthTo503() throws Exception {
        var log = new ByteArrayOutputStream();
        var systemErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // where slf4j-simple writes
        try {
            var launch = launch(env(PASSWORD), "--stream", "SECURE", "--subject", "secure");
            assertThat(launch.status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
            try (var gateway = (Gateway) launch.app()) {
                var base = gateway.url();
                var ok = send(HttpRequest.newBuilder(base.resolve("/measurements"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"7\",\"measurementValue\":12.5}")));
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).contains("\"seq\":1");
                assertThat(send(HttpRequest.newBuilder(base.resolve("/health"))).statusCode()).isEqualTo(200);

                nats.reconfigure(serverConfig.withUsers(List.of(new NatsServerConfig.User("admin", "admin-pw"))));
                try {
                    // jnats gives up after the same refusal twice: the connection closes and health says why
                    await().atMost(WAIT).untilAsserted(() -> {
                        var health = send(HttpRequest.newBuilder(base.resolve("/health")));
                        assertThat(health.statusCode()).isEqualTo(503);
                        assertThat(health.body()).contains("NATS connection is closed").contains("refused our credentials")
                                .contains("Authorization Violation").contains("restart with valid ones");
                    });
                    var refused = send(HttpRequest.newBuilder(base.resolve("/measurements"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"7\",\"measurementValue\":1}")));
                    assertThat(refused.statusCode()).isEqualTo(503);
                } finally {
                    nats.reconfigure(serverConfig);
                }
            }
        } finally {
            System.setErr(systemErr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("Authorization Violation")
                .doesNotContain(PASSWORD).doesNotContain(certs.password());
    }

    @Test
    void theConfigNeverShowsASecret() {
        var config = GatewayConfig.parse(List.of("--nats", nats.url(), "--nats-user", "gateway"), env(PASSWORD));
        assertThat(config.natsAuth().user()).isEqualTo("gateway");
        assertThat(config.natsAuth().trust()).isNotNull();
        assertThat(config.toString()).contains("user=gateway").doesNotContain(PASSWORD).doesNotContain(certs.password());
        var withToken = GatewayConfig.parse(List.of("--nats-token", "tok-9d1e"), Map.of());
        assertThat(withToken.natsAuth().token()).isEqualTo("tok-9d1e");
        assertThat(withToken.toString()).doesNotContain("tok-9d1e");
    }

    @Test
    void aWrongPasswordStopsTheStartAndSaysCredentials() {
        var launch = launch(env("not-the-password"));
        assertThat(launch.status()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("gateway: could not start: NATS at " + nats.url()
                + " refused our credentials").contains("--nats-password").doesNotContain("not-the-password");
    }

    @Test
    void anUntrustedCertificateStopsTheStartAndSaysTrust() {
        var launch = launch(Map.of("NATS_USER", "gateway", "NATS_PASSWORD", PASSWORD));
        assertThat(launch.status()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("gateway: could not start: the TLS certificate of NATS at "
                + nats.url() + " is not trusted").contains("--nats-truststore").doesNotContain(PASSWORD);
    }

    @Test
    void aTruststoreWithTheWrongPasswordIsABadOption() {
        var launch = launch(Map.of("NATS_TRUSTSTORE", certs.truststore().toString(), "NATS_TRUSTSTORE_PASSWORD", "nope-123"));
        assertThat(launch.status()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("NATS_TRUSTSTORE").contains("wrong password")
                .doesNotContain("nope-123");
    }

    @Test
    void helpShowsTheOptionsButNoSecretFromTheEnvironment() {
        assertThat(launch(env(PASSWORD), "--help").status()).isZero();
        var help = out.toString(StandardCharsets.UTF_8);
        assertThat(help).contains("--nats-truststore", "--nats-user", "NATS_PASSWORD", "NATS_TOKEN")
                .doesNotContain(PASSWORD).doesNotContain(certs.password());
        assertThat(URI.create(nats.url()).getScheme()).isEqualTo("tls");
    }
}
