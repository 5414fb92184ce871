package io.anomalyflow.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * Dispatches exchanges by exact path and method, and owns the parts every endpoint shares:
 *
 * <ul>
 *   <li>an unknown path gets {@code 404}, a known path with another method {@code 405} with an
 *       {@code Allow} header listing the methods it has; both with a JSON {@code {"error":…}} body;</li>
 *   <li>a handler that throws gets {@code 500} (when it had not replied yet) and the failure goes
 *       to the failure listener; nothing is thrown back into the JDK server;</li>
 *   <li>every reply's status goes to the status listener exactly once (for metrics), and every
 *       exchange is closed at the end, whatever the handler did.</li>
 * </ul>
 * Paths are matched on the raw (undecoded) path, so {@code /a%2Fb} is not {@code /a/b}; the query
 * is ignored. A path with a variable part ({@code /items/{id}/parts}) is routed by a {@link Pattern}
 * that must match the whole raw path; patterns are tried in the order they were added, after the
 * exact paths, and the handler reads the variable part from the path itself. Built once with {@link #builder()}, then immutable and thread-safe.
 */
public final class Router implements HttpHandler {
    private static final long DISCARD_ON_ERROR = 1 << 20;

    private final Map<String, Map<String, HttpHandler>> routes;
    private final List<Map.Entry<Pattern, Map<String, HttpHandler>>> patterns;
    private final IntConsumer onStatus;
    private final BiConsumer<HttpExchange, Throwable> onFailure;

    private Router(Builder b) {
        var copy = new LinkedHashMap<String, Map<String, HttpHandler>>();
        b.routes.forEach((path, methods) -> copy.put(path, Map.copyOf(methods)));
        this.routes = Map.copyOf(copy);
        this.patterns = b.patterns.entrySet().stream()
                .map(e -> Map.entry(Pattern.compile(e.getKey()), Map.copyOf(e.getValue()))).toList();
        this.onStatus = b.onStatus;
        this.onFailure = b.onFailure;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(HttpExchange original) {
        var exchange = new ObservedExchange(original, onStatus);
        try {
            var path = exchange.getRequestURI().getRawPath();
            var methods = routes.get(path);
            for (int i = 0; methods == null && i < patterns.size(); i++) {
                if (patterns.get(i).getKey().matcher(path).matches()) {
                    methods = patterns.get(i).getValue();
                }
            }
            if (methods == null) {
                replyEarly(exchange, 404, "no such resource: " + path);
                return;
            }
            var handler = methods.get(exchange.getRequestMethod());
            if (handler == null) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", methods.keySet().stream().sorted().toList()));
                replyEarly(exchange, 405, "method " + exchange.getRequestMethod() + " is not allowed on " + path
                        + "; allowed: " + String.join(", ", methods.keySet().stream().sorted().toList()));
                return;
            }
            handler.handle(exchange);
        } catch (Throwable t) {
            if (exchange.getResponseCode() == -1) {
                exchange.getResponseHeaders().set("Connection", "close");
                try {
                    Responses.error(exchange, 500, "internal error");
                } catch (IOException | RuntimeException ignored) {
                    // the client is gone; the failure is reported below either way
                }
            }
            onFailure.accept(exchange, t);
        } finally {
            BodyReader.closeResponse(exchange);
            exchange.close();
        }
    }

    /**
     * The default failure listener, through {@link System.Logger}. An {@link IOException} means the
     * client went away in the middle of the exchange: its own business, logged at DEBUG without a
     * stack trace, so that a storm of dropped connections cannot flood the log. Anything else is a
     * bug, logged at ERROR with its stack trace.
     */
    static void logFailure(HttpExchange exchange, Throwable t) {
        var logger = System.getLogger(Router.class.getName());
        var what = "handler failed on " + exchange.getRequestMethod() + " " + exchange.getRequestURI();
        if (t instanceof IOException) {
            logger.log(System.Logger.Level.DEBUG, what + ": " + t);
        } else {
            logger.log(System.Logger.Level.ERROR, what, t);
        }
    }

    /** A reply before the body was read: the connection closes after it, and a body still coming is discarded (bounded). */
    private static void replyEarly(HttpExchange exchange, int status, String message) throws IOException {
        var headers = exchange.getRequestHeaders();
        boolean hasBody = headers.containsKey("Transfer-Encoding")
                || (headers.containsKey("Content-Length") && !"0".equals(headers.getFirst("Content-Length").strip()));
        if (hasBody) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        Responses.error(exchange, status, message);
        if (hasBody) {
            BodyReader.discard(exchange.getRequestBody(), DISCARD_ON_ERROR);
        }
    }

    /** Collects routes and listeners. */
    public static final class Builder {
        private final Map<String, Map<String, HttpHandler>> routes = new LinkedHashMap<>();
        private final Map<String, Map<String, HttpHandler>> patterns = new LinkedHashMap<>();
        private IntConsumer onStatus = status -> { };
        private BiConsumer<HttpExchange, Throwable> onFailure = Router::logFailure;

        private Builder() {
        }

        /** Routes {@code method} on exactly {@code path} (which starts with {@code /}) to {@code handler}. */
        public Builder route(String method, String path, HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (method == null || method.isEmpty() || !method.equals(method.toUpperCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("method must be an upper-case token: " + method);
            }
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /: " + path);
            }
            if (routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException(method + " " + path + " is routed twice");
            }
            return this;
        }

        public Builder get(String path, HttpHandler handler) {
            return route("GET", path, handler);
        }

        /**
         * Routes {@code method} on every raw path that {@code pathPattern} matches whole, e.g.
         * {@code /items/([^/]+)/parts}; tried in order after the exact paths.
         */
        public Builder route(String method, Pattern pathPattern, HttpHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (method == null || method.isEmpty() || !method.equals(method.toUpperCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("method must be an upper-case token: " + method);
            }
            var key = pathPattern.pattern(); // Pattern has no equals: the same regex text is the same route
            if (patterns.computeIfAbsent(key, p -> new LinkedHashMap<>()).putIfAbsent(method, handler) != null) {
                throw new IllegalArgumentException(method + " " + key + " is routed twice");
            }
            return this;
        }

        public Builder get(Pattern pathPattern, HttpHandler handler) {
            return route("GET", pathPattern, handler);
        }

        public Builder post(String path, HttpHandler handler) {
            return route("POST", path, handler);
        }

        /** Called with the status code of every reply, once, when its headers are sent. */
        public Builder onStatus(IntConsumer listener) {
            this.onStatus = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Called when a handler throws (after the 500 went out); the default is {@link Router#logFailure}. */
        public Builder onFailure(BiConsumer<HttpExchange, Throwable> listener) {
            this.onFailure = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Router build() {
            return new Router(this);
        }
    }
}
