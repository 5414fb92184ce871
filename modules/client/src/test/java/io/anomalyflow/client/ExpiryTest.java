package io.anomalyflow.client;

import io.anomalyflow.testsupport.SseReader;
import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Anomalies leave the list, the SSE replay and the map's size a TTL after their stream time. */
class ExpiryTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;

    final TestNats nats = F.nats();
    final Http http = F.http();

    private Instant streamTime(String stream, long seq) throws Exception {
        return nats.nc.jetStreamManagement().getMessage(stream, seq).getTime().toInstant();
    }

    @Test
    void withAControlledClockAnomaliesLeaveExactlyOnTime() throws Exception {
        var names = TestNats.freshNames("exp");
        nats.createStream(names[0], names[1]);
        var clock = new ManualClock(Instant.now());
        var ttl = Duration.ofMinutes(1);
        try (var client = AnomalyClient.start(F.config(names[0], names[1]).ttl(ttl).clock(clock).build())) {
            assertThat(client.awaitReading(WAIT)).isTrue();
            long first = nats.measurement(names[1], "e", "1");
            Thread.sleep(20); // a later stream time for the second
            long second = nats.measurement(names[1], "e", "2");
            await().atMost(WAIT).until(() -> http.seqs(client.url(), "/anomalies").size() == 2);
            var t1 = streamTime(names[0], first);
            var t2 = streamTime(names[0], second);
            assertThat(t2).isAfter(t1);

            clock.set(t1.plus(ttl).minusMillis(1));
            assertThat(http.seqs(client.url(), "/anomalies")).containsExactly(second, first);
            clock.set(t1.plus(ttl));
            assertThat(http.seqs(client.url(), "/anomalies")).containsExactly(second);
            var replay = SseReader.open(client.url(), "/anomalies/stream", java.util.Map.of());
            try (replay) {
                assertThat(replay.awaitCount(1, WAIT).ids()).containsExactly(second);
            }
            assertThat(http.metric(client.url(), "anomalyflow_client_anomalies_in_map")).isEqualTo(1);
            clock.set(t2.plus(ttl));
            assertThat(http.seqs(client.url(), "/anomalies")).isEmpty();
            assertThat(http.metric(client.url(), "anomalyflow_client_anomalies_in_map")).isZero();
            assertThat(client.store().size()).isZero();
        }
    }

    @Test
    void withAShortTtlTheMapEmptiesByItself() throws Exception {
        var names = TestNats.freshNames("exp");
        nats.createStream(names[0], names[1]);
        try (var client = AnomalyClient.start(F.config(names[0], names[1]).ttl(Duration.ofSeconds(2)).build())) {
            assertThat(client.awaitReading(WAIT)).isTrue();
            var seqs = List.of(nats.measurement(names[1], "s", "1"), nats.measurement(names[1], "s", "2"));
            var ttl = client.config().ttl();
            await().atMost(WAIT).until(() -> http.seqs(client.url(), "/anomalies").size() == 2);
            assertThat(http.seqs(client.url(), "/anomalies")).containsExactlyElementsOf(seqs.reversed());
            // the sweeper (not a read) brings the map's size to 0, and not before the last one's time
            await().atMost(WAIT).until(() -> client.store().size() == 0);
            var emptyAt = Instant.now();
            // the map counts in milliseconds
            var lastDue = streamTime(names[0], seqs.get(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plus(ttl);
            assertThat(emptyAt).as("not before the TTL").isAfterOrEqualTo(lastDue);
            assertThat(http.metric(client.url(), "anomalyflow_client_anomalies_in_map")).isZero();
            assertThat(http.seqs(client.url(), "/anomalies")).isEmpty();
            long gone = Duration.between(lastDue, emptyAt).toMillis();
            System.out.printf("ttl 2s: the map was empty %d ms after the last anomaly's time was up%n", gone);
        }
    }
}
