package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.TestCerts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on the JDK's server with a keystore made at test time; hostile handshakes cost nobody else. */
class WebServerTlsTest {
    @TempDir
    static Path dir;
    private static TestCerts certs;
    private static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.create(dir);
        var tls = ServerTls.load(certs.keystore(), certs.password().toCharArray());
        var router = Router.builder().get("/hello", ex -> Responses.json(ex, 200, "{\"hello\":\"tls\"}")).build();
        server = WebServer.start(InetAddress.getLoopbackAddress(), 0, router, Duration.ofSeconds(1), tls);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient trusting() throws Exception {
        return HttpClient.newBuilder().sslContext(certs.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void servesHttpsToAClientThatTrustsTheCertificateByIpAndByName() throws Exception {
        assertThat(server.url().getScheme()).isEqualTo("https");
        try (var client = trusting()) {
            var byIp = get(client, server.url().resolve("/hello"));
            assertThat(byIp.statusCode()).isEqualTo(200);
            assertThat(byIp.body()).isEqualTo("{\"hello\":\"tls\"}");
            var byName = get(client, URI.create("https://localhost:" + server.port() + "/hello"));
            assertThat(byName.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            assertThatThrownBy(() -> get(client, server.url().resolve("/hello"))).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void plainHttpGarbageAndStalledHandshakesDoNotBlockOthers() throws Exception {
        var stalled = new ArrayList<Socket>();
        try (var client = trusting()) {
            for (int i = 0; i < 20; i++) {
                var s = new Socket(InetAddress.getLoopbackAddress(), server.port()); // connects, never says hello
                stalled.add(s);
            }
            try (var plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                plain.setSoTimeout(20_000);
                plain.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                plain.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x7f, 0x7f, 1, 2, 3});
                plain.getOutputStream().flush();
                // the server gives up on it: end of stream, a reset, or a TLS alert, never a 200
                var reply = readQuietly(plain);
                assertThat(reply).doesNotContain("200");
            }
            for (int i = 0; i < 5; i++) {
                assertThat(get(client, server.url().resolve("/hello")).statusCode()).isEqualTo(200);
            }
        } finally {
            for (var s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void aBadKeystoreIsNamedAtLoad() throws Exception {
        assertThatThrownBy(() -> ServerTls.load(certs.keystore(), "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password")
                .hasMessageNotContaining(certs.password());
        assertThatThrownBy(() -> ServerTls.load(certs.truststore(), certs.password().toCharArray()))
                .hasMessageContaining("no private key");
        assertThatThrownBy(() -> ServerTls.load(dir.resolve("missing.p12"), "x".toCharArray()))
                .hasMessageContaining("cannot read keystore");
        assertThatThrownBy(() -> ServerTls.load(certs.certPem(), "x".toCharArray()))
                .hasMessageContaining("not a readable PKCS#12");
    }

    private static String readQuietly(Socket s) {
        var out = new StringBuilder();
        try {
            var in = s.getInputStream();
            var buf = new byte[1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            out.append("[").append(e.getClass().getSimpleName()).append("]");
        }
        return out.toString();
    }
}
