package io.anomalyflow.events;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The wire contract's field rules, in one place, so that the records' compact constructors
 * ({@link IllegalArgumentException}) and the codec ({@link InvalidEventException}) say exactly the
 * same thing about the same value.
 *
 * <p>Each {@code *Problem} method returns {@code null} when the value is acceptable, or a short
 * description of what is wrong with it (without the field name: the caller adds that).
 */
final class FieldRules {

    static final String ID = "id";
    static final String TIMESTAMP = "timestamp";
    static final String DEVICE_ID = "deviceId";
    static final String MEASUREMENT_VALUE = "measurementValue";
    static final String SEQ = "seq";
    static final String ANOMALY = "anomaly";
    /** Syntax errors, unknown fields, wrong document shape. */
    static final String JSON = "json";
    /** The body as a whole: empty, not UTF-8, content after the document. */
    static final String BODY = "body";

    /** Longest {@code id} and {@code deviceId}: short enough to be a NATS message id and a map key. */
    static final int MAX_NAME_LENGTH = 64;
    /** Longest anomaly description: ours are ~20 characters; anything near this is not ours. */
    static final int MAX_DESCRIPTION_LENGTH = 1024;

    private static final String NAME_RULE =
            "must be 1-" + MAX_NAME_LENGTH + " characters of A-Z a-z 0-9 _ . : -";

    private FieldRules() {
    }

    /** {@code id} is optional: null means "absent". */
    static String idProblem(String id) {
        return id == null ? null : nameProblem(id);
    }

    static String deviceIdProblem(String deviceId) {
        return deviceId == null ? "required" : nameProblem(deviceId);
    }

    static String timestampProblem(Instant timestamp) {
        return timestamp == null ? null : Timestamps.problem(timestamp);
    }

    static String valueProblem(BigDecimal value) {
        return value == null ? "required" : Decimals.problem(value);
    }

    static String seqProblem(long seq) {
        return seq >= 0 ? null : "must not be negative (got " + seq + ")";
    }

    static String descriptionProblem(String description) {
        if (description == null) {
            return "required";
        }
        return description.length() <= MAX_DESCRIPTION_LENGTH ? null
                : "must be at most " + MAX_DESCRIPTION_LENGTH + " characters (got " + description.length() + ")";
    }

    /** Throws the records' {@link IllegalArgumentException} when {@code problem} is not null. */
    static void require(String field, String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(field + ": " + problem);
        }
    }

    /**
     * ASCII ranges written out on purpose: {@link Character#isLetterOrDigit} would let full-width
     * digits, Arabic-Indic digits and other look-alikes through.
     */
    private static String nameProblem(String s) {
        int length = s.length();
        if (length == 0 || length > MAX_NAME_LENGTH) {
            return NAME_RULE + " (got " + length + " characters)";
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '-';
            if (!allowed) {
                // Name the code point, never echo it: it may be an RTL override, a control
                // character or markup, and this message ends up in HTTP bodies and logs.
                return NAME_RULE + " (got " + SafeText.codePoint(s.codePointAt(i)) + " at position " + (i + 1) + ")";
            }
        }
        return null;
    }
}
