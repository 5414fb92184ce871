package io.anomalyflow.sender;

import io.anomalyflow.events.EventCodec;
import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Cuts a run of {@code count} measurements into requests of {@code batch}: request {@code i}
 * (0-based) carries measurements {@code i·batch + 1} … up to {@code count}. With {@code batch == 1}
 * each is one JSON object; otherwise NDJSON (one object per line, even for a short last batch, so the
 * gateway always answers a batch reply).
 */
final class PayloadFactory {
    private final MeasurementGenerator generator;
    private final EventCodec codec;
    private final int batch;
    private final long count;

    PayloadFactory(MeasurementGenerator generator, EventCodec codec, int batch, long count) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1: " + batch);
        }
        this.generator = Objects.requireNonNull(generator, "generator");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.batch = batch;
        this.count = count;
    }

    /** The payload of request {@code index} (0-based). */
    Payload payload(long index) {
        long first = index * batch;
        int size = (int) Math.min(batch, count - first);
        if (size < 1) {
            throw new IllegalArgumentException("request " + index + " is past the end of " + count + " measurements");
        }
        if (batch == 1) {
            return new Payload(first, 1, Payload.JSON, codec.encode(generator.next(first + 1)));
        }
        var body = new ByteArrayOutputStream(size * 128);
        for (int i = 1; i <= size; i++) {
            body.writeBytes(codec.encode(generator.next(first + i)));
            body.write('\n');
        }
        return new Payload(first, size, Payload.NDJSON, body.toByteArray());
    }
}
