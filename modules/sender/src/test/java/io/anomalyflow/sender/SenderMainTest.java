package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.anomalyflow.app.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command line, run in-process: options, help, exit statuses, what goes to stdout and stderr. */
class SenderMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private FakeGateway gateway;

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private int run(Map<String, String> env, String... args) {
        return SenderMain.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        assertThat(run(Map.of(), "--help")).isZero();
        var help = out();
        for (var o : SenderOptions.OPTIONS.options()) {
            assertThat(help).contains("--" + o.name());
            if (o.env() != null) {
                assertThat(help).contains(o.env());
            }
        }
        assertThat(help).contains("GATEWAY_URL").contains("(default: http://127.0.0.1:8081)").contains("(default: 10000)")
                .contains("(default: 32)").contains("--serve").contains("(default: 8082)");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        var o = SenderOptions.from(SenderOptions.OPTIONS.parse(List.of(), Map.of()));
        assertThat(o.run().gateway()).hasToString("http://127.0.0.1:8081");
        assertThat(o.run().target()).hasToString("http://127.0.0.1:8081/measurements");
        assertThat(o.run().count()).isEqualTo(10_000);
        assertThat(o.run().devices()).isEqualTo(10);
        assertThat(o.run().concurrency()).isEqualTo(32);
        assertThat(o.run().batch()).isEqualTo(1);
        assertThat(o.run().rate()).isZero();
        assertThat(o.run().retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(o.run().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.run().token()).isNull();
        assertThat(o.run().seed()).isNull();
        assertThat(o.serve()).isFalse();
        assertThat(o.port()).isEqualTo(8082);
        assertThat(o.bind().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(o.progress()).isEqualTo(ConsoleProgress.Mode.AUTO);
    }

    @Test
    void flagsAndVariablesAreRead() {
        Options options = SenderOptions.OPTIONS;
        var o = SenderOptions.from(options.parse(List.of("--count", "7", "--batch=5", "--rate", "12.5", "--retries", "2",
                "--backoff", "50ms", "--max-backoff", "1s", "--timeout", "3s", "--seed", "-4", "--run-id", "abc",
                "--progress", "lines", "--json", "--serve", "--port", "0", "--gateway", "https://gw.example:9443/in"),
                Map.of("GATEWAY_TOKEN", "tok", "SENDER_DEVICES", "3", "SENDER_COUNT", "99", "BIND", "127.0.0.1")));
        assertThat(o.run().count()).isEqualTo(7); // the flag wins over SENDER_COUNT
        assertThat(o.run().devices()).isEqualTo(3);
        assertThat(o.run().batch()).isEqualTo(5);
        assertThat(o.run().rate()).isEqualTo(12.5);
        assertThat(o.run().retry()).isEqualTo(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofSeconds(1)));
        assertThat(o.run().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.run().seed()).isEqualTo(-4L);
        assertThat(o.run().runId()).isEqualTo("abc");
        assertThat(o.run().token()).isEqualTo("tok");
        assertThat(o.run().target()).hasToString("https://gw.example:9443/in"); // a URL with a path is used as is
        assertThat(o.progress()).isEqualTo(ConsoleProgress.Mode.LINES);
        assertThat(o.json()).isTrue();
        assertThat(o.serve()).isTrue();
        assertThat(o.port()).isZero();
    }

    @Test
    void aBadOptionExitsWith2AndNamesIt() {
        record Case(List<String> args, String expected) {
        }
        var cases = List.of(
                new Case(List.of("--count", "many"), "--count"),
                new Case(List.of("--count", "-1"), "--count"),
                new Case(List.of("--concurrency", "0"), "--concurrency"),
                new Case(List.of("--batch", "10001"), "--batch"),
                new Case(List.of("--rate", "fast"), "--rate"),
                new Case(List.of("--rate", "-3"), "--rate"),
                new Case(List.of("--gateway", "ftp://x"), "--gateway"),
                new Case(List.of("--gateway", "not a url"), "--gateway"),
                new Case(List.of("--backoff", "2s", "--max-backoff", "1s"), "--max-backoff"),
                new Case(List.of("--timeout", "soon"), "--timeout"),
                new Case(List.of("--run-id", "a b"), "--run-id"),
                new Case(List.of("--progress", "fancy"), "--progress"),
                new Case(List.of("--port", "70000"), "--port"),
                new Case(List.of("--bogus", "1"), "--bogus"),
                new Case(List.of("--count"), "--count"));
        for (var c : cases) {
            err.reset();
            assertThat(run(Map.of(), c.args().toArray(String[]::new))).as("%s", c.args()).isEqualTo(2);
            assertThat(err()).as("%s", c.args()).contains(c.expected());
        }
        err.reset();
        assertThat(run(Map.of("SENDER_COUNT", "x"))).isEqualTo(2);
        assertThat(err()).contains("SENDER_COUNT");
    }

    @Test
    void aSecretTokenIsNeverEchoed() {
        assertThat(run(Map.of(), "--token", "has space s3cr3t", "--count", "0")).isEqualTo(2);
        assertThat(err()).contains("--token").doesNotContain("s3cr3t");
    }

    @Test
    void aSuccessfulRunExitsZeroWithTheSummaryOnStdoutAndProgressOnStderr() throws Exception {
        gateway = FakeGateway.start(0);
        int status = run(Map.of("GATEWAY_URL", gateway.url().toString()), "--count", "200", "--concurrency", "4",
                "--progress", "lines", "--run-id", "cli");
        assertThat(status).isZero();
        assertThat(out()).contains("acknowledged        200").contains("result: all acknowledged").doesNotContain("progress:");
        assertThat(err()).contains("sender: 200 measurements from 10 devices to " + gateway.url() + "/measurements")
                .contains("progress: 200/200 done (100%)");
        assertThat(gateway.stored()).hasSize(200).containsKey("cli-200");
    }

    @Test
    void jsonSummaryIsOneParsableObject() throws Exception {
        gateway = FakeGateway.start(0);
        int status = run(Map.of(), "--gateway", gateway.url().toString(), "--count", "50", "--batch", "10", "--json",
                "--progress", "none");
        assertThat(status).isZero();
        var json = new ObjectMapper().readTree(out());
        assertThat(json.get("acknowledged").asLong()).isEqualTo(50);
        assertThat(json.get("requests").asLong()).isEqualTo(5);
        assertThat(json.get("allAcknowledged").asBoolean()).isTrue();
        assertThat(json.get("lastError").isNull()).isTrue();
        assertThat(err()).doesNotContain("progress:");
    }

    @Test
    void anythingNotAcknowledgedExitsOne() throws Exception {
        gateway = FakeGateway.start(0).behave((n, ids, seen) -> n == 3 ? FakeGateway.Reply.badRequest("nope") : null);
        int status = run(Map.of(), "--gateway", gateway.url().toString(), "--count", "10", "--concurrency", "1",
                "--progress", "none");
        assertThat(status).isEqualTo(1);
        assertThat(out()).contains("rejected              1").contains("HTTP 400: nope").contains("result: 1 NOT acknowledged");
    }

    @Test
    void serveStartsThePage() {
        assertThat(run(Map.of(), "--serve", "--port", "0")).isZero();
    }
}
