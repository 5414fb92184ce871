package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The gateway over HTTPS with a keystore made at test time, started the way {@code java -jar} starts it. */
class GatewayTlsTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();
    @TempDir
    static Path dir;
    private static TestCerts certs;

    @BeforeAll
    static void certs() throws Exception {
        certs = TestCerts.create(dir);
    }

    @Test
    void servesPostsOverHttpsToAClientTrustingItsCertificateAndNeverPrintsThePassword() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var launch = GatewayMain.run(List.of("--nats", NATS.server().url(), "--port", "0", "--storage", "memory",
                        "--tls-keystore", certs.keystore().toString()),
                Map.of("TLS_PASSWORD", certs.password()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(launch.status()).as(err.toString(StandardCharsets.UTF_8)).isZero();
        try (var gateway = (Gateway) launch.app();
             var trusting = HttpClient.newBuilder().sslContext(certs.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
             var untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            assertThat(gateway.url().getScheme()).isEqualTo("https");
            assertThat(gateway.describe()).startsWith("gateway listening on https://").doesNotContain(certs.password());
            var post = HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/measurements"))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(GatewayFixture.measurement("tls-1", "7", "12.5"))).build();
            var reply = trusting.send(post, HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("{\"seq\":1,\"duplicate\":false}");
            assertThatThrownBy(() -> untrusting.send(post, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).doesNotContain(certs.password());
    }

    @Test
    void aWrongPasswordStopsTheStartWithStatusTwoAndNamesTheKeystore() {
        var err = new ByteArrayOutputStream();
        var launch = GatewayMain.run(List.of("--nats", NATS.server().url(), "--port", "0",
                        "--tls-keystore", certs.keystore().toString(), "--tls-password", "not-the-password-9"),
                Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(launch.status()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tls-keystore", "wrong password")
                .doesNotContain("not-the-password-9");
    }
}
