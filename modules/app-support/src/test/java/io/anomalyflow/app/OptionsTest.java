package io.anomalyflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    enum Storage { FILE, MEMORY, SOME_THING }

    private static final Options OPTIONS = Options.builder("demo", "A demo app.")
            .option("port", "PORT", "8081", "<port>", "HTTP port")
            .option("nats", "NATS_URL", "nats://127.0.0.1:4222", "<url>", "NATS server URL(s)")
            .option("ack-timeout", "ACK_TIMEOUT", "2s", "<duration>", "how long to wait for an ack")
            .option("max-body", "MAX_BODY", "1MiB", "<size>", "largest body")
            .option("storage", "STORAGE", "file", "<file|memory>", "stream storage")
            .option("name", null, null, "<text>", "an optional name")
            .secret("token", "TOKEN", "<token>", "bearer token")
            .flag("verbose", "VERBOSE", "talk more")
            .build();

    private static OptionValues parse(Map<String, String> env, String... args) {
        return OPTIONS.parse(List.of(args), env);
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        var v = parse(Map.of());
        assertThat(v.integer("port", 0, 65535)).isEqualTo(8081);
        assertThat(v.duration("ack-timeout")).isEqualTo(Duration.ofSeconds(2));
        assertThat(v.size("max-body", 0, Long.MAX_VALUE)).isEqualTo(1 << 20);
        assertThat(v.enumValue("storage", Storage.class)).isEqualTo(Storage.FILE);
        assertThat(v.uri("nats", "nats", "tls")).isEqualTo(URI.create("nats://127.0.0.1:4222"));
        assertThat(v.bool("verbose")).isFalse();
        assertThat(v.optional("name")).isEmpty();
        assertThat(v.optional("token")).isEmpty();
        assertThat(v.isSet("port")).isTrue();
        assertThat(v.helpRequested()).isFalse();
    }

    @Test
    void environmentOverridesDefaultAndFlagOverridesEnvironment() {
        var env = Map.of("PORT", "9000", "ACK_TIMEOUT", "PT5S");
        assertThat(parse(env).integer("port", 0, 65535)).isEqualTo(9000);
        assertThat(parse(env, "--port", "9100").integer("port", 0, 65535)).isEqualTo(9100);
        assertThat(parse(env, "--port=9200").integer("port", 0, 65535)).isEqualTo(9200);
        assertThat(parse(env).duration("ack-timeout")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anEmptyVariableCountsAsUnset() {
        assertThat(parse(Map.of("PORT", "")).integer("port", 0, 65535)).isEqualTo(8081);
    }

    @Test
    void theLastOfARepeatedFlagWins() {
        assertThat(parse(Map.of(), "--port", "1", "--port", "2").integer("port", 0, 65535)).isEqualTo(2);
    }

    @Test
    void switchesTakeNoValueButAcceptAnExplicitOne() {
        assertThat(parse(Map.of(), "--verbose").bool("verbose")).isTrue();
        assertThat(parse(Map.of(), "--verbose=false").bool("verbose")).isFalse();
        assertThat(parse(Map.of("VERBOSE", "yes")).bool("verbose")).isTrue();
        assertThat(parse(Map.of(), "--verbose", "--port", "1").integer("port", 0, 9)).isEqualTo(1);
    }

    @Test
    void valuesMayStartWithADash() {
        assertThat(parse(Map.of(), "--name", "-x-").string("name")).isEqualTo("-x-");
    }

    @Test
    void badNumbersNameTheOptionAndTheValue() {
        assertThatThrownBy(() -> parse(Map.of(), "--port", "x").integer("port", 0, 65535))
                .isInstanceOf(OptionException.class).hasMessage("--port: not a number: \"x\"");
        assertThatThrownBy(() -> parse(Map.of(), "--port", "70000").integer("port", 0, 65535))
                .hasMessage("--port: out of range 0..65535: \"70000\"");
    }

    @Test
    void badValuesFromTheEnvironmentNameTheVariable() {
        assertThatThrownBy(() -> parse(Map.of("PORT", "eighty")).integer("port", 0, 65535))
                .isInstanceOf(OptionException.class).hasMessage("PORT (for --port): not a number: \"eighty\"");
    }

    @Test
    void typedGettersExplainWhatIsAccepted() {
        assertThatThrownBy(() -> parse(Map.of(), "--ack-timeout", "30").duration("ack-timeout"))
                .hasMessageStartingWith("--ack-timeout: not a duration: \"30\"").hasMessageContaining("500ms");
        assertThatThrownBy(() -> parse(Map.of(), "--ack-timeout", "2h").duration("ack-timeout", Duration.ZERO, Duration.ofMinutes(1)))
                .hasMessage("--ack-timeout: out of range 0s..1m: \"2h\"");
        assertThatThrownBy(() -> parse(Map.of(), "--max-body", "1TiB").size("max-body", 0, 1 << 30))
                .hasMessageStartingWith("--max-body: unknown size unit");
        assertThatThrownBy(() -> parse(Map.of(), "--max-body", "2GiB").size("max-body", 1, 1 << 30))
                .hasMessage("--max-body: out of range 1B..1GiB: \"2GiB\"");
        assertThatThrownBy(() -> parse(Map.of(), "--storage", "disk").enumValue("storage", Storage.class))
                .hasMessage("--storage: not one of file, memory, some-thing: \"disk\"");
        assertThat(parse(Map.of(), "--storage", "some-thing").enumValue("storage", Storage.class)).isEqualTo(Storage.SOME_THING);
        assertThat(parse(Map.of(), "--storage", "MEMORY").enumValue("storage", Storage.class)).isEqualTo(Storage.MEMORY);
        assertThatThrownBy(() -> parse(Map.of("VERBOSE", "maybe")).bool("verbose"))
                .hasMessageStartingWith("VERBOSE (for --verbose): not a boolean");
    }

    @Test
    void urlsAreCheckedForSchemeAndHost() {
        assertThatThrownBy(() -> parse(Map.of(), "--nats", "localhost:4222").uri("nats", "nats"))
                .hasMessageStartingWith("--nats: not an absolute URL with a host");
        assertThatThrownBy(() -> parse(Map.of(), "--nats", "http://h:1").uri("nats", "nats", "tls"))
                .hasMessage("--nats: scheme must be one of nats, tls: \"http://h:1\"");
        assertThatThrownBy(() -> parse(Map.of(), "--nats", "nats://a b").uri("nats"))
                .hasMessage("--nats: not a URL: \"nats://a b\"");
        assertThat(parse(Map.of(), "--nats", "nats://a:1, nats://b:2").uris("nats", "nats"))
                .containsExactly(URI.create("nats://a:1"), URI.create("nats://b:2"));
    }

    @Test
    void secretsAreNeverEchoed() {
        var v = parse(Map.of(), "--token", "s3cret");
        assertThat(v.string("token")).isEqualTo("s3cret");
        assertThatThrownBy(() -> v.integer("token", 0, 1)).hasMessage("--token: invalid value (not shown: it is a secret)")
                .hasMessageNotContaining("s3cret");
        assertThat(OPTIONS.help()).doesNotContain("s3cret");
    }

    @Test
    void unknownOptionsStrayArgumentsAndMissingValuesAreErrors() {
        assertThatThrownBy(() -> parse(Map.of(), "--prot", "1")).isInstanceOf(OptionException.class)
                .hasMessage("unknown option --prot (see --help)");
        assertThatThrownBy(() -> parse(Map.of(), "8081")).hasMessageStartingWith("unexpected argument \"8081\"");
        assertThatThrownBy(() -> parse(Map.of(), "-p", "1")).hasMessageStartingWith("unexpected argument \"-p\"");
        assertThatThrownBy(() -> parse(Map.of(), "--port")).hasMessage("--port: missing value (<port>)");
        assertThatThrownBy(() -> parse(Map.of()).string("name")).hasMessage("--name: required");
    }

    @Test
    void helpWinsOverOtherwiseBadArguments() {
        assertThat(parse(Map.of(), "--bogus", "--help").helpRequested()).isTrue();
        assertThat(parse(Map.of(), "-h").helpRequested()).isTrue();
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        var help = OPTIONS.help();
        assertThat(help).startsWith("Usage: demo [options]\n\nA demo app.\n");
        for (var o : OPTIONS.options()) {
            var line = help.lines().filter(l -> l.startsWith("  " + o.flag() + " ") || l.equals("  " + o.flag())).findFirst();
            assertThat(line).as("help line of " + o.flag()).isPresent();
            assertThat(line.get()).contains(o.description());
            if (o.env() != null) {
                assertThat(line.get()).contains(o.env());
            }
            if (o.defaultValue() != null) {
                assertThat(line.get()).contains("(default: " + o.defaultValue() + ")");
            }
        }
        assertThat(help).contains("--port <port>").contains("--help, -h").contains("PT10M");
        assertThat(help.lines().filter(l -> l.contains("--token")).findFirst().orElseThrow()).doesNotContain("default");
    }

    @Test
    void definitionsAreChecked() {
        assertThatThrownBy(() -> Options.builder("x", "y").option("Port", "PORT", null, "<p>", "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.builder("x", "y").option("port", "port", null, "<p>", "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Options.builder("x", "y").option("a", "A", null, "<p>", "d").option("a", "B", null, "<p>", "d").build())
                .hasMessageContaining("--a is defined twice");
        assertThatThrownBy(() -> Options.builder("x", "y").option("a", "A", null, "<p>", "d").option("b", "A", null, "<p>", "d").build())
                .hasMessageContaining("A is used by --a and --b");
        assertThatThrownBy(() -> Options.builder("x", "y").option("help", null, null, "<p>", "d").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse(Map.of()).string("nope")).isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(OptionException.class);
    }

    @Test
    void appSpecificConversionsGetTheSameMessages() {
        var v = parse(Map.of(), "--name", "a/b");
        assertThatThrownBy(() -> v.convert("name", s -> {
            throw new IllegalArgumentException("must not contain /");
        })).hasMessage("--name: must not contain /: \"a/b\"");
    }
}
