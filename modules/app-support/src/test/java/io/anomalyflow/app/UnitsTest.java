package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S", "30s, PT30S", "10m, PT10M", "24h, PT24H", "7d, PT168H", "0, PT0S", "0ms, PT0S",
        "PT10M, PT10M", "pt1.5s, PT1.5S", "P1D, PT24H", "' 2s ', PT2S"})
    void parsesDurations(String text, String iso) {
        assertThat(Units.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "-5s", "5x", "", "s", "1.5s", "5 s", "PT-1S", "PTXM", "99999999999999999999d", "9223372036854775807d"})
    void refusesBadDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }

    @ParameterizedTest
    @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT1.5S, 1500ms", "PT2M, 2m", "PT24H, 1d", "PT25H, 25h", "PT0.000001S, PT0.000001S"})
    void formatsDurationsShortestAndReadable(String iso, String text) {
        var d = Duration.parse(iso);
        assertThat(Units.formatDuration(d)).isEqualTo(text);
        assertThat(Units.parseDuration(Units.formatDuration(d))).isEqualTo(d);
    }

    @ParameterizedTest
    @CsvSource({"1MiB, 1048576", "512KiB, 524288", "1mib, 1048576", "2GiB, 2147483648", "64KB, 64000",
        "1MB, 1000000", "1GB, 1000000000", "1048576, 1048576", "0, 0", "10B, 10", "' 3 KiB ', 3072"})
    void parsesSizes(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5MiB", "-1", "1TiB", "MiB", "", "1 M iB", "99999999999GiB"})
    void refusesBadSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void formatsSizesInTheLargestExactBinaryUnit() {
        assertThat(Units.formatSize(1 << 20)).isEqualTo("1MiB");
        assertThat(Units.formatSize(3 << 10)).isEqualTo("3KiB");
        assertThat(Units.formatSize(1000)).isEqualTo("1000B");
        assertThat(Units.formatSize(0)).isEqualTo("0B");
        assertThatThrownBy(() -> Units.formatSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
