package io.anomalyflow.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.ModulePathLaunch;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.TestNats;
import io.nats.client.api.StorageType;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector runs on the module path ({@code java -p … -m io.anomalyflow.detector/…}) as well as from
 * its shaded jar: the module graph resolves, and it reads its group and creates the anomalies stream.
 */
class ModulePathLaunchTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void theHelpComesFromTheNamedModule(@TempDir Path dir) throws Exception {
        var result = ModulePathLaunch.run(dir.resolve("out.log"), "io.anomalyflow.detector", DetectorMain.class.getName(), "--help");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("Usage: detector");
    }

    @Test
    void itReadsAndWritesOnTheModulePath(@TempDir Path dir) throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (var nats = TestNats.connect(io.anomalyflow.flow.nats.NatsConnections.options(NATS.server().url(), "mp"))) {
            TestNats.createStream(nats.nc, "MP_IN", StorageType.Memory, "mp.in");
            nats.measurement("mp.in", "1", "5");
            var log = dir.resolve("detector.log");
            var detector = ModulePathLaunch.start(log, "io.anomalyflow.detector", DetectorMain.class.getName(),
                    "--port", Integer.toString(port), "--nats", NATS.server().url(), "--stream", "MP_IN",
                    "--subject", "mp.in", "--out-stream", "MP_OUT", "--out-subject", "mp.out", "--storage", "memory");
            try (var http = HttpClient.newHttpClient()) {
                var health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .timeout(Duration.ofSeconds(5)).build();
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .failFast(() -> !detector.isAlive())
                        .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
                await().atMost(Duration.ofSeconds(30)).until(() -> TestNats.messageCount(nats.nc, "MP_OUT") == 1);
            } catch (Throwable e) {
                throw new AssertionError("the detector on the module path did not work: " + Files.readString(log), e);
            } finally {
                detector.destroy();
                detector.waitFor();
            }
        }
    }
}
