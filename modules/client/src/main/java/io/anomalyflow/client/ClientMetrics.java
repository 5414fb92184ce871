package io.anomalyflow.client;

import io.anomalyflow.app.Counter;
import io.anomalyflow.app.MetricsRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The client's metrics, one set per client instance:
 * {@code anomalyflow_client_messages_total}, {@code …_messages_invalid_total},
 * {@code …_anomalies_total}, {@code …_anomalies_in_map}, {@code …_sse_readers},
 * {@code …_sse_dropped_total}. Thread-safe.
 */
final class ClientMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(ClientMetrics.class);
    private static final String PREFIX = "anomalyflow_client_";

    private final MetricsRegistry registry = MetricsRegistry.create();
    private final Counter messages;
    private final Counter invalid;
    private final Counter anomalies;
    private final AtomicInteger sseReaders = new AtomicInteger();

    ClientMetrics() {
        messages = registry.counter(PREFIX + "messages_total", "Messages read from the stream.");
        invalid = registry.counter(PREFIX + "messages_invalid_total",
                "Messages that were not a valid measurement (or anomaly event): skipped.");
        anomalies = registry.counter(PREFIX + "anomalies_total", "Anomalies detected (value at or below the threshold), or read as events.");
        registry.gauge(PREFIX + "sse_readers", "SSE readers connected now.", sseReaders::get);
    }

    /** Registers the gauges read from the store and the hubs, which exist after this object. */
    void bind(AnomalyStore store, LongSupplier droppedTotal) {
        registry.gauge(PREFIX + "anomalies_in_map", "Anomalies in the time-expiring map.", () -> {
            store.expire(); // a scrape shows the map as a read would
            return store.size();
        });
        registry.counter(PREFIX + "sse_dropped_total",
                "Anomalies dropped from slow SSE readers' buffers (oldest first).", droppedTotal);
    }

    Counter messages() {
        return messages;
    }

    Counter anomalies() {
        return anomalies;
    }

    AtomicInteger sseReaders() {
        return sseReaders;
    }

    /**
     * Counts a poison message and logs the first few (then every 1000th), never every one of a flood.
     *
     * @param seq     its sequence in the stream read
     * @param kind    what it should have been ({@code measurement}, {@code anomaly event})
     * @param problem what is wrong with it
     */
    void invalidMessage(long seq, String kind, String problem) {
        invalid.inc();
        long n = invalid.value();
        if (n <= 10 || n % 1000 == 0) {
            LOG.warn("skipped message {} of the stream: not a valid {} ({}); {} skipped so far", seq, kind, problem, n);
        }
    }

    MetricsRegistry registry() {
        return registry;
    }
}
