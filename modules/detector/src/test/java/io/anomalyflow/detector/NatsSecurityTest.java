package io.anomalyflow.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.app.AppLauncher;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector against a real nats-server with TLS and users: it judges a measurement over
 * {@code tls://} with credentials from the environment, stores the anomaly; a wrong password stops
 * it at start with the cause; its user removed by a config reload turns {@code /health} to 503 with
 * the reason.
 */
class NatsSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PASSWORD = "det-pw-8c4b";
    @TempDir
    static Path dir;
    static TestCerts certs;
    static NatsServer nats;
    static NatsServerConfig serverConfig;
    static NatsAuth admin;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.create(dir);
        serverConfig = NatsServerConfig.defaults().withTls(certs).withUser("detector", PASSWORD).withUser("admin", "admin-pw");
        nats = NatsServer.start(serverConfig);
        admin = new NatsAuth(certs.clientContext(), "admin", "admin-pw", null);
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "setup", admin).build())) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("MEASUREMENTS").subjects("measurements")
                    .storageType(StorageType.Memory).build());
            nc.jetStream().publish("measurements", "{\"deviceId\":\"9\",\"measurementValue\":3}".getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stop() {
        nats.close();
    }

    private AppLauncher.Launch launch(String password) {
        var env = Map.of("NATS_USER", "detector", "NATS_PASSWORD", password, "NATS_TRUSTSTORE", certs.truststore().toString(),
                "NATS_TRUSTSTORE_PASSWORD", certs.password());
        return DetectorMain.run(List.of("--nats", nats.url(), "--port", "0", "--storage", "memory"), env,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private long anomaliesStored() throws Exception {
        try (var nc = Nats.connect(NatsConnections.options(nats.url(), "observer", admin).build())) {
            return nc.jetStreamManagement().getStreamInfo("ANOMALIES").getStreamState().getMsgCount();
        }
    }

    @Test
    void judgesOverTlsAndLosingItsUserTurnsHealthTo503WithTheReason() throws Exception {
        var launch = launch(PASSWORD);
        assertThat(launch.status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        try (var detector = (Detector) launch.app()) {
            await().atMost(WAIT).until(() -> anomaliesStored() == 1);
            var healthUrl = detector.url().resolve("/health");
            await().atMost(WAIT).until(() -> get(healthUrl).statusCode() == 200);

            nats.reconfigure(serverConfig.withUsers(List.of(new NatsServerConfig.User("admin", "admin-pw"))));
            try {
                await().atMost(WAIT).untilAsserted(() -> {
                    var health = get(healthUrl);
                    assertThat(health.statusCode()).isEqualTo(503);
                    assertThat(health.body()).contains("refused our credentials").contains("Authorization Violation");
                });
            } finally {
                nats.reconfigure(serverConfig);
            }
        }
    }

    @Test
    void aWrongPasswordStopsTheStartAndSaysCredentials() {
        assertThat(launch("wrong-pw-2").status()).isEqualTo(AppLauncher.START_FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused our credentials").contains("--nats-password")
                .doesNotContain("wrong-pw-2");
    }

    private HttpResponse<String> get(java.net.URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
