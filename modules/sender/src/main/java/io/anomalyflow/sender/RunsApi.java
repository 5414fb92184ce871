package io.anomalyflow.sender;

import com.sun.net.httpserver.HttpExchange;
import io.anomalyflow.app.BodyReader;
import io.anomalyflow.app.Json;
import io.anomalyflow.app.Responses;
import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.flow.sse.SseSubscriber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The run endpoints of {@link SenderPage}: start, look, follow, stop, and the workshop's path.
 * Following a run is a Flow end to end: {@link RunEvents} (one virtual thread per reader, demand
 * from the reader) → {@link SseSubscriber} (writes one event, then requests the next), so a slow
 * reader gets fewer, fresher snapshots and never a backlog. Any number of readers may follow the
 * same run.
 */
final class RunsApi {
    /** {@code /sendMeasurements/{dest}/amount/{amount}}, on the raw path (so {@code dest} may hold %2F). */
    static final Pattern WORKSHOP_PATH = Pattern.compile("/sendMeasurements/([^/]+)/amount/([^/]+)");
    static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

    private final SenderPage page;
    private final BodyReader forms = BodyReader.create(64 * 1024, Duration.ofSeconds(10));
    private final Set<SseSubscriber<?>> readers = ConcurrentHashMap.newKeySet();

    RunsApi(SenderPage page) {
        this.page = page;
    }

    /** {@code POST /runs}: parameters from the query and/or a form body. */
    void start(HttpExchange exchange) throws IOException {
        String form;
        switch (forms.read(exchange, () -> { })) {
            case BodyReader.Body.Complete c -> form = new String(c.bytes(), StandardCharsets.UTF_8);
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
            var params = new LinkedHashMap<String, String>();
            var query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                params.putAll(PageParams.parseForm(query));
            }
            params.putAll(PageParams.parseForm(form)); // the body wins over the query
            config = PageParams.config(page.defaults(), params);
        } catch (IllegalArgumentException e) { // a bad value, or a broken %-escape
            Responses.error(exchange, 400, e.getMessage());
            return;
        }
        startAndReply(exchange, config, false);
    }

    /** {@code GET /sendMeasurements/{dest}/amount/{amount}}: starts a run and streams its events. */
    void workshopPath(HttpExchange exchange) throws IOException {
        var path = WORKSHOP_PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!path.matches()) { // cannot happen: the router sent us here by this pattern
            Responses.error(exchange, 404, "no such resource");
            return;
        }
        SenderConfig config;
        try {
            config = PageParams.fromWorkshopPath(page.defaults(), path.group(1), path.group(2));
        } catch (IllegalArgumentException e) {
            Responses.error(exchange, 400, e.getMessage());
            return;
        }
        startAndReply(exchange, config, true);
    }

    /** {@code GET /runs/current}. */
    void current(HttpExchange exchange) throws IOException {
        var run = page.current().orElse(null);
        if (run == null) {
            Responses.error(exchange, 404, "no run yet: POST /runs to start one");
            return;
        }
        var summary = run.isDone() ? run.completion().join().toJson() : "null";
        Responses.json(exchange, 200, "{\"runId\":" + Json.quote(run.runId()) + ",\"target\":"
                + Json.quote(run.config().target().toString()) + ",\"progress\":" + run.progress().toJson()
                + ",\"summary\":" + summary + "}");
    }

    /** {@code GET /runs/current/events}. */
    void events(HttpExchange exchange) throws IOException {
        var run = page.current().orElse(null);
        if (run == null) {
            Responses.error(exchange, 404, "no run yet: POST /runs to start one");
            return;
        }
        follow(exchange, run);
    }

    /** {@code POST /runs/current/stop}. */
    void stop(HttpExchange exchange) throws IOException {
        var run = page.current().orElse(null);
        if (run == null) {
            Responses.error(exchange, 404, "no run yet");
            return;
        }
        run.stop();
        Responses.json(exchange, 202, "{\"runId\":" + Json.quote(run.runId()) + ",\"stopping\":" + !run.isDone() + "}");
    }

    /** Ends every open event stream (the page is closing). */
    void closeStreams() {
        readers.forEach(SseSubscriber::close);
    }

    private void startAndReply(HttpExchange exchange, SenderConfig config, boolean stream) throws IOException {
        SenderRun run;
        try {
            run = page.start(config);
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

    /** Streams the run's events on this exchange until the run is over or the reader leaves. */
    private void follow(HttpExchange exchange, SenderRun run) {
        var sse = SseSubscriber.builder(exchange, RunsApi::toSse).retry(Duration.ofSeconds(2)).build();
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
}
