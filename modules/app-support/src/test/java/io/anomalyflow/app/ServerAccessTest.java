package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.TestCerts;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared HTTPS and protected-mode options: parsed, checked, and never showing the password. */
class ServerAccessTest {
    private static final Options OPTIONS = Options.builder("app", "test")
            .option("bind", "BIND", "127.0.0.1", "<address>", "address").include(ServerAccess::options).build();
    @TempDir
    static Path dir;
    private static TestCerts certs;

    @BeforeAll
    static void certs() throws Exception {
        certs = TestCerts.create(dir);
    }

    private static ServerAccess parse(Map<String, String> env, String... args) {
        return ServerAccess.from(OPTIONS.parse(List.of(args), env));
    }

    @Test
    void plainByDefaultAndHttpsWithAKeystoreAndItsPasswordFromTheEnvironment() {
        assertThat(parse(Map.of()).https()).isFalse();
        var access = parse(Map.of("TLS_PASSWORD", certs.password()), "--tls-keystore", certs.keystore().toString());
        assertThat(access.https()).isTrue();
        assertThat(access.tls().context().getProtocol()).isEqualTo("TLS");
        assertThat(access.toString()).contains("https").doesNotContain(certs.password());
    }

    @Test
    void aMissingOrWrongPasswordIsNamedWithoutEchoingIt() {
        assertThatThrownBy(() -> parse(Map.of(), "--tls-keystore", certs.keystore().toString()))
                .isInstanceOf(OptionException.class).hasMessageContaining("--tls-password").hasMessageContaining("TLS_PASSWORD");
        assertThatThrownBy(() -> parse(Map.of(), "--tls-password", "secret-pw"))
                .isInstanceOf(OptionException.class).hasMessageContaining("without --tls-keystore");
        assertThatThrownBy(() -> parse(Map.of(), "--tls-keystore", certs.keystore().toString(), "--tls-password", "wrong-pw-42"))
                .isInstanceOf(OptionException.class).hasMessageContaining("--tls-keystore")
                .hasMessageContaining("wrong password").hasMessageNotContaining("wrong-pw-42");
    }

    @Test
    void helpListsTheOptionsButNoPassword() {
        var help = OPTIONS.help();
        assertThat(help).contains("--tls-keystore <file>", "TLS_KEYSTORE", "--tls-password", "TLS_PASSWORD", "--allow-anonymous");
    }

    @Test
    void protectedModeRefusesANonLoopbackBindWithoutATokenAndSaysHowToSetOne() throws Exception {
        var any = InetAddress.getByName("0.0.0.0");
        assertThatThrownBy(() -> ServerAccess.PLAIN.requireProtection(any, false, "set one with --token or APP_TOKEN"))
                .isInstanceOf(OptionException.class)
                .hasMessageStartingWith("--bind: 0.0.0.0")
                .hasMessageContaining("set one with --token or APP_TOKEN").hasMessageContaining("--allow-anonymous");
        // what may pass: loopback (v4 and v6), a token, or anonymous service asked for
        ServerAccess.PLAIN.requireProtection(InetAddress.getByName("127.0.0.1"), false, "x");
        ServerAccess.PLAIN.requireProtection(InetAddress.getByName("::1"), false, "x");
        ServerAccess.PLAIN.requireProtection(any, true, "x");
        var anonymous = parse(Map.of("ALLOW_ANONYMOUS", "true"));
        assertThat(anonymous.allowAnonymous()).isTrue();
        anonymous.requireProtection(any, false, "x");
        assertThat(parse(Map.of(), "--allow-anonymous").allowAnonymous()).isTrue();
    }
}
