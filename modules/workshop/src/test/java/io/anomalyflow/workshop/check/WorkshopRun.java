package io.anomalyflow.workshop.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What {@code make workshop} runs: not a test of the project but the learner's report. With
 * {@code -Dworkshop.run=all} it runs the steps' checks against the learner's classes and writes
 * which steps pass; with {@code -Dworkshop.run=07} one step, with every failure, its rule and a
 * hint. The report goes to {@code target/workshop/report.txt}, which the Makefile prints, and the
 * summary's passing steps to {@code target/workshop/passing.txt}, which {@code make workshop-run}
 * plugs in. Skipped
 * in {@code make test}.
 */
@EnabledIfSystemProperty(named = "workshop.run", matches = ".+")
class WorkshopRun {
    private static final Duration BOUND = Duration.ofMinutes(3);
    /** The file, next to the report, that lists the passing steps ("06 07 11"), for {@code make workshop-run}. */
    static final String PASSING = "passing.txt";

    @Test
    void report() throws IOException {
        var which = System.getProperty("workshop.run");
        var out = new ArrayList<String>();
        List<String> passing = null;
        if (which.equals("all")) {
            passing = summary("learner", out);
        } else if (which.matches("0?[0-4]|12")) {
            out.add("Step " + which + " has no code to check: follow its page under workshop/steps/.");
        } else {
            detail(Step.forNumber(which), out);
        }
        var dir = Path.of(System.getProperty("workshop.report", "target/workshop"));
        Files.createDirectories(dir);
        Files.write(dir.resolve("report.txt"), out);
        if (passing != null) {
            // for make workshop-run: the steps whose parts it plugs into the client
            Files.writeString(dir.resolve(PASSING), String.join(" ", passing) + "\n");
        }
    }

    /**
     * Every step, pass or fail; a step stops at its first failing check class (quick, the detail is
     * per step), against {@code implementation} ({@link Implementations}). Returns the numbers of
     * the steps that pass: what {@code make workshop-run} plugs in.
     */
    static List<String> summary(String implementation, List<String> out) {
        var passed = new ArrayList<String>();
        out.add("Workshop steps, checked against your code (modules/workshop/src/main/java/io/anomalyflow/workshop):");
        out.add("");
        out.add("  00-04  reading and running the system              see workshop/steps/00-04 (no code)");
        int passing = 0;
        for (var step : Step.values()) {
            String status = "PASS";
            for (var check : targetedFirst(step)) {
                var report = StepRunner.run(check, implementation, BOUND);
                if (!report.hungIn().isEmpty()) {
                    status = "FAIL   (hung in " + check.getSimpleName() + ")";
                    break;
                }
                if (!report.passed()) {
                    status = "FAIL   (" + report.failures().size() + " of " + report.tests() + " in " + check.getSimpleName() + ")";
                    break;
                }
            }
            if (status.equals("PASS")) {
                passing++;
                passed.add(step.number());
            }
            out.add(String.format("  %s     %-52s %s", step.number(), step.title(), status));
        }
        out.add("  12     stretch: a de-duplicating anomaly processor    see workshop/steps/12-stretch-detector.md");
        out.add("");
        out.add(passing + " of " + Step.values().length + " steps pass. Details of one: make workshop STEP=07");
        out.add("See your passing steps serve the live page: make workshop-run");
        return passed;
    }

    /** One step: every check class, every failure with its rule and hint. */
    private static void detail(Step step, List<String> out) {
        out.add("Step " + step.number() + ": " + step.title());
        out.add("  your code: " + step.learnerSource());
        out.add("  the page:  " + step.page());
        out.add("");
        int failed = 0;
        int tests = 0;
        for (var check : step.checks()) {
            var report = StepRunner.run(check, "learner", BOUND);
            tests += report.tests();
            failed += report.failures().size();
            out.add(String.format("  %-32s %s", check.getSimpleName(),
                    report.passed() ? "pass (" + report.tests() + " tests)"
                            : report.failures().size() + " of " + report.tests() + " failing"));
            for (var name : report.hungIn()) {
                out.add("    HUNG  " + name + ": still running after " + BOUND.toMinutes()
                        + " min (a deadlock, or a blocking call in a signal?)");
            }
            // failures with the same message share one cause: show it once, with the rules it breaks
            var byMessage = new LinkedHashMap<String, List<StepRunner.Failure>>();
            report.failures().stream().sorted(Comparator.comparing(StepRunner.Failure::rule))
                    .forEach(f -> byMessage.computeIfAbsent(Hints.tidy(f.message()), m -> new ArrayList<>()).add(f));
            byMessage.forEach((message, failures) -> {
                var first = failures.getFirst();
                out.add("    " + (first.rule().isEmpty() ? "" : first.rule() + "  ") + first.test());
                out.add("        " + message);
                var hint = Hints.hint(first.test(), message);
                if (!hint.isEmpty()) {
                    out.add("        hint: " + hint);
                }
                if (failures.size() > 1) {
                    var rules = failures.stream().skip(1).map(f -> f.rule().isEmpty() ? f.test() : f.rule()).distinct().toList();
                    out.add("        (and " + (failures.size() - 1) + " more failing the same way: " + String.join(", ", rules) + ")");
                }
            });
        }
        out.add("");
        out.add(failed == 0 && tests > 0 ? "Step " + step.number() + " passes. Read the reference now: "
                + step.referenceClass().getSimpleName() + " names the class it adapts."
                : failed + " of " + tests + " checks fail. The rules are explained in " + step.page() + ".");
    }

    private static List<Class<?>> targetedFirst(Step step) {
        var checks = new ArrayList<>(step.checks());
        checks.sort(Comparator.comparing(c -> c.getSimpleName().contains("Tck")));
        return checks;
    }
}
