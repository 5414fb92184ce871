package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.TestCerts;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A truststore read from PKCS#12 or PEM makes the JDK client trust the test server, host names still checked. */
class ClientTlsTest {
    @TempDir
    static Path dir;
    private static TestCerts certs;
    private static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.create(dir);
        var tls = ServerTls.load(certs.keystore(), certs.password().toCharArray());
        var router = Router.builder().get("/hello", ex -> Responses.json(ex, 200, "{}")).build();
        // 127.0.0.2 is loopback on Linux, but not a name the certificate holds
        server = WebServer.start(InetAddress.getByName("127.0.0.2"), 0, router, Duration.ofSeconds(1), tls);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int get(SSLContext context, String host) throws Exception {
        try (var client = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build()) {
            var uri = URI.create("https://" + host + ":" + server.port() + "/hello");
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    void pkcs12AndPemTruststoresAreTrustedButAHostTheCertificateDoesNotNameIsRefused() throws Exception {
        var pkcs12 = ClientTls.trusting(certs.truststore(), certs.password().toCharArray());
        var pem = ClientTls.trusting(certs.certPem(), null);
        // the server listens on 127.0.0.2 only; the certificate names localhost and 127.0.0.1
        assertThatThrownBy(() -> get(pkcs12, "127.0.0.2")).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("127.0.0.2");
        assertThatThrownBy(() -> get(pem, "127.0.0.2")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aTrustedNameServes() throws Exception {
        try (var named = WebServer.start(InetAddress.getLoopbackAddress(), 0,
                Router.builder().get("/hello", ex -> Responses.json(ex, 200, "{}")).build(), Duration.ofSeconds(1),
                ServerTls.load(certs.keystore(), certs.password().toCharArray()));
             var client = HttpClient.newBuilder().sslContext(ClientTls.trusting(certs.certPem(), null))
                     .connectTimeout(Duration.ofSeconds(10)).build()) {
            var r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + named.port() + "/hello"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badTruststoresAreNamed() throws Exception {
        assertThatThrownBy(() -> ClientTls.trusting(dir.resolve("nope.p12"), null)).hasMessageContaining("cannot read truststore");
        assertThatThrownBy(() -> ClientTls.trusting(certs.truststore(), "wrong-pw".toCharArray()))
                .hasMessageContaining("truststore").hasMessageNotContaining("wrong-pw");
        var junk = Files.writeString(dir.resolve("junk.txt"), "not a store");
        assertThatThrownBy(() -> ClientTls.trusting(junk, null)).hasMessageContaining("neither PEM");
    }
}
