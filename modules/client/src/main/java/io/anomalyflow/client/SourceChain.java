package io.anomalyflow.client;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.nats.StreamMessage;

/**
 * What the client reads and how a message read becomes a {@link Detection}: the one place where
 * {@code --source measurements} and {@code --source anomalies} differ ({@link #of}). Everything
 * around it (skipping what was read before, the hub and the map, the supervisor's runs, the HTTP
 * side) is the same for both, keyed by the position in the stream read.
 *
 * <ul>
 *   <li>{@link MeasurementsChain}: the measurements, decoded and judged here by the rule.</li>
 *   <li>{@link AnomalyEventsChain}: the anomaly events the detectors append, decoded only: they
 *       were judged already, so the threshold is not used.</li>
 * </ul>
 */
sealed interface SourceChain permits MeasurementsChain, AnomalyEventsChain {

    /** The chain {@code config.source()} asks for. */
    static SourceChain of(ClientConfig config, EventCodec codec, ClientMetrics metrics) {
        return switch (config.source()) {
            case MEASUREMENTS -> new MeasurementsChain(config.stream(), config.subject(), codec,
                    new AnomalyRule(config.threshold()), metrics);
            case ANOMALIES -> new AnomalyEventsChain(config.anomaliesStream(), codec, metrics);
        };
    }

    /** The stream read. */
    String stream();

    /** Only messages on this subject, or {@code null} for the whole stream. */
    String filterSubject();

    /** Which app creates the stream: what {@code /health} says while it is missing. */
    String creator();

    /**
     * The rest of the chain: messages not read before in, detections out, each carrying the
     * message's stream sequence as its position. A message that is no valid event is counted
     * ({@link ClientMetrics#invalidMessage}) and dropped, never fatal.
     */
    Stage<Detection> detections(Stage<StreamMessage> fresh);
}
