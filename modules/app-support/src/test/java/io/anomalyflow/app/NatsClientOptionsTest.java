package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.testsupport.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatsClientOptionsTest {
    private static final Options OPTIONS = Options.builder("app", "test").options(NatsClientOptions.OPTIONS).build();
    @TempDir
    static Path dir;
    static TestCerts certs;

    @BeforeAll
    static void certs() throws Exception {
        certs = TestCerts.create(dir);
    }

    private static NatsClientOptions read(List<String> args, Map<String, String> env) {
        return NatsClientOptions.read(OPTIONS.parse(args, env));
    }

    @Test
    void nothingSetMeansTheJvmTrustAndNoCredentials() {
        var o = read(List.of(), Map.of());
        assertThat(o.trust()).isNull();
        assertThat(o.user()).isNull();
        assertThat(o.token()).isNull();
    }

    @Test
    void credentialsFromTheEnvironmentAndAFlagWins() {
        var o = read(List.of("--nats-user", "flag-user"), Map.of("NATS_USER", "env-user", "NATS_PASSWORD", "pw-from-env"));
        assertThat(o.user()).isEqualTo("flag-user");
        assertThat(o.password()).isEqualTo("pw-from-env");
        assertThat(o.toString()).doesNotContain("pw-from-env").contains("password=***");
        assertThat(read(List.of(), Map.of("NATS_TOKEN", "tok-from-env")).token()).isEqualTo("tok-from-env");
    }

    @Test
    void theTruststoreIsOpenedWithItsPasswordAndWithoutItSaysWhatIsMissing() throws Exception {
        var with = read(List.of("--nats-truststore", certs.truststore().toString()), Map.of("NATS_TRUSTSTORE_PASSWORD", certs.password()));
        assertThat(with.trust()).isNotNull();
        assertThatThrownBy(() -> read(List.of("--nats-truststore", certs.truststore().toString()), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("give --nats-truststore-password");
    }

    @Test
    void eachBadCombinationNamesItsOption() throws Exception {
        assertThatThrownBy(() -> read(List.of("--nats-user", "u"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("--nats-user").hasMessageContaining("--nats-password");
        assertThatThrownBy(() -> read(List.of(), Map.of("NATS_PASSWORD", "orphan-pw")))
                .isInstanceOf(OptionException.class).hasMessageContaining("--nats-password").hasMessageNotContaining("orphan-pw");
        assertThatThrownBy(() -> read(List.of("--nats-user", "u", "--nats-password", "p", "--nats-token", "t"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> read(List.of("--nats-truststore", dir.resolve("missing.p12").toString()), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("--nats-truststore").hasMessageContaining("cannot read");
        assertThatThrownBy(() -> read(List.of("--nats-truststore", certs.truststore().toString(),
                "--nats-truststore-password", "wrong-trust-pw"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("--nats-truststore")
                .hasMessageContaining("password").hasMessageNotContaining("wrong-trust-pw");
        var notAStore = Files.writeString(dir.resolve("not-a-store.p12"), "hello");
        assertThatThrownBy(() -> read(List.of("--nats-truststore", notAStore.toString()), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("PKCS#12");
        assertThatThrownBy(() -> read(List.of("--nats-truststore-password", "x"), Map.of()))
                .isInstanceOf(OptionException.class).hasMessageContaining("needs --nats-truststore");
    }

    @Test
    void helpListsTheOptionsAndTheirVariablesAndNoSecret() {
        var help = OPTIONS.help();
        assertThat(help).contains("--nats-truststore <file>", "NATS_TRUSTSTORE", "--nats-user", "NATS_USER",
                "--nats-password", "NATS_PASSWORD", "--nats-token", "NATS_TOKEN");
        assertThat(OPTIONS.options()).filteredOn(Option::secret).extracting(Option::name)
                .containsExactlyInAnyOrder("nats-password", "nats-token", "nats-truststore-password");
    }
}
