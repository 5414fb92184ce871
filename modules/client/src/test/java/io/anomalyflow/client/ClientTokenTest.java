package io.anomalyflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.app.ServerAccess;
import io.anomalyflow.app.ServerTls;
import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestCerts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read-side token over real HTTP: the list, the stream and its aliases answer 401 with a reason
 * until given the token as a bearer header or through the session cookie of {@code POST /session};
 * {@code /health} stays open; {@code /metrics} follows the metrics token.
 */
class ClientTokenTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    private static final String TOKEN = "read-s3cret";
    private static final List<String> READS = List.of("/anomalies", "/anomalies/stream", "/anomalytracker/anomalies",
            "/anomalytracker/7/anomalies");
    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> send(URI base, String method, String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Status of a GET; an event stream is read to its headers only. */
    private int status(URI base, String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    @Test
    void readsNeedTheTokenAndSayWhatIsWrongHealthStaysOpenMetricsFollowTheToken() throws Exception {
        var base = F.start(b -> b.token(TOKEN).metricsToken(TOKEN)).client().url();
        for (var path : READS) {
            var none = send(base, "GET", path);
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            assertThat(Http.parse(none.body()).path("error").asText()).contains("needs the client's token", "POST /session");
            var wrong = send(base, "GET", path, "Authorization", "Bearer read-s3creT");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(Http.parse(wrong.body()).path("error").asText()).isEqualTo("wrong token");
            var basic = send(base, "GET", path, "Authorization", "Basic cmVhZDpzM2NyZXQ=");
            assertThat(Http.parse(basic.body()).path("error").asText()).contains("not Bearer");
            assertThat(status(base, path, "Authorization", "Bearer " + TOKEN)).as(path).isEqualTo(200);
        }
        assertThat(send(base, "GET", "/health").statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/").statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/metrics").statusCode()).isEqualTo(401);
        assertThat(send(base, "GET", "/metrics", "Authorization", "Bearer " + TOKEN).body()).contains("anomalyflow_client_messages_total");
    }

    @Test
    void aSessionCookieStandsForTheTokenOnTheStreamUntilItIsClosed() throws Exception {
        var started = F.start(b -> b.token(TOKEN));
        var base = started.client().url();
        assertThat(Http.parse(send(base, "GET", "/session").body()).path("required").asBoolean()).isTrue();
        assertThat(send(base, "POST", "/session").statusCode()).isEqualTo(401);
        assertThat(send(base, "POST", "/session", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);

        var opened = send(base, "POST", "/session", "Authorization", "Bearer " + TOKEN);
        assertThat(opened.statusCode()).isEqualTo(200);
        var setCookie = opened.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("anomalyflow_session=").contains("; HttpOnly", "; SameSite=Strict", "; Path=/",
                "; Max-Age=43200").doesNotContain("Secure").doesNotContain(TOKEN);
        var cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(cookie.substring(cookie.indexOf('=') + 1)).hasSize(43); // 256 random bits, URL-safe Base64
        assertThat(Http.parse(send(base, "GET", "/session", "Cookie", "theme=dark; " + cookie).body())
                .path("session").asBoolean()).isTrue();

        F.nats().publish(started.subject(), "{\"deviceId\":\"9\",\"measurementValue\":1}");
        var reader = F.closeAfterTest(SseReader.open(base, "/anomalies/stream", Map.of("Cookie", cookie)));
        assertThat(reader.status()).isEqualTo(200);
        reader.awaitCount(1, ClientFixture.WAIT);
        assertThat(reader.events().getFirst().data()).contains("\"deviceId\":\"9\"");
        assertThat(status(base, "/anomalies", "Cookie", cookie)).isEqualTo(200);

        var forged = send(base, "GET", "/anomalies", "Cookie", "anomalyflow_session=" + "A".repeat(43));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(Http.parse(forged.body()).path("error").asText()).contains("unknown or expired");

        var closed = send(base, "DELETE", "/session", "Cookie", cookie);
        assertThat(closed.headers().firstValue("Set-Cookie")).hasValueSatisfying(v -> assertThat(v).contains("Max-Age=0"));
        assertThat(status(base, "/anomalies/stream", "Cookie", cookie)).isEqualTo(401);
    }

    @Test
    void aSeparateMetricsTokenOpensMetricsOnlyAndTheReadTokenDoesNotOpenThem() throws Exception {
        var base = F.start(b -> b.token(TOKEN).metricsToken("scrape-t0ken")).client().url();
        assertThat(send(base, "GET", "/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(send(base, "GET", "/metrics", "Authorization", "Bearer scrape-t0ken").statusCode()).isEqualTo(200);
        assertThat(send(base, "GET", "/anomalies", "Authorization", "Bearer scrape-t0ken").statusCode()).isEqualTo(401);
        assertThat(send(base, "POST", "/session", "Authorization", "Bearer scrape-t0ken").statusCode()).isEqualTo(401);
    }

    @Test
    void theMetricsTokenIsTheReadTokenUnlessToldOtherwiseFromTheCommandLine() {
        var same = ClientConfig.parse(List.of(), Map.of("CLIENT_TOKEN", TOKEN));
        assertThat(same.metricsToken()).isEqualTo(TOKEN);
        assertThat(same.toString()).doesNotContain(TOKEN);
        var other = ClientConfig.parse(List.of("--token", TOKEN, "--metrics-token", "m"), Map.of());
        assertThat(other.metricsToken()).isEqualTo("m");
        var open = ClientConfig.parse(List.of(), Map.of());
        assertThat(open.token()).isNull();
        assertThat(open.metricsToken()).isNull();
    }

    @Test
    void overHttpsTheCookieIsSecureAndHostOnly() throws Exception {
        var certs = TestCerts.create(dir);
        var access = new ServerAccess(ServerTls.load(certs.keystore(), certs.password().toCharArray()), false);
        var started = F.start(b -> b.token(TOKEN).access(access));
        try (var https = HttpClient.newBuilder().sslContext(certs.clientContext()).build()) {
            var uri = URI.create("https://localhost:" + started.client().port() + "/session");
            var r = https.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Set-Cookie")).hasValueSatisfying(v ->
                    assertThat(v).startsWith("__Host-anomalyflow_session=").contains("; Secure", "; HttpOnly", "; Path=/"));
        }
    }
}
