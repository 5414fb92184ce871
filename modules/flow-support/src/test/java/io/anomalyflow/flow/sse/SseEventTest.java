package io.anomalyflow.flow.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SseEventTest {
    @Test
    void encodesIdEventAndData() {
        assertThat(SseEvent.of("42", "anomaly", "{\"seq\":42}").encode())
                .isEqualTo("id: 42\nevent: anomaly\ndata: {\"seq\":42}\n\n");
        assertThat(SseEvent.of("plain").encode()).isEqualTo("data: plain\n\n");
    }

    @Test
    void splitsDataOnEveryKindOfLineBreakSoNothingCanStartAField() {
        assertThat(SseEvent.of("a\nb\r\nc\rd").encode()).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
        // an attempt to forge a field through the data stays inside data lines
        assertThat(SseEvent.of("x\nevent: admin\nid: 0").encode())
                .isEqualTo("data: x\ndata: event: admin\ndata: id: 0\n\n");
    }

    @Test
    void keepsEmptyAndTrailingLinesAndLeadingSpaces() {
        assertThat(SseEvent.of("").encode()).isEqualTo("data: \n\n");
        assertThat(SseEvent.of("a\n").encode()).isEqualTo("data: a\ndata: \n\n");
        assertThat(SseEvent.of(" indented").encode()).isEqualTo("data:  indented\n\n");
        assertThat(SseEvent.of("héllo ✓").encode()).isEqualTo("data: héllo ✓\n\n");
    }

    @Test
    void refusesLineBreaksInIdAndEventAndNulInId() {
        assertThatThrownBy(() -> SseEvent.of("1\ndata: forged", "e", "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id").hasMessageContaining("\\n");
        assertThatThrownBy(() -> SseEvent.of("1\r", "e", "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEvent.of("1\0", "e", "d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEvent.of("1", "a\r\nid: 2", "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event");
        assertThatThrownBy(() -> SseEvent.of(null)).isInstanceOf(NullPointerException.class);
    }
}
