package io.anomalyflow.app;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The parsed values of an {@link Options} definition, read through typed getters. Every getter
 * validates on the spot and throws an {@link OptionException} whose message names the option (or
 * the environment variable it came from) and the bad value, e.g. {@code --port: not a number: "x"}
 * or {@code PORT (for --port): out of range 0..65535: "70000"}. Values of secret options are never
 * echoed. Asking for an option the app did not define is a bug: {@link IllegalArgumentException}.
 *
 * <p>Immutable and thread-safe.
 */
public final class OptionValues {
    /** A value as written, and where it came from (for messages). */
    record Raw(String text, String source) {
    }

    private final Options options;
    private final Map<String, Raw> values;
    private final boolean helpRequested;

    OptionValues(Options options, Map<String, Raw> values, boolean helpRequested) {
        this.options = options;
        this.values = Map.copyOf(values);
        this.helpRequested = helpRequested;
    }

    /** {@code --help} or {@code -h} was given: print {@link #help()} and exit 0; the other getters are meaningless. */
    public boolean helpRequested() {
        return helpRequested;
    }

    /** The help text of the definition these values came from. */
    public String help() {
        return options.help();
    }

    /** Whether the option has a value (given, from the environment, or a default). */
    public boolean isSet(String name) {
        options.option(name);
        return values.containsKey(name);
    }

    /** The value as written; an error when it has none. */
    public String string(String name) {
        return raw(name).text();
    }

    /** The value as written, or empty when it is not set. */
    public Optional<String> optional(String name) {
        return isSet(name) ? Optional.of(string(name)) : Optional.empty();
    }

    /** A whole number within {@code [min, max]}. */
    public int integer(String name, int min, int max) {
        return (int) longValue(name, min, max);
    }

    /** A whole number within {@code [min, max]}. */
    public long longValue(String name, long min, long max) {
        long v = convert(name, text -> {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number");
            }
        });
        return checkRange(name, v, min, max, Long.toString(min), Long.toString(max));
    }

    /** A duration ({@link Units#parseDuration}), any non-negative length. */
    public Duration duration(String name) {
        return duration(name, Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE));
    }

    /** A duration ({@link Units#parseDuration}) within {@code [min, max]}. */
    public Duration duration(String name, Duration min, Duration max) {
        var d = convert(name, Units::parseDuration);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw problem(name, "out of range " + Units.formatDuration(min) + ".."
                    + (max.getSeconds() == Long.MAX_VALUE ? "" : Units.formatDuration(max)));
        }
        return d;
    }

    /** A byte size ({@link Units#parseSize}) within {@code [min, max]} bytes. */
    public long size(String name, long min, long max) {
        long v = convert(name, Units::parseSize);
        return checkRange(name, v, min, max, Units.formatSize(min), Units.formatSize(max));
    }

    /** {@code true/false}, {@code yes/no}, {@code on/off} or {@code 1/0}, in any case. */
    public boolean bool(String name) {
        return convert(name, text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean (true/false, yes/no, on/off, 1/0)");
        });
    }

    /** One of the constants of {@code type}, matched ignoring case and with {@code -} for {@code _}. */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        return convert(name, text -> {
            var wanted = text.strip().replace('-', '_');
            for (var c : type.getEnumConstants()) {
                if (c.name().equalsIgnoreCase(wanted)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("not one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", ")));
        });
    }

    /** An absolute URL with a host, whose scheme is one of {@code schemes} (any when none are given). */
    public URI uri(String name, String... schemes) {
        return convert(name, text -> parseUri(text.strip(), Set.of(schemes)));
    }

    /** A comma-separated list of URLs as in {@link #uri}, at least one ({@code nats://a:4222,nats://b:4222}). */
    public List<URI> uris(String name, String... schemes) {
        return convert(name, text -> {
            var list = new ArrayList<URI>();
            for (var part : text.split(",", -1)) {
                list.add(parseUri(part.strip(), Set.of(schemes)));
            }
            return List.copyOf(list);
        });
    }

    /** An IP address or host name to bind or connect to (resolved now, so a typo fails at start). */
    public InetAddress inetAddress(String name) {
        return convert(name, text -> {
            try {
                return InetAddress.getByName(text.strip());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host");
            }
        });
    }

    /**
     * Applies an app-specific conversion; an {@link IllegalArgumentException} it throws becomes an
     * {@link OptionException} naming the option and the value.
     */
    public <T> T convert(String name, Function<String, T> conversion) {
        var raw = raw(name);
        try {
            return conversion.apply(raw.text());
        } catch (OptionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw problem(name, e.getMessage());
        }
    }

    private static URI parseUri(String text, Set<String> schemes) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL");
        }
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException("not an absolute URL with a host"
                    + (schemes.isEmpty() ? "" : " (e.g. " + schemes.iterator().next() + "://127.0.0.1:4222)"));
        }
        if (!schemes.isEmpty() && !schemes.contains(u.getScheme().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("scheme must be one of " + String.join(", ", schemes.stream().sorted().toList()));
        }
        return u;
    }

    private long checkRange(String name, long v, long min, long max, String minText, String maxText) {
        if (v < min || v > max) {
            throw problem(name, "out of range " + minText + ".." + maxText);
        }
        return v;
    }

    private Raw raw(String name) {
        var o = options.option(name);
        var raw = values.get(name);
        if (raw == null) {
            throw new OptionException(o.flag(), "required" + (o.env() == null ? "" : " (or set " + o.env() + ")"));
        }
        return raw;
    }

    /** An error about the current value of {@code name}: "source: problem: "value"". */
    private OptionException problem(String name, String problem) {
        var o = options.option(name);
        var raw = raw(name);
        if (o.secret()) {
            return new OptionException(raw.source(), "invalid value (not shown: it is a secret)");
        }
        var quoted = "\"" + raw.text() + "\"";
        return new OptionException(raw.source(), problem.contains(quoted) ? problem : problem + ": " + quoted);
    }
}
