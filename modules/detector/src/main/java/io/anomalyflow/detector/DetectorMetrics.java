package io.anomalyflow.detector;

import io.anomalyflow.app.Counter;
import io.anomalyflow.app.MetricsRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The detector's metrics, one registry per detector ({@code GET /metrics}, Prometheus text):
 * <ul>
 *   <li>{@code anomalyflow_detector_measurements_total}: measurements judged and acknowledged;</li>
 *   <li>{@code _anomalies_published_total}: anomalies JetStream stored as new;</li>
 *   <li>{@code _anomalies_duplicate_total}: anomalies JetStream reported as already stored (a measurement
 *       judged a second time, after a crash or a lost ack);</li>
 *   <li>{@code _redeliveries_total}: measurements the group's consumer delivered more than once;</li>
 *   <li>{@code _poison_total}: messages that are no measurement, terminated (never delivered again);</li>
 *   <li>{@code _publish_failures_total}, {@code _pauses_total}: anomalies not acknowledged, and the pauses
 *       they caused;</li>
 *   <li>gauges: {@code _in_flight} (anomalies waiting for their ack), {@code _ack_pending} and
 *       {@code _backlog} (the group consumer's, over all its detectors), {@code _reading} and
 *       {@code _nats_connected} (0/1).</li>
 * </ul>
 */
final class DetectorMetrics {
    private static final String PREFIX = "anomalyflow_detector_";

    private final MetricsRegistry registry = MetricsRegistry.create();
    final Counter measurements = registry.counter(PREFIX + "measurements_total",
            "Measurements judged and acknowledged.");
    final Counter published = registry.counter(PREFIX + "anomalies_published_total",
            "Anomalies JetStream stored as new events.");
    final Counter duplicates = registry.counter(PREFIX + "anomalies_duplicate_total",
            "Anomalies JetStream reported as already stored (a measurement judged again).");
    final Counter redeliveries = registry.counter(PREFIX + "redeliveries_total",
            "Measurements delivered to this detector more than once.");
    final Counter poison = registry.counter(PREFIX + "poison_total",
            "Messages that are no valid measurement, terminated so that they never block the group.");
    final Counter publishFailures = registry.counter(PREFIX + "publish_failures_total",
            "Anomalies JetStream did not acknowledge (each pauses the detector and comes again).");
    final Counter pauses = registry.counter(PREFIX + "pauses_total",
            "Times the detector stopped reading because of a failure, and started again after a pause.");
    final AtomicInteger inFlight = new AtomicInteger();

    DetectorMetrics(GroupInfo group, DetectorStatus status) {
        registry.gauge(PREFIX + "in_flight", "Anomalies waiting for their JetStream ack.", inFlight::get);
        registry.gauge(PREFIX + "ack_pending", "Measurements the group holds unacknowledged, over all its detectors "
                + "(-1 when unknown).", () -> group.snapshot().ackPending());
        registry.gauge(PREFIX + "backlog", "Measurements the group has not been handed yet (-1 when unknown).",
                () -> group.snapshot().backlog());
        registry.gauge(PREFIX + "reading", "1 while the detector reads and publishes, else 0.",
                () -> status.current().reading() ? 1 : 0);
        registry.gauge(PREFIX + "nats_connected", "1 when the NATS connection is up, else 0.",
                () -> status.natsConnected() ? 1 : 0);
    }

    MetricsRegistry registry() {
        return registry;
    }
}
