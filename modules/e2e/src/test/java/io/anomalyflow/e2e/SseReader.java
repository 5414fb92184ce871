package io.anomalyflow.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent-Events reader for tests: opens the stream (returns once the {@code 200} and its
 * headers arrived, so "connected before the load" is true), then collects every event on a virtual
 * thread: {@code id:} and {@code data:} lines up to the blank line that ends an event.
 */
final class SseReader implements AutoCloseable {
    record Event(long id, String event, String data) {
    }

    private final List<Event> events = new ArrayList<>();
    private final Stream<String> lines;
    private final Thread thread;
    private volatile Throwable failure;

    private SseReader(Stream<String> lines) {
        this.lines = lines;
        this.thread = Thread.ofVirtual().name("sse-reader").start(this::read);
    }

    static SseReader open(HttpClient http, URI url) throws Exception {
        var response = http.sendAsync(HttpRequest.newBuilder(url).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode());
        }
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            throw new AssertionError("GET " + url + " is not an event stream: " + response.headers().map());
        }
        return new SseReader(response.body());
    }

    /** The events received so far. */
    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** What ended the reading early, or {@code null}. */
    Throwable failure() {
        return failure;
    }

    private void read() {
        Long id = null;
        String type = null;
        var data = new StringBuilder();
        try {
            var it = lines.iterator();
            while (it.hasNext()) {
                var line = it.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty() && id != null) {
                        synchronized (events) {
                            events.add(new Event(id, type, data.toString()));
                        }
                    }
                    id = null;
                    type = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                failure = e;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        lines.close(); // closes the connection; the reading thread ends
        thread.join(Duration.ofSeconds(5).toMillis());
    }
}
