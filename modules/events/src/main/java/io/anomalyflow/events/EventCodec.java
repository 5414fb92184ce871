package io.anomalyflow.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON for {@link Measurement} and {@link Anomaly}, on Jackson's streaming parser and generator
 * (no data binding, no reflection). Immutable and thread-safe: build one with {@link #create()}
 * and share it.
 *
 * <p><b>Reading</b> follows the wire contract ({@code docs/architecture.md}); see {@link Measurement} for the field
 * rules. Every decode method either returns valid records or throws
 * {@link InvalidEventException} naming the field (and batch position); no other exception
 * escapes for any input. Decisions the contract leaves open:
 * <ul>
 *   <li>Unknown fields are refused, as are repeated fields: a typo such as {@code "timestmap"}
 *       would otherwise be silently replaced by the receipt time.</li>
 *   <li>{@code id} or {@code timestamp} set to JSON {@code null} means absent.</li>
 *   <li>Nothing is coerced: {@code "12.5"} is not a number, {@code 7} is not a device id.</li>
 *   <li>Whitespace after the document is fine, anything else is refused.</li>
 *   <li>A UTF-8 byte order mark is skipped at the start of a body, refused elsewhere; bodies
 *       in other encodings are refused.</li>
 *   <li>Arrays: {@code []} decodes to an empty list; errors say {@code item N:} (1-based).</li>
 *   <li>NDJSON: lines end with {@code \n} or {@code \r\n}; blank lines are skipped; errors say
 *       {@code line N:} counting physical lines from 1; a body with no measurement at all is
 *       refused ({@code body: empty}).</li>
 *   <li>Limits against hostile input (Jackson {@link StreamReadConstraints}): nesting depth
 *       16, numbers 400 characters, strings 4096, field names 256 (each past it is refused
 *       naming the field being read). Body size is the
 *       caller's limit (the gateway's 1 MiB).</li>
 * </ul>
 *
 * <p><b>Writing</b>: compact JSON in the order {@code id, timestamp, deviceId, measurementValue}
 * ({@code seq, timestamp, deviceId, measurementValue, anomaly} for anomalies), absent {@code id}
 * and null {@code timestamp} left out, timestamps in UTC with {@code Z}
 * ({@code 2026-11-26T12:00:00.123Z}). Values are written as they were sent ({@code 12.50} stays
 * {@code 12.50}, {@code 1.5e1} is {@code 15}) and plainly unless that would add more than 20
 * zeros to the digits, when JSON's scientific form is used ({@code 1e21} is {@code 1E+21},
 * {@code 1e-300} is {@code 1E-300}). Decoding what was encoded gives back a numerically equal
 * value, and encoding that again gives the same bytes. Output never contains a raw line break,
 * so it fits on an SSE {@code data:} line or an NDJSON line.
 */
public final class EventCodec {

    static final int MAX_DEPTH = 16;
    static final int MAX_NUMBER_LENGTH = 400;
    static final int MAX_STRING_LENGTH = 4096;
    static final int MAX_FIELD_NAME_LENGTH = 256;
    /** Buffer sets kept for reuse; a parse or write holds one for a microsecond or so. */
    static final int RECYCLER_POOL_SIZE = 64;

    /** Thread-safe once configured; parsers and generators are created per call. */
    private final JsonFactory factory;

    private EventCodec(JsonFactory factory) {
        this.factory = factory;
    }

    /** A codec with the limits above. */
    public static EventCodec create() {
        var constraints = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNameLength(MAX_FIELD_NAME_LENGTH)
                .build();
        var factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                // Jackson's own messages must not quote the input back (SafeText sanitizes what is left)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // names from the outside must not reach String.intern(); canonicalizing stays on
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                // Jackson's default pool keeps buffers per thread, useless with a virtual thread per
                // request (each parser and generator would allocate ~20 KB anew): share a small pool.
                .recyclerPool(JsonRecyclerPools.newBoundedPool(RECYCLER_POOL_SIZE))
                .build();
        return new EventCodec(factory);
    }

    /** One measurement: a JSON object. */
    public Measurement decodeMeasurement(byte[] json) throws InvalidEventException {
        return document(json, EventReader::measurement);
    }

    /** A JSON array of measurement objects; may be empty. Errors name the 1-based item. */
    public List<Measurement> decodeArray(byte[] json) throws InvalidEventException {
        return document(json, EventReader::measurements);
    }

    /** One measurement object per line; blank lines skipped; errors name the 1-based physical line. */
    public List<Measurement> decodeNdjson(byte[] body) throws InvalidEventException {
        if (body == null || body.length == 0) {
            throw new InvalidEventException(FieldRules.BODY, "empty");
        }
        var measurements = new ArrayList<Measurement>();
        int line = 1;
        for (int from = BodyBytes.contentStart(body); from <= body.length; line++) {
            int end = BodyBytes.lineEnd(body, from);
            int to = end > from && body[end - 1] == '\r' ? end - 1 : end;
            if (!BodyBytes.blank(body, from, to)) {
                measurements.add(read(body, from, to, line, EventReader::measurement));
            }
            from = end + 1;
        }
        if (measurements.isEmpty()) {
            throw new InvalidEventException(FieldRules.BODY, "empty (no measurement on any line)");
        }
        return measurements;
    }

    /** One anomaly, as {@link #encode(Anomaly)} writes it. */
    public Anomaly decodeAnomaly(byte[] json) throws InvalidEventException {
        return document(json, EventReader::anomaly);
    }

    public byte[] encode(Measurement m) {
        return write(g -> {
            if (m.id() != null) {
                g.writeStringField(FieldRules.ID, m.id());
            }
            writeCommon(g, m.timestamp(), m.deviceId(), m.measurementValue());
        });
    }

    public byte[] encode(Anomaly a) {
        return write(g -> {
            g.writeNumberField(FieldRules.SEQ, a.seq());
            writeCommon(g, a.timestamp(), a.deviceId(), a.measurementValue());
            g.writeStringField(FieldRules.ANOMALY, a.anomaly());
        });
    }

    /** {@link #encode(Anomaly)} as a String, e.g. for SSE {@code data:} lines. */
    public String toJson(Anomaly a) {
        return new String(encode(a), StandardCharsets.UTF_8);
    }

    private <T> T document(byte[] body, Item<T> item) throws InvalidEventException {
        if (body == null || body.length == 0) {
            throw new InvalidEventException(FieldRules.BODY, "empty");
        }
        return read(body, BodyBytes.contentStart(body), body.length, 0, item);
    }

    /** Reads exactly one document from {@code body[from, to)}; anything else is an InvalidEventException. */
    private <T> T read(byte[] body, int from, int to, int line, Item<T> item) throws InvalidEventException {
        String problem = BodyBytes.encodingProblem(body, from, to);
        if (problem != null) {
            throw new InvalidEventException(FieldRules.BODY, line, InvalidEventException.Unit.LINE, problem, null);
        }
        EventReader reader = null;
        try (JsonParser parser = factory.createParser(body, from, to - from)) {
            reader = new EventReader(parser, line);
            T value = item.read(reader);
            reader.expectEnd();
            return value;
        } catch (IOException | RuntimeException e) {
            // RuntimeException too: a parser bug or an unforeseen input must still be a 400, not a 500
            throw reader != null ? reader.failure(e)
                    : new InvalidEventException(FieldRules.BODY, line, InvalidEventException.Unit.LINE,
                            "unreadable (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static void writeCommon(JsonGenerator g, Instant timestamp, String deviceId, BigDecimal value)
            throws IOException {
        if (timestamp != null) {
            g.writeStringField(FieldRules.TIMESTAMP, Timestamps.format(timestamp));
        }
        g.writeStringField(FieldRules.DEVICE_ID, deviceId);
        g.writeFieldName(FieldRules.MEASUREMENT_VALUE);
        g.writeNumber(Decimals.toJson(value)); // our text, not Jackson's BigDecimal formatting
    }

    private byte[] write(Body body) {
        try (var out = new ByteArrayBuilder(128)) {
            try (JsonGenerator g = factory.createGenerator(out)) {
                g.writeStartObject();
                body.write(g);
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
    }

    @FunctionalInterface
    private interface Item<T> {
        T read(EventReader reader) throws IOException, InvalidEventException;
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }
}
