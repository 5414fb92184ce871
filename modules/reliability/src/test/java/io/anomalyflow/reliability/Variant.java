package io.anomalyflow.reliability;

import java.nio.file.Path;

/**
 * Every case runs short inside {@code make test} (a few thousand measurements, a few seconds of
 * fault) and long inside {@code make soak} (the methods tagged {@code soak}: minutes, more load).
 * The case code is the same; only its numbers differ.
 */
enum Variant {
    SHORT, SOAK;

    /** {@code shortValue} for {@link #SHORT}, {@code soakValue} for {@link #SOAK}. */
    <T> T pick(T shortValue, T soakValue) {
        return this == SHORT ? shortValue : soakValue;
    }

    int pick(int shortValue, int soakValue) {
        return this == SHORT ? shortValue : soakValue;
    }

    /** Where the apps of case {@code name} log: {@code target/reliability-logs/<name>-<variant>/}. */
    Path logs(String name) {
        return Path.of("target", "reliability-logs", name + "-" + name().toLowerCase());
    }
}
