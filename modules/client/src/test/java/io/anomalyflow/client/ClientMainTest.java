package io.anomalyflow.client;

import io.anomalyflow.app.AppLauncher;
import io.anomalyflow.testsupport.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: --help, options and environment variables, bad values, start failures, start. */
class ClientMainTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    record Run(int status, String out, String err, AutoCloseable app) {
    }

    static Run run(List<String> args, Map<String, String> env) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var launch = ClientMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(launch.status(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), launch.app());
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        var r = run(List.of("--help"), Map.of());
        assertThat(r.status()).isEqualTo(AppLauncher.OK);
        assertThat(r.out()).contains("--nats", "NATS_URL", "nats://127.0.0.1:4222", "--port", "PORT", "8085",
                "--bind", "127.0.0.1", "--stream", "MEASUREMENTS", "--subject", "measurements", "--threshold", "20",
                "--ttl", "5m", "--max-anomalies", "100000", "--replay", "ttl", "--sse-buffer", "1000",
                "--heartbeat", "15s", "--source", "ANOMALY_SOURCE", "<measurements|anomalies>",
                "--anomalies-stream", "ANOMALIES_STREAM", "ANOMALIES", "unused with --source anomalies");
        assertThat(r.app()).isNull();
    }

    @Test
    void theSourceIsMeasurementsUnlessToldAndTheAnomaliesStreamIsNamedByFlagOrVariable() {
        var defaults = ClientConfig.parse(List.of(), Map.of());
        assertThat(defaults.source()).isEqualTo(ClientConfig.Source.MEASUREMENTS);
        assertThat(defaults.anomaliesStream()).isEqualTo("ANOMALIES");
        var byFlag = ClientConfig.parse(List.of("--source", "anomalies", "--anomalies-stream", "FOUND"), Map.of());
        assertThat(byFlag.source()).isEqualTo(ClientConfig.Source.ANOMALIES);
        assertThat(byFlag.anomaliesStream()).isEqualTo("FOUND");
        var byEnv = ClientConfig.parse(List.of(), Map.of("ANOMALY_SOURCE", "anomalies", "ANOMALIES_STREAM", "E"));
        assertThat(byEnv.source()).isEqualTo(ClientConfig.Source.ANOMALIES);
        assertThat(byEnv.anomaliesStream()).isEqualTo("E");
        assertThat(ClientConfig.parse(List.of("--source", "measurements"), Map.of("ANOMALY_SOURCE", "anomalies")).source())
                .as("the flag wins").isEqualTo(ClientConfig.Source.MEASUREMENTS);
    }

    @Test
    void theOptionDefaultsAreTheBuilderDefaults() {
        assertThat(ClientConfig.parse(List.of(), Map.of())).isEqualTo(ClientConfig.defaults());
    }

    @Test
    void aBadOptionStopsTheStartWithStatus2NamingIt() {
        assertBad(List.of("--port", "eighty"), Map.of(), "--port");
        assertBad(List.of("--replay", "sometimes"), Map.of(), "--replay");
        assertBad(List.of("--threshold", "low"), Map.of(), "--threshold");
        assertBad(List.of("--threshold", "1e400"), Map.of(), "--threshold");
        assertBad(List.of("--ttl", "30"), Map.of(), "--ttl");
        assertBad(List.of("--max-anomalies", "0"), Map.of(), "--max-anomalies");
        assertBad(List.of("--sse-buffer", "-1"), Map.of(), "--sse-buffer");
        assertBad(List.of("--stream", "A.B"), Map.of(), "--stream");
        assertBad(List.of("--source", "detector"), Map.of(), "--source");
        assertBad(List.of("--source", ""), Map.of(), "--source");
        assertBad(List.of(), Map.of("ANOMALY_SOURCE", "both"), "ANOMALY_SOURCE");
        assertBad(List.of("--anomalies-stream", "ANOMALIES.X"), Map.of(), "--anomalies-stream");
        assertBad(List.of("--frobnicate", "1"), Map.of(), "--frobnicate");
        assertBad(List.of(), Map.of("ANOMALY_TTL", "5 minutes"), "ANOMALY_TTL");
        assertBad(List.of(), Map.of("NATS_URL", "http://x"), "NATS_URL");
    }

    private static void assertBad(List<String> args, Map<String, String> env, String named) {
        var r = run(args, env);
        assertThat(r.status()).as(args + " " + env).isEqualTo(AppLauncher.BAD_OPTIONS);
        assertThat(r.err()).as(args + " " + env).contains(named);
        assertThat(r.app()).isNull();
    }

    @Test
    void unreachableNatsIsAStartFailureWithStatus1() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var r = run(List.of("--nats", "nats://127.0.0.1:" + closedPort, "--port", "0"), Map.of());
        assertThat(r.status()).isEqualTo(AppLauncher.START_FAILED);
        assertThat(r.err()).contains("could not start");
    }

    @Test
    void startsFromOptionsAndEnvironmentAndFlagsWinOverVariables() throws Exception {
        var r = run(List.of("--port", "0", "--stream", "CLI_MAIN", "--ttl", "90s"),
                Map.of("NATS_URL", NATS.server().url(), "NATS_STREAM", "IGNORED", "ANOMALY_THRESHOLD", "12.5",
                        "REPLAY", "new"));
        assertThat(r.status()).isEqualTo(AppLauncher.OK);
        try (var client = (AnomalyClient) r.app()) {
            var config = client.config();
            assertThat(config.stream()).isEqualTo("CLI_MAIN");
            assertThat(config.ttl()).isEqualTo(Duration.ofSeconds(90));
            assertThat(config.threshold()).isEqualByComparingTo("12.5");
            assertThat(config.replay()).isEqualTo(ClientConfig.Replay.NEW);
            assertThat(client.port()).isPositive();
            assertThat(client.describe()).contains(client.url().toString(), "CLI_MAIN", NATS.server().url());
        }
    }
}
