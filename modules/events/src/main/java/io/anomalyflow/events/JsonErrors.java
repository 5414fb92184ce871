package io.anomalyflow.events;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * Words for what went wrong while reading JSON: Jackson's exceptions as short, safe details
 * (see {@link SafeText}) and tokens as the kind of value a person would name.
 */
final class JsonErrors {

    /** Jackson's messages are cut here: enough to say what it saw, not a paragraph. */
    private static final int MAX_JACKSON_MESSAGE = 160;

    private JsonErrors() {
    }

    /**
     * The detail for an exception thrown while reading.
     *
     * @param lead what the failure is about, e.g. {@code "malformed JSON: "}
     */
    static String detail(Exception e, String lead) {
        if (e instanceof StreamConstraintsException c) {
            return "input over a safety limit: " + SafeText.sanitize(c.getOriginalMessage(), MAX_JACKSON_MESSAGE);
        }
        if (truncated(e)) {
            return "malformed JSON: unexpected end of input (truncated?)" + at(e);
        }
        if (e instanceof JsonProcessingException j) {
            return lead + SafeText.sanitize(j.getOriginalMessage(), MAX_JACKSON_MESSAGE) + at(e);
        }
        if (e instanceof NumberFormatException) { // e.g. an exponent beyond int range: 1e99999999999
            return lead + "number out of range";
        }
        // the codec's safety net: a RuntimeException from the parser must still be "bad input"
        return lead + "unreadable (" + e.getClass().getSimpleName() + ")";
    }

    /** {@code "a number"}, {@code "an array"}, …: what the sender put where something else belonged. */
    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of input";
        }
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> t.asString() != null ? SafeText.quote(t.asString(), 10) : t.name();
        };
    }

    /** Jackson reports a cut-off document as JsonEOFException, or between entries as a plain parse error. */
    private static boolean truncated(Exception e) {
        return e instanceof JsonEOFException || e instanceof JsonProcessingException j
                && j.getOriginalMessage() != null && j.getOriginalMessage().startsWith("Unexpected end-of-input");
    }

    /** Where in the document (one NDJSON line, or the whole body for the others). */
    private static String at(Exception e) {
        JsonLocation l = e instanceof JsonProcessingException j ? j.getLocation() : null;
        if (l == null || l.getColumnNr() < 1) {
            return "";
        }
        return l.getLineNr() > 1 ? " (at line " + l.getLineNr() + ", column " + l.getColumnNr() + ")"
                : " (at column " + l.getColumnNr() + ")";
    }
}
