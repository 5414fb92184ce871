package io.anomalyflow.client;

import io.anomalyflow.events.AnomalyEvents;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.flow.nats.StreamMessage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code --source anomalies}: each message of the anomalies stream is an anomaly a detector judged
 * ({@link AnomalyEvents}), so it is only decoded (an undecodable one is counted and skipped, like a
 * poison measurement). The detection's position is the event's sequence in the anomalies stream; the
 * anomaly keeps the measurement's {@code seq}. Its time to live starts at the measurement's stream
 * time, which the event carries in the {@value AnomalyEvents#SOURCE_TIME} header, so this client
 * expires a row when a measurements client does; without a readable header, at the event's own
 * stream time (a little later).
 */
final class AnomalyEventsChain implements SourceChain {
    private final String stream;
    private final EventCodec codec;
    private final ClientMetrics metrics;

    AnomalyEventsChain(String stream, EventCodec codec, ClientMetrics metrics) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public String stream() {
        return stream;
    }

    /** The whole stream: every message in it is an anomaly event, whatever its subject. */
    @Override
    public String filterSubject() {
        return null;
    }

    @Override
    public String creator() {
        return "the detector";
    }

    @Override
    public Stage<Detection> detections(Stage<StreamMessage> fresh) {
        return fresh
                .map(this::decode)            // an undecodable event becomes empty
                .filter(Optional::isPresent)  //   and is skipped (counted in decode)
                .map(Optional::get);
    }

    private Optional<Detection> decode(StreamMessage message) {
        try {
            var anomaly = codec.decodeAnomaly(message.data());
            return Optional.of(new Detection(message.sequence(), anomaly, sourceTime(message)));
        } catch (InvalidEventException e) {
            metrics.invalidMessage(message.sequence(), "anomaly event", e.getMessage());
            return Optional.empty();
        }
    }

    /** When the measurement was stored, from the header; the event's own time when that is missing or unreadable. */
    static Instant sourceTime(StreamMessage message) {
        var header = message.headers().getFirst(AnomalyEvents.SOURCE_TIME);
        var time = AnomalyEvents.parseTime(header);
        return time != null ? time : message.timestamp();
    }
}
