package io.anomalyflow.workshop.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.anomalyflow.client.AnomalyClient;
import io.anomalyflow.client.ClientConfig;
import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.flow.sse.SseEvent;
import io.anomalyflow.testsupport.NatsServerExtension;
import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.workshop.api.BufferStep;
import io.anomalyflow.workshop.api.DeviceFilterStep;
import io.anomalyflow.workshop.api.HistoryStep;
import io.anomalyflow.workshop.api.MulticastStep;
import io.anomalyflow.workshop.api.OperatorStep;
import io.anomalyflow.workshop.api.SseStep;
import io.anomalyflow.workshop.reference.ReferenceBuffer;
import io.anomalyflow.workshop.reference.ReferenceDeviceFilter;
import io.anomalyflow.workshop.reference.ReferenceHistory;
import io.anomalyflow.workshop.reference.ReferenceMulticast;
import io.anomalyflow.workshop.reference.ReferenceOperators;
import io.anomalyflow.workshop.reference.ReferenceSse;
import io.anomalyflow.workshop.run.WorkshopClientMain;
import io.anomalyflow.workshop.run.WorkshopParts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code make workshop-run}'s client: step implementations plugged into the client's extension
 * point ({@code ClientParts}) serve the live stream, and only the steps that pass are plugged in.
 * A real nats-server, real HTTP, real SSE readers.
 */
class WorkshopClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ALL_YOURS =
            "map=yours filter=yours multicast=yours device-filter=yours buffer=yours sse=yours history=yours";
    private static final String ALL_OURS =
            "map=ours filter=ours multicast=ours device-filter=ours buffer=ours sse=ours history=ours";

    @RegisterExtension
    static final NatsServerExtension SERVER = new NatsServerExtension();
    private static TestNats nats;
    private static HttpClient http;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        nats = TestNats.connect(NatsConnections.options(SERVER.server().url(), "workshop-test"));
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void disconnect() {
        http.close();
        nats.close();
    }

    @AfterEach
    void closeWhatTheTestStarted() throws Exception {
        for (var c : toClose.reversed()) {
            c.close();
        }
    }

    @Test
    void theReferenceAdaptersPluggedInServeEveryReaderTheReplayThenLiveOnceInOrderAndHealthSaysYours() throws Exception {
        var used = new ConcurrentHashMap<String, AtomicInteger>(); // which plugged part was called, how often
        var parts = WorkshopParts.of(counted(new ReferenceOperators(), used), counted(new ReferenceMulticast(), used),
                counted(new ReferenceDeviceFilter(), used), counted(new ReferenceBuffer(), used),
                counted(new ReferenceSse(), used), counted(new ReferenceHistory(), used));
        assertThat(parts.describe()).isEqualTo(ALL_YOURS);
        var now = new AtomicReference<>(Instant.now());
        InstantSource clock = now::get;
        var names = TestNats.freshNames("ws");
        nats.createStream(names[0], names[1]);
        // before the client: in the map when the readers come, so replayed to them
        long a1 = nats.measurement(names[1], "a", "5");
        nats.measurement(names[1], "a", "50"); // above the threshold: no anomaly
        long b1 = nats.measurement(names[1], "b", "1");
        var client = started(AnomalyClient.start(config(names).clock(clock).build(), parts));
        assertThat(client.awaitReading(WAIT)).as("client reads").isTrue();
        await().atMost(WAIT).until(() -> health(client).contains("\"lastSeq\":" + b1));

        var all = reader(client, "/anomalies/stream", Map.of());
        var onlyA = reader(client, "/anomalies/stream?deviceId=a", Map.of());
        all.awaitCount(2, WAIT);
        onlyA.awaitCount(1, WAIT);

        long a2 = nats.measurement(names[1], "a", "3");
        long b2 = nats.measurement(names[1], "b", "-2");
        nats.measurement(names[1], "b", "70");
        long a3 = nats.measurement(names[1], "a", "20");
        var resumed = reader(client, "/anomalies/stream", Map.of("Last-Event-ID", Long.toString(b1)));

        assertThat(all.awaitCount(5, WAIT).ids()).as("every anomaly once, replayed then live, in stream order")
                .containsExactly(a1, b1, a2, b2, a3);
        assertThat(onlyA.awaitCount(3, WAIT).ids()).as("the device filter").containsExactly(a1, a2, a3);
        assertThat(resumed.awaitCount(3, WAIT).ids()).as("after its Last-Event-ID").containsExactly(a2, b2, a3);
        assertThat(all.events().getFirst().event()).isEqualTo("anomaly");
        assertThat(all.events().getFirst().data()).contains("\"deviceId\":\"a\"");
        Thread.sleep(300); // nothing more may come: a duplicate would arrive now
        assertThat(all.ids()).hasSize(5);

        assertThat(used).as("the plugged parts built the chain and the readers' paths")
                .containsOnlyKeys("map", "filter", "multicast", "view", "buffer", "sse",
                        "history", "history.put", "history.live", "history.expire");
        assertThat(used.get("history.put")).as("every anomaly put into the map").hasValue(5);
        assertThat(used.get("multicast")).as("one processor for the readers of the run").hasValue(1);
        assertThat(used.get("view")).as("one per reader").hasValue(3);
        assertThat(used.get("buffer")).as("one per reader").hasValue(3);
        assertThat(used.get("sse")).as("one per reader").hasValue(3);
        assertThat(health(client)).contains("\"workshopParts\":\"" + ALL_YOURS + "\"");
        assertThat(client.describe()).contains("workshop parts: " + ALL_YOURS);
        assertThat(client.parts().allOurs()).isFalse();
        assertThat(health(client)).contains("\"anomaliesInMap\":5");
        now.set(now.get().plus(Duration.ofMinutes(6))); // past the ttl (5 min): the history's sweep removes them
        assertThat(health(client)).as("after the plugged history's sweep").contains("\"anomaliesInMap\":0");

        var plain = started(AnomalyClient.start(config(names).build())); // client.jar's way: no parts
        assertThat(plain.awaitReading(WAIT)).as("plain client reads").isTrue();
        assertThat(health(plain)).as("a client started without parts names none").doesNotContain("workshopParts");
        assertThat(plain.describe()).doesNotContain("workshop");
    }

    @Test
    void aPluggedWriterStuckInItsWriteHoldsUpOnlyItsOwnReader() throws Exception {
        var release = new CountDownLatch(1);
        var parts = WorkshopParts.of(new ReferenceOperators(), new ReferenceMulticast(), new ReferenceDeviceFilter(),
                new ReferenceBuffer(), stuckFor("deviceId=s", new ReferenceSse(), release), null);
        var names = TestNats.freshNames("ws");
        nats.createStream(names[0], names[1]);
        var client = started(AnomalyClient.start(config(names).build(), parts)); // buffers of 1000: no drop
        assertThat(client.awaitReading(WAIT)).as("client reads").isTrue();
        var stuck = reader(client, "/anomalies/stream?deviceId=s", Map.of());
        var all = reader(client, "/anomalies/stream", Map.of());

        var bodies = new ArrayList<byte[]>();
        for (int i = 0; i < 400; i++) {
            bodies.add(TestNats.json(i % 2 == 0 ? "s" : "t", "1").getBytes(StandardCharsets.UTF_8));
        }
        var seqs = nats.publishAll(names[1], bodies, 64);
        assertThat(all.awaitCount(seqs.size(), WAIT).ids()).as("the other reader: everything, in order")
                .containsExactlyElementsOf(seqs);
        assertThat(stuck.ids()).as("the stuck reader's writer never got past its first write").isEmpty();
        assertThat(release.getCount()).as("still stuck").isEqualTo(1);

        client.close(); // closes the stuck writer from the closing thread, which ends its write
        assertThat(release.getCount()).isZero();
        assertThat(stuck.awaitEnd(WAIT)).as("the stuck reader's stream ended").isTrue();
    }

    @Test
    void theSkeletonsAsShippedPassNoStepSoTheWorkshopClientPlugsNoneInAndServesWithOurs() throws Exception {
        var passing = WorkshopRun.summary("pristine", new ArrayList<>());
        assertThat(passing).as("steps the pristine skeletons pass").isEmpty();

        var names = TestNats.freshNames("ws");
        nats.createStream(names[0], names[1]);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var launch = WorkshopClientMain.launch(List.of("--steps", String.join(",", passing), "--nats", SERVER.server().url(),
                "--port", "0", "--stream", names[0], "--subject", names[1]), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(launch.app()).as("started; err: %s", err).isInstanceOf(AnomalyClient.class);
        var client = started((AnomalyClient) launch.app());
        assertThat(client.parts().allOurs()).isTrue();
        var printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("workshop parts: " + ALL_OURS);
        assertThat(printed.lines().filter(l -> l.contains("(your step does not pass yet)")))
                .as("the steps said to be ours").hasSize(WorkshopParts.PLUGGABLE.size())
                .anyMatch(l -> l.contains("07  map and filter (MapAndFilter)"));
        assertThat(client.awaitReading(WAIT)).as("client reads").isTrue();
        assertThat(health(client)).contains("\"workshopParts\":\"" + ALL_OURS + "\"");

        var all = reader(client, "/anomalies/stream", Map.of());
        long a1 = nats.measurement(names[1], "a", "5");
        assertThat(all.awaitCount(1, WAIT).ids()).containsExactly(a1);
    }

    @Test
    void onlyTheStepsGivenArePluggedIn() {
        var rest = new ArrayList<String>();
        var steps = WorkshopClientMain.steps(List.of("--port", "0", "--steps", "7,11", "--steps=06"), rest);
        assertThat(steps).containsExactlyInAnyOrder("07", "11", "06");
        assertThat(rest).containsExactly("--port", "0");
        assertThat(WorkshopParts.learners(Set.of("07", "11")).describe())
                .isEqualTo("map=yours filter=yours multicast=ours device-filter=ours buffer=yours sse=ours history=ours");
        assertThat(WorkshopParts.learners(Set.of()).allOurs()).isTrue();
    }

    private static void count(Map<String, AtomicInteger> used, String part) {
        used.computeIfAbsent(part, p -> new AtomicInteger()).incrementAndGet();
    }

    private static OperatorStep counted(OperatorStep step, Map<String, AtomicInteger> used) {
        return new OperatorStep() {
            @Override
            public <T, R> Flow.Publisher<R> map(Flow.Publisher<T> source, Function<? super T, ? extends R> mapper) {
                count(used, "map");
                return step.map(source, mapper);
            }

            @Override
            public <T> Flow.Publisher<T> filter(Flow.Publisher<T> source, Predicate<? super T> predicate) {
                count(used, "filter");
                return step.filter(source, predicate);
            }
        };
    }

    private static MulticastStep counted(MulticastStep step, Map<String, AtomicInteger> used) {
        return new MulticastStep() {
            @Override
            public <T> Flow.Processor<T, T> create() {
                count(used, "multicast");
                return step.create();
            }

            @Override
            public boolean coordinatedEmission() {
                return step.coordinatedEmission();
            }
        };
    }

    private static DeviceFilterStep counted(DeviceFilterStep step, Map<String, AtomicInteger> used) {
        return new DeviceFilterStep() {
            @Override
            public <T> Flow.Publisher<T> view(Flow.Publisher<T> source, Predicate<? super T> keep, int capacity) {
                count(used, "view");
                return step.view(source, keep, capacity);
            }
        };
    }

    private static BufferStep counted(BufferStep step, Map<String, AtomicInteger> used) {
        return new BufferStep() {
            @Override
            public <T> Flow.Publisher<T> dropOldest(Flow.Publisher<T> source, int capacity) {
                count(used, "buffer");
                return step.dropOldest(source, capacity);
            }
        };
    }

    private static HistoryStep counted(HistoryStep step, Map<String, AtomicInteger> used) {
        return (ttl, clock) -> {
            count(used, "history");
            var history = step.create(ttl, clock);
            return new HistoryStep.ExpiringHistory() {
                @Override
                public void put(long position, String deviceId, Instant streamTime) {
                    count(used, "history.put");
                    history.put(position, deviceId, streamTime);
                }

                @Override
                public List<Long> live() {
                    count(used, "history.live");
                    return history.live();
                }

                @Override
                public int expire() {
                    count(used, "history.expire");
                    return history.expire();
                }

                @Override
                public int size() {
                    return history.size();
                }
            };
        };
    }

    private static SseStep counted(SseStep step, Map<String, AtomicInteger> used) {
        return exchange -> {
            count(used, "sse");
            return step.open(exchange);
        };
    }

    /**
     * {@code step}'s writer, except for a reader whose query contains {@code query}: its writer
     * blocks in its first {@code onNext} until closed, as a write to a reader who stopped reading does.
     */
    private static SseStep stuckFor(String query, SseStep step, CountDownLatch release) {
        return exchange -> {
            var stream = step.open(exchange);
            var q = exchange.getRequestURI().getRawQuery();
            if (q == null || !q.contains(query)) {
                return stream;
            }
            return new SseStep.SseStream() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    stream.onSubscribe(subscription);
                }

                @Override
                public void onNext(SseEvent item) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onError(Throwable throwable) {
                    stream.onError(throwable);
                }

                @Override
                public void onComplete() {
                    stream.onComplete();
                }

                @Override
                public void close() {
                    release.countDown();
                    stream.close();
                }
            };
        };
    }

    private ClientConfig.Builder config(String[] names) {
        return ClientConfig.builder().natsUrl(SERVER.server().url()).port(0).stream(names[0]).subject(names[1]);
    }

    private AnomalyClient started(AnomalyClient client) {
        toClose.add(client);
        return client;
    }

    private SseReader reader(AnomalyClient client, String pathAndQuery, Map<String, String> headers) throws Exception {
        var reader = SseReader.open(client.url(), pathAndQuery, headers);
        toClose.add(reader);
        assertThat(reader.status()).as("GET %s", pathAndQuery).isEqualTo(200);
        return reader;
    }

    private static String health(AnomalyClient client) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(client.url() + "/health")).timeout(WAIT).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
