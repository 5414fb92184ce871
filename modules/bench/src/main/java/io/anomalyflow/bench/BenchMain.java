package io.anomalyflow.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code make bench} runs ({@code bench/run.sh}), in three steps that each start a fresh JVM:
 * <pre>
 * java -cp benchmarks.jar io.anomalyflow.bench.BenchMain toolkit [--quick]   # JMH, ~3 min
 * java -cp benchmarks.jar io.anomalyflow.bench.BenchMain system  [--quick] [--only ingest,catchup,…]   # the apps under load, ~4 min
 * java -cp benchmarks.jar io.anomalyflow.bench.BenchMain report              # the table → bench/results/latest.md
 * </pre>
 * {@code toolkit} and {@code system} write their figures to {@code bench/results/tmp/*.tsv};
 * {@code report} joins them. {@code --quick} shortens everything for a smoke test (its numbers
 * mean nothing). Paths are relative to the project root, the working directory.
 */
public final class BenchMain {
    static final Path RESULTS = Path.of("bench", "results");
    static final Path TMP = RESULTS.resolve("tmp");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        Files.createDirectories(TMP);
        switch (args[0]) {
            case "toolkit" -> Report.write(TMP.resolve("toolkit.tsv"), ToolkitBench.run(TMP, quick));
            case "system" -> {
                var only = new ArrayList<String>();
                for (int i = 1; i + 1 < args.length; i++) {
                    if (args[i].equals("--only")) {
                        only.addAll(List.of(args[i + 1].split(",")));
                    }
                }
                var figures = SystemBench.run(Path.of("").toAbsolutePath(), TMP, quick, only);
                Report.write(TMP.resolve("system.tsv"), figures);
            }
            case "report" -> report();
            default -> usage();
        }
    }

    private static void report() throws Exception {
        var problems = new ArrayList<String>();
        var figures = Report.read(List.of(TMP.resolve("toolkit.tsv"), TMP.resolve("system.tsv")), problems);
        var contextFile = TMP.resolve("context.txt");
        var context = Files.isRegularFile(contextFile)
                ? Files.readAllLines(contextFile, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList()
                : List.<String>of();
        var md = Report.markdown(figures, context, problems);
        Files.writeString(RESULTS.resolve("latest.md"), md, StandardCharsets.UTF_8);
        System.out.print(md);
    }

    private static void usage() {
        System.out.println("usage: BenchMain toolkit|system|report [--quick]   (run from the project root; see bench/run.sh)");
    }
}
