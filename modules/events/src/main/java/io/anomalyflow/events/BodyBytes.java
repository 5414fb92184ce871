package io.anomalyflow.events;

/**
 * Byte-level checks on a request body before Jackson sees it.
 *
 * <p>Jackson guesses the encoding of a byte array (UTF-16 and UTF-32 from zero bytes or a byte
 * order mark) and skips a UTF-8 byte order mark wherever a slice starts. JSON on the wire is
 * UTF-8 (RFC 8259, section 8.1), and NDJSON is cut into lines at {@code '\n'} bytes, which only works in
 * UTF-8; so a body whose first two bytes include a zero byte, or that starts with a UTF-16 byte
 * order mark, is refused. One UTF-8 byte order mark at the very start of a body is skipped (RFC
 * 8259 lets parsers ignore it); one anywhere else is refused.
 */
final class BodyBytes {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private BodyBytes() {
    }

    /** Where the content of a whole body starts: 0, or 3 after a UTF-8 byte order mark. */
    static int contentStart(byte[] body) {
        return startsWith(body, 0, body.length, BOM) ? BOM.length : 0;
    }

    /** The reason Jackson must not read {@code body[from, to)}, or null when it may. */
    static String encodingProblem(byte[] body, int from, int to) {
        int length = to - from;
        if (length >= 1 && body[from] == 0 || length >= 2 && body[from + 1] == 0
                || startsWith(body, from, to, (byte) 0xFE, (byte) 0xFF)
                || startsWith(body, from, to, (byte) 0xFF, (byte) 0xFE)) {
            return "must be UTF-8 encoded JSON";
        }
        if (startsWith(body, from, to, BOM)) {
            return "unexpected byte order mark (allowed only at the very start of the body)";
        }
        return null;
    }

    /** Whether {@code body[from, to)} holds only spaces, tabs and carriage returns. */
    static boolean blank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The index of the next {@code '\n'} at or after {@code from}, or {@code body.length}. */
    static int lineEnd(byte[] body, int from) {
        int i = from;
        while (i < body.length && body[i] != '\n') {
            i++;
        }
        return i;
    }

    private static boolean startsWith(byte[] body, int from, int to, byte... prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
