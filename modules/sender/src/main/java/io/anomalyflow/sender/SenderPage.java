package io.anomalyflow.sender;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.app.Json;
import io.anomalyflow.app.Responses;
import io.anomalyflow.app.Router;
import io.anomalyflow.app.ServerAccess;
import io.anomalyflow.app.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

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
 * The run endpoints live in {@link RunsApi}; this class owns the server, the page and the one run.
 *
 * <p>One run at a time: a load generator that competes with itself measures nothing, and a
 * laptop has two cores. Runs belong to the page, not to whoever watches them: closing a stream
 * does not stop its run (use {@code /runs/current/stop}).
 */
public final class SenderPage implements AutoCloseable {
    private final SenderConfig defaults;
    private final RunsApi runs;
    private final WebServer server;
    private final byte[] page = resource("page.html");
    private final ReentrantLock startLock = new ReentrantLock();
    private volatile SenderRun current;

    private SenderPage(InetAddress bind, int port, SenderConfig defaults, ServerAccess access) throws IOException {
        this.defaults = defaults;
        this.runs = new RunsApi(this);
        var router = Router.builder()
                .get("/", this::page)
                .get("/health", exchange -> Responses.json(exchange, 200, "{\"status\":\"ok\"}"))
                .get("/config", this::config)
                .post("/runs", runs::start)
                .get("/runs/current", runs::current)
                .get("/runs/current/events", runs::events)
                .post("/runs/current/stop", runs::stop)
                .get(RunsApi.WORKSHOP_PATH, runs::workshopPath)
                .build();
        this.server = WebServer.start(bind, port, router, Duration.ofSeconds(2), access.tls());
    }

    /** Serves the page on {@code bind:port} (0 = a free port); runs started from it use {@code defaults} for what they do not say. */
    public static SenderPage start(InetAddress bind, int port, SenderConfig defaults) throws IOException {
        return start(bind, port, defaults, ServerAccess.PLAIN);
    }

    /** As {@link #start(InetAddress, int, SenderConfig)}, over HTTPS when {@code access} has a keystore. */
    public static SenderPage start(InetAddress bind, int port, SenderConfig defaults, ServerAccess access) throws IOException {
        return new SenderPage(bind, port, defaults, access);
    }

    public URI url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    /** What runs started from the page do unless told otherwise. */
    public SenderConfig defaults() {
        return defaults;
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
        runs.closeStreams();
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
