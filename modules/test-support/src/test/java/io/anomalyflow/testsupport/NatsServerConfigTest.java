package io.anomalyflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture started from a configuration file, spoken to in the raw NATS protocol (this module has
 * no NATS client): TLS with certificates made now, users, a token, a storage limit, a given store,
 * and a reload that removes a user while it is connected (its connection is closed, it cannot come back).
 */
class NatsServerConfigTest {

    /** A raw NATS protocol conversation: INFO read, optionally TLS, then CONNECT + PING. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;
        final String info;

        Raw(int port, SSLContext tls) throws IOException {
            var plain = new Socket(InetAddress.getLoopbackAddress(), port);
            plain.setSoTimeout(10_000);
            // nats-server 2.9 sends INFO in clear text, then the client starts TLS
            info = readLine(plain);
            if (tls != null) {
                var secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
                secure.startHandshake();
                socket = secure;
            } else {
                socket = plain;
            }
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        /** Sends CONNECT with {@code fields} and a PING; returns the server's answer line. */
        String connect(String fields) throws IOException {
            out.write(("CONNECT {\"verbose\":false" + fields + "}\r\nPING\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        String next() throws IOException {
            return in.readLine();
        }

        private static String readLine(Socket s) throws IOException {
            var sb = new StringBuilder();
            int c;
            while ((c = s.getInputStream().read()) != -1 && c != '\n') {
                sb.append((char) c);
            }
            return sb.toString().trim();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void tlsWithUsersAcceptsTheRightPasswordOverTlsAndRefusesAWrongOne(@TempDir Path dir) throws Exception {
        var certs = TestCerts.create(dir);
        var config = NatsServerConfig.defaults().withTls(certs).withUser("alice", "s3cret");
        try (var nats = NatsServer.start(config)) {
            assertThat(nats.url()).isEqualTo("tls://127.0.0.1:" + nats.port());
            try (var raw = new Raw(nats.port(), certs.clientContext())) {
                assertThat(raw.info).contains("\"tls_required\":true").contains("\"auth_required\":true");
                assertThat(raw.connect(",\"user\":\"alice\",\"pass\":\"s3cret\"")).isEqualTo("PONG");
            }
            try (var raw = new Raw(nats.port(), certs.clientContext())) {
                assertThat(raw.connect(",\"user\":\"alice\",\"pass\":\"wrong\"")).contains("Authorization Violation");
            }
            // a client trusting the JVM's default authorities does not trust a certificate made now
            assertThatThrownBy(() -> new Raw(nats.port(), SSLContext.getDefault()).close())
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void tokenAuthentication() throws Exception {
        try (var nats = NatsServer.start(NatsServerConfig.defaults().withToken("t0ken"))) {
            assertThat(nats.url()).startsWith("nats://");
            try (var raw = new Raw(nats.port(), null)) {
                assertThat(raw.connect(",\"auth_token\":\"t0ken\"")).isEqualTo("PONG");
            }
            try (var raw = new Raw(nats.port(), null)) {
                assertThat(raw.connect("")).contains("Authorization Violation");
            }
        }
    }

    @Test
    void storageLimitAndAGivenStoreThatIsLeftInPlace(@TempDir Path dir) throws Exception {
        var store = Files.createDirectories(dir.resolve("store"));
        try (var nats = NatsServer.start(NatsServerConfig.defaults().withMaxFileStore(8L << 20).withStoreDir(store))) {
            assertThat(nats.storeDir()).isEqualTo(store);
            assertThat(nats.log()).contains("Max Storage:     8.00 MB").contains(store.resolve("jetstream").toString());
            try (var raw = new Raw(nats.port(), null)) {
                assertThat(raw.info).contains("\"jetstream\":true");
            }
        }
        assertThat(store.resolve("jetstream")).as("a given store is the caller's").isDirectory();
    }

    @Test
    void reloadWithoutAUserCutsItsConnectionAndKeepsTheOthers() throws Exception {
        var config = NatsServerConfig.defaults().withUser("alice", "a-pw").withUser("bob", "b-pw");
        try (var nats = NatsServer.start(config);
             var alice = new Raw(nats.port(), null);
             var bob = new Raw(nats.port(), null)) {
            assertThat(alice.connect(",\"user\":\"alice\",\"pass\":\"a-pw\"")).isEqualTo("PONG");
            assertThat(bob.connect(",\"user\":\"bob\",\"pass\":\"b-pw\"")).isEqualTo("PONG");

            nats.reconfigure(config.withUsers(List.of(new NatsServerConfig.User("bob", "b-pw"))));

            // 2.9 closes a revoked user's connection (without an -ERR line first)
            var afterReload = alice.next();
            assertThat(afterReload == null || afterReload.contains("Authorization Violation"))
                    .as("alice's connection ends, got: %s", afterReload).isTrue();
            try (var again = new Raw(nats.port(), null)) {
                assertThat(again.connect(",\"user\":\"alice\",\"pass\":\"a-pw\"")).contains("Authorization Violation");
            }
            bob.out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            bob.out.flush();
            assertThat(bob.next()).isEqualTo("PONG");
            assertThat(nats.config().users()).extracting(NatsServerConfig.User::name).containsExactly("bob");
        }
    }

    @Test
    void refusesCombinationsTheServerWouldRefuse() {
        assertThatThrownBy(() -> NatsServerConfig.defaults().withUser("a", "b").withToken("t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token or users");
        assertThatThrownBy(() -> NatsServerConfig.defaults().withUser("a", "x\"y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
        assertThat(NatsServerConfig.defaults().withUser("a", "hidden").users().get(0).toString()).doesNotContain("hidden");
    }
}
