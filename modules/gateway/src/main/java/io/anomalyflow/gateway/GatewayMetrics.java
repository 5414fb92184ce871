package io.anomalyflow.gateway;

import io.anomalyflow.app.Counter;
import io.anomalyflow.app.Histogram;
import io.anomalyflow.app.LabeledCounter;
import io.anomalyflow.app.MetricsRegistry;
import java.util.function.BooleanSupplier;

/**
 * The gateway's metrics (listed in {@code docs/architecture.md}), one registry per gateway instance:
 * {@code anomalyflow_gateway_requests_total{status}} (every reply, counted when its headers are
 * sent), {@code _measurements_accepted_total} (newly stored), {@code _duplicates_total} (already
 * stored, by id), {@code _publish_seconds} (from publish to the last ack of a request) and
 * {@code _nats_connected} (0/1, read at scrape time).
 */
final class GatewayMetrics {
    private static final String PREFIX = "anomalyflow_gateway_";

    private final MetricsRegistry registry = MetricsRegistry.create();
    private final LabeledCounter requests;
    private final Counter accepted;
    private final Counter duplicates;
    private final Histogram publishSeconds;

    GatewayMetrics(BooleanSupplier natsConnected) {
        requests = registry.counter(PREFIX + "requests_total", "HTTP replies by status code.", "status");
        accepted = registry.counter(PREFIX + "measurements_accepted_total",
                "Measurements JetStream acknowledged as newly stored.");
        duplicates = registry.counter(PREFIX + "duplicates_total",
                "Measurements JetStream acknowledged as duplicates of an id already stored.");
        publishSeconds = registry.histogram(PREFIX + "publish_seconds",
                "Time from publishing a request's measurements to their last JetStream ack.", Histogram.DEFAULT_SECONDS);
        registry.gauge(PREFIX + "nats_connected", "1 when the NATS connection is up, else 0.",
                () -> natsConnected.getAsBoolean() ? 1 : 0);
    }

    MetricsRegistry registry() {
        return registry;
    }

    void replied(int status) {
        requests.inc(Integer.toString(status));
    }

    Counter accepted() {
        return accepted;
    }

    Counter duplicates() {
        return duplicates;
    }

    Histogram publishSeconds() {
        return publishSeconds;
    }
}
