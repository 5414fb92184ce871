package io.anomalyflow.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * The {@code timestamp} rules. Read: an ISO-8601 date and time ({@code 2026-11-26T12:00:00.123},
 * minutes required, seconds and up to nine fraction digits optional), then an optional offset
 * {@code Z}, {@code +05:30} or {@code +05}; without an offset the time is UTC, as the workshop's
 * sender meant it. Dates are checked strictly (no February 30th, no hour 24). Zone names
 * ({@code [Europe/Paris]}), dates alone and epoch numbers are refused. Accepted instants lie in
 * the years 0000-9999, so that the written form always has four year digits.
 * Written: {@link DateTimeFormatter#ISO_INSTANT}, UTC with {@code Z}.
 */
final class Timestamps {

    static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** Longer than any valid timestamp ("9999-12-31T23:59:59.999999999+05:30" is 35). */
    static final int MAX_LENGTH = 40;
    static final String EXPECTED = "must be an ISO-8601 date and time such as 2026-11-26T12:00:00.123Z";

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private static final DateTimeFormatter PARSER = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(IsoChronology.INSTANCE);

    private Timestamps() {
    }

    static String problem(Instant t) {
        return t.isBefore(MIN) || t.isAfter(MAX) ? "must lie between " + MIN + " and " + MAX + " (got " + t + ")" : null;
    }

    /** The instant, or null when {@code text} is not a timestamp we accept (the caller reports it). */
    static Instant parse(String text) {
        if (text.length() > MAX_LENGTH) {
            return null;
        }
        Instant common = parseCommon(text);
        return common != null ? common : parseIso(text);
    }

    /**
     * The fast path for the one shape nearly every message has, the one we write and the workshop
     * sent: {@code yyyy-MM-ddTHH:mm:ss[.f…][Z]}. The formatter costs about a microsecond per
     * call, more than the rest of a decode; this costs a tenth of that. Null for any other shape
     * or an impossible date, which then goes to {@link #parseIso}, the authority: both accept
     * and refuse the same texts (a test compares them).
     */
    static Instant parseCommon(String s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int end = s.charAt(n - 1) == 'Z' ? n - 1 : n;
        int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
        int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int nanos = 0;
        if (end > 19) {
            int fractionDigits = end - 20;
            int fraction = s.charAt(19) == '.' && fractionDigits >= 1 && fractionDigits <= 9 ? digits(s, 20, end) : -1;
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS_OF_TEN[9 - fractionDigits];
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The authority: the ISO formatter described in the class comment. */
    static Instant parseIso(String text) {
        try {
            TemporalAccessor parsed = PARSER.parse(text);
            var local = LocalDateTime.from(parsed);
            var offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))
                    : ZoneOffset.UTC;
            return local.toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The ASCII digits {@code s[from, to)} as a number, or -1 if any is not one. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
