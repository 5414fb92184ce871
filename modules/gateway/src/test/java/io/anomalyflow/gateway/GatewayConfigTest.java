package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.app.OptionException;
import io.nats.client.api.StorageType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    private static GatewayConfig parse(Map<String, String> env, String... args) {
        return GatewayConfig.parse(List.of(args), env);
    }

    @Test
    void defaultsAreTheOnesDesignMdPromises() {
        var c = parse(Map.of());
        assertThat(c.bind()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.natsUrl()).isEqualTo("nats://127.0.0.1:4222");
        assertThat(c.stream().name()).isEqualTo("MEASUREMENTS");
        assertThat(c.subject()).isEqualTo("measurements");
        assertThat(c.stream().storage()).isEqualTo(StorageType.File);
        assertThat(c.stream().maxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(c.stream().duplicateWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.stream().replicas()).isEqualTo(1);
        assertThat(c.maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(c.maxBatch()).isEqualTo(10_000);
        assertThat(c.ackTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.token()).isNull();
    }

    @Test
    void flagsAndEnvironmentVariablesSetEverything() {
        var env = Map.of("NATS_URL", "nats://a:1,nats://b:2", "GATEWAY_TOKEN", "tok", "STREAM_STORAGE", "memory",
                "MAX_BODY", "64KiB", "ACK_TIMEOUT", "PT0.5S");
        var c = parse(env, "--port", "0", "--bind", "0.0.0.0", "--stream", "S", "--subject", "a.b", "--max-batch", "7",
                "--max-age", "7d", "--duplicate-window", "10m", "--replicas", "3", "--read-timeout", "30s");
        assertThat(c.natsUrl()).isEqualTo("nats://a:1,nats://b:2");
        assertThat(c.token()).isEqualTo("tok");
        assertThat(c.stream().storage()).isEqualTo(StorageType.Memory);
        assertThat(c.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(c.ackTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.port()).isZero();
        assertThat(c.bind().isAnyLocalAddress()).isTrue();
        assertThat(c.stream().name()).isEqualTo("S");
        assertThat(c.subject()).isEqualTo("a.b");
        assertThat(c.maxBatch()).isEqualTo(7);
        assertThat(c.stream().maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(c.stream().duplicateWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.stream().replicas()).isEqualTo(3);
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badValuesAreOptionErrorsNamingTheOption() {
        assertThatThrownBy(() -> parse(Map.of(), "--subject", "a.*")).isInstanceOf(OptionException.class)
                .hasMessageStartingWith("--subject: a subject to publish on");
        assertThatThrownBy(() -> parse(Map.of(), "--stream", "a.b")).isInstanceOf(OptionException.class)
                .hasMessageStartingWith("--stream:");
        assertThatThrownBy(() -> parse(Map.of(), "--storage", "disk")).hasMessage("--storage: not one of file, memory: \"disk\"");
        assertThatThrownBy(() -> parse(Map.of(), "--nats", "http://x:1")).hasMessageStartingWith("--nats: scheme must be one of");
        assertThatThrownBy(() -> parse(Map.of(), "--max-body", "0")).hasMessageStartingWith("--max-body: out of range");
        assertThatThrownBy(() -> parse(Map.of(), "--ack-timeout", "0s")).hasMessageStartingWith("--ack-timeout: out of range");
        assertThatThrownBy(() -> parse(Map.of(), "--replicas", "7")).hasMessageStartingWith("--replicas: out of range 1..5");
        assertThatThrownBy(() -> parse(Map.of(), "--bind", "no-such-host.invalid")).hasMessageStartingWith("--bind: unknown host");
        assertThatThrownBy(() -> parse(Map.of("GATEWAY_TOKEN", " padded"))).isInstanceOf(OptionException.class)
                .hasMessageNotContaining("padded");
    }

    @Test
    void toStringNeverShowsTheTokenOrAPassword() {
        var c = parse(Map.of("GATEWAY_TOKEN", "very-secret", "NATS_URL", "nats://me:hunter2@h:4222"));
        assertThat(c.toString()).doesNotContain("very-secret").doesNotContain("hunter2").contains("token=set")
                .contains("nats://me:***@h:4222");
    }
}
