package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import org.awaitility.Awaitility;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An SSE reader for tests that reconnects as a browser's {@code EventSource} does: when its stream
 * ends, or its connection is refused, it tries again with the last id it received as
 * {@code Last-Event-ID}; an answer other than {@code 200} is what would make an EventSource give up
 * for good, so it is recorded ({@link #refusals()}). Driven from the test thread by {@link #await}.
 */
final class ReconnectingReader implements AutoCloseable {
    private final URI base;
    private final String pathAndQuery;
    private final List<SseReader.Event> received = new ArrayList<>();
    private final List<Integer> refusals = new ArrayList<>();
    private String lastId;
    private SseReader current;

    /** Connects to {@code base + pathAndQuery}, resuming after {@code lastId} unless it is null. */
    ReconnectingReader(URI base, String pathAndQuery, String lastId) throws InterruptedException {
        this.base = base;
        this.pathAndQuery = pathAndQuery;
        this.lastId = lastId;
        connect();
    }

    /** Follows the stream, reconnecting as needed, until {@code done} holds for every event received. */
    ReconnectingReader await(Duration timeout, Predicate<List<SseReader.Event>> done) {
        Awaitility.await().atMost(timeout).until(() -> {
            if (done.test(events())) {
                return true;
            }
            if (current == null || current.ended()) {
                reconnect();
            }
            return false;
        });
        return this;
    }

    /** Every event received, over all connections, in order. */
    List<SseReader.Event> events() {
        var all = new ArrayList<>(received);
        if (current != null) {
            all.addAll(current.events());
        }
        return all;
    }

    List<Long> ids() {
        return events().stream().map(SseReader.Event::id).toList();
    }

    /** The statuses other than 200 that were answered. */
    List<Integer> refusals() {
        return List.copyOf(refusals);
    }

    /** Whether the current connection is answered and its stream still open. */
    boolean isStreaming() throws InterruptedException {
        return current != null && current.status() == 200 && !current.ended();
    }

    private void reconnect() throws InterruptedException {
        if (current != null) {
            var mine = current.events();
            received.addAll(mine);
            boolean cleared = current.idCleared();
            current.close();
            current = null;
            if (cleared) {
                lastId = null; // an empty id: field cleared it, as an EventSource's would be
            } else if (!mine.isEmpty()) {
                lastId = String.valueOf(mine.getLast().id());
            }
        }
        connect();
    }

    private void connect() throws InterruptedException {
        current = SseReader.open(base, pathAndQuery, lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId));
        int status = current.status();
        // -1: refused or no answer, 0: closed before any answer; an EventSource retries both
        if (status != 200 && status > 0) {
            refusals.add(status);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (current != null) {
            current.close();
        }
    }
}
