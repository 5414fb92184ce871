package io.anomalyflow.app;

import com.sun.net.httpserver.HttpHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The metrics of one app instance (never a static singleton: two gateways in one JVM have two
 * registries), rendered in the Prometheus text exposition format 0.0.4: per family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples, in registration order.
 *
 * <p>Registration is meant for start-up; a name can be registered once. Recording into the
 * returned instruments and {@link #render()} are thread-safe and lock-free.
 */
public final class MetricsRegistry {
    /** The content type Prometheus expects for the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ReentrantLock registration = new ReentrantLock();
    private volatile List<Metric> metrics = List.of();

    private MetricsRegistry() {
    }

    public static MetricsRegistry create() {
        return new MetricsRegistry();
    }

    /** A counter without labels; by convention its name ends in {@code _total}. */
    public Counter counter(String name, String help) {
        return register(new Counter(name, help(help)));
    }

    /** A counter family with one label, e.g. {@code status}. */
    public LabeledCounter counter(String name, String help, String labelName) {
        return register(new LabeledCounter(name, help(help), labelName));
    }

    /**
     * A counter whose value {@code supplier} gives at each scrape, for a count kept elsewhere (it
     * must never go down); by convention its name ends in {@code _total}.
     */
    public void counter(String name, String help, LongSupplier supplier) {
        register(Gauge.counter(name, help(help), Objects.requireNonNull(supplier, "supplier")));
    }

    /** A gauge whose value {@code supplier} gives at each scrape. */
    public void gauge(String name, String help, DoubleSupplier supplier) {
        register(new Gauge(name, help(help), Objects.requireNonNull(supplier, "supplier")));
    }

    /** A histogram with the given bucket upper bounds (increasing; {@code +Inf} is added). */
    public Histogram histogram(String name, String help, double... upperBounds) {
        return register(new Histogram(name, help(help), upperBounds));
    }

    /** Everything, in the text format. */
    public String render() {
        var out = new StringBuilder(1024);
        for (var m : metrics) {
            out.append("# HELP ").append(m.name()).append(' ').append(Metric.escapeHelp(m.help())).append('\n');
            out.append("# TYPE ").append(m.name()).append(' ').append(m.type()).append('\n');
            m.renderSamples(out);
        }
        return out.toString();
    }

    /** A handler for {@code GET /metrics}: 200 with {@link #render()}. Route it for GET only. */
    public HttpHandler handler() {
        return exchange -> Responses.send(exchange, 200, CONTENT_TYPE, render().getBytes(StandardCharsets.UTF_8));
    }

    private <M extends Metric> M register(M metric) {
        registration.lock();
        try {
            for (var m : metrics) {
                if (m.name().equals(metric.name())) {
                    throw new IllegalArgumentException("metric " + metric.name() + " is registered twice");
                }
            }
            var next = new ArrayList<>(metrics);
            next.add(metric);
            metrics = List.copyOf(next); // copy-on-write: render() reads without locking
            return metric;
        } finally {
            registration.unlock();
        }
    }

    private static String help(String help) {
        if (help == null || help.isBlank()) {
            throw new IllegalArgumentException("a metric needs a help text");
        }
        return help;
    }
}
