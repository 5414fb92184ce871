package io.anomalyflow.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one row per case run to {@code target/reliability-results/<variant>.md}, the numbers that
 * docs/reliability.md's table is made of: case, load, faults, acknowledged, lost, duplicates, and a
 * note with whatever else the case measured. Cases run one after another in one JVM.
 */
final class Results {
    static final Path DIR = Path.of("target", "reliability-results");

    private Results() {
    }

    static synchronized void record(String caseName, Variant variant, String load, String faults, Ledger ledger,
                                    Verdict v, String notes) {
        var row = "| " + caseName + " | " + load + " | " + faults + " | " + v.acknowledged() + " | " + v.lost()
                + " | " + v.duplicates() + " | " + notes + " (ids " + v.sent() + ", ending 503 " + v.failed()
                + ", ending unanswered " + v.unknown() + ", unanswered but stored " + v.storedUnanswered()
                + "; attempts by status " + ledger.attemptStatuses() + ") |\n";
        append(variant, row);
    }

    /**
     * A row for a case that sends no measurements (its promise is about connections, not the stream):
     * the ledger's columns say so.
     */
    static synchronized void note(String caseName, Variant variant, String load, String faults, String notes) {
        append(variant, "| " + caseName + " | " + load + " | " + faults + " | — | — | — | " + notes + " |\n");
    }

    private static void append(Variant variant, String row) {
        System.out.print("RESULT " + variant + " " + row);
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(variant.name().toLowerCase() + ".md"), row, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
