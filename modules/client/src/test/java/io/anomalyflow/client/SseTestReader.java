package io.anomalyflow.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * A Server-Sent-Events reader for tests on a plain socket: it sends an HTTP/1.0 request (so the
 * JDK server streams the body without chunked framing, until it closes) and parses the events on
 * a virtual thread. Cheap enough to open a thousand of them.
 */
final class SseTestReader implements AutoCloseable {
    /** One event as the reader saw it, with the time it arrived. */
    record Event(String id, String event, String data, long receivedNanos) {
        long seq() {
            return Long.parseLong(id);
        }
    }

    private final Socket socket;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Event> events = new ArrayList<>();
    private final CountDownLatch headersRead = new CountDownLatch(1);
    private final LongConsumer onEvent;
    private volatile int status = -1;
    private volatile int comments;
    private volatile boolean ended;
    private volatile IOException failure;

    private SseTestReader(Socket socket, LongConsumer onEvent) {
        this.socket = socket;
        this.onEvent = onEvent;
    }

    static SseTestReader open(URI base, String pathAndQuery, Map<String, String> headers) throws IOException {
        return open(base, pathAndQuery, headers, seq -> { });
    }

    /** Connects, sends the request and starts reading; {@code onEvent} gets each event's seq as it arrives. */
    static SseTestReader open(URI base, String pathAndQuery, Map<String, String> headers, LongConsumer onEvent)
            throws IOException {
        var socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        var reader = new SseTestReader(socket, onEvent);
        var request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.0\r\nHost: " + base.getHost() + "\r\n"
                + "Accept: text/event-stream\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        Thread.ofVirtual().name("sse-test-reader").start(reader::read);
        return reader;
    }

    private void read() {
        try (var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            var statusLine = in.readLine();
            status = statusLine == null ? 0 : Integer.parseInt(statusLine.split(" ")[1]);
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // response headers: not needed
            }
            headersRead.countDown();
            String id = null;
            String event = null;
            var data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        add(new Event(id, event, data.toString(), System.nanoTime()));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(6));
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            headersRead.countDown();
            lock.lock();
            try {
                ended = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void add(Event e) {
        lock.lock();
        try {
            events.add(e);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (e.id() != null) {
            onEvent.accept(e.seq());
        }
    }

    /** The HTTP status, once the headers arrived (waits up to 10 s). */
    int status() throws InterruptedException {
        headersRead.await(10, TimeUnit.SECONDS);
        return status;
    }

    List<Event> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    List<Long> seqs() {
        return events().stream().map(Event::seq).toList();
    }

    int comments() {
        return comments;
    }

    boolean ended() {
        return ended;
    }

    /** Waits until {@code n} events arrived; fails with what arrived on timeout. */
    SseTestReader awaitCount(int n, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (events.size() < n) {
                if (left <= 0 || ended) {
                    throw new AssertionError("expected " + n + " events within " + timeout + ", got " + events.size()
                            + (ended ? " (stream ended" + (failure != null ? ": " + failure : "") + ")" : ""));
                }
                left = changed.awaitNanos(left);
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the server ended the stream. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!ended && left > 0) {
                left = changed.awaitNanos(left);
            }
            return ended;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
