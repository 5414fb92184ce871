package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's endpoints over a real socket with the JDK HttpClient, against a fake gateway. */
class SenderPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private FakeGateway gateway;
    private SenderPage page;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        gateway = FakeGateway.start(1);
        var defaults = SenderConfig.builder().gateway(gateway.url()).count(200).concurrency(4).build();
        page = SenderPage.start(InetAddress.getLoopbackAddress(), 0, defaults);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        page.close();
        gateway.close();
        http.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(page.url().resolve(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(page.url().resolve(path)).timeout(WAIT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Reads a whole SSE stream (it ends after the summary) into events. */
    private List<String[]> events(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(page.url().resolve(path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        var events = new ArrayList<String[]>();
        String type = null;
        var lines = response.body().iterator();
        while (lines.hasNext()) {
            var line = lines.next();
            if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                events.add(new String[] {type, line.substring(6)});
                type = null;
            }
        }
        return events;
    }

    @Test
    void servesTheSelfContainedPage() throws Exception {
        var r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).contains("<title>anomalyflow sender</title>").contains("new EventSource(")
                .doesNotContain("<script src", "<link", "@import", "innerHTML");
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void configShowsTheDefaults() throws Exception {
        var c = JSON.readTree(get("/config").body());
        assertThat(c.get("gateway").asText()).isEqualTo(gateway.url().toString());
        assertThat(c.get("count").asInt()).isEqualTo(200);
        assertThat(c.get("concurrency").asInt()).isEqualTo(4);
    }

    @Test
    void noRunYetIs404() throws Exception {
        assertThat(get("/runs/current").statusCode()).isEqualTo(404);
        assertThat(get("/runs/current/events").statusCode()).isEqualTo(404);
        assertThat(post("/runs/current/stop", "").statusCode()).isEqualTo(404);
    }

    @Test
    void startARunAndFollowItsProgressOverSse() throws Exception {
        var started = post("/runs", "count=300&devices=3");
        assertThat(started.statusCode()).isEqualTo(202);
        var runId = JSON.readTree(started.body()).get("runId").asText();

        var events = events("/runs/current/events");
        assertThat(events.get(0)[0]).isEqualTo("run");
        assertThat(JSON.readTree(events.get(0)[1]).get("runId").asText()).isEqualTo(runId);
        var last = events.get(events.size() - 1);
        assertThat(last[0]).isEqualTo("summary");
        var summary = JSON.readTree(last[1]);
        assertThat(summary.get("acknowledged").asLong()).isEqualTo(300);
        assertThat(summary.get("allAcknowledged").asBoolean()).isTrue();
        assertThat(events.subList(1, events.size() - 1)).allMatch(e -> e[0].equals("progress"));

        assertThat(gateway.stored().keySet()).allMatch(id -> id.startsWith(runId + "-")).hasSize(300);
        JsonNode current = JSON.readTree(get("/runs/current").body());
        assertThat(current.get("runId").asText()).isEqualTo(runId);
        assertThat(current.get("progress").get("done").asBoolean()).isTrue();
        assertThat(current.get("summary").get("acknowledged").asLong()).isEqualTo(300);
    }

    @Test
    void progressEventsAreSentWhileTheRunGoes() throws Exception {
        assertThat(post("/runs", "count=400&concurrency=2").statusCode()).isEqualTo(202); // ≥ 200 ms at 1 ms × 400 / 2
        var events = events("/runs/current/events");
        var progress = events.stream().filter(e -> e[0].equals("progress")).map(e -> e[1]).toList();
        assertThat(progress).isNotEmpty();
        var first = JSON.readTree(progress.get(0));
        assertThat(first.get("total").asLong()).isEqualTo(400);
        assertThat(first.has("acknowledged") && first.has("inFlight") && first.has("rate")).isTrue();
    }

    @Test
    void oneRunAtATime() throws Exception {
        assertThat(post("/runs", "count=100000&concurrency=1").statusCode()).isEqualTo(202);
        var second = post("/runs", "count=10");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(second.body()).get("error").asText()).contains("still going");
        assertThat(post("/runs/current/stop", "").statusCode()).isEqualTo(202);
        var summary = page.current().orElseThrow().completion().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(summary.notSent()).isPositive();
        assertThat(post("/runs", "count=10").statusCode()).isEqualTo(202);
    }

    @Test
    void badParametersAre400NamingThem() throws Exception {
        for (var form : List.of("count=lots", "count=-5", "devices=0", "gateway=ftp%3A%2F%2Fx", "rate=NaN", "colour=red")) {
            var r = post("/runs", form);
            assertThat(r.statusCode()).as(form).isEqualTo(400);
            var name = form.substring(0, form.indexOf('='));
            assertThat(JSON.readTree(r.body()).get("error").asText()).as(form).contains(name);
        }
        var broken = post("/runs", "count=%zz");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(broken.body()).get("error").asText()).isNotBlank();
        assertThat(page.current()).isEmpty();
    }

    @Test
    void parametersMayComeInTheQueryString() throws Exception {
        var r = http.send(HttpRequest.newBuilder(page.url().resolve("/runs?count=7")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(page.current().orElseThrow().await(WAIT).acknowledged()).isEqualTo(7);
    }

    @Test
    void theWorkshopPathStartsARunAndStreamsIt() throws Exception {
        var events = events("/sendMeasurements/gateway/amount/50");
        assertThat(events.get(0)[0]).isEqualTo("run");
        var summary = JSON.readTree(events.get(events.size() - 1)[1]);
        assertThat(summary.get("acknowledged").asLong()).isEqualTo(50);
        assertThat(gateway.stored()).hasSize(50);
    }

    @Test
    void theWorkshopPathTakesAnEncodedGatewayUrl() throws Exception {
        try (var other = FakeGateway.start(0)) {
            var dest = URLEncoder.encode(other.url().toString(), StandardCharsets.UTF_8);
            var events = events("/sendMeasurements/" + dest + "/amount/20");
            var summary = JSON.readTree(events.get(events.size() - 1)[1]);
            assertThat(summary.get("target").asText()).isEqualTo(other.url() + "/measurements");
            assertThat(other.stored()).hasSize(20);
            assertThat(gateway.stored()).isEmpty();
        }
    }

    @Test
    void theWorkshopPathRefusesWhatItDoesNotUnderstand() throws Exception {
        assertThat(get("/sendMeasurements/gateway/amount/many").statusCode()).isEqualTo(400);
        assertThat(get("/sendMeasurements/gateway/count/5").statusCode()).isEqualTo(404);
        assertThat(get("/sendMeasurements/mars/amount/5").statusCode()).isEqualTo(400);
        var post = post("/sendMeasurements/gateway/amount/5", "");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(page.current()).isEmpty();
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() throws Exception {
        var r = get("/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).has("error")).isTrue();
        var put = http.send(HttpRequest.newBuilder(page.url().resolve("/runs")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void closingThePageEndsOpenStreamsAndTheRun() throws Exception {
        assertThat(post("/runs", "count=1000000&concurrency=1").statusCode()).isEqualTo(202);
        var stream = http.sendAsync(HttpRequest.newBuilder(page.url().resolve("/runs/current/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        var lines = stream.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).body();
        var run = page.current().orElseThrow();
        page.close();
        assertThat(lines.count()).isPositive(); // the stream ended instead of hanging
        assertThat(run.isDone()).isTrue();
    }
}
