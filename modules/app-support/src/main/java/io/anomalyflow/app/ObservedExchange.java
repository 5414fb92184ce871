package io.anomalyflow.app;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * An exchange that reports its status code the moment the headers are sent, from whichever thread
 * sends them (a handler, or the {@link BodyReader} deadline replying 408). That is the one place
 * where every reply passes, so per-status metrics count each reply exactly once.
 */
final class ObservedExchange extends HttpExchange {
    private final HttpExchange delegate;
    private final IntConsumer onStatus;
    private final AtomicBoolean reported = new AtomicBoolean();

    ObservedExchange(HttpExchange delegate, IntConsumer onStatus) {
        this.delegate = delegate;
        this.onStatus = onStatus;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        delegate.sendResponseHeaders(rCode, responseLength);
        if (reported.compareAndSet(false, true)) {
            onStatus.accept(rCode);
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return delegate.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return delegate.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
        return delegate.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return delegate.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return delegate.getHttpContext();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public InputStream getRequestBody() {
        return delegate.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
        return delegate.getResponseBody();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return delegate.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return delegate.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return delegate.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return delegate.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        delegate.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        delegate.setStreams(i, o);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return delegate.getPrincipal();
    }
}
