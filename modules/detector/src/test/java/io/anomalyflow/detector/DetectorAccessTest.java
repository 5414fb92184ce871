package io.anomalyflow.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.NatsServerExtension;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector's HTTP side: {@code /metrics} behind {@code --metrics-token}, {@code /health} open,
 * HTTPS with a keystore made at test time, and protected mode (a non-loopback bind without the
 * token refused before anything connects; nothing here listens beyond loopback).
 */
class DetectorAccessTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();
    @TempDir
    static Path dir;

    @Test
    void metricsAskForTheTokenOverHttpsAndHealthStaysOpen() throws Exception {
        var certs = TestCerts.create(dir);
        var config = DetectorFixture.config(NATS.server(), "--metrics-token", "scr4pe",
                "--tls-keystore", certs.keystore().toString(), "--tls-password", certs.password());
        try (var detector = Detector.start(config);
             var http = HttpClient.newBuilder().sslContext(certs.clientContext()).build()) {
            var url = URI.create("https://localhost:" + detector.url().getPort());
            assertThat(detector.url().getScheme()).isEqualTo("https");
            assertThat(get(http, url, "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(http, url, "/metrics", "Bearer wrong").statusCode()).isEqualTo(401);
            var metrics = get(http, url, "/metrics", "Bearer scr4pe");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("anomalyflow_detector_");
            assertThat(get(http, url, "/health", null).statusCode()).isNotEqualTo(401);
        }
    }

    @Test
    void aWildcardBindWithoutTheMetricsTokenIsRefused() {
        var err = new ByteArrayOutputStream();
        var launch = DetectorMain.run(List.of("--bind", "0.0.0.0", "--nats", "nats://127.0.0.1:1"), Map.of(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(launch.status()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--bind: 0.0.0.0", "--metrics-token or DETECTOR_METRICS_TOKEN",
                "--allow-anonymous");
        assertThat(DetectorConfig.parse(List.of("--bind", "0.0.0.0", "--metrics-token", "m"), Map.of()).metricsToken())
                .isEqualTo("m");
        assertThat(DetectorConfig.parse(List.of("--bind", "0.0.0.0", "--allow-anonymous"), Map.of()).access().allowAnonymous())
                .isTrue();
        assertThat(DetectorConfig.parse(List.of(), Map.of("DETECTOR_METRICS_TOKEN", "s3cret")).toString()).doesNotContain("s3cret");
    }

    private static HttpResponse<String> get(HttpClient http, URI base, String path, String authorization) throws Exception {
        var b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
