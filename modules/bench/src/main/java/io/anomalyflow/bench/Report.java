package io.anomalyflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the figures of one run into the Markdown table that {@code make bench} prints and writes to
 * {@code bench/results/latest.md}: our number, the baseline of the same run, the ratio
 * ({@code ours / baseline}), the target and whether it was met.
 */
final class Report {
    private Report() {
    }

    /** Reads the figure files of the parts that ran (a missing part is reported as missing). */
    static List<Figure> read(List<Path> files, List<String> problems) throws IOException {
        var figures = new ArrayList<Figure>();
        for (var file : files) {
            if (!Files.isRegularFile(file)) {
                problems.add("no results from " + file.getFileName() + " (that part did not run or failed)");
                continue;
            }
            for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    figures.add(Figure.fromTsv(line));
                }
            }
        }
        return figures;
    }

    static void write(Path file, List<Figure> figures) throws IOException {
        var lines = new ArrayList<String>();
        for (var f : figures) {
            lines.add(f.toTsv());
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** The Markdown document: a header saying where and when, the table, the counts of met and missed targets. */
    static String markdown(List<Figure> figures, List<String> context, List<String> problems) {
        var sb = new StringBuilder();
        sb.append("# make bench — ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append("\n\n");
        for (var c : context) {
            sb.append("- ").append(c).append('\n');
        }
        sb.append("\nRatio = ours / baseline, both measured in this run. For /s figures higher is better;")
                .append(" for ms, KiB and MiB lower is better.\n\n");
        sb.append("| section | figure | ours | baseline | ratio | target | met | notes |\n");
        sb.append("|---|---|--:|---|--:|---|---|---|\n");
        int met = 0;
        int missed = 0;
        for (var f : figures) {
            var verdict = f.met();
            if (verdict != null) {
                if (verdict) {
                    met++;
                } else {
                    missed++;
                }
            }
            sb.append("| ").append(f.section())
                    .append(" | ").append(f.name())
                    .append(" | ").append(f.unit().format(f.ours()))
                    .append(" | ").append(Double.isNaN(f.baseline()) ? f.baselineName()
                            : f.baselineName() + " " + f.unit().format(f.baseline()))
                    .append(" | ").append(Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f×", f.ratio()))
                    .append(" | ").append(f.targetText())
                    .append(" | ").append(verdict == null ? "" : verdict ? "met" : "**missed**")
                    .append(" | ").append(f.note().replace("|", "\\|"))
                    .append(" |\n");
        }
        sb.append("\nTargets: ").append(met).append(" met, ").append(missed).append(" missed.\n");
        for (var p : problems) {
            sb.append("\n**Problem:** ").append(p).append('\n');
        }
        return sb.toString();
    }
}
