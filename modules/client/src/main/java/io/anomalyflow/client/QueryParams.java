package io.anomalyflow.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query string of a request, decoded (UTF-8, {@code +} is a space) and checked against the
 * parameters an endpoint knows. A typo such as {@code deviceid=7} would otherwise silently list
 * every device, so an unknown or repeated parameter is an error that names it.
 */
final class QueryParams {
    /** A query the endpoint cannot take; the message names the parameter and is safe to send back. */
    static final class BadQueryException extends Exception {
        BadQueryException(String message) {
            super(message, null, false, false); // expected control flow: no stack trace
        }
    }

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code rawQuery} (as {@link java.net.URI#getRawQuery()} gives it, may be null).
     *
     * @throws BadQueryException for an unknown or repeated parameter, or broken percent-encoding
     */
    static QueryParams parse(String rawQuery, Set<String> known) throws BadQueryException {
        var values = new LinkedHashMap<String, String>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (var pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                var name = decode(eq < 0 ? pair : pair.substring(0, eq), "a parameter name");
                var value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
                if (!known.contains(name)) {
                    throw new BadQueryException("unknown parameter " + quote(name) + "; this endpoint takes "
                            + String.join(", ", known.stream().sorted().toList()));
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw new BadQueryException(name + ": given more than once");
                }
            }
        }
        return new QueryParams(values);
    }

    /** The value of {@code name}, empty when absent or given empty ({@code deviceId=} means "all"). */
    Optional<String> get(String name) {
        var value = values.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * A whole number in {@code [min, max]}, or {@code fallback} when absent.
     *
     * @throws BadQueryException naming {@code name} and the bad value
     */
    int intValue(String name, int fallback, int min, int max) throws BadQueryException {
        var text = get(name);
        if (text.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw new BadQueryException(name + ": not a whole number: " + quote(text.get()));
        }
        if (value < min || value > max) {
            throw new BadQueryException(name + ": must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    private static String decode(String raw, String what) throws BadQueryException {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadQueryException("broken percent-encoding in " + what);
        }
    }

    /**
     * The value quoted for an error message: at most 40 characters, and only printable ASCII without
     * markup characters (error bodies are JSON-escaped anyway; this also keeps logs readable).
     */
    static String quote(String value) {
        var out = new StringBuilder("\"");
        int n = Math.min(value.length(), 40);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
            out.append(plain ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.append(value.length() > n ? "\"…" : "\"").toString();
    }
}
