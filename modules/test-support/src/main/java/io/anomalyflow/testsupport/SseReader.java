package io.anomalyflow.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A Server-Sent-Events reader for tests, on a plain socket: it sends an HTTP/1.0 request (so the JDK
 * server streams the body without chunked framing, until it closes) and parses the events on one
 * virtual thread. Cheap enough to open a thousand of them.
 *
 * <p>{@link #open} makes one connection and reports what came back, even a {@code 400}
 * ({@link #status()}). {@link #connected} also insists on a {@code 200} event stream before it returns,
 * so "connected before the load" holds. {@link #reconnecting} behaves like a browser's
 * {@code EventSource}: when the stream ends or breaks it connects again after a short pause with
 * {@code Last-Event-ID: <last id seen>}, until closed. Every event is kept in arrival order over all
 * connections, and each id that does not exceed the one before is noted ({@link #disorder()}), so a
 * test can check "no gap and no duplicate" across reconnects.
 */
public final class SseReader implements AutoCloseable {
    /** One event as the reader saw it: {@code id:} (−1 when absent), {@code event:}, {@code data:}, arrival time. */
    public record Event(long id, String event, String data, long receivedNanos) {
    }

    private static final Duration RECONNECT_PAUSE = Duration.ofMillis(200);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final URI url;
    private final Map<String, String> headers;
    private final LongConsumer onEvent;
    private final boolean reconnect;
    private final SseEventLog log = new SseEventLog();
    private final CountDownLatch headersRead = new CountDownLatch(1);
    private final Thread thread;
    private volatile Socket socket;
    private volatile int status = -1;
    private volatile String contentType = "";
    private volatile int comments;
    private volatile int connections;
    private volatile boolean closed;
    private volatile boolean idCleared;
    private volatile IOException failure;

    private SseReader(URI url, Map<String, String> headers, LongConsumer onEvent, boolean reconnect) {
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.onEvent = onEvent;
        this.reconnect = reconnect;
        this.thread = Thread.ofVirtual().name("sse-reader " + url.getPath()).start(this::run);
    }

    /** Connects to {@code base} + {@code pathAndQuery} and starts reading at once; see {@link #status()}. */
    public static SseReader open(URI base, String pathAndQuery, Map<String, String> headers) {
        return open(base, pathAndQuery, headers, id -> { });
    }

    /** As {@link #open(URI, String, Map)}; {@code onEvent} gets each event's id as it arrives. */
    public static SseReader open(URI base, String pathAndQuery, Map<String, String> headers, LongConsumer onEvent) {
        return new SseReader(base.resolve(pathAndQuery), headers, onEvent, false);
    }

    /** One connection to {@code url}; returns once a {@code 200} event stream answered, fails otherwise. */
    public static SseReader connected(URI url) throws InterruptedException {
        return checked(new SseReader(url, Map.of(), id -> { }, false));
    }

    /** Like {@code EventSource}: reconnects with {@code Last-Event-ID} until closed. Returns once the first {@code 200} came. */
    public static SseReader reconnecting(URI url) throws InterruptedException {
        return checked(new SseReader(url, Map.of(), id -> { }, true));
    }

    private static SseReader checked(SseReader reader) throws InterruptedException {
        int status = reader.status();
        if (status != 200 || !reader.contentType.startsWith("text/event-stream")) {
            reader.close();
            throw new AssertionError("GET " + reader.url + " did not open an event stream: status " + status
                    + ", Content-Type " + reader.contentType + (reader.failure != null ? ", " + reader.failure : ""));
        }
        return reader;
    }

    /** The HTTP status of the first answer, once its headers arrived (waits up to 10 s; −1 if none came, 0 if closed). */
    public int status() throws InterruptedException {
        headersRead.await(10, TimeUnit.SECONDS);
        return status;
    }

    /**
     * Whether the server's last word on the event id was an empty {@code id:} field, which clears an
     * EventSource's last event id: it reconnects without {@code Last-Event-ID} then.
     */
    public boolean idCleared() {
        return idCleared;
    }

    /** The events received so far, in order of arrival. */
    public List<Event> events() {
        return log.events();
    }

    /** The ids received so far, in order of arrival. */
    public List<Long> ids() {
        return events().stream().map(Event::id).toList();
    }

    /** Every place where an id did not exceed the one before it (a duplicate or a reordering); empty is good. */
    public List<String> disorder() {
        return log.disorder();
    }

    /** Comment lines ({@code : ping}) received. */
    public int comments() {
        return comments;
    }

    /** How many {@code 200} event streams it read (1 + reconnects). */
    public int connections() {
        return connections;
    }

    /** Whether reading has stopped for good (the stream ended, or, when reconnecting, the reader was closed). */
    public boolean ended() {
        return log.ended();
    }

    /** What broke a connection that does not reconnect, or {@code null}. */
    public IOException failure() {
        return failure;
    }

    /** Waits until {@code n} events arrived; fails with what arrived on timeout or when reading stopped. */
    public SseReader awaitCount(int n, Duration timeout) throws InterruptedException {
        log.awaitCount(n, timeout, () -> failure);
        return this;
    }

    /** Waits until reading stopped for good; returns whether it did within {@code timeout}. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return log.awaitEnd(timeout);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        closeSocket(socket); // ends the blocking read
        thread.interrupt(); // ends a reconnect pause
        thread.join(Duration.ofSeconds(5));
    }

    private void run() {
        try {
            do {
                try (var s = new Socket()) {
                    socket = s;
                    if (closed) {
                        return;
                    }
                    s.connect(new InetSocketAddress(url.getHost(), url.getPort()), CONNECT_TIMEOUT_MILLIS);
                    read(s);
                } catch (IOException e) {
                    if (!reconnect && !closed) {
                        failure = e; // a reconnecting reader tries again: the server may be restarting
                    }
                } finally {
                    headersRead.countDown();
                }
                if (reconnect && !closed) {
                    Thread.sleep(RECONNECT_PAUSE); // EventSource's retry pause, not a wait for a condition
                }
            } while (reconnect && !closed);
        } catch (InterruptedException e) {
            // closed during the pause
        } finally {
            log.end();
        }
    }

    private void read(Socket s) throws IOException {
        var request = new StringBuilder("GET " + url.getRawPath() + (url.getRawQuery() != null ? "?" + url.getRawQuery() : "")
                + " HTTP/1.0\r\nHost: " + url.getHost() + "\r\nAccept: text/event-stream\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        long resumeAfter = log.lastId();
        if (reconnect && resumeAfter > 0 && !idCleared) {
            request.append("Last-Event-ID: ").append(resumeAfter).append("\r\n");
        }
        s.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        var statusLine = in.readLine();
        int code = statusLine == null ? 0 : Integer.parseInt(statusLine.split(" ")[1]);
        String type = "";
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                type = line.substring("content-type:".length()).strip();
            }
        }
        if (headersRead.getCount() > 0) {
            status = code;
            contentType = type;
            headersRead.countDown();
        }
        if (code != 200) {
            return;
        }
        connections++;
        long id = -1;
        boolean clearsId = false;
        String event = null;
        var data = new StringBuilder();
        for (String line = in.readLine(); line != null && !closed; line = in.readLine()) {
            if (line.isEmpty()) {
                if (clearsId) {
                    idCleared = true; // an empty id: field, even without data, clears the last event id
                } else if (id >= 0) {
                    idCleared = false;
                }
                if (!data.isEmpty()) {
                    add(new Event(id, event, data.toString(), System.nanoTime()));
                }
                clearsId = false;
                id = -1;
                event = null;
                data.setLength(0);
            } else if (line.startsWith(":")) {
                comments++;
            } else if (line.startsWith("id:")) {
                var value = line.substring(3).strip();
                id = value.isEmpty() ? -1 : Long.parseLong(value);
                clearsId = value.isEmpty();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
            }
        }
    }

    private void add(Event e) {
        log.add(e);
        if (e.id() >= 0) {
            onEvent.accept(e.id());
        }
    }

    private static void closeSocket(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing to stop the reader: nothing left to do
            }
        }
    }
}
