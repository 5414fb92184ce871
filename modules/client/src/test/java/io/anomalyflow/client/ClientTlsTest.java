package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.app.ServerAccess;
import io.anomalyflow.app.ServerTls;
import io.anomalyflow.testsupport.TestCerts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The client's list, page and SSE stream over HTTPS with a keystore made at test time. */
class ClientTlsTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    @TempDir
    static Path dir;

    @Test
    void servesTheListThePageAndTheStreamOverHttps() throws Exception {
        var certs = TestCerts.create(dir);
        var access = new ServerAccess(ServerTls.load(certs.keystore(), certs.password().toCharArray()), false);
        var started = F.start(b -> b.access(access));
        F.nats().publish(started.subject(), "{\"deviceId\":\"4\",\"measurementValue\":3}");
        var base = URI.create("https://localhost:" + started.client().port());
        assertThat(started.client().url().getScheme()).isEqualTo("https");
        try (var http = HttpClient.newBuilder().sslContext(certs.clientContext()).connectTimeout(Duration.ofSeconds(10)).build()) {
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            var stream = http.send(HttpRequest.newBuilder(base.resolve("/anomalies/stream")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            try (var lines = stream.body()) {
                var data = lines.filter(l -> l.startsWith("data:")).findFirst().orElseThrow();
                assertThat(data).contains("\"deviceId\":\"4\"", "\"measurementValue\":3");
            }
            var list = http.send(HttpRequest.newBuilder(base.resolve("/anomalies")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"deviceId\":\"4\"");
        }
    }
}
