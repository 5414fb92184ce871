package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

class RepliesTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static Outcome classify(int status, String body, String... headers) {
        var map = new java.util.HashMap<String, List<String>>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        return Replies.classify(new StubResponse(status, body, HttpHeaders.of(Map.copyOf(map), (a, b) -> true)), NOW);
    }

    @Test
    void twoHundredsAreAcknowledgedWithTheirDuplicates() {
        assertThat(classify(200, "{\"seq\":12,\"duplicate\":false}")).isEqualTo(new Outcome.Acknowledged(0));
        assertThat(classify(200, "{\"seq\":12,\"duplicate\":true}")).isEqualTo(new Outcome.Acknowledged(1));
        assertThat(classify(200, "{\"accepted\":10,\"duplicates\":3,\"firstSeq\":1,\"lastSeq\":10}")).isEqualTo(new Outcome.Acknowledged(3));
        assertThat(classify(201, "")).isEqualTo(new Outcome.Acknowledged(0));
        assertThat(classify(200, "not json")).isEqualTo(new Outcome.Acknowledged(0));
    }

    @Test
    void a503IsRetriedWithItsRetryAfter() {
        assertThat(classify(503, "{\"error\":\"NATS is unreachable\"}", "Retry-After", "2"))
                .isEqualTo(new Outcome.Retry("HTTP 503: NATS is unreachable", Optional.of(Duration.ofSeconds(2))));
        assertThat(classify(502, "")).isEqualTo(new Outcome.Retry("HTTP 502", Optional.empty()));
        assertThat(classify(504, "gateway timeout")).isEqualTo(new Outcome.Retry("HTTP 504: gateway timeout", Optional.empty()));
    }

    @Test
    void otherClientErrorsAreRejectedNotRetried() {
        assertThat(classify(400, "{\"error\":\"line 3: deviceId: must be 1-64 characters\"}"))
                .isEqualTo(new Outcome.Rejected(400, "HTTP 400: line 3: deviceId: must be 1-64 characters"));
        assertThat(classify(401, "{\"error\":\"a bearer token is required\"}")).isInstanceOf(Outcome.Rejected.class);
        assertThat(classify(413, "")).isEqualTo(new Outcome.Rejected(413, "HTTP 413"));
        assertThat(classify(429, "slow down")).isInstanceOf(Outcome.Rejected.class);
    }

    @Test
    void otherStatusesFail() {
        assertThat(classify(500, "{\"error\":\"internal error\"}")).isEqualTo(new Outcome.Failed("HTTP 500: internal error"));
        assertThat(classify(302, "")).isEqualTo(new Outcome.Failed("HTTP 302"));
    }

    @Test
    void longOrMultiLineBodiesAreShortenedToOneLine() {
        var outcome = (Outcome.Rejected) classify(400, "x".repeat(1000) + "\nsecond line");
        assertThat(outcome.reason()).hasSizeLessThan(220).doesNotContain("\n").endsWith("…");
    }

    @Test
    void ioErrorsAreRetriedOthersFail() {
        assertThat(Replies.classify(new CompletionException(new ConnectException("Connection refused"))))
                .isEqualTo(new Outcome.Retry("ConnectException: Connection refused", Optional.empty()));
        assertThat(Replies.classify(new HttpTimeoutException("request timed out"))).isInstanceOf(Outcome.Retry.class);
        assertThat(Replies.classify(new IOException("HTTP/1.1 header parser received no bytes"))).isInstanceOf(Outcome.Retry.class);
        assertThat(Replies.classify(new CancellationException())).isEqualTo(new Outcome.Failed("cancelled"));
        assertThat(Replies.classify(new IllegalStateException("boom"))).isEqualTo(new Outcome.Failed("IllegalStateException: boom"));
    }

    private record StubResponse(int statusCode, String body, HttpHeaders headers) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1/measurements")).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request().uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
