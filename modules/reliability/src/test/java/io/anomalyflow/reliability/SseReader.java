package io.anomalyflow.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Server-Sent-Events reader that behaves like a browser's {@code EventSource}: when the stream
 * ends or breaks (the client restarted its reading, or was killed), it connects again with
 * {@code Last-Event-ID: <last id seen>} after a short pause, for as long as it is open. It keeps every
 * event, in arrival order, over all its connections, so a test can check "no gap and no duplicate"
 * across reconnects: ids strictly increasing ({@link #disorder()}) and the set equal to what was
 * expected.
 *
 * <p>One virtual thread reads. {@link #open} returns once the first {@code 200} arrived, so "connected
 * before the load" holds. Bounded: each connection attempt times out after 5 s; {@link #close()}
 * ends it all.
 */
final class SseReader implements AutoCloseable {
    /** One event: {@code id:} and {@code data:} (the anomaly JSON). */
    record Event(long id, String data) {
    }

    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(200);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final URI url;
    private final List<Event> events = new ArrayList<>();
    private final List<String> disorder = new ArrayList<>();
    private final Thread thread;
    private volatile Stream<String> current;
    private volatile boolean closed;
    private volatile int connections;
    private long lastId;

    private SseReader(HttpClient http, URI url, Stream<String> first) {
        this.http = http;
        this.url = url;
        this.current = first;
        this.connections = 1;
        this.thread = Thread.ofVirtual().name("sse-" + url.getPath()).start(this::run);
    }

    /** Connects to {@code url} and starts reading; fails when the first answer is not a 200 event stream. */
    static SseReader open(HttpClient http, URI url) throws IOException, InterruptedException {
        var lines = connect(http, url, 0);
        if (lines == null) {
            throw new AssertionError("GET " + url + " did not open an event stream");
        }
        return new SseReader(http, url, lines);
    }

    /** The events received so far, in order of arrival. */
    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The ids received so far. */
    List<Long> ids() {
        return events().stream().map(Event::id).toList();
    }

    /** Every place where an id did not exceed the one before it (a duplicate or a reordering); empty is good. */
    List<String> disorder() {
        synchronized (events) {
            return List.copyOf(disorder);
        }
    }

    /** How many connections it made (1 + reconnects). */
    int connections() {
        return connections;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        var lines = current;
        if (lines != null) {
            lines.close(); // closes the connection; the reading thread ends
        }
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
    }

    private void run() {
        while (!closed) {
            var lines = current;
            if (lines != null) {
                try {
                    read(lines);
                } catch (RuntimeException e) {
                    // a broken connection (UncheckedIOException) ends this round; reconnect below
                } finally {
                    lines.close();
                }
            }
            current = null;
            if (closed) {
                return;
            }
            try {
                Thread.sleep(RECONNECT_PAUSE);
                long resumeAfter;
                synchronized (events) {
                    resumeAfter = lastId;
                }
                var next = connect(http, url, resumeAfter);
                if (next != null) {
                    connections++;
                    current = next;
                }
            } catch (IOException e) {
                // the client is down for now: try again after the pause
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(Stream<String> lines) {
        Long id = null;
        var data = new StringBuilder();
        var it = lines.iterator();
        while (!closed && it.hasNext()) {
            var line = it.next();
            if (line.isEmpty()) {
                if (id != null && !data.isEmpty()) {
                    add(new Event(id, data.toString()));
                }
                id = null;
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).strip());
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
            }
            // "event:", "retry:" and ": comments" carry nothing the checks need
        }
    }

    private void add(Event e) {
        synchronized (events) {
            if (e.id() <= lastId) {
                disorder.add("id " + e.id() + " after " + lastId + " (event " + (events.size() + 1) + ")");
            }
            events.add(e);
            lastId = Math.max(lastId, e.id());
        }
    }

    /** The lines of a fresh connection, or {@code null} when the answer was not a 200 event stream. */
    private static Stream<String> connect(HttpClient http, URI url, long lastEventId) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(url).header("Accept", "text/event-stream");
        if (lastEventId > 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        var future = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        try {
            var response = future.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200
                    || !response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                response.body().close();
                return null;
            }
            return response.body();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true); // a late answer must not leave a connection open
            throw new IOException("no answer from " + url + " within " + CONNECT_TIMEOUT, e);
        }
    }
}
