package io.anomalyflow.client;

import io.anomalyflow.events.Measurement;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Checks a deviceId taken from a URL against the wire contract (1–64 characters of
 * {@code A–Z a–z 0–9 _ . : -}). The rule lives in the events module; rather than copy it, this asks
 * {@link Measurement}'s constructor, whose message names the field and never echoes a bad character.
 */
final class DeviceIds {
    private DeviceIds() {
    }

    /**
     * The deviceId a request asked for, or {@code null} for "every device".
     *
     * @throws QueryParams.BadQueryException when it is not a valid deviceId (the message names it)
     */
    static String checked(Optional<String> deviceId) throws QueryParams.BadQueryException {
        if (deviceId.isEmpty()) {
            return null;
        }
        var problem = problem(deviceId.get());
        if (problem.isPresent()) {
            throw new QueryParams.BadQueryException(problem.get());
        }
        return deviceId.get();
    }

    /** Empty when {@code deviceId} is valid, else the problem ("deviceId: must be …"). */
    static Optional<String> problem(String deviceId) {
        try {
            new Measurement(null, null, deviceId, BigDecimal.ZERO);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
