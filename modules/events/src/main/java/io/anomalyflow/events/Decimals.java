package io.anomalyflow.events;

import java.math.BigDecimal;

/**
 * The {@code measurementValue} rules: which decimals are accepted, and how one is written back.
 *
 * <p>Accepted: a finite decimal that a {@code double} can hold without overflowing or vanishing,
 * that is zero or {@code |v| <= Double.MAX_VALUE} (compared exactly, so {@code 1.7e308} and
 * {@code -1.7e308} pass and {@code 1e400} does not) without rounding to zero as a double
 * ({@code |v| > Double.MIN_VALUE / 2}, so {@code 4.9e-324} passes and {@code 1e-400} does not), with a
 * scale within &plusmn;{@value #MAX_SCALE}. The scale bound only ever bites on zeros such as
 * {@code 0e-999999999}: every non-zero value of at most 400 digits in the double range has a
 * scale between -308 and 723. It exists so that no accepted value can expand into megabytes of
 * digits when someone prints it with {@link BigDecimal#toPlainString()}.
 *
 * <p>Written: plainly ({@code toPlainString()}), unless that would add more than
 * {@value #MAX_PLAIN_PADDING} zeros to the digits that were sent; then in JSON's scientific form
 * ({@link BigDecimal#toString()}, e.g. {@code 1E+300}, {@code 1E-300}). So {@code 1e20} is written
 * {@code 100000000000000000000} and {@code 1e21} is written {@code 1E+21}; {@code 12.50} stays
 * {@code 12.50}. Either form reads back to a numerically equal value (the scientific one to an
 * {@code equals} one), and writing it again gives the same text.
 */
final class Decimals {

    static final BigDecimal MAX = new BigDecimal(Double.MAX_VALUE);
    /** Half the smallest double: anything non-zero at or below it rounds to 0 as a double. */
    static final BigDecimal HALF_MIN = new BigDecimal(Double.MIN_VALUE).divide(BigDecimal.TWO);
    static final int MAX_SCALE = 1024;
    static final int MAX_PLAIN_PADDING = 20;

    private Decimals() {
    }

    static String problem(BigDecimal v) {
        if (v.scale() > MAX_SCALE || v.scale() < -MAX_SCALE) {
            return "exponent out of range (scale " + v.scale() + ", at most " + MAX_SCALE + " either way)";
        }
        if (v.signum() == 0) {
            return null;
        }
        BigDecimal magnitude = v.abs();
        if (magnitude.compareTo(MAX) > 0) {
            return "out of the range of a double (|value| must be at most " + Double.MAX_VALUE + ")";
        }
        if (magnitude.compareTo(HALF_MIN) <= 0) {
            return "too small for a double, it would round to 0 (|value| must be 0 or at least " + Double.MIN_VALUE + ")";
        }
        return null;
    }

    /** The JSON number text for {@code v}; also the text in anomaly descriptions. */
    static String toJson(BigDecimal v) {
        long scale = v.scale();
        long precision = v.precision();
        // zeros that toPlainString() adds beyond the unscaled digits: trailing ones for a negative
        // scale (1E+3 -> 1000), leading ones ("0.00") when every digit is after the point
        long padding = scale < 0 ? -scale : scale >= precision ? scale - precision + 1 : 0;
        // toString() is scientific exactly when scale < 0 or the adjusted exponent is below -6,
        // which holds whenever padding exceeds the cut-off
        return padding <= MAX_PLAIN_PADDING ? v.toPlainString() : v.toString();
    }
}
