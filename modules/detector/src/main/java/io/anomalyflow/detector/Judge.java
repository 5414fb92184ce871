package io.anomalyflow.detector;

import io.anomalyflow.events.Anomaly;
import io.anomalyflow.events.AnomalyEvents;
import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.flow.nats.Acks;
import io.anomalyflow.flow.nats.OutgoingMessage;
import io.anomalyflow.flow.nats.StreamMessage;
import io.nats.client.impl.Headers;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges one measurement of the group's stream, and settles at once what needs no publishing:
 * <ul>
 *   <li>no anomaly: acknowledged here (judged, nothing to store);</li>
 *   <li>not a measurement (poison): terminated, so it is never delivered again and never blocks the
 *       group, and counted;</li>
 *   <li>an anomaly: returned as an {@link Anomalous}, acknowledged only once its event is stored.</li>
 * </ul>
 * Stateless apart from the counters; called on the reading thread, one message at a time.
 */
final class Judge {
    private static final Logger LOG = LoggerFactory.getLogger(Judge.class);

    private final EventCodec codec;
    private final AnomalyRule rule;
    private final Acks acks;
    private final DetectorMetrics metrics;

    Judge(EventCodec codec, AnomalyRule rule, Acks acks, DetectorMetrics metrics) {
        this.codec = codec;
        this.rule = rule;
        this.acks = acks;
        this.metrics = metrics;
    }

    /** A measurement found anomalous: the message it came in and its anomaly. */
    record Anomalous(StreamMessage source, String sourceStream, Anomaly anomaly) {
        /** The event to append: the anomaly's JSON, its message id and the source headers. */
        OutgoingMessage toEvent(EventCodec codec, String subject) {
            var headers = new Headers()
                    .put(AnomalyEvents.SOURCE_STREAM, sourceStream)
                    .put(AnomalyEvents.SOURCE_SEQUENCE, Long.toString(source.sequence()))
                    .put(AnomalyEvents.SOURCE_TIME, AnomalyEvents.formatTime(source.timestamp()));
            return new OutgoingMessage(subject, AnomalyEvents.messageId(sourceStream, source.sequence()),
                    codec.encode(anomaly), headers);
        }
    }

    /** The anomaly to publish, or empty when {@code m} was settled here. */
    Optional<Anomalous> judge(String sourceStream, StreamMessage m) {
        if (m.redelivered()) {
            metrics.redeliveries.inc();
        }
        try {
            var measurement = codec.decodeMeasurement(m.data());
            var anomaly = rule.check(m.sequence(), measurement);
            if (anomaly.isPresent()) {
                return Optional.of(new Anomalous(m, sourceStream, anomaly.get()));
            }
            acks.ack(m);
            metrics.measurements.inc();
        } catch (InvalidEventException e) {
            acks.term(m);
            metrics.poison.inc();
            LOG.warn("{} #{} is no measurement ({}); terminated, it is not delivered again", sourceStream,
                    m.sequence(), e.getMessage());
        }
        return Optional.empty();
    }
}
