package io.anomalyflow.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.anomalyflow.app.Responses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;

/**
 * Serves one file of the web page ({@code GET /}, {@code /app.js}, {@code /app.css}) from the jar's
 * resources. The files are read once, by {@link #all()}, so a missing resource fails the start, not
 * a request.
 *
 * <p>Every reply carries a Content-Security-Policy that allows scripts, styles and connections from
 * this origin only and no inline script: together with the page rendering every value through
 * {@code textContent}, data can never become markup or code in the browser.
 */
final class PageHandler implements HttpHandler {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] body;
    private final String contentType;

    private PageHandler(byte[] body, String contentType) {
        this.body = body;
        this.contentType = contentType;
    }

    /** The page's three files by path, loaded from {@code web/} beside this class. */
    static Map<String, HttpHandler> all() {
        return Map.of(
                "/", new PageHandler(resource("web/index.html"), "text/html; charset=utf-8"),
                "/app.js", new PageHandler(resource("web/app.js"), "text/javascript; charset=utf-8"),
                "/app.css", new PageHandler(resource("web/app.css"), "text/css; charset=utf-8"));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("Referrer-Policy", "no-referrer");
        Responses.send(exchange, 200, contentType, body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = PageHandler.class.getResourceAsStream(name)) {
            return Objects.requireNonNull(in, () -> "missing resource " + name).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
