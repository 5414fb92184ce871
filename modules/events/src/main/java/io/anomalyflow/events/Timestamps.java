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

    static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
