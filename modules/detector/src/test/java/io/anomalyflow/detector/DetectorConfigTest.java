package io.anomalyflow.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.app.AppLauncher;
import io.anomalyflow.app.OptionException;
import io.nats.client.api.StorageType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: defaults, the environment, and a bad value stopping the start naming the option. */
class DetectorConfigTest {
    @Test
    void defaults() {
        var c = DetectorConfig.parse(List.of(), Map.of());
        assertThat(c.port()).isEqualTo(8086);
        assertThat(c.bind().isLoopbackAddress()).isTrue();
        assertThat(c.stream()).isEqualTo("MEASUREMENTS");
        assertThat(c.subject()).isEqualTo("measurements");
        assertThat(c.group()).isEqualTo("detectors");
        assertThat(c.rule().threshold()).isEqualByComparingTo(BigDecimal.valueOf(20));
        assertThat(c.out().name()).isEqualTo("ANOMALIES");
        assertThat(c.outSubject()).isEqualTo("anomalies");
        assertThat(c.out().storage()).isEqualTo(StorageType.File);
        assertThat(c.out().duplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.ackWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxAckPending()).isEqualTo(4096);
        assertThat(c.window()).isEqualTo(256);
    }

    @Test
    void theEnvironmentSetsAndAFlagWins() {
        var c = DetectorConfig.parse(List.of("--group", "flag"), Map.of("DETECTOR_GROUP", "env", "ANOMALY_THRESHOLD", "12.5",
                "ANOMALIES_REPLICAS", "3"));
        assertThat(c.group()).isEqualTo("flag");
        assertThat(c.rule().threshold()).isEqualByComparingTo("12.5");
        assertThat(c.out().replicas()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheirOption() {
        assertThatThrownBy(() -> DetectorConfig.parse(List.of("--threshold", "abc"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageStartingWith("--threshold").hasMessageContaining("decimal number");
        assertThatThrownBy(() -> DetectorConfig.parse(List.of("--ack-wait", "90s"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageStartingWith("--ack-wait").hasMessageContaining("half");
        assertThatThrownBy(() -> DetectorConfig.parse(List.of("--out-stream", "MEASUREMENTS"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageStartingWith("--out-stream");
        assertThatThrownBy(() -> DetectorConfig.parse(List.of("--group", "a.b"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageStartingWith("--group");
        assertThatThrownBy(() -> DetectorConfig.parse(List.of("--out-subject", "a b"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageStartingWith("--out-subject");
        assertThatThrownBy(() -> DetectorConfig.parse(List.of("--window", "0"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageStartingWith("--window");
    }

    @Test
    void aBadOptionExitsWith2AndNATSDownWith1() {
        var err = new ByteArrayOutputStream();
        var bad = DetectorMain.run(List.of("--max-ack-pending", "x"), Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(bad.status()).isEqualTo(AppLauncher.BAD_OPTIONS);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--max-ack-pending");

        var err2 = new ByteArrayOutputStream();
        var down = DetectorMain.run(List.of("--nats", "nats://127.0.0.1:1", "--port", "0"), Map.of(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err2, true, StandardCharsets.UTF_8));
        assertThat(down.status()).isEqualTo(AppLauncher.START_FAILED);
        assertThat(err2.toString(StandardCharsets.UTF_8)).contains("cannot reach NATS at nats://127.0.0.1:1");
    }
}
