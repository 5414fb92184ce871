package io.anomalyflow.gateway;

import com.sun.net.httpserver.Headers;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.events.Measurement;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code POST /measurements} body holds: one measurement, or a batch (a JSON array, or
 * NDJSON lines). {@link #format} reads the content type; {@link #decode} validates the whole body
 * before anything is published, so a batch with one bad line stores nothing.
 */
sealed interface Payload {
    /** One JSON object: the reply carries its sequence number. */
    record Single(Measurement measurement) implements Payload {
    }

    /** An array or NDJSON: the reply carries counts and the sequence range. */
    record Batch(List<Measurement> measurements) implements Payload {
    }

    /** The body syntaxes the gateway reads. */
    enum Format { JSON, NDJSON }

    /**
     * The format named by {@code Content-Type}: none or {@code application/json} → JSON,
     * {@code application/x-ndjson} → NDJSON, anything else → 415. A {@code charset} other than
     * UTF-8 is refused too (JSON is UTF-8, RFC 8259), and so is any {@code Content-Encoding} but
     * {@code identity}: the gateway does not decompress.
     */
    static Format format(Headers headers) throws Rejection {
        var encodings = headers.get("Content-Encoding");
        if (encodings != null && encodings.stream().anyMatch(e -> !e.strip().equalsIgnoreCase("identity"))) {
            throw new Rejection(415, "Content-Encoding " + String.join(", ", encodings)
                    + " is not supported: send the body uncompressed");
        }
        var types = headers.get("Content-Type");
        if (types == null || types.isEmpty()) {
            return Format.JSON;
        }
        if (types.size() > 1) {
            throw new Rejection(400, "more than one Content-Type header");
        }
        var parts = types.get(0).split(";");
        var media = parts[0].strip().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            var param = parts[i].strip().toLowerCase(Locale.ROOT);
            if (param.startsWith("charset=") && !param.substring(8).replace("\"", "").equals("utf-8")) {
                throw new Rejection(415, "charset " + parts[i].strip().substring(8) + " is not supported: send UTF-8");
            }
        }
        return switch (media) {
            case "application/json", "" -> Format.JSON;
            case "application/x-ndjson" -> Format.NDJSON;
            default -> throw new Rejection(415, "Content-Type " + types.get(0)
                    + " is not supported: send application/json (one measurement or an array) or application/x-ndjson");
        };
    }

    /**
     * Decodes and validates the whole body. A JSON body starting with {@code [} is a batch,
     * anything else must be one object.
     *
     * @throws InvalidEventException naming the field and, in a batch, the line
     * @throws Rejection             400 for an empty body or an empty batch
     */
    static Payload decode(EventCodec codec, Format format, byte[] body) throws InvalidEventException, Rejection {
        int first = firstNonWhitespace(body);
        if (first < 0) {
            throw new Rejection(400, "empty body: send one measurement as a JSON object, an array of them, or NDJSON lines");
        }
        if (format == Format.NDJSON) {
            return batch(codec.decodeNdjson(body));
        }
        return body[first] == '[' ? batch(codec.decodeArray(body)) : new Single(codec.decodeMeasurement(body));
    }

    private static Batch batch(List<Measurement> measurements) throws Rejection {
        if (measurements.isEmpty()) {
            throw new Rejection(400, "empty batch: nothing to store");
        }
        return new Batch(measurements);
    }

    private static int firstNonWhitespace(byte[] body) {
        // a UTF-8 byte order mark at the start is skipped (the codec skips it too)
        int from = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        for (int i = from; i < body.length; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r' && body[i] != '\n') {
                return i;
            }
        }
        return -1;
    }
}
