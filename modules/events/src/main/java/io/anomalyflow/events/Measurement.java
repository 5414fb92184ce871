package io.anomalyflow.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One reading from one device, as it travels through the gateway, the stream and the client.
 * Field names are the workshop's and are the JSON names (see {@link EventCodec}).
 *
 * <p>Every instance satisfies the wire contract; the compact constructor refuses anything else
 * with an {@link IllegalArgumentException} whose message starts with the field name:
 * <ul>
 *   <li>{@code id}: null (absent) or 1-64 characters of {@code A-Z a-z 0-9 _ . : -}; it becomes
 *       the {@code Nats-Msg-Id}, so a retried POST is stored once.</li>
 *   <li>{@code timestamp}: null when absent (the gateway stamps the time of receipt, see
 *       {@link #withTimestamp}); otherwise within the years 0000-9999.</li>
 *   <li>{@code deviceId}: 1-64 characters of {@code A-Z a-z 0-9 _ . : -} (ASCII only).</li>
 *   <li>{@code measurementValue}: non-null, within a double's range
 *       ({@code |v| <= Double.MAX_VALUE}, and not so small that it rounds to 0 as a double),
 *       scale within &plusmn;1024. Kept
 *       exactly as sent: {@code 12.50} is not {@code 12.5} for {@code equals}; compare values with
 *       {@link BigDecimal#compareTo}.</li>
 * </ul>
 */
public record Measurement(String id, Instant timestamp, String deviceId, BigDecimal measurementValue) {

    public Measurement {
        FieldRules.require(FieldRules.ID, FieldRules.idProblem(id));
        FieldRules.require(FieldRules.TIMESTAMP, FieldRules.timestampProblem(timestamp));
        FieldRules.require(FieldRules.DEVICE_ID, FieldRules.deviceIdProblem(deviceId));
        FieldRules.require(FieldRules.MEASUREMENT_VALUE, FieldRules.valueProblem(measurementValue));
    }

    /** Whether the sender gave an id (and so the gateway can de-duplicate retries). */
    public boolean hasId() {
        return id != null;
    }

    /** This measurement with another timestamp (the gateway stamps receipt time on absent ones). */
    public Measurement withTimestamp(Instant timestamp) {
        return new Measurement(id, timestamp, deviceId, measurementValue);
    }
}
