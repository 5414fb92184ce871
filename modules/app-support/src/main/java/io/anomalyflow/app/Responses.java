package io.anomalyflow.app;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writing replies on a {@link HttpExchange}: JSON bodies with the right headers, and the
 * {@code {"error":"…"}} body every error reply carries.
 *
 * <p>These methods send the headers, write and <em>flush</em> the body, but do not close the
 * response stream: the caller may still read (discard) the request body afterwards, which is how a
 * {@code 413} reaches a client that is still sending ({@link BodyReader#reject}). {@link Router}
 * closes the exchange at the end. A {@code HEAD} request gets the headers only.
 */
public final class Responses {
    /** The content type of every JSON reply. */
    public static final String JSON = "application/json; charset=utf-8";

    private Responses() {
    }

    /** Sends {@code status} with the JSON text {@code json} (which the caller built correctly). */
    public static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code status} with {@code {"error":"<message>"}}, the message escaped by {@link Json#quote}. */
    public static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Json.error(message));
    }

    /** Sends {@code status} with {@code body} of {@code contentType}; extra headers are set by the caller beforehand. */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        // A reply is never to be sniffed into HTML or cached: it may echo what the caller sent.
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            var out = exchange.getResponseBody();
            out.write(body);
            out.flush();
        }
    }
}
