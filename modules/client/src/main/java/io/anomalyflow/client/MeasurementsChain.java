package io.anomalyflow.client;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.flow.nats.StreamMessage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code --source measurements}: decode each measurement (a poison one is counted and skipped), keep
 * those the rule calls anomalies, and tag each with its stream sequence (the anomaly's {@code seq}
 * and the position alike) and its stream time (where its time to live starts).
 */
final class MeasurementsChain implements SourceChain {
    private final String stream;
    private final String subject;
    private final EventCodec codec;
    private final AnomalyRule rule;
    private final ClientMetrics metrics;

    MeasurementsChain(String stream, String subject, EventCodec codec, AnomalyRule rule, ClientMetrics metrics) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** A measurement read from the stream, with where and when it was stored. */
    record Received(long seq, Instant streamTime, Measurement measurement) {
    }

    @Override
    public String stream() {
        return stream;
    }

    @Override
    public String filterSubject() {
        return subject;
    }

    @Override
    public String creator() {
        return "the gateway";
    }

    @Override
    public Stage<Detection> detections(Stage<StreamMessage> fresh) {
        return fresh
                .map(this::decode)                              // a poison message becomes empty
                .filter(Optional::isPresent)                    //   and is skipped (counted in decode)
                .map(Optional::get)
                .filter(r -> rule.isAnomaly(r.measurement()))  // at or below the threshold
                .map(this::detect);                             // seq = position = stream sequence
    }

    private Optional<Received> decode(StreamMessage message) {
        try {
            var m = codec.decodeMeasurement(message.data());
            return Optional.of(new Received(message.sequence(), message.timestamp(), m));
        } catch (InvalidEventException e) {
            metrics.invalidMessage(message.sequence(), "measurement", e.getMessage());
            return Optional.empty();
        }
    }

    private Detection detect(Received r) {
        // isAnomaly passed just before, so check() has an anomaly to give
        var anomaly = rule.check(r.seq(), r.measurement()).orElseThrow();
        return new Detection(r.seq(), anomaly, r.streamTime());
    }
}
