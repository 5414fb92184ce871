package io.anomalyflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnomalyRuleTest {

    private static final Instant T = Instant.parse("2026-11-26T12:00:00.123Z");

    private static Measurement value(String v) {
        return new Measurement("m1", T, "7", new BigDecimal(v));
    }

    @Test
    void default_threshold_is_twenty_inclusive() {
        var rule = AnomalyRule.DEFAULT;
        assertThat(rule.threshold()).isEqualByComparingTo("20");
        assertThat(rule.isAnomaly(value("20"))).isTrue();
        assertThat(rule.isAnomaly(value("20.000"))).as("compared as decimals, not by scale").isTrue();
        assertThat(rule.isAnomaly(value("19.9999"))).isTrue();
        assertThat(rule.isAnomaly(value("-1.7e308"))).isTrue();
        assertThat(rule.isAnomaly(value("20.0001"))).isFalse();
        assertThat(rule.isAnomaly(value("20.000000000000000000001"))).as("beyond double precision").isFalse();
        assertThat(rule.isAnomaly(value("1.7e308"))).isFalse();
    }

    @Test
    void check_builds_the_anomaly_with_the_value_as_sent() {
        var anomaly = AnomalyRule.DEFAULT.check(42, value("12.50")).orElseThrow();
        assertThat(anomaly).isEqualTo(new Anomaly(42, T, "7", new BigDecimal("12.50"), "Value too low 12.50"));
        assertThat(AnomalyRule.DEFAULT.check(43, value("20")).orElseThrow().anomaly()).isEqualTo("Value too low 20");
        assertThat(AnomalyRule.DEFAULT.check(44, value("1.5e1")).orElseThrow().anomaly()).isEqualTo("Value too low 15");
        assertThat(AnomalyRule.DEFAULT.check(45, value("20.0001"))).isEmpty();
    }

    @Test
    void check_never_expands_an_extreme_exponent() {
        var anomaly = AnomalyRule.DEFAULT.check(1, value("-1e300")).orElseThrow();
        assertThat(anomaly.anomaly()).isEqualTo("Value too low -1E+300");
        assertThat(AnomalyRule.DEFAULT.check(1, value("1e-300")).orElseThrow().anomaly()).isEqualTo("Value too low 1E-300");
    }

    @Test
    void check_keeps_an_absent_timestamp_absent() {
        var m = new Measurement(null, null, "7", BigDecimal.ONE);
        assertThat(AnomalyRule.DEFAULT.check(1, m).orElseThrow().timestamp()).isNull();
    }

    @Test
    void threshold_is_configurable_and_validated() {
        var rule = new AnomalyRule(new BigDecimal("-5"));
        assertThat(rule.isAnomaly(value("-5"))).isTrue();
        assertThat(rule.isAnomaly(value("-4.9"))).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new AnomalyRule(null)).withMessage("threshold: required");
        assertThatIllegalArgumentException().isThrownBy(() -> new AnomalyRule(new BigDecimal("1e400")))
                .withMessageStartingWith("threshold: ");
    }
}
