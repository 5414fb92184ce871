package io.anomalyflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixture itself: a real process, a real port, and no process left behind. */
class NatsServerTest {

    /** The first line a NATS server sends to a new connection is its INFO with the JetStream flag. */
    private static String infoLine(int port) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return in.readLine();
        }
    }

    @Test
    void startsWithJetStreamOnAFreeLoopbackPortAndCleansUp() throws IOException {
        Path store;
        long pid;
        try (var nats = NatsServer.start()) {
            assertThat(nats.url()).isEqualTo("nats://127.0.0.1:" + nats.port());
            assertThat(infoLine(nats.port())).startsWith("INFO ").contains("\"jetstream\":true");
            store = nats.storeDir();
            pid = nats.pid();
            assertThat(pid).isPositive();
            assertThat(store).isDirectory();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(store).doesNotExist();
    }

    @Test
    void killStopAndStartAgainKeepPortAndStore() throws IOException {
        try (var nats = NatsServer.start()) {
            int port = nats.port();
            var marker = Files.writeString(nats.storeDir().resolve("marker"), "kept");

            nats.kill();
            assertThat(nats.isRunning()).isFalse();
            assertThatThrownBy(() -> infoLine(port)).isInstanceOf(ConnectException.class);

            nats.startAgain();
            assertThat(nats.port()).isEqualTo(port);
            assertThat(infoLine(port)).contains("\"jetstream\":true");
            assertThat(marker).hasContent("kept");

            nats.restart();
            assertThat(infoLine(port)).startsWith("INFO ");

            nats.stop();
            assertThat(nats.isRunning()).isFalse();
            assertThat(nats.pid()).isEqualTo(-1);
        }
    }

    @Test
    void pausedServerAcceptsConnectionsButSaysNothingUntilResumed() throws IOException {
        try (var nats = NatsServer.start()) {
            nats.pause();
            try (var socket = new Socket(InetAddress.getLoopbackAddress(), nats.port())) {
                socket.setSoTimeout(300);
                assertThatThrownBy(() -> socket.getInputStream().read())
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
            nats.resume();
            assertThat(infoLine(nats.port())).startsWith("INFO ");
        }
    }

    /** Regression: kill returns before every thread stopped; a fresh server once answered "paused". */
    @Test
    void pauseRightAfterARestartIsSilentEveryTime() throws IOException {
        try (var nats = NatsServer.start()) {
            for (int i = 0; i < 10; i++) {
                nats.kill();
                nats.startAgain();
                nats.pause();
                try (var socket = new Socket(InetAddress.getLoopbackAddress(), nats.port())) {
                    socket.setSoTimeout(200);
                    assertThatThrownBy(() -> socket.getInputStream().read()).as("round %d", i)
                            .isInstanceOf(java.net.SocketTimeoutException.class);
                } finally {
                    nats.resume();
                }
            }
        }
    }

    @Test
    void serverDiesWithTheJvmThatStartedItEvenUnderKillMinus9() throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StartAndWait.class.getName()).redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        long serverPid = -1;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("pid ")) {
                serverPid = Long.parseLong(line.substring(4).trim());
                break;
            }
        }
        assertThat(serverPid).as("child JVM reported its nats-server pid").isPositive();
        var server = ProcessHandle.of(serverPid).orElseThrow();
        assertThat(server.isAlive()).isTrue();

        child.destroyForcibly(); // kill -9 of the JVM: no shutdown hook runs
        child.waitFor();

        await().atMost(Duration.ofSeconds(10)).until(() -> !server.isAlive());
    }

    @Test
    void extraArgumentsReachTheServer() throws IOException {
        try (var nats = NatsServer.start(List.of("-n", "fixture-test-server"))) {
            assertThat(infoLine(nats.port())).contains("\"server_name\":\"fixture-test-server\"");
        }
    }

    /** Main of the child JVM above: starts a server, prints its pid, then waits to be killed. */
    static final class StartAndWait {
        public static void main(String[] args) throws InterruptedException {
            var nats = NatsServer.start();
            System.out.println("pid " + nats.pid());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(2));
        }
    }
}
