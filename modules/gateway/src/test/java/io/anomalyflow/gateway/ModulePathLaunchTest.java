package io.anomalyflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.testsupport.ModulePathLaunch;
import io.anomalyflow.testsupport.NatsServerExtension;
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
 * The gateway runs on the module path ({@code java -p … -m io.anomalyflow.gateway/…}) as well as from
 * its shaded jar: the module graph resolves, and jnats (an automatic module) connects and creates the
 * stream, which needs {@code java.logging} resolved for it.
 */
class ModulePathLaunchTest {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Test
    void theHelpComesFromTheNamedModule(@TempDir Path dir) throws Exception {
        var result = ModulePathLaunch.run(dir.resolve("out.log"), "io.anomalyflow.gateway", GatewayMain.class.getName(), "--help");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("Usage: gateway");
    }

    @Test
    void itServesAndReachesJetStreamOnTheModulePath(@TempDir Path dir) throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var log = dir.resolve("gateway.log");
        var gateway = ModulePathLaunch.start(log, "io.anomalyflow.gateway", GatewayMain.class.getName(),
                "--port", Integer.toString(port), "--nats", NATS.server().url(), "--stream", "MODULE_PATH",
                "--subject", "module.path", "--storage", "memory");
        try (var http = HttpClient.newHttpClient()) {
            var health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .failFast(() -> !gateway.isAlive())
                    .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        } catch (Throwable e) {
            throw new AssertionError("the gateway on the module path never got healthy: " + Files.readString(log), e);
        } finally {
            gateway.destroy();
            gateway.waitFor();
        }
    }
}
