package io.anomalyflow.events;

import java.time.Instant;
import java.util.Objects;

/**
 * The anomaly event as the detector appends it to the {@code ANOMALIES} stream and a client with
 * {@code --source anomalies} reads it back.
 *
 * <p><b>Payload</b>: the {@link Anomaly} as {@link EventCodec#encode(Anomaly)} writes it, byte for byte
 * what a client lists: {@code seq} is the measurement's sequence in its own stream, not the event's.
 *
 * <p><b>Headers</b> (names below):
 * <ul>
 *   <li>{@value #MESSAGE_ID}: {@code <source stream>-<source sequence>} ({@link #messageId}), so a
 *       measurement judged twice (a redelivery after a crash) is stored once, within the stream's
 *       duplicate window;</li>
 *   <li>{@value #SOURCE_STREAM}, {@value #SOURCE_SEQUENCE}: where the measurement is;</li>
 *   <li>{@value #SOURCE_TIME}: when the measurement was stored there (ISO-8601, UTC): a client starts the
 *       anomaly's time to live at it, as it does reading the measurements themselves, so both list the
 *       same rows.</li>
 * </ul>
 */
public final class AnomalyEvents {
    public static final String MESSAGE_ID = "Nats-Msg-Id";
    public static final String SOURCE_STREAM = "Anomalyflow-Source-Stream";
    public static final String SOURCE_SEQUENCE = "Anomalyflow-Source-Seq";
    public static final String SOURCE_TIME = "Anomalyflow-Source-Time";

    private AnomalyEvents() {
    }

    /** The message id of the anomaly of measurement {@code sequence} in {@code sourceStream}. */
    public static String messageId(String sourceStream, long sequence) {
        Objects.requireNonNull(sourceStream, "sourceStream");
        return sourceStream + "-" + sequence;
    }

    /** {@code time} as the {@value #SOURCE_TIME} header writes it. */
    public static String formatTime(Instant time) {
        return Timestamps.format(Objects.requireNonNull(time, "time"));
    }

    /** The {@value #SOURCE_TIME} header's instant, or {@code null} when it is missing or unreadable. */
    public static Instant parseTime(String header) {
        return header == null ? null : Timestamps.parse(header);
    }
}
