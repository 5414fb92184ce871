package io.anomalyflow.app;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started JDK {@link HttpServer} with the settings every app here needs, and a graceful stop.
 *
 * <ul>
 *   <li>One virtual thread per exchange: the JDK default runs every exchange on the
 *       single dispatcher thread, where one slow request or SSE stream would stall all others.</li>
 *   <li>One root context, so every path reaches the handler (usually a {@link Router}) and even an
 *       unknown path gets a JSON 404 rather than the JDK's HTML one.</li>
 *   <li>{@link #close()}: stops accepting at once, lets exchanges in flight finish for up to the
 *       grace period (the JDK server returns early when none are left), then closes every
 *       connection and interrupts handler threads still running.</li>
 * </ul>
 * The port may be 0 (a free one is chosen; {@link #port()} says which), which is what tests use.
 * With a {@link ServerTls} it is an {@link HttpsServer} and {@link #url()} says {@code https}.
 */
public final class WebServer implements AutoCloseable {
    private static final int BACKLOG = 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Duration stopGrace;
    private final boolean https;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WebServer(HttpServer server, ExecutorService executor, Duration stopGrace, boolean https) {
        this.server = server;
        this.executor = executor;
        this.stopGrace = stopGrace;
        this.https = https;
    }

    /**
     * Binds {@code bind:port} and starts serving {@code handler}.
     *
     * @param stopGrace how long {@link #close()} waits for exchanges in flight (whole seconds are
     *                  what the JDK server counts, so it is rounded up)
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static WebServer start(InetAddress bind, int port, HttpHandler handler, Duration stopGrace) throws IOException {
        return start(bind, port, handler, stopGrace, null);
    }

    /**
     * As {@link #start(InetAddress, int, HttpHandler, Duration)}, speaking HTTPS when {@code tls} is
     * not {@code null} (plain HTTP otherwise).
     */
    public static WebServer start(InetAddress bind, int port, HttpHandler handler, Duration stopGrace, ServerTls tls)
            throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 0..65535: " + port);
        }
        if (stopGrace.isNegative()) {
            throw new IllegalArgumentException("stopGrace must not be negative: " + stopGrace);
        }
        // The JDK's default accept backlog (50) drops connections when a load generator opens more
        // at once; the kernel caps this value at its own limit (somaxconn) anyway.
        var address = new InetSocketAddress(bind, port);
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, BACKLOG);
        } else {
            var https = HttpsServer.create(address, BACKLOG);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
            server = https;
        }
        var executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new WebServer(server, executor, stopGrace, tls != null);
    }

    /** The address actually bound. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The port actually bound (the chosen one when started with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port} ({@code https} with TLS), with the loopback address standing in for a wildcard bind. */
    public URI url() {
        InetAddress a = server.getAddress().getAddress();
        if (a.isAnyLocalAddress()) {
            a = InetAddress.getLoopbackAddress();
        }
        var host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create((https ? "https://" : "http://") + host + ":" + port());
    }

    /** Graceful stop as described above; idempotent, and safe from any thread but a handler's. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long graceMillis = stopGrace.toMillis();
        server.stop((int) Math.min(Integer.MAX_VALUE, (graceMillis + 999) / 1000));
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(100, graceMillis), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow(); // handlers stuck past the grace: interrupt them
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
