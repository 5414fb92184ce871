package io.anomalyflow.sender;

import java.util.Objects;

/**
 * One HTTP request's worth of measurements, already encoded: a single JSON object
 * ({@code application/json}) or, for batches, NDJSON ({@code application/x-ndjson}, one
 * measurement per line). Retries send these exact bytes again, so ids never change between attempts.
 *
 * @param firstIndex the 0-based position of its first measurement in the run (drives rate pacing)
 * @param size how many measurements it carries (≥ 1)
 * @param contentType the {@code Content-Type} to send
 * @param body the encoded measurements; not copied, never modified after construction
 */
public record Payload(long firstIndex, int size, String contentType, byte[] body) {
    public static final String JSON = "application/json";
    public static final String NDJSON = "application/x-ndjson";

    public Payload {
        if (firstIndex < 0) {
            throw new IllegalArgumentException("firstIndex must be >= 0: " + firstIndex);
        }
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1: " + size);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }
}
