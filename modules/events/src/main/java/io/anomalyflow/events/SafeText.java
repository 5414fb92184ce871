package io.anomalyflow.events;

/**
 * Makes untrusted text safe to put into an error message: error messages go into HTTP response
 * bodies, logs and terminals, so they carry only printable ASCII, never markup or control
 * characters, and never more than a few dozen characters of what the caller sent.
 */
final class SafeText {

    private SafeText() {
    }

    /** {@code U+202E}: how a character we refuse is named in messages. */
    static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }

    /** The text in double quotes, escaped and cut as {@link #sanitize} does. */
    static String quote(String text, int max) {
        return escape(new StringBuilder().append('"'), text, max, "\"").toString();
    }

    /** Jackson's messages can quote input: keep their first line, escaped and cut after {@code max}. */
    static String sanitize(String message, int max) {
        if (message == null || message.isBlank()) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        String firstLine = (newline >= 0 ? message.substring(0, newline) : message).strip();
        return escape(new StringBuilder(), firstLine, max, "").toString();
    }

    /**
     * Appends {@code text} with every character outside printable ASCII, and {@code " \ < > &},
     * written as {@code \}{@code uXXXX}; past {@code max} characters, says how long it was instead.
     */
    private static StringBuilder escape(StringBuilder out, String text, int max, String close) {
        int shown = Math.min(text.length(), max);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        out.append(close);
        if (text.length() > max) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out;
    }
}
