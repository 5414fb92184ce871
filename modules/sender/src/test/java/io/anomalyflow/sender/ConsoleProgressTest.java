package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private static Progress progress(long acked, boolean done) {
        return new Progress(1_000, 600, acked, 2, 5, 3, 7, 32, Duration.ofMillis(2_500), done);
    }

    @Test
    void barShowsShareCountsAndRate() {
        var bar = ConsoleProgress.bar(progress(492, false));
        assertThat(bar).startsWith("[###############...............]  50%  500/1000  acked 492  rejected 5  failed 3  retries 7")
                .endsWith("197/s  2.5s");
    }

    @Test
    void lineSaysTheSameInWords() {
        assertThat(ConsoleProgress.line(progress(492, false))).isEqualTo(
                "progress: 500/1000 done (50%), sent 600, acknowledged 492, rejected 5, failed 3, retries 7, in flight 32, 197/s, 2.5 s");
    }

    @Test
    void anEmptyRunIsComplete() {
        var p = new Progress(0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, true);
        assertThat(p.fraction()).isEqualTo(1.0);
        assertThat(p.rate()).isZero();
        assertThat(ConsoleProgress.bar(p)).startsWith("[##############################] 100%");
    }

    @Test
    void linesModeWritesPlainLinesAndTheFinalStateOnClose() {
        var buffer = new ByteArrayOutputStream();
        var current = new AtomicReference<>(progress(100, false));
        try (var shown = ConsoleProgress.start(current::get, new PrintStream(buffer, true, StandardCharsets.UTF_8),
                ConsoleProgress.Mode.LINES)) {
            assertThat(shown.mode()).isEqualTo(ConsoleProgress.Mode.LINES);
            current.set(progress(992, true));
        }
        var text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\r").endsWith(ConsoleProgress.line(progress(992, true)) + System.lineSeparator());
    }

    @Test
    void barModeRedrawsInPlaceAndEndsWithANewline() throws Exception {
        var buffer = new ByteArrayOutputStream();
        var current = new AtomicReference<>(progress(100, false));
        try (var shown = ConsoleProgress.start(current::get, new PrintStream(buffer, true, StandardCharsets.UTF_8),
                ConsoleProgress.Mode.BAR)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> buffer.size() > 0);
            current.set(progress(992, true));
        }
        var text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\r[").contains(ConsoleProgress.bar(progress(992, true))).endsWith(System.lineSeparator());
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1); // one line, redrawn with \r, ended once
    }

    @Test
    void noneShowsNothing() {
        var buffer = new ByteArrayOutputStream();
        try (var shown = ConsoleProgress.start(() -> progress(1, true), new PrintStream(buffer), ConsoleProgress.Mode.NONE)) {
            assertThat(shown.mode()).isEqualTo(ConsoleProgress.Mode.NONE);
        }
        assertThat(buffer.size()).isZero();
    }

    @Test
    void autoIsLinesWhenNotOnATerminal() {
        // Surefire runs us with redirected streams: never a terminal
        assertThat(ConsoleProgress.Mode.AUTO.resolve()).isEqualTo(ConsoleProgress.Mode.LINES);
    }
}
