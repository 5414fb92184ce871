package io.anomalyflow.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parsing and printing of the two unit-carrying value kinds the apps take on the command line:
 * durations ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}, or ISO-8601 such as
 * {@code PT10M}) and byte sizes ({@code 1MiB}, {@code 512KiB}, {@code 64KB}, {@code 1048576}).
 *
 * <p>Both refuse negative values and overflow instead of wrapping around, and a bare number is a
 * byte count for sizes but an error for durations (is {@code 30} seconds or milliseconds? the
 * reader of a config file cannot tell, so the writer must say). The messages of the
 * {@link IllegalArgumentException}s say what is accepted; {@link OptionValues} prefixes them with
 * the option's name.
 */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-z]*)");

    private Units() {
    }

    /**
     * A non-negative duration: {@code <digits><unit>} with unit {@code ms s m h d}, {@code 0}, or ISO-8601
     * ({@code PT10M}, {@code PT0.5S}).
     */
    public static Duration parseDuration(String text) {
        var s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            Duration iso;
            try {
                iso = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: \"" + text + "\"");
            }
            if (iso.isNegative()) {
                throw new IllegalArgumentException("must not be negative: \"" + text + "\"");
            }
            return iso;
        }
        var m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: \"" + text
                    + "\" (write e.g. 500ms, 30s, 10m, 24h, 7d or ISO-8601 PT10M)");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration too large: \"" + text + "\"");
        }
    }

    /** The shortest exact form in the units {@link #parseDuration} reads: {@code 2m}, {@code 1500ms}, {@code 0s}. */
    public static String formatDuration(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + d);
        }
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString(); // sub-millisecond precision: only ISO-8601 says it exactly
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + names[i];
            }
        }
        return ms + "ms";
    }

    /**
     * A non-negative number of bytes: digits, optionally followed by a unit: {@code B}, the binary
     * {@code KiB MiB GiB} (powers of 1024) or the decimal {@code KB MB GB} (powers of 1000), in any case.
     */
    public static long parseSize(String text) {
        var m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: \"" + text + "\" (write e.g. 1MiB, 512KiB, 64KB or 1048576)");
        }
        long factor = switch (m.group(2)) {
            case "", "b" -> 1L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            default -> throw new IllegalArgumentException("unknown size unit \"" + m.group(2) + "\" in \"" + text
                    + "\" (use B, KiB, MiB, GiB, KB, MB or GB)");
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size too large: \"" + text + "\"");
        }
    }

    /** The shortest exact binary form: {@code 1MiB}, {@code 512KiB}, {@code 1000B}. */
    public static String formatSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: " + bytes);
        }
        String[] names = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < names.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + names[i];
            }
        }
        return bytes + "B";
    }
}
