package io.anomalyflow.app;

/**
 * The little JSON the plumbing writes itself (error bodies, small replies), so app-support needs no
 * JSON library.
 *
 * <p>{@link #quote} escapes everything RFC 8259 requires ({@code "}, {@code \}, U+0000–U+001F) and,
 * so that an echoed value can never become markup or script when a browser shows the reply, also
 * {@code < > &}, U+2028/U+2029 (line breaks in JavaScript) and lone surrogates (which would not
 * survive UTF-8 encoding).
 */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** {@code s} as a JSON string literal, quotes included; {@code null} becomes {@code null}. */
    public static String quote(CharSequence s) {
        if (s == null) {
            return "null";
        }
        var sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029'
                            || c == 0x7f || isLoneSurrogate(s, i)) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** {@code {"error":"<message>"}}: the body of every error reply. */
    public static String error(String message) {
        return "{\"error\":" + quote(message) + "}";
    }

    private static boolean isLoneSurrogate(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
    }
}
