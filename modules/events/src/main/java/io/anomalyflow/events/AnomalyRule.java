package io.anomalyflow.events;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * The workshop's anomaly test, {@code value.compareTo(threshold) < 1}: a value at or below the
 * threshold is an anomaly. Compared as decimals, never as doubles, so with the default threshold
 * 20 the value {@code 20} (or {@code 20.000}) is an anomaly and {@code 20.0001} is not.
 * Immutable and thread-safe.
 *
 * @param threshold non-null and within a double's range, like a measurement value
 */
public record AnomalyRule(BigDecimal threshold) {

    /** The workshop's rule: at or below 20. */
    public static final AnomalyRule DEFAULT = new AnomalyRule(BigDecimal.valueOf(20));

    private static final String DESCRIPTION = "Value too low ";

    public AnomalyRule {
        FieldRules.require("threshold", FieldRules.valueProblem(threshold));
    }

    public boolean isAnomaly(Measurement m) {
        return m.measurementValue().compareTo(threshold) <= 0;
    }

    /**
     * The anomaly for {@code m} at stream sequence {@code seq}, or empty when {@code m} is normal.
     * The description quotes the value as it is written on the wire ({@code "Value too low 12.50"}
     * for {@code 12.50}), never an expanded form of an extreme exponent.
     */
    public Optional<Anomaly> check(long seq, Measurement m) {
        Objects.requireNonNull(m, "m");
        if (!isAnomaly(m)) {
            return Optional.empty();
        }
        String value = Decimals.toJson(m.measurementValue());
        return Optional.of(new Anomaly(seq, m.timestamp(), m.deviceId(), m.measurementValue(), DESCRIPTION + value));
    }
}
