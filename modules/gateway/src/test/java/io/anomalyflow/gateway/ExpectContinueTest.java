package io.anomalyflow.gateway;

import static io.anomalyflow.gateway.MalformedRequestTest.BODY;
import static io.anomalyflow.gateway.MalformedRequestTest.LENGTH;
import static io.anomalyflow.gateway.MalformedRequestTest.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.RawHttp;
import io.anomalyflow.testsupport.NatsServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Expect: 100-continue}, seen from a raw socket: the JDK's {@code HttpServer} sends the
 * interim {@code 100 Continue} itself as soon as it has read the head, before any handler runs, so
 * the gateway cannot shape it. These tests pin what it sends (a {@code Content-Length: 0} header,
 * which RFC 9110, section 8.6, forbids on a 1xx; a 100 even to HTTP/1.0 and even for a request the
 * gateway refuses), so that a JDK that changes it fails here and docs/gateway.md gets updated; and
 * they check that a client waiting for the 100 gets its answer.
 */
class ExpectContinueTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.start(NATS.server());
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void theJdksOwn100ContinueCarriesContentLengthZeroThenTheGatewayAnswers() throws Exception {
        long before = fx.stored();
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send(post("Content-Type: application/json", "Expect: 100-continue", LENGTH)); // the head alone
            var interim = raw.read();
            assertThat(interim.status()).isEqualTo(100);
            // RFC 9110 (section 8.6) forbids Content-Length on a 1xx; the JDK writes it on every reply
            // without a body, before any handler runs. When this line fails, the JDK has fixed it.
            assertThat(interim.headers()).as("the JDK's 100 Continue, header by header").containsExactlyEntriesOf(
                    Map.of("content-length", "0"));
            raw.send(BODY);
            var r = raw.read();
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).startsWith("{\"seq\":");
        }
        assertThat(fx.stored()).isEqualTo(before + 1);
    }

    @Test
    void theJdkSends100ContinueBeforeTheGatewayDecidesEvenForARequestItRefuses() throws Exception {
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send(post("Content-Type: text/plain", "Expect: 100-continue", LENGTH));
            assertThat(raw.read().status()).as("the interim answer, sent before our handler saw the request").isEqualTo(100);
            raw.send(BODY);
            var r = raw.read();
            assertThat(r.status()).isEqualTo(415);
            assertThat(r.body()).startsWith("{\"error\":\"Content-Type text/plain is not supported");
        }
    }

    @Test
    void theJdkSends100ContinueEvenToAnHttp10Client() throws Exception {
        try (var raw = RawHttp.connect(fx.gateway.port())) {
            raw.send("POST /measurements HTTP/1.0\r\nHost: x\r\nExpect: 100-continue\r\n" + LENGTH + "\r\n\r\n");
            // RFC 9110 (section 10.1.1): a server must not send 100 Continue to an HTTP/1.0 client
            assertThat(raw.read().status()).isEqualTo(100);
            raw.send(BODY);
            assertThat(raw.read().status()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatWaitsFor100ContinueGetsItsAnswer() throws Exception {
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            var request = HttpRequest.newBuilder(URI.create(fx.gateway.url() + "/measurements")).expectContinue(true)
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
            var r = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).startsWith("{\"seq\":");
        }
    }
}
