package io.anomalyflow.bench;

import java.util.regex.Pattern;

/** Reads the {@code RESULT key=value …} line a baseline child prints. */
final class Results {
    private Results() {
    }

    static double value(String output, String key) {
        for (var line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                var m = Pattern.compile("\\b" + Pattern.quote(key) + "=([0-9.eE+-]+)").matcher(line);
                if (m.find()) {
                    return Double.parseDouble(m.group(1));
                }
            }
        }
        throw new IllegalStateException("no RESULT " + key + "= in the output:\n" + output);
    }
}
