package io.anomalyflow.sender;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.app.BodyReader;
import io.anomalyflow.app.Json;
import io.anomalyflow.app.Responses;
import io.anomalyflow.app.Router;
import io.anomalyflow.app.WebServer;
import io.anomalyflow.flow.SseEvent;
import io.anomalyflow.flow.SseSubscriber;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's web page and its small HTTP API ({@code --serve}, port 8082), like the workshop's:
 *
 * <pre>
 *   GET  /                       the page (self-contained HTML/CSS/JS from the jar, no CDN)
 *   GET  /config                 the defaults the page's form starts from (JSON)
 *   POST /runs                   start a run: parameters gateway, count, devices, concurrency, batch, rate
 *                                (query string or form body; missing ones take the defaults) → 202, or
 *                                409 while a run is going, 400 naming a bad parameter
 *   GET  /runs/current           the current (or last) run: id, target, progress, summary when done
 *   GET  /runs/current/events    its progress as Server-Sent Events: run, progress…, summary; then the stream ends
 *   POST /runs/current/stop      stop it (what was not acknowledged is counted as failed / not sent)
 *   GET  /sendMeasurements/{dest}/amount/{amount}
 *                                the workshop's path: starts a run of {amount} to {dest} and streams its
 *                                events, as above. {dest} is {@code gateway} (or {@code default}) for the
 *                                configured gateway, or a URL-encoded gateway URL (http%3A%2F%2Fhost%3A8081)
 *   GET  /health                 200
 * </pre>
 *
 * <p>One run at a time: a load generator that competes with itself measures nothing, and a
 * laptop has two cores. Runs belong to the page, not to whoever watches them: closing a stream
 * does not stop its run (use {@code /runs/current/stop}). Any number of readers may follow the
 * same run; each gets its own {@link RunEvents} subscription through an {@link SseSubscriber}.
 */
public final class SenderPage implements AutoCloseable {
    static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);
    private static final String ALIAS = "/sendMeasurements/";
    private static final Logger LOG = LoggerFactory.getLogger(SenderPage.class);

    private final SenderConfig defaults;
    private final WebServer server;
    private final byte[] page;
    private final BodyReader forms = BodyReader.create(64 * 1024, Duration.ofSeconds(10));
    private final ReentrantLock startLock = new ReentrantLock();
    private final Set<SseSubscriber<?>> readers = ConcurrentHashMap.newKeySet();
    private volatile SenderRun current;

    private SenderPage(InetAddress bind, int port, SenderConfig defaults) throws IOException {
        this.defaults = defaults;
        this.page = resource("page.html");
        var router = Router.builder()
                .get("/", this::page)
                .get("/health", exchange -> Responses.json(exchange, 200, "{\"status\":\"ok\"}"))
                .get("/config", this::config)
                .post("/runs", this::startRun)
                .get("/runs/current", this::currentRun)
                .get("/runs/current/events", this::events)
                .post("/runs/current/stop", this::stopRun)
                .build();
        // The workshop's path has variables and the router matches exact paths, so that prefix is
        // dispatched here, before the router.
        this.server = WebServer.start(bind, port, exchange -> {
            if (exchange.getRequestURI().getRawPath().startsWith(ALIAS)) {
                alias(exchange);
            } else {
                router.handle(exchange);
            }
        }, Duration.ofSeconds(2));
    }

    /** Serves the page on {@code bind:port} (0 = a free port); runs started from it use {@code defaults} for what they do not say. */
    public static SenderPage start(InetAddress bind, int port, SenderConfig defaults) throws IOException {
        return new SenderPage(bind, port, defaults);
    }

    public URI url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** The current or last run, if any. */
    public Optional<SenderRun> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Starts a run unless one is going.
     *
     * @throws IllegalStateException while another run is going
     */
    public SenderRun start(SenderConfig config) {
        startLock.lock();
        try {
            var running = current;
            if (running != null && !running.isDone()) {
                throw new IllegalStateException("run " + running.runId() + " is still going (" + running.progress().finished()
                        + " of " + running.progress().total() + "); stop it first: POST /runs/current/stop");
            }
            if (running != null) {
                running.close(); // releases what is left of the finished one
            }
            var run = Sender.start(config);
            current = run;
            return run;
        } finally {
            startLock.unlock();
        }
    }

    /** Ends the event streams, stops a run still going, and stops serving. */
    @Override
    public void close() {
        readers.forEach(SseSubscriber::close);
        var run = current;
        if (run != null) {
            run.close();
        }
        server.close();
    }

    private void page(HttpExchange exchange) throws IOException {
        Responses.send(exchange, 200, "text/html; charset=utf-8", page);
    }

    private void config(HttpExchange exchange) throws IOException {
        Responses.json(exchange, 200, "{\"gateway\":" + Json.quote(defaults.gateway().toString())
                + ",\"count\":" + defaults.count() + ",\"devices\":" + defaults.devices()
                + ",\"concurrency\":" + defaults.concurrency() + ",\"batch\":" + defaults.batch()
                + ",\"rate\":" + defaults.rate() + "}");
    }

    private void startRun(HttpExchange exchange) throws IOException {
        var params = new LinkedHashMap<>(query(exchange.getRequestURI()));
        switch (forms.read(exchange, () -> { })) {
            case BodyReader.Body.Complete c -> params.putAll(parseForm(new String(c.bytes(), StandardCharsets.UTF_8)));
            case BodyReader.Body.TooLarge t -> {
                forms.reject(exchange, 413, "the form is larger than " + t.limit() + " bytes");
                return;
            }
            case BodyReader.Body.TimedOut t -> {
                return; // a 408 went out already
            }
            case BodyReader.Body.Unreadable u -> {
                Responses.error(exchange, 400, "unreadable body: " + u.reason());
                return;
            }
        }
        SenderConfig config;
        try {
            config = PageParams.config(defaults, params);
        } catch (IllegalArgumentException e) {
            Responses.error(exchange, 400, e.getMessage());
            return;
        }
        startAndReply(exchange, config, false);
    }

    /** {@code GET /sendMeasurements/{dest}/amount/{amount}}: what the router would do for an exact path, by hand. */
    private void alias(HttpExchange exchange) {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                Responses.error(exchange, 405, "method " + exchange.getRequestMethod() + " is not allowed here; allowed: GET");
                return;
            }
            SenderConfig config;
            try {
                config = PageParams.fromWorkshopPath(defaults, exchange.getRequestURI().getRawPath().substring(ALIAS.length()));
            } catch (PageParams.NoSuchPath e) {
                Responses.error(exchange, 404, e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                Responses.error(exchange, 400, e.getMessage());
                return;
            }
            startAndReply(exchange, config, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
        }
    }

    private void startAndReply(HttpExchange exchange, SenderConfig config, boolean stream) throws IOException {
        SenderRun run;
        try {
            run = start(config);
        } catch (IllegalStateException busy) {
            Responses.error(exchange, 409, busy.getMessage());
            return;
        }
        if (stream) {
            follow(exchange, run);
            return;
        }
        exchange.getResponseHeaders().set("Location", "/runs/current");
        Responses.json(exchange, 202, "{\"runId\":" + Json.quote(run.runId()) + ",\"target\":"
                + Json.quote(config.target().toString()) + ",\"events\":\"/runs/current/events\"}");
    }

    private void currentRun(HttpExchange exchange) throws IOException {
        var run = current;
        if (run == null) {
            Responses.error(exchange, 404, "no run yet: POST /runs to start one");
            return;
        }
        var summary = run.isDone() ? run.completion().join().toJson() : "null";
        Responses.json(exchange, 200, "{\"runId\":" + Json.quote(run.runId()) + ",\"target\":"
                + Json.quote(run.config().target().toString()) + ",\"progress\":" + run.progress().toJson()
                + ",\"summary\":" + summary + "}");
    }

    private void events(HttpExchange exchange) throws IOException {
        var run = current;
        if (run == null) {
            Responses.error(exchange, 404, "no run yet: POST /runs to start one");
            return;
        }
        follow(exchange, run);
    }

    private void stopRun(HttpExchange exchange) throws IOException {
        var run = current;
        if (run == null) {
            Responses.error(exchange, 404, "no run yet");
            return;
        }
        run.stop();
        Responses.json(exchange, 202, "{\"runId\":" + Json.quote(run.runId()) + ",\"stopping\":" + !run.isDone() + "}");
    }

    /** Streams the run's events on this exchange until the run is over or the reader leaves. */
    private void follow(HttpExchange exchange, SenderRun run) {
        var sse = SseSubscriber.builder(exchange, SenderPage::toSse).retry(Duration.ofSeconds(2)).build();
        readers.add(sse);
        try {
            RunEvents.of(run, PROGRESS_INTERVAL).subscribe(sse);
            sse.run();
        } finally {
            readers.remove(sse);
        }
    }

    static SseEvent toSse(RunEvent event) {
        return switch (event) {
            case RunEvent.Started s -> SseEvent.of(null, "run",
                    "{\"runId\":" + Json.quote(s.runId()) + ",\"target\":" + Json.quote(s.target()) + "}");
            case RunEvent.Progressed p -> SseEvent.of(null, "progress", p.progress().toJson());
            case RunEvent.Finished f -> SseEvent.of(null, "summary", f.summary().toJson());
        };
    }

    private static Map<String, String> query(URI uri) {
        return uri.getRawQuery() == null ? Map.of() : parseForm(uri.getRawQuery());
    }

    /** {@code a=1&b=x%20y} → {a=1, b=x y}; the last of a repeated name wins. */
    static Map<String, String> parseForm(String form) {
        var out = new LinkedHashMap<String, String>();
        for (var pair : form.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            var name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            var value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name.strip(), value.strip());
        }
        return out;
    }

    private static byte[] resource(String name) {
        try (InputStream in = SenderPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " in the sender jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
