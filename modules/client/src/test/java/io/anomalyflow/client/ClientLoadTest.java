package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client under load, on loopback: a reader joining while 10^5 measurements stream in, a reader
 * that never reads next to one that does, and a thousand readers at once. Bounds are generous (the
 * machine is shared); the measured figures are printed for the report.
 */
class ClientLoadTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = Duration.ofSeconds(60);

    final TestNats nats = F.nats();
    final Http http = F.http();

    AnomalyClient start(String[] names, UnaryOperator<ClientConfig.Builder> tweak) throws Exception {
        nats.createStream(names[0], names[1]);
        var client = F.closeAfterTest(AnomalyClient.start(tweak.apply(F.config(names[0], names[1])).build()));
        assertThat(client.awaitReading(WAIT)).isTrue();
        return client;
    }

    /** Measurement bodies for {@code count} messages: every fifth value is at or below 20. */
    static List<byte[]> bodies(int count, int devices) {
        var bodies = new ArrayList<byte[]>(count);
        for (int i = 0; i < count; i++) {
            String value = i % 5 == 0 ? Integer.toString(i % 21) : "2" + (i % 9) + "." + (i % 10 + 1); // 20.1 … 28.10
            bodies.add(TestNats.json("dev" + (i % devices), value).getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    static List<Long> anomalySeqs(List<byte[]> bodies, List<Long> seqs) {
        var expected = new ArrayList<Long>();
        for (int i = 0; i < bodies.size(); i++) {
            var body = new String(bodies.get(i), StandardCharsets.UTF_8);
            var value = new BigDecimal(body.substring(body.lastIndexOf(':') + 1, body.length() - 1));
            if (value.compareTo(BigDecimal.valueOf(20)) <= 0) {
                expected.add(seqs.get(i));
            }
        }
        return expected;
    }

    @Test
    void aReaderJoiningWhileTenToTheFiveMeasurementsFlowGetsEveryAnomalyOnceInOrder() throws Exception {
        var names = TestNats.freshNames("load");
        // a large reader buffer: this test is about the replay/live boundary, not about drops
        var client = start(names, b -> b.sseBuffer(200_000).maxAnomalies(200_000));
        var bodies = bodies(100_000, 10);
        var seqs = new ArrayList<Long>();
        var joined = new CountDownLatch(1);
        var reader = new SseReader[1];
        var publisher = Thread.ofVirtual().start(() -> {
            try {
                seqs.addAll(nats.publishAll(names[1], bodies.subList(0, 30_000), 1000));
                // the reader connects while the client is busy with the backlog and more keeps coming
                reader[0] = SseReader.open(client.url(), "/anomalies/stream", Map.of());
                joined.countDown();
                seqs.addAll(nats.publishAll(names[1], bodies.subList(30_000, bodies.size()), 1000));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(joined.await(60, TimeUnit.SECONDS)).isTrue();
        long inMapAtJoin = client.store().lastPosition();
        F.closeAfterTest(reader[0]);
        publisher.join(Duration.ofSeconds(120));
        assertThat(seqs).hasSize(100_000);
        var expected = anomalySeqs(bodies, seqs);
        assertThat(expected).hasSize(20_000);

        long start = System.nanoTime();
        reader[0].awaitCount(expected.size(), WAIT);
        assertThat(reader[0].ids()).containsExactlyElementsOf(expected);
        System.out.printf("replay+live: %d anomalies to the late reader (the map reached seq %d when it joined),"
                + " last one %d ms after publishing ended%n",
                expected.size(), inMapAtJoin, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(http.metric(client.url(), "anomalyflow_client_sse_dropped_total")).isZero();
        assertThat(http.metric(client.url(), "anomalyflow_client_messages_total")).isEqualTo(100_000);
        assertThat(http.seqs(client.url(), "/anomalies?limit=10000")).hasSize(10_000).first().isEqualTo(expected.getLast());
    }

    @Test
    void aReaderThatNeverReadsSlowsNeitherThePipelineNorTheOthersAndItsDropsAreCounted() throws Exception {
        var names = TestNats.freshNames("slow");
        var client = start(names, b -> b.sseBuffer(5_000));
        // never reads: a tiny receive buffer, so the server's writes block soon
        var stuck = new Socket();
        F.closeAfterTest(stuck);
        stuck.setReceiveBufferSize(1024);
        stuck.connect(new InetSocketAddress(client.url().getHost(), client.url().getPort()));
        stuck.getOutputStream().write("GET /anomalies/stream HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        var good = SseReader.open(client.url(), "/anomalies/stream", Map.of());
        F.closeAfterTest(good);
        await().atMost(WAIT).until(() -> http.metric(client.url(), "anomalyflow_client_sse_readers") == 2);

        // All anomalies, in chunks smaller than a reader's buffer; the next chunk goes out once the
        // reading reader has the previous one. So the reading reader can never overflow, however
        // slow this machine is, while the stuck one overflows for sure; and if the stuck reader
        // held up the hub, the reading one would stop receiving and the wait below would fail.
        int total = 60_000;
        int chunk = 2_000;
        var seqs = new ArrayList<Long>();
        for (int from = 0; from < total; from += chunk) {
            var bodies = new ArrayList<byte[]>(chunk);
            for (int i = from; i < from + chunk; i++) {
                bodies.add(TestNats.json("s" + (i % 3), "1." + i).getBytes(StandardCharsets.UTF_8));
            }
            seqs.addAll(nats.publishAll(names[1], bodies, 1000));
            good.awaitCount(seqs.size(), WAIT);
        }
        await().atMost(WAIT).until(() -> http.metric(client.url(), "anomalyflow_client_messages_total") == total);
        assertThat(good.ids()).containsExactlyElementsOf(seqs);
        double dropped = http.metric(client.url(), "anomalyflow_client_sse_dropped_total");
        System.out.printf("slow reader: %.0f of %d anomalies dropped from its buffer; the reading one got all%n", dropped, total);
        assertThat(dropped).isGreaterThan(0);
        assertThat(http.get(client.url(), "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aThousandReadersEachGetANewAnomalyPromptly() throws Exception {
        var names = TestNats.freshNames("many");
        int readers = 1000;
        // every reader comes from 127.0.0.1: lift the per-address cap (64 by default) for this test
        var client = start(names, b -> b.maxStreamsPerClient(readers));
        var arrivals = new ConcurrentHashMap<Long, Map<Integer, Long>>();
        var connecting = new Semaphore(32); // the JDK server's accept backlog is 50
        var all = new ArrayList<SseReader>(readers);
        for (int i = 0; i < readers; i++) {
            int id = i;
            connecting.acquire();
            try {
                var r = SseReader.open(client.url(), "/anomalies/stream", Map.of(),
                        seq -> arrivals.computeIfAbsent(seq, s -> new ConcurrentHashMap<>()).put(id, System.nanoTime()));
                all.add(r);
                F.closeAfterTest(r);
            } finally {
                connecting.release();
            }
        }
        await().atMost(WAIT).until(() -> http.metric(client.url(), "anomalyflow_client_sse_readers") == readers);

        long worstMillis = 0;
        for (int round = 0; round < 3; round++) {
            long sent = System.nanoTime();
            long seq = nats.measurement(names[1], "many", "1");
            await().atMost(WAIT).until(() -> arrivals.getOrDefault(seq, Map.of()).size() == readers);
            long slowest = arrivals.get(seq).values().stream().mapToLong(t -> t - sent).max().orElseThrow();
            worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(slowest));
        }
        System.out.printf("1000 SSE readers: the slowest got a new anomaly %d ms after it was published (worst of 3)%n",
                worstMillis);
        assertThat(worstMillis).as("every reader within 5 s").isLessThan(5_000);
        assertThat(all).allSatisfy(r -> assertThat(r.ended()).isFalse());
    }
}
