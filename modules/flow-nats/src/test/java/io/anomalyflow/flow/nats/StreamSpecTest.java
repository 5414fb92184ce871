package io.anomalyflow.flow.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamSpecTest {
    private final StreamSpec spec = StreamSpec.of("MEASUREMENTS", "measurements");

    private static StreamConfiguration.Builder existing() {
        return StreamConfiguration.builder().name("MEASUREMENTS").subjects("measurements")
                .storageType(StorageType.File).maxAge(Duration.ofHours(24)).duplicateWindow(Duration.ofMinutes(2)).replicas(1);
    }

    @Test
    void defaultsAreTheDesignOnes() {
        var c = spec.toConfiguration();
        assertThat(c.getSubjects()).containsExactly("measurements");
        assertThat(c.getStorageType()).isEqualTo(StorageType.File);
        assertThat(c.getMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(c.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.getReplicas()).isEqualTo(1);
        assertThat(c.getRetentionPolicy()).isEqualTo(RetentionPolicy.Limits);
    }

    @Test
    void theSameOrMoreGenerousIsCompatible() {
        assertThat(spec.differences(existing().build())).isEmpty();
        assertThat(spec.differences(existing().subjects("measurements", "other").maxAge(Duration.ZERO)
                .duplicateWindow(Duration.ofMinutes(10)).build())).isEmpty();
        assertThat(spec.differences(existing().subjects("measurements.>", "measurements").build())).isEmpty();
        assertThat(spec.differences(existing().subjects(">").build())).isEmpty();
    }

    @Test
    void everyDifferenceIsNamed() {
        var d = spec.differences(existing().subjects("other").storageType(StorageType.Memory)
                .maxAge(Duration.ofMinutes(5)).duplicateWindow(Duration.ofSeconds(10))
                .retentionPolicy(RetentionPolicy.WorkQueue).build());
        assertThat(d).hasSize(5);
        assertThat(String.join("\n", d))
                .contains("subjects are [other], which do not cover [measurements]")
                .contains("storage is Memory, wanted File")
                .contains("max age is PT5M, wanted at least PT24H")
                .contains("duplicate window is PT10S, wanted at least PT2M")
                .contains("retention is WorkQueue, wanted Limits");
    }

    @Test
    void subjectCoverageFollowsNatsWildcards() {
        assertThat(StreamSpec.covers("a.b", "a.b")).isTrue();
        assertThat(StreamSpec.covers("a.*", "a.b")).isTrue();
        assertThat(StreamSpec.covers("a.*", "a.*")).isTrue();
        assertThat(StreamSpec.covers("a.>", "a.b.c")).isTrue();
        assertThat(StreamSpec.covers("a.>", "a.*")).isTrue();
        assertThat(StreamSpec.covers("a.>", "a.>")).isTrue();
        assertThat(StreamSpec.covers("a.>", "a")).isFalse();
        assertThat(StreamSpec.covers("a.*", "a.b.c")).isFalse();
        assertThat(StreamSpec.covers("a.*", "a.>")).isFalse();
        assertThat(StreamSpec.covers("a.b", "a.*")).isFalse();
        assertThat(StreamSpec.covers("a.b", "a")).isFalse();
    }

    @Test
    void badSpecsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> StreamSpec.of("A.B", "x")).hasMessageContaining("'A.B'");
        assertThatThrownBy(() -> StreamSpec.of("A")).hasMessageContaining("subjects");
        assertThatThrownBy(() -> spec.withDuplicateWindow(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> spec.withReplicas(0)).hasMessageContaining("0");
    }

    @Test
    void checkNameAcceptsWhatTheAppsAllowAndNamesTheRuleOtherwise() {
        assertThat(StreamSpec.checkName("MEASUREMENTS")).isEqualTo("MEASUREMENTS");
        assertThat(StreamSpec.checkName("a-b_9")).isEqualTo("a-b_9");
        assertThat(StreamSpec.checkName("S".repeat(255))).hasSize(255);
        for (var bad : new String[] {"", "a.b", "a b", "a*", ">", "S".repeat(256), "\u00e9"}) {
            assertThatThrownBy(() -> StreamSpec.checkName(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream name");
        }
        assertThatThrownBy(() -> StreamSpec.checkName(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
