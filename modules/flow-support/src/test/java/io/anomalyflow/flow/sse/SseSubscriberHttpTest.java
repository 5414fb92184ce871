package io.anomalyflow.flow.sse;

import io.anomalyflow.flow.testing.FlowAssertions;
import io.anomalyflow.flow.OverflowPolicy;
import io.anomalyflow.flow.testing.ManualPublisher;
import io.anomalyflow.flow.MulticastHub;
import static io.anomalyflow.flow.testing.FlowAssertions.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.anomalyflow.flow.testing.SeqPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SseSubscriber} behind a real JDK {@link HttpServer} on 127.0.0.1, read by real clients. */
class SseSubscriberHttpTest {
    private final ConcurrentLinkedQueue<SseSubscriber<Integer>> streams = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Thread> writers = new ConcurrentLinkedQueue<>();
    private ExecutorService executor;
    private HttpServer server;

    /** One parsed event. */
    private record Event(String id, String event, String data) {
    }

    @BeforeEach
    void startServer() throws IOException {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor); // one virtual thread per exchange: run() may block it
        server.start();
    }

    @AfterEach
    void stopServer() {
        streams.forEach(SseSubscriber::close);
        server.stop(0);
        executor.shutdownNow();
    }

    /** Serves {@code /events}: each request gets an SSE subscriber, subscribed by {@code subscribe}. */
    private void serve(Duration heartbeat, Function<Integer, SseEvent> encoder, Consumer<SseSubscriber<Integer>> subscribe) {
        server.createContext("/events", exchange -> {
            var sse = SseSubscriber.<Integer>builder(exchange, encoder).heartbeat(heartbeat).retry(Duration.ofSeconds(2)).build();
            streams.add(sse);
            writers.add(Thread.currentThread()); // run() writes on the handler's thread
            subscribe.accept(sse);
            sse.run();
        });
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/events");
    }

    private static SseEvent json(int i) {
        return SseEvent.of(String.valueOf(i), "anomaly", "{\"seq\":" + i + "}\nline two of " + i);
    }

    @Test
    void eventsReachAnHttpClientAndParse() throws Exception {
        serve(Duration.ofSeconds(15), SseSubscriberHttpTest::json, sse -> new SeqPublisher(3).subscribe(sse));

        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(HttpRequest.newBuilder(uri()).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofLines());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
            var lines = response.body().toList(); // ends when the upstream completed
            assertThat(lines.getFirst()).isEqualTo("retry: 2000");
            assertThat(parse(lines)).containsExactly(
                    new Event("0", "anomaly", "{\"seq\":0}\nline two of 0"),
                    new Event("1", "anomaly", "{\"seq\":1}\nline two of 1"),
                    new Event("2", "anomaly", "{\"seq\":2}\nline two of 2"));
        }
        await().atMost(TIMEOUT).until(() -> streams.peek().completion().isDone());
        assertThat(streams.peek().completion().isCompletedExceptionally()).isFalse();
    }

    @Test
    void idleStreamsGetHeartbeatsAndAGoneReaderIsDetached() throws Exception {
        var hub = MulticastHub.<Integer>create(); // no upstream: nothing to send
        serve(Duration.ofMillis(100), SseSubscriberHttpTest::json, hub::subscribe);

        try (var socket = connect(0)) {
            var in = socket.getInputStream();
            var seen = readUntil(in, text -> text.split(": ping\n\n", -1).length > 3);
            assertThat(seen).startsWith("HTTP/1.1 200").contains("retry: 2000");
            assertThat(hub.subscriberCount()).isEqualTo(1);
        }
        // the next heartbeat write fails, the subscription is cancelled, the hub forgets the reader
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == 0);
        var sse = streams.peek();
        await().atMost(TIMEOUT).until(() -> sse.completion().isDone());
        assertThatThrownBy(() -> sse.completion().get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void closedReadersAreDetachedWithinSecondsWhateverTheHeartbeat() throws Exception {
        var hub = MulticastHub.<Integer>create(); // no upstream: the streams stay idle
        serve(Duration.ofHours(1), SseSubscriberHttpTest::json, hub::subscribe);
        int n = 20;
        var sockets = new ArrayList<Socket>();
        for (int i = 0; i < n; i++) {
            var socket = connect(0);
            readUntil(socket.getInputStream(), text -> text.contains("retry: 2000\n\n"));
            sockets.add(socket);
        }
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == n);

        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                sockets.get(i).setSoLinger(true, 0); // the close sends a reset
            }
            sockets.get(i).close(); // the others close politely (FIN), as a killed curl does
        }

        // far sooner than the one-hour heartbeat: the probe's writes fail
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == 0);
        await().atMost(TIMEOUT).until(() -> streams.stream().allMatch(sse -> sse.completion().isDone()));
        assertThat(streams).hasSize(n).allSatisfy(sse -> assertThat(sse.completion()).isCompletedExceptionally());
    }

    @Test
    void aReaderThatDisconnectsMidStreamCancelsTheUpstream() throws Exception {
        var source = new SeqPublisher(Long.MAX_VALUE); // endless, emits as fast as demand allows
        serve(Duration.ofSeconds(15), SseSubscriberHttpTest::json, source::subscribe);

        try (var socket = connect(0)) {
            readUntil(socket.getInputStream(), text -> text.contains("id: 5\n"));
        }

        await().atMost(TIMEOUT).until(() -> source.cancelled.get() == 1);
        var sse = streams.peek();
        await().atMost(TIMEOUT).until(() -> sse.completion().isDone());
        assertThat(sse.completion().isCompletedExceptionally()).isTrue();
        assertThat(source.requested.get() - source.emitted.get()).as("no demand left hanging").isLessThanOrEqualTo(1);
    }

    @Test
    void aReaderThatDoesNotReadStopsTheDemand() throws Exception {
        var source = new SeqPublisher(Long.MAX_VALUE);
        var payload = "x".repeat(1000);
        serve(Duration.ofSeconds(15), i -> SseEvent.of(String.valueOf(i), "big", payload), source::subscribe);

        long started = System.nanoTime();
        Thread reader;
        try (var socket = connect(4096)) { // small receive window, and we read nothing
            await().atMost(TIMEOUT).until(() -> writers.peek() != null); // added after the stream
            var sse = streams.peek();
            // TCP backpressure became Flow backpressure: the writer is blocked in a socket write and
            // the demand stands still, however long the machine takes to get there
            long plateau = awaitBlockedInWrite(writers.peek(), source.requested, sse::eventsWritten);
            long stoppedAfter = System.nanoTime() - started;
            // what the kernel may hold: the send buffer autotunes up to tcp_wmem's maximum
            long bound = sendBufferMax() / payload.length() + 100;
            assertThat(plateau).as("items requested while the reader reads nothing").isBetween(2L, bound);
            assertThat(plateau - sse.eventsWritten()).as("at most the window: the batch in the blocked write and what is asked for")
                    .isLessThanOrEqualTo(SseSubscriber.DEFAULT_WINDOW);

            // reading again resumes the demand
            var in = socket.getInputStream();
            reader = Thread.ofVirtual().start(() -> {
                var buffer = new byte[64 * 1024];
                try {
                    while (in.read(buffer) >= 0) {
                        // discard
                    }
                } catch (IOException closed) {
                    // the test closed the socket
                }
            });
            await().atMost(TIMEOUT).until(() -> source.requested.get() > plateau + 100);
            System.out.printf("slow reader: demand stopped at %d requested items (~%d KB in socket buffers), stable after %d ms%n",
                    plateau, plateau * 1050 / 1024, stoppedAfter / 1_000_000);
        }
        assertThat(reader.join(TIMEOUT)).as("the reader saw the socket close").isTrue();
        await().atMost(TIMEOUT).until(() -> source.cancelled.get() == 1);
    }

    @Test
    void hubSnapshotThenLiveItemsReachTheBrowserWithoutGapOrDuplicate() throws Exception {
        var map = new ArrayList<Integer>(); // the owner's state; touched only under the hub's lock
        var hub = MulticastHub.<Integer>builder().onItem(map::add).build();
        var upstream = new ManualPublisher<Integer>();
        upstream.subscribe(hub);
        for (int i = 0; i < 5; i++) {
            upstream.next(i);
        }
        serve(Duration.ofSeconds(15), SseSubscriberHttpTest::json, sse -> hub.subscribe(sse, hub.options()
                .bufferSize(1000).overflow(OverflowPolicy.DROP_OLDEST)
                .filter(i -> i % 2 == 0)
                .replay(() -> List.copyOf(map))));

        try (var client = HttpClient.newHttpClient()) {
            var response = client.sendAsync(HttpRequest.newBuilder(uri()).build(), HttpResponse.BodyHandlers.ofLines());
            await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == 1);
            for (int i = 5; i < 10; i++) {
                upstream.next(i);
            }
            upstream.complete();

            var ids = parse(response.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).body().toList()).stream().map(Event::id).toList();
            assertThat(ids).containsExactly("0", "2", "4", "6", "8");
        }
    }

    /** Opens a raw connection (optionally with a small receive buffer) and sends the GET. */
    private Socket connect(int receiveBuffer) throws IOException {
        var socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window starts small
        }
        socket.connect(server.getAddress());
        socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }

    private static String readUntil(InputStream in, java.util.function.Predicate<String> done) throws IOException {
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!done.test(text.toString())) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("stream ended early: " + text);
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** Linux's ceiling for an autotuned TCP send buffer (tcp_wmem max), 4 MiB when unknown. */
    private static long sendBufferMax() {
        try {
            var fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException e) {
            return 4L << 20;
        }
    }

    /**
     * Waits until {@code writer} is parked inside {@link SseSubscriber}'s socket write with neither
     * {@code requested} nor {@code written} moved since the previous look, a second before: the
     * writer cannot request more until that write returns, and it returns only when the reader
     * reads. A slow machine only makes this wait longer; nothing here is timed. Returns
     * {@code requested} then.
     */
    private static long awaitBlockedInWrite(Thread writer, AtomicLong requested, java.util.function.LongSupplier written) {
        var lastRequested = new AtomicLong(-1);
        var lastWritten = new AtomicLong(-1);
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long r = requested.get();
            long w = written.getAsLong();
            boolean unmoved = r == lastRequested.getAndSet(r);
            unmoved &= w == lastWritten.getAndSet(w);
            return r > 0 && unmoved && parkedInWrite(writer) && requested.get() == r;
        });
        return lastRequested.get();
    }

    private static boolean parkedInWrite(Thread t) {
        var state = t.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
                && inSocketWrite(t.getStackTrace());
    }

    /** Inside the writer loop, and not waiting for items in the hand-off: so in a write or a flush. */
    private static boolean inSocketWrite(StackTraceElement[] stack) {
        var frames = java.util.Arrays.asList(stack);
        return frames.stream().anyMatch(f -> f.getClassName().equals(SseSubscriber.class.getName()))
                && frames.stream().noneMatch(f -> f.getClassName().equals(SseHandoff.class.getName()));
    }

    /** A minimal SSE parser: fields until a blank line; comments and retry skipped. */
    private static List<Event> parse(List<String> lines) {
        var events = new ArrayList<Event>();
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (var line : lines) {
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(id, event, data.toString()));
                }
                id = null;
                event = null;
                data = null;
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
            }
        }
        return events;
    }
}
