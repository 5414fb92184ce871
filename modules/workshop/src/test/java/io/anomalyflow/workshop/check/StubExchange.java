package io.anomalyflow.workshop.check;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link HttpExchange} without a socket: records status and headers, collects the body, and can
 * make writes block ({@link #blockWrites()}, a reader that stopped reading) or fail ({@link #failWrites()},
 * a reader that went away).
 */
final class StubExchange extends HttpExchange {
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile CountDownLatch gate;
    private volatile boolean failing;
    private volatile int status = -1;
    final AtomicInteger blockedWrites = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    private final OutputStream body = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            var g = gate;
            if (g != null) {
                blockedWrites.incrementAndGet();
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } finally {
                    blockedWrites.decrementAndGet();
                }
            }
            if (failing) {
                throw new IOException("Broken pipe (the reader went away)");
            }
            synchronized (bytes) {
                bytes.write(b, off, len);
            }
        }
    };

    /** Writes wait until {@link #unblockWrites()}. */
    void blockWrites() {
        gate = new CountDownLatch(1);
    }

    void unblockWrites() {
        var g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Writes throw {@code IOException}. */
    void failWrites() {
        failing = true;
    }

    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    int status() {
        return status;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return URI.create("/anomalies/stream");
    }

    @Override
    public String getRequestMethod() {
        return "GET";
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    @Override
    public InputStream getRequestBody() {
        return InputStream.nullInputStream();
    }

    @Override
    public OutputStream getResponseBody() {
        return body;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        status = rCode;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
        return null;
    }

    @Override
    public void setAttribute(String name, Object value) {
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
