package io.anomalyflow.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A measurement that broke the {@link AnomalyRule}, tagged with its position in the stream.
 * JSON: {@code {"seq":123,"timestamp":"…","deviceId":"7","measurementValue":12.5,"anomaly":"Value too low 12.5"}}.
 *
 * <ul>
 *   <li>{@code seq}: the measurement's JetStream stream sequence, {@code >= 0}; it is the SSE
 *       event id, so readers resume after it.</li>
 *   <li>{@code timestamp}: the measurement's; null only if the measurement had none (the field is
 *       then left out of the JSON).</li>
 *   <li>{@code deviceId}, {@code measurementValue}: as in {@link Measurement}, same rules.</li>
 *   <li>{@code anomaly}: a description for people, non-null, at most 1024 characters.</li>
 * </ul>
 * The compact constructor refuses anything else with an {@link IllegalArgumentException} naming
 * the field.
 */
public record Anomaly(long seq, Instant timestamp, String deviceId, BigDecimal measurementValue, String anomaly) {

    public Anomaly {
        FieldRules.require(FieldRules.SEQ, FieldRules.seqProblem(seq));
        FieldRules.require(FieldRules.TIMESTAMP, FieldRules.timestampProblem(timestamp));
        FieldRules.require(FieldRules.DEVICE_ID, FieldRules.deviceIdProblem(deviceId));
        FieldRules.require(FieldRules.MEASUREMENT_VALUE, FieldRules.valueProblem(measurementValue));
        FieldRules.require(FieldRules.ANOMALY, FieldRules.descriptionProblem(anomaly));
    }
}
