package io.anomalyflow.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads one document from one Jackson parser, token by token, for one decode call (not
 * thread-safe, never shared). It remembers which field it is reading and which batch position,
 * so that any failure, ours or Jackson's, becomes an {@link InvalidEventException} naming both.
 *
 * <p>Objects are read strictly: unknown fields and repeated fields are refused (so a typo such
 * as {@code "timestmap"} is reported instead of silently replaced by the receipt time), types are
 * never coerced, and each value is checked by its {@link FieldRules} rule as soon as it is read.
 */
final class EventReader {

    private static final String MEASUREMENT_FIELDS = "id, timestamp, deviceId, measurementValue";
    private static final String ANOMALY_FIELDS = "seq, timestamp, deviceId, measurementValue, anomaly";

    private final JsonParser parser;
    /** The NDJSON line of this document, or 0. */
    private final int line;
    /** What an error right now is about; a field name while its value is read. */
    private String field = FieldRules.JSON;
    /** The last field of the current object whose value was read completely. */
    private String lastField;
    /** The fields of the current object seen so far, one bit each, to refuse repeats. */
    private int seen;
    /** The array item being read, for errors in {@link #measurements()}; 0 outside an array. */
    private int item;

    EventReader(JsonParser parser, int line) {
        this.parser = parser;
        this.line = line;
    }

    /** One measurement object. */
    Measurement measurement() throws IOException, InvalidEventException {
        expectStart(JsonToken.START_OBJECT, "a JSON object (one measurement)");
        return readMeasurement();
    }

    /** A JSON array of measurement objects; errors name the 1-based item. */
    List<Measurement> measurements() throws IOException, InvalidEventException {
        expectStart(JsonToken.START_ARRAY, "a JSON array of measurements");
        var list = new ArrayList<Measurement>();
        while (true) {
            // set before reading on: a bad separator before an item is reported at that item
            item = list.size() + 1;
            lastField = null; // belongs to the previous item
            JsonToken t = parser.nextToken();
            if (t == JsonToken.END_ARRAY) {
                break;
            }
            if (t != JsonToken.START_OBJECT) {
                throw invalid(FieldRules.JSON, "expected a JSON object (one measurement), got " + JsonErrors.describe(t));
            }
            list.add(readMeasurement());
        }
        item = 0;
        return list;
    }

    Anomaly anomaly() throws IOException, InvalidEventException {
        expectStart(JsonToken.START_OBJECT, "a JSON object (one anomaly)");
        startObject();
        String deviceId = null, description = null;
        Instant timestamp = null;
        BigDecimal value = null;
        Long seq = null;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            switch (name(t)) {
                case FieldRules.SEQ -> seq = checked(seq(enter(FieldRules.SEQ, 1)), FieldRules::seqProblem);
                case FieldRules.TIMESTAMP -> timestamp = timestamp(enter(FieldRules.TIMESTAMP, 2));
                case FieldRules.DEVICE_ID -> deviceId = checked(text(enter(FieldRules.DEVICE_ID, 4), false), FieldRules::deviceIdProblem);
                case FieldRules.MEASUREMENT_VALUE -> value = checked(number(enter(FieldRules.MEASUREMENT_VALUE, 8)), FieldRules::valueProblem);
                case FieldRules.ANOMALY -> description = checked(text(enter(FieldRules.ANOMALY, 16), false), FieldRules::descriptionProblem);
                default -> throw unknownField(ANOMALY_FIELDS);
            }
            leave();
        }
        check(FieldRules.SEQ, seq == null ? "required" : null);
        check(FieldRules.DEVICE_ID, FieldRules.deviceIdProblem(deviceId));
        check(FieldRules.MEASUREMENT_VALUE, FieldRules.valueProblem(value));
        check(FieldRules.ANOMALY, FieldRules.descriptionProblem(description));
        return new Anomaly(seq, timestamp, deviceId, value, description);
    }

    /** After the document only whitespace may follow. */
    void expectEnd() throws IOException, InvalidEventException {
        field = FieldRules.BODY;
        if (parser.nextToken() != null) {
            throw invalid(FieldRules.BODY, "unexpected content after the JSON document");
        }
    }

    /** Any exception from Jackson or the JDK while reading, as an InvalidEventException naming the field. */
    InvalidEventException failure(Exception e) {
        if (field.equals(FieldRules.JSON)) {
            field = valueBeingRead();
        }
        String lead = field.equals(FieldRules.BODY) ? "unexpected content after the JSON document: "
                : field.equals(FieldRules.JSON) && lastField != null ? "malformed JSON: after the value of " + lastField + ": "
                : "malformed JSON: ";
        return invalid(field, JsonErrors.detail(e, lead), e);
    }

    private Measurement readMeasurement() throws IOException, InvalidEventException {
        startObject();
        String id = null, deviceId = null;
        Instant timestamp = null;
        BigDecimal value = null;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            switch (name(t)) {
                case FieldRules.ID -> id = checked(text(enter(FieldRules.ID, 1), true), FieldRules::idProblem);
                case FieldRules.TIMESTAMP -> timestamp = timestamp(enter(FieldRules.TIMESTAMP, 2));
                case FieldRules.DEVICE_ID -> deviceId = checked(text(enter(FieldRules.DEVICE_ID, 4), false), FieldRules::deviceIdProblem);
                case FieldRules.MEASUREMENT_VALUE -> value = checked(number(enter(FieldRules.MEASUREMENT_VALUE, 8)), FieldRules::valueProblem);
                default -> throw unknownField(MEASUREMENT_FIELDS);
            }
            leave();
        }
        check(FieldRules.DEVICE_ID, FieldRules.deviceIdProblem(deviceId));
        check(FieldRules.MEASUREMENT_VALUE, FieldRules.valueProblem(value));
        return new Measurement(id, timestamp, deviceId, value);
    }

    private void expectStart(JsonToken expected, String what) throws IOException, InvalidEventException {
        JsonToken t = parser.nextToken();
        if (t == null) {
            throw invalid(FieldRules.BODY, "empty");
        }
        if (t != expected) {
            throw invalid(FieldRules.JSON, "expected " + what + ", got " + JsonErrors.describe(t));
        }
    }

    private void startObject() {
        seen = 0;
        lastField = null;
    }

    /** Inside an object Jackson yields a field name or the object's end, or throws (EOF, bad syntax). */
    private String name(JsonToken t) throws IOException, InvalidEventException {
        if (t != JsonToken.FIELD_NAME) {
            throw invalid(FieldRules.JSON, "malformed JSON: expected a field name, got " + JsonErrors.describe(t));
        }
        return parser.currentName();
    }

    /** Marks {@code name} as seen, refusing a repeat, makes errors name it, and reads its value's token. */
    private JsonToken enter(String name, int bit) throws IOException, InvalidEventException {
        if ((seen & bit) != 0) {
            throw invalid(name, "duplicate field");
        }
        seen |= bit;
        field = name;
        return parser.nextToken();
    }

    private void leave() {
        lastField = field;
        field = FieldRules.JSON;
    }

    /**
     * Jackson reads a field's name and its value's token in one {@code nextToken()}, so a malformed
     * number fails before we see the name. The parsing context knows it already: if it holds one
     * of our names other than the field just completed, the failure is in that field's value.
     */
    private String valueBeingRead() {
        String name = parser.getParsingContext().getCurrentName();
        if (name == null || name.equals(lastField)) {
            return FieldRules.JSON;
        }
        return switch (name) {
            case FieldRules.ID, FieldRules.TIMESTAMP, FieldRules.DEVICE_ID, FieldRules.MEASUREMENT_VALUE, FieldRules.SEQ, FieldRules.ANOMALY -> name;
            default -> FieldRules.JSON;
        };
    }

    private InvalidEventException unknownField(String known) throws IOException {
        return invalid(FieldRules.JSON, "unknown field " + SafeText.quote(parser.currentName(), 40) + " (fields are " + known + ")");
    }

    private String text(JsonToken t, boolean optional) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (t == JsonToken.VALUE_NULL && optional) {
            return null;
        }
        throw invalid(field, t == JsonToken.VALUE_NULL ? "required (got null)" : "must be a string, got " + JsonErrors.describe(t));
    }

    private BigDecimal number(JsonToken t) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDecimalValue(); // the decimal as written: 12.50 stays 12.50
        }
        if (t == JsonToken.VALUE_STRING) {
            throw invalid(field, "must be a JSON number, not a string (got " + SafeText.quote(parser.getText(), 40) + ")");
        }
        throw invalid(field, t == JsonToken.VALUE_NULL ? "required (got null)" : "must be a JSON number, got " + JsonErrors.describe(t));
    }

    private Instant timestamp(JsonToken t) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw invalid(field, Timestamps.EXPECTED + " (a string), got " + JsonErrors.describe(t));
        }
        String text = parser.getText();
        Instant instant = Timestamps.parse(text);
        if (instant == null) {
            throw invalid(field, Timestamps.EXPECTED + " (got " + SafeText.quote(text, 40) + ")");
        }
        return checked(instant, Timestamps::problem);
    }

    private long seq(JsonToken t) throws IOException, InvalidEventException {
        if (t == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        throw invalid(field, "must be an integer from 0 to " + Long.MAX_VALUE + ", got " + JsonErrors.describe(t));
    }

    /** {@code value} after its rule passed; the rule's complaint, naming the current field, otherwise. */
    private <T> T checked(T value, Function<T, String> rule) throws InvalidEventException {
        check(field, rule.apply(value));
        return value;
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
}
