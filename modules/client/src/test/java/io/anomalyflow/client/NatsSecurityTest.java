package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.flow.nats.NatsAuth;
import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerConfig;
import io.anomalyflow.testsupport.TestCerts;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
 * The client against a real nats-server with TLS and token authentication: it reads over
 * {@code tls://} with a truststore and the token from the environment; a wrong token or an untrusted
 * certificate stop it at start with the cause; the token changed by a config reload turns
 * {@code /health} to 503 with the reason (the connection closes: jnats gives up on credentials refused twice).
 */
class NatsSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "client-tok-51c2";
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
        serverConfig = NatsServerConfig.defaults().withTls(certs).withToken(TOKEN);
        nats = NatsServer.start(serverConfig);
        var auth = new NatsAuth(certs.clientContext(), null, null, TOKEN);
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "setup", auth).build())) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("SECURE").subjects("secure")
                    .storageType(StorageType.Memory).build());
            nc.jetStream().publish("secure", "{\"deviceId\":\"3\",\"measurementValue\":4.5}".getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        nats.close();
    }

    private io.anomalyflow.app.AppLauncher.Launch launch(Map<String, String> env) {
        var args = new ArrayList<>(List.of("--nats", nats.url(), "--port", "0", "--stream", "SECURE", "--subject", "secure"));
        return ClientMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Map<String, String> env(String token) {
        return Map.of("NATS_TOKEN", token, "NATS_TRUSTSTORE", certs.truststore().toString(),
                "NATS_TRUSTSTORE_PASSWORD", certs.password());
    }

    private HttpResponse<String> get(AnomalyClient client, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(client.url().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readsOverTlsWithTheTokenAndAChangedTokenTurnsHealthTo503() throws Exception {
        var launch = launch(env(TOKEN));
        assertThat(launch.status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        try (var client = (AnomalyClient) launch.app()) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(get(client, "/anomalies").body()).contains("\"deviceId\":\"3\""));
            assertThat(get(client, "/health").statusCode()).isEqualTo(200);
            assertThat(client.config().toString()).doesNotContain(TOKEN).doesNotContain(certs.password());

            nats.reconfigure(serverConfig.withToken("another-token"));
            try {
                // jnats gives up after the same refusal twice: the connection closes and health says why
                await().atMost(WAIT).untilAsserted(() -> {
                    var health = get(client, "/health");
                    assertThat(health.statusCode()).isEqualTo(503);
                    assertThat(health.body()).contains("NATS connection is closed").contains("refused our credentials")
                            .contains("Authorization Violation").contains("restart with valid ones");
                });
            } finally {
                nats.reconfigure(serverConfig);
            }
        }
    }

    @Test
    void aWrongTokenStopsTheStartAndSaysCredentials() {
        assertThat(launch(env("wrong-token-0")).status()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not start").contains("refused our credentials")
                .contains("--nats-token").doesNotContain("wrong-token-0");
    }

    @Test
    void anUntrustedCertificateStopsTheStartAndSaysTrust() {
        assertThat(launch(Map.of("NATS_TOKEN", TOKEN)).status()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not start").contains("is not trusted")
                .contains("--nats-truststore").doesNotContain(TOKEN);
    }
}
