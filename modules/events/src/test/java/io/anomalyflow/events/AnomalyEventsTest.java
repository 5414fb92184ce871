package io.anomalyflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnomalyEventsTest {
    @Test
    void theMessageIdNamesTheSourceStreamAndSequence() {
        assertThat(AnomalyEvents.messageId("MEASUREMENTS", 42)).isEqualTo("MEASUREMENTS-42");
        assertThat(AnomalyEvents.messageId("M", 1)).isNotEqualTo(AnomalyEvents.messageId("M", 11));
    }

    @Test
    void theSourceTimeGoesThereAndBack() {
        var t = Instant.parse("2026-12-02T18:00:00.123456789Z");
        assertThat(AnomalyEvents.formatTime(t)).isEqualTo("2026-12-02T18:00:00.123456789Z");
        assertThat(AnomalyEvents.parseTime(AnomalyEvents.formatTime(t))).isEqualTo(t);
    }

    @Test
    void anUnreadableSourceTimeIsNull() {
        assertThat(AnomalyEvents.parseTime(null)).isNull();
        assertThat(AnomalyEvents.parseTime("yesterday")).isNull();
        assertThat(AnomalyEvents.parseTime("2026-12-02T18:00:00Z".repeat(3))).isNull();
    }
}
