package io.anomalyflow.events;

import java.util.Objects;

/**
 * Input that is not a valid event: malformed JSON, a wrong type, a value outside the wire
 * contract, or a body that is empty or not UTF-8. Checked on purpose: every caller that reads
 * bytes from outside must decide what bad input means for it (a 400, a skipped and counted
 * message, …).
 *
 * <p>{@link #getMessage()} reads {@code [line N: | item N: ]field: detail}, for example
 * {@code line 3: deviceId: must be 1-64 characters of A-Z a-z 0-9 _ . : - (got 70 characters)}.
 * It is safe to show to the sender: it holds printable ASCII only and quotes at most a few dozen
 * characters of the input, with markup and control characters escaped.
 *
 * <p>Validation failures are expected control flow on a public endpoint, so the exception does
 * not fill in a stack trace (cheap under a flood of bad requests); the message says everything.
 */
public final class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How {@link #line()} is named in the message: a physical line (NDJSON) or an array item. */
    enum Unit {
        LINE("line"), ITEM("item");

        private final String word;

        Unit(String word) {
            this.word = word;
        }
    }

    private final String field;
    private final int line;
    private final String detail;

    /**
     * An error about one whole document (line 0).
     *
     * @param field  the field at fault ({@code deviceId}, …) or {@code body}/{@code json}
     * @param detail what is wrong, without the field name
     */
    public InvalidEventException(String field, String detail) {
        this(field, 0, null, detail, null);
    }

    InvalidEventException(String field, int line, Unit unit, String detail, Throwable cause) {
        super(message(field, line, unit, detail), cause, false, false);
        this.field = Objects.requireNonNull(field, "field");
        this.line = line;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    private static String message(String field, int line, Unit unit, String detail) {
        String where = line > 0 && unit != null ? unit.word + " " + line + ": " : "";
        return where + field + ": " + detail;
    }

    /**
     * The field at fault: {@code id}, {@code timestamp}, {@code deviceId}, {@code measurementValue}
     * (and {@code seq}, {@code anomaly} for anomalies); {@code json} for syntax errors, unknown
     * fields and a document of the wrong shape; {@code body} for an empty body, a body that is
     * not UTF-8, or content after the document.
     */
    public String field() {
        return field;
    }

    /**
     * 1-based position in a batch: the array item for {@link EventCodec#decodeArray}, the physical
     * line for {@link EventCodec#decodeNdjson}; 0 for a single document or the batch as a whole.
     */
    public int line() {
        return line;
    }

    /** What is wrong, without the position and field prefix. */
    public String detail() {
        return detail;
    }
}
