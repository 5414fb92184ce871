package io.anomalyflow.sender;

import io.anomalyflow.events.Measurement;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Emulates the workshop's devices: measurement {@code n} (1-based) of a run gets the id
 * {@code <runId>-<n>} (unique per run, the same on every retry), a device id drawn uniformly from
 * {@code "1"} … {@code "<devices>"}, a value drawn uniformly from {@code 0.00} … {@code 100.00} in
 * steps of 0.01, and the current time. With the default anomaly rule (value ≤ 20) that makes
 * 2 001 of 10 001 possible values anomalies: about one in five.
 *
 * <p>Not thread-safe on purpose: it is called from the Flow's map stage, whose {@code onNext} calls
 * are serial (§1.3), so the values follow the seed in order.
 */
final class MeasurementGenerator {
    /** Values are {@code k / 100} for {@code k} in {@code 0 … 10 000}. */
    static final int VALUE_STEPS = 10_001;

    private final String runId;
    private final int devices;
    private final RandomGenerator random;
    private final InstantSource clock;

    MeasurementGenerator(String runId, int devices, RandomGenerator random, InstantSource clock) {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be >= 1: " + devices);
        }
        this.runId = Objects.requireNonNull(runId, "runId");
        this.devices = devices;
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Measurement number {@code n} (1-based) of the run. */
    Measurement next(long n) {
        var deviceId = Integer.toString(1 + random.nextInt(devices));
        var value = BigDecimal.valueOf(random.nextInt(VALUE_STEPS), 2);
        return new Measurement(runId + "-" + n, clock.instant(), deviceId, value);
    }
}
