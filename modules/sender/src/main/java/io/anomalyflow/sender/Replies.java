package io.anomalyflow.sender;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import javax.net.ssl.SSLHandshakeException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Reads the gateway's replies (status codes in {@code docs/architecture.md}) into {@link Outcome}s:
 * which requests are acknowledged, which are refused for good, which are sent again.
 *
 * <ul>
 *   <li>2xx: acknowledged; duplicates are read from {@code {"duplicate":true}} (one measurement) or
 *       {@code {"duplicates":D}} (a batch). A 2xx without a readable body still counts as acknowledged:
 *       the status is the promise, the body only adds detail.</li>
 *   <li>503, and 502/504 which a proxy in front of the gateway answers for the same reason: not
 *       acknowledged, retried, honouring {@code Retry-After}.</li>
 *   <li>Any other 4xx: rejected, never retried (the same bytes would be refused again); the
 *       {@code {"error":"…"}} text is kept for the summary.</li>
 *   <li>Other statuses: failed, not retried.</li>
 *   <li>An I/O error (refused or dropped connection, timeout): retried — the request may or may not
 *       have been stored, and the same ids make the retry safe.</li>
 * </ul>
 */
final class Replies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 200;

    private Replies() {
    }

    static Outcome classify(HttpResponse<String> response, Instant now) {
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status >= 200 && status < 300) {
            return new Outcome.Acknowledged(duplicates(body));
        }
        var reason = "HTTP " + status + errorText(body).map(t -> ": " + t).orElse("");
        if (status == 503 || status == 502 || status == 504) {
            var retryAfter = RetryPolicy.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null), now);
            return new Outcome.Retry(reason, retryAfter);
        }
        if (status >= 400 && status < 500) {
            return new Outcome.Rejected(status, reason);
        }
        return new Outcome.Failed(reason);
    }

    static Outcome classify(Throwable error) {
        var cause = unwrap(error);
        if (cause instanceof CancellationException) {
            return new Outcome.Failed("cancelled");
        }
        if (cause instanceof SSLHandshakeException) {
            // retrying cannot make a certificate trusted: every later attempt would fail the same way
            return new Outcome.Failed("TLS handshake with the gateway failed (" + describe(cause) + "): its certificate "
                    + "is not trusted or does not name the host; give its CA with --tls-truststore");
        }
        if (cause instanceof IOException) {
            return new Outcome.Retry(describe(cause), Optional.empty());
        }
        return new Outcome.Failed(describe(cause));
    }

    static Throwable unwrap(Throwable error) {
        var e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static String describe(Throwable e) {
        var message = e.getMessage();
        return shorten(e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message));
    }

    private static int duplicates(String body) {
        var node = parse(body);
        if (node == null) {
            return 0;
        }
        if (node.path("duplicates").canConvertToInt()) {
            return Math.max(0, node.path("duplicates").intValue());
        }
        return node.path("duplicate").asBoolean(false) ? 1 : 0;
    }

    private static Optional<String> errorText(String body) {
        var node = parse(body);
        if (node != null && node.path("error").isTextual()) {
            return Optional.of(shorten(node.path("error").textValue()));
        }
        return body.isBlank() ? Optional.empty() : Optional.of(shorten(body.strip()));
    }

    private static JsonNode parse(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    private static String shorten(String s) {
        var oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= MAX_REASON ? oneLine : oneLine.substring(0, MAX_REASON) + "…";
    }
}
