package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.anomalyflow.app.ServerAccess;
import io.anomalyflow.app.ServerTls;
import io.anomalyflow.testsupport.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender against an HTTPS gateway: trusted through {@code --tls-truststore}, refused (at once and
 * with a reason naming the option) when the certificate is not trusted or does not name the host; and
 * its page served over HTTPS.
 */
class SenderTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static TestCerts certs;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void certs() throws Exception {
        certs = TestCerts.create(dir);
    }

    private int run(Map<String, String> env, String... args) {
        return SenderMain.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JsonNode summary() throws Exception {
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static FakeGateway https(String bind) throws Exception {
        return FakeGateway.startHttps(InetAddress.getByName(bind),
                ServerTls.load(certs.keystore(), certs.password().toCharArray()).context());
    }

    @Test
    void postsToAnHttpsGatewayTrustedThroughTheTruststore() throws Exception {
        try (var gateway = https("127.0.0.1")) {
            int status = run(Map.of("TLS_TRUSTSTORE_PASSWORD", certs.password()), "--gateway", gateway.url().toString(),
                    "--tls-truststore", certs.truststore().toString(), "--count", "200", "--concurrency", "8",
                    "--progress", "none", "--json");
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(summary().path("acknowledged").asInt()).isEqualTo(200);
            assertThat(gateway.stored()).hasSize(200);
            assertThat(out.toString(StandardCharsets.UTF_8) + err).doesNotContain(certs.password());
        }
    }

    @Test
    void anUntrustedCertificateFailsEveryRequestAtOnceWithAReasonNamingTheOption() throws Exception {
        try (var gateway = https("127.0.0.1")) {
            int status = run(Map.of(), "--gateway", gateway.url().toString(), "--count", "20", "--concurrency", "2",
                    "--progress", "none", "--json");
            assertThat(status).isNotZero();
            var s = summary();
            assertThat(s.path("acknowledged").asInt()).isZero();
            assertThat(s.path("retries").asInt()).as("a certificate does not become trusted by retrying").isZero();
            assertThat(s.path("lastError").asText()).contains("TLS handshake", "not trusted", "--tls-truststore");
            assertThat(gateway.stored()).isEmpty();
        }
    }

    @Test
    void aTrustedCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        // 127.0.0.2 is loopback on Linux; the certificate names localhost and 127.0.0.1 only
        try (var gateway = https("127.0.0.2")) {
            var url = "https://127.0.0.2:" + gateway.url().getPort();
            int status = run(Map.of(), "--gateway", url, "--tls-truststore", certs.certPem().toString(), "--count", "5",
                    "--concurrency", "1", "--progress", "none", "--json");
            assertThat(status).isNotZero();
            assertThat(summary().path("lastError").asText()).contains("TLS handshake", "127.0.0.2");
            assertThat(gateway.stored()).isEmpty();
        }
    }

    @Test
    void thePageIsServedOverHttps() throws Exception {
        var access = new ServerAccess(ServerTls.load(certs.keystore(), certs.password().toCharArray()), false);
        try (var page = SenderPage.start(InetAddress.getLoopbackAddress(), 0, SenderConfig.builder().build(), access);
             var http = HttpClient.newBuilder().sslContext(certs.clientContext()).build()) {
            assertThat(page.url().getScheme()).isEqualTo("https");
            var reply = http.send(HttpRequest.newBuilder(page.url().resolve("/health")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void thePageRefusesANonLoopbackBindUnlessAnonymousServiceIsAsked() {
        assertThat(run(Map.of(), "--serve", "--bind", "0.0.0.0", "--port", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--bind: 0.0.0.0", "--allow-anonymous");
        // the check is on the options; --allow-anonymous lets them through (nothing is bound here)
        var allowed = SenderOptions.from(SenderOptions.OPTIONS.parse(
                new ArrayList<>(List.of("--serve", "--bind", "0.0.0.0", "--allow-anonymous")), Map.of()));
        assertThat(allowed.access().allowAnonymous()).isTrue();
        assertThat(allowed.bind().isAnyLocalAddress()).isTrue();
    }
}
