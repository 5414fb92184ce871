package io.anomalyflow.events;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one document from one Jackson parser, token by token, for one decode call (not
 * thread-safe, never shared). It remembers which field it is reading and which batch position,
 * so that any failure, ours or Jackson's, becomes an {@link InvalidEventException} naming both.
 *
 * <p>Objects are read strictly: unknown fields and repeated fields are refused (so a typo such
 * as {@code "timestmap"} is reported instead of silently replaced by the receipt time), types are
 * never coerced, and each value is checked as soon as it is read.
 */
final class EventReader {

    private static final String MEASUREMENT_FIELDS = "id, timestamp, deviceId, measurementValue";
    private static final String ANOMALY_FIELDS = "seq, timestamp, deviceId, measurementValue, anomaly";

    private final JsonParser parser;
    /** The NDJSON line of this document, or 0. */
    private final int line;
    /** What an error right now is about; a field name while its value is read. */
    private String field = Fields.JSON;
    /** The last field whose value was read completely, to tell where a failure happened. */
    private String lastField;
    /** The array item being read, for errors in {@link #measurements()}. */
    private int item;

    EventReader(JsonParser parser, int line) {
        this.parser = parser;
        this.line = line;
    }

    /** The first token of the document, which must open an object. */
    Measurement measurement() throws IOException, InvalidEventException {
        expectStart(JsonToken.START_OBJECT, "a JSON object (one measurement)");
        return readMeasurement();
    }

    Anomaly anomaly() throws IOException, InvalidEventException {
        expectStart(JsonToken.START_OBJECT, "a JSON object (one anomaly)");
        lastField = null;
        String deviceId = null, description = null;
        Instant timestamp = null;
        BigDecimal value = null;
        long seq = -1;
        int seen = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            switch (name(t)) {
                case Fields.SEQ -> { seen = enter(seen, 1, Fields.SEQ); seq = seq(parser.nextToken()); check(Fields.SEQ, Fields.seqProblem(seq)); }
                case Fields.TIMESTAMP -> { seen = enter(seen, 2, Fields.TIMESTAMP); timestamp = timestamp(parser.nextToken()); }
                case Fields.DEVICE_ID -> { seen = enter(seen, 4, Fields.DEVICE_ID); deviceId = text(parser.nextToken(), false); check(Fields.DEVICE_ID, Fields.deviceIdProblem(deviceId)); }
                case Fields.MEASUREMENT_VALUE -> { seen = enter(seen, 8, Fields.MEASUREMENT_VALUE); value = number(parser.nextToken()); check(Fields.MEASUREMENT_VALUE, Fields.valueProblem(value)); }
                case Fields.ANOMALY -> { seen = enter(seen, 16, Fields.ANOMALY); description = text(parser.nextToken(), false); check(Fields.ANOMALY, Fields.descriptionProblem(description)); }
                default -> throw unknownField(ANOMALY_FIELDS);
            }
            lastField = field;
            field = Fields.JSON;
        }
        check(Fields.SEQ, (seen & 1) == 0 ? "required" : null);
        check(Fields.DEVICE_ID, Fields.deviceIdProblem(deviceId));
        check(Fields.MEASUREMENT_VALUE, Fields.valueProblem(value));
        check(Fields.ANOMALY, Fields.descriptionProblem(description));
        return new Anomaly(seq, timestamp, deviceId, value, description);
    }

    /** A JSON array of measurement objects; errors name the 1-based item. */
    List<Measurement> measurements() throws IOException, InvalidEventException {
        expectStart(JsonToken.START_ARRAY, "a JSON array of measurements");
        var list = new ArrayList<Measurement>();
        while (true) {
            // set before reading on: a bad separator before an item is reported at that item
            item = list.size() + 1;
            lastField = null;
            JsonToken t = parser.nextToken();
            if (t == JsonToken.END_ARRAY) {
                break;
            }
            if (t != JsonToken.START_OBJECT) {
                throw invalid(Fields.JSON, "expected a JSON object (one measurement), got " + describe(t));
            }
            list.add(readMeasurement());
        }
        item = 0;
        return list;
    }

    /** After the document only whitespace may follow. */
    void expectEnd() throws IOException, InvalidEventException {
        field = Fields.BODY;
        if (parser.nextToken() != null) {
            throw invalid(Fields.BODY, "unexpected content after the JSON document");
        }
    }

    /** Any exception from Jackson or the JDK while reading, as an InvalidEventException naming the field. */
    InvalidEventException failure(Exception e) {
        if (field.equals(Fields.JSON)) {
            field = valueBeingRead();
        }
        // what the failure is about, for the reader of the message
        String what = field.equals(Fields.BODY) ? "unexpected content after the JSON document: "
                : field.equals(Fields.JSON) && lastField != null ? "malformed JSON: after the value of " + lastField + ": "
                : "malformed JSON: ";
        if (e instanceof StreamConstraintsException c) {
            return invalid(field, "input over a safety limit: " + Texts.sanitize(c.getOriginalMessage(), 160), e);
        }
        if (truncated(e)) {
            return invalid(field, "malformed JSON: unexpected end of input (truncated?)" + at(e), e);
        }
        if (e instanceof JsonProcessingException j) {
            return invalid(field, what + Texts.sanitize(j.getOriginalMessage(), 160) + at(e), e);
        }
        if (e instanceof NumberFormatException) { // e.g. an exponent beyond int range: 1e99999999999
            return invalid(field, what + "number out of range", e);
        }
        return invalid(field, what + "unreadable (" + e.getClass().getSimpleName() + ")", e);
    }

    /**
     * Jackson reads a field's name and its value's token in one {@code nextToken()}, so a malformed
     * number fails before we see the name. The parsing context knows it already: if it holds one
     * of our names other than the field just completed, the failure is in that field's value.
     */
    private String valueBeingRead() {
        String name = parser.getParsingContext().getCurrentName();
        if (name == null || name.equals(lastField)) {
            return Fields.JSON;
        }
        return switch (name) {
            case Fields.ID, Fields.TIMESTAMP, Fields.DEVICE_ID, Fields.MEASUREMENT_VALUE, Fields.SEQ, Fields.ANOMALY -> name;
            default -> Fields.JSON;
        };
    }

    private Measurement readMeasurement() throws IOException, InvalidEventException {
        lastField = null;
        String id = null, deviceId = null;
        Instant timestamp = null;
        BigDecimal value = null;
        int seen = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            switch (name(t)) {
                case Fields.ID -> { seen = enter(seen, 1, Fields.ID); id = text(parser.nextToken(), true); check(Fields.ID, Fields.idProblem(id)); }
                case Fields.TIMESTAMP -> { seen = enter(seen, 2, Fields.TIMESTAMP); timestamp = timestamp(parser.nextToken()); }
                case Fields.DEVICE_ID -> { seen = enter(seen, 4, Fields.DEVICE_ID); deviceId = text(parser.nextToken(), false); check(Fields.DEVICE_ID, Fields.deviceIdProblem(deviceId)); }
                case Fields.MEASUREMENT_VALUE -> { seen = enter(seen, 8, Fields.MEASUREMENT_VALUE); value = number(parser.nextToken()); check(Fields.MEASUREMENT_VALUE, Fields.valueProblem(value)); }
                default -> throw unknownField(MEASUREMENT_FIELDS);
            }
            lastField = field;
            field = Fields.JSON;
        }
        check(Fields.DEVICE_ID, Fields.deviceIdProblem(deviceId));
        check(Fields.MEASUREMENT_VALUE, Fields.valueProblem(value));
        return new Measurement(id, timestamp, deviceId, value);
    }

    private void expectStart(JsonToken expected, String what) throws IOException, InvalidEventException {
        JsonToken t = parser.nextToken();
        if (t == null) {
            throw invalid(Fields.BODY, "empty");
        }
        if (t != expected) {
            throw invalid(Fields.JSON, "expected " + what + ", got " + describe(t));
        }
    }

    /** Inside an object Jackson yields a field name or the object's end, or throws (EOF, bad syntax). */
    private String name(JsonToken t) throws IOException, InvalidEventException {
        if (t != JsonToken.FIELD_NAME) {
            throw invalid(Fields.JSON, "malformed JSON: expected a field name, got " + (t == null ? "the end of input" : describe(t)));
        }
        return parser.currentName();
    }

    /** Marks {@code name} as seen (refusing a repeat) and makes it the field errors are about. */
    private int enter(int seen, int bit, String name) throws InvalidEventException {
        if ((seen & bit) != 0) {
            throw invalid(name, "duplicate field");
        }
        field = name;
        return seen | bit;
    }

    private InvalidEventException unknownField(String known) throws IOException {
        return invalid(Fields.JSON, "unknown field " + Texts.quote(parser.currentName(), 40) + " (fields are " + known + ")");
    }

    private String text(JsonToken t, boolean optional) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (t == JsonToken.VALUE_NULL && optional) {
            return null;
        }
        throw invalid(field, t == JsonToken.VALUE_NULL ? "required (got null)" : "must be a string, got " + describe(t));
    }

    private BigDecimal number(JsonToken t) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDecimalValue(); // the decimal as written: 12.50 stays 12.50
        }
        if (t == JsonToken.VALUE_STRING) {
            throw invalid(field, "must be a JSON number, not a string (got " + Texts.quote(parser.getText(), 40) + ")");
        }
        throw invalid(field, t == JsonToken.VALUE_NULL ? "required (got null)" : "must be a JSON number, got " + describe(t));
    }

    private Instant timestamp(JsonToken t) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw invalid(field, Timestamps.EXPECTED + " (a string), got " + describe(t));
        }
        String text = parser.getText();
        Instant instant = Timestamps.parse(text);
        if (instant == null) {
            throw invalid(field, Timestamps.EXPECTED + " (got " + Texts.quote(text, 40) + ")");
        }
        check(field, Timestamps.problem(instant));
        return instant;
    }

    private long seq(JsonToken t) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        throw invalid(field, "must be an integer from 0 to " + Long.MAX_VALUE + ", got " + describe(t));
    }

    private void check(String name, String problem) throws InvalidEventException {
        if (problem != null) {
            throw invalid(name, problem);
        }
    }

    private InvalidEventException invalid(String name, String detail) {
        return invalid(name, detail, null);
    }

    private InvalidEventException invalid(String name, String detail, Throwable cause) {
        return item > 0
                ? new InvalidEventException(name, item, InvalidEventException.Unit.ITEM, detail, cause)
                : new InvalidEventException(name, line, InvalidEventException.Unit.LINE, detail, cause);
    }

    /** Jackson reports a cut-off document as JsonEOFException, or between entries as a plain parse error. */
    private static boolean truncated(Exception e) {
        return e instanceof JsonEOFException || e instanceof JsonProcessingException j
                && j.getOriginalMessage() != null && j.getOriginalMessage().startsWith("Unexpected end-of-input");
    }

    private static String at(Exception e) {
        JsonLocation l = e instanceof JsonProcessingException j ? j.getLocation() : null;
        if (l == null || l.getColumnNr() < 1) {
            return "";
        }
        return l.getLineNr() > 1 ? " (at line " + l.getLineNr() + ", column " + l.getColumnNr() + ")"
                : " (at column " + l.getColumnNr() + ")";
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> t.asString() != null ? Texts.quote(t.asString(), 10) : t.name();
        };
    }
}
