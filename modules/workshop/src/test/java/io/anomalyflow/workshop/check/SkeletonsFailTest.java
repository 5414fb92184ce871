package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof that the checks can fail: every check class of every step, run against the skeletons
 * as shipped (compiled from {@code src/pristine/java}, whatever a learner changed in
 * {@code src/main/java}), has failing tests, within its time bound, and those failures judge the
 * skeleton (it was made, it did not merely fail to load). Surefire runs the same classes against
 * the reference, where they pass.
 */
class SkeletonsFailTest {
    private static final Duration BOUND = Duration.ofMinutes(3);

    static Stream<Class<?>> checks() {
        return Stream.of(Step.values()).flatMap(s -> s.checks().stream());
    }

    @ParameterizedTest(name = "{0} fails on the pristine skeleton")
    @MethodSource("checks")
    void everyCheckFailsOnThePristineSkeleton(Class<?> check) {
        var report = StepRunner.run(check, "pristine", BOUND);
        assertThat(report.hungIn()).as("tests still running after %s (a check must end by itself)", BOUND).isEmpty();
        assertThat(report.tests()).as("tests run").isPositive();
        assertThat(report.failures()).as("failures of %s against the pristine skeleton", check.getSimpleName()).isNotEmpty();
        assertThat(report.failures()).as("failures that only say the skeleton could not be made")
                .noneMatch(f -> f.message().contains("cannot make a"));
    }
}
