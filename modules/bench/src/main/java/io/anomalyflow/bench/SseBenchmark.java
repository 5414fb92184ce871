package io.anomalyflow.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.MulticastHub;
import io.anomalyflow.flow.Subscriptions;
import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.flow.sse.SseSubscriber;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@value #EVENTS} anomaly-sized Server-Sent Events (about 150 bytes each) written by a JDK
 * {@code HttpServer} (virtual-thread executor) to a reader on a loopback socket, which reads and
 * discards them; one operation is one whole response. Each event is flushed on its own, as an SSE
 * server must.
 * <ul>
 *   <li>{@link #loop}: the floor — the handler formats each event and writes and flushes it in a loop;</li>
 *   <li>{@link #toolkit}: {@code Flows.range} → {@link SseSubscriber}: the range answers each request
 *       at once, on the writer's thread, so every flush carries a full demand window;</li>
 *   <li>{@link #toolkitHub}: the client's path — a producer thread feeds a {@link MulticastHub} whose
 *       drain hands each event to the {@link SseSubscriber}, which writes on the handler's thread
 *       whatever arrived since its last flush (one event or a window of them);</li>
 *   <li>{@link #toolkitHubOneByOne}: the same with a demand window of one — one event per request
 *       and per flush, the SSE path before writes were batched;</li>
 *   <li>{@link #submissionPublisher}: a {@code SubmissionPublisher} whose subscriber writes each
 *       event in {@code onNext} (on the publisher's explicit executor) and requests the next.</li>
 * </ul>
 * The reader counts the lines it got, so a response that lost events fails the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SseBenchmark {
    static final int EVENTS = 10_000;
    private static final int LINES_PER_EVENT = 4; // id, event, data, blank
    private static final String[] DATA = new String[64];

    static {
        for (int i = 0; i < DATA.length; i++) {
            DATA[i] = "{\"seq\":" + (1_000_000 + i) + ",\"timestamp\":\"2026-11-26T12:00:00." + (100 + i)
                    + "Z\",\"deviceId\":\"" + (i % 10) + "\",\"measurementValue\":" + (i % 20) + ".5,\"anomaly\":\"Value too low "
                    + (i % 20) + ".5\"}";
        }
    }

    private HttpServer server;
    private ExecutorService handlers;
    private ExecutorService publisherPool;
    private final byte[] readBuffer = new byte[64 * 1024];

    @Setup
    public void setUp() throws IOException {
        handlers = Executors.newVirtualThreadPerTaskExecutor();
        publisherPool = Executors.newFixedThreadPool(2);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(handlers);
        server.createContext("/loop", SseBenchmark::loopHandler);
        server.createContext("/toolkit", SseBenchmark::toolkitHandler);
        server.createContext("/hub", exchange -> hubHandler(exchange, SseSubscriber.DEFAULT_WINDOW));
        server.createContext("/hub1", exchange -> hubHandler(exchange, 1));
        server.createContext("/sp", this::submissionHandler);
        server.start();
    }

    @TearDown
    public void tearDown() {
        server.stop(0);
        handlers.shutdownNow();
        publisherPool.shutdownNow();
    }

    @Benchmark
    public long loop() throws IOException {
        return read("/loop");
    }

    @Benchmark
    public long toolkit() throws IOException {
        return read("/toolkit");
    }

    @Benchmark
    public long toolkitHub() throws IOException {
        return read("/hub");
    }

    @Benchmark
    public long toolkitHubOneByOne() throws IOException {
        return read("/hub1");
    }

    @Benchmark
    public long submissionPublisher() throws IOException {
        return read("/sp");
    }

    static SseEvent event(long i) {
        return SseEvent.of(Long.toString(i), "anomaly", DATA[(int) (i % DATA.length)]);
    }

    private static void loopHandler(HttpExchange exchange) throws IOException {
        sseHeaders(exchange);
        try (OutputStream out = exchange.getResponseBody()) {
            for (long i = 0; i < EVENTS; i++) {
                String text = "id: " + i + "\nevent: anomaly\ndata: " + DATA[(int) (i % DATA.length)] + "\n\n";
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static void toolkitHandler(HttpExchange exchange) {
        var sse = SseSubscriber.<Long>create(exchange, SseBenchmark::event);
        Flows.range(0, EVENTS).subscribe(sse);
        sse.run(); // sends the headers, writes every event, closes the exchange
    }

    private void hubHandler(HttpExchange exchange, int window) {
        // a ring larger than the response: the producer never outruns the reader into drops
        var hub = MulticastHub.<Long>builder().bufferSize(16_384).build();
        var sse = SseSubscriber.<Long>builder(exchange, SseBenchmark::event).window(window).build();
        hub.subscribe(sse);
        hub.onSubscribe(Subscriptions.CANCELLED); // the producer below is the upstream: it needs no demand
        publisherPool.execute(() -> {
            for (long i = 0; i < EVENTS; i++) {
                hub.onNext(i);
            }
            hub.onComplete();
        });
        sse.run();
    }

    private void submissionHandler(HttpExchange exchange) throws IOException {
        sseHeaders(exchange);
        var out = exchange.getResponseBody();
        var writer = new WritingSubscriber(out);
        try (var publisher = new SubmissionPublisher<Long>(publisherPool, Flow.defaultBufferSize())) {
            publisher.subscribe(writer);
            for (long i = 0; i < EVENTS; i++) {
                publisher.submit(i);
            }
        }
        writer.done.join();
        out.close();
    }

    private static void sseHeaders(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
    }

    /** One request per operation on a fresh connection ({@code Connection: close}); returns the bytes read. */
    private long read(String path) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            long bytes = 0;
            long lines = 0;
            for (int n = in.read(readBuffer); n >= 0; n = in.read(readBuffer)) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (readBuffer[i] == '\n') {
                        lines++;
                    }
                }
            }
            if (lines < (long) EVENTS * LINES_PER_EVENT) {
                throw new IllegalStateException(path + ": " + lines + " lines, expected at least " + EVENTS * LINES_PER_EVENT);
            }
            return bytes;
        }
    }

    /** Writes each event in {@code onNext}, on the publisher's executor, then asks for the next. */
    private static final class WritingSubscriber implements Flow.Subscriber<Long> {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final OutputStream out;
        private Flow.Subscription subscription;

        WritingSubscriber(OutputStream out) {
            this.out = out;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Long item) {
            try {
                out.write(event(item).encode().getBytes(StandardCharsets.UTF_8));
                out.flush();
                subscription.request(1);
            } catch (IOException e) {
                subscription.cancel();
                done.completeExceptionally(new UncheckedIOException(e));
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }
    }
}
