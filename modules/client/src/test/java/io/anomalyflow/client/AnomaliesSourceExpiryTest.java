package io.anomalyflow.client;

import io.anomalyflow.testsupport.TestNats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code --source anomalies} an anomaly's time to live starts at its measurement's stream time
 * (the event's {@code Anomalyflow-Source-Time} header), as with {@code --source measurements}: both
 * drop the row at the same instant, though the event was stored later. Without a readable header,
 * it starts at the event's own stream time.
 */
class AnomaliesSourceExpiryTest {
    @RegisterExtension
    static final ClientFixture F = new ClientFixture();
    static final Duration WAIT = ClientFixture.WAIT;
    static final Duration TTL = Duration.ofMinutes(1);

    final TestNats nats = F.nats();
    final Http http = F.http();
    final DetectorEvents detector = new DetectorEvents(nats);

    private Instant streamTime(String stream, long seq) throws Exception {
        return nats.nc.jetStreamManagement().getMessage(stream, seq).getTime().toInstant();
    }

    @Test
    void bothSourcesDropARowATtlAfterItsMeasurementsStreamTimeAndWithoutTheHeaderAfterTheEventsOwn() throws Exception {
        var clock = new ManualClock(Instant.now());
        var m = F.start(b -> b.ttl(TTL).clock(clock));
        var a = F.startAnomalies(true, b -> b.ttl(TTL).clock(clock));
        long seq = nats.measurement(m.subject(), "t", "5");
        var sourceTime = streamTime(m.stream(), seq);
        // the detector publishes later than the measurement was stored
        await().atMost(WAIT).until(() -> Instant.now().isAfter(sourceTime.plusMillis(50)));
        var judged = detector.judge(m.stream(), List.of(seq)).getFirst();
        assertThat(judged.sourceTime()).isEqualTo(sourceTime.toString());
        long position = detector.append(a.subject(), judged).getSeqno();
        assertThat(streamTime(a.stream(), position)).isAfter(sourceTime.plusMillis(50));
        long noHeader = detector.append(a.subject(), DetectorEvents.event(1001, "t", null)).getSeqno();
        var noHeaderTime = streamTime(a.stream(), noHeader);
        // the client keeps times to the millisecond: two events stored within one would expire together
        await().atMost(WAIT).until(() -> Instant.now().isAfter(noHeaderTime.plusMillis(5)));
        long unreadable = detector.append(a.subject(), DetectorEvents.event(1002, "t", "yesterday")).getSeqno();
        var unreadableTime = streamTime(a.stream(), unreadable);
        assertThat(unreadableTime).isAfter(noHeaderTime.plusMillis(5));
        await().atMost(WAIT).until(() -> http.seqs(m.client().url(), "/anomalies").size() == 1
                && http.seqs(a.client().url(), "/anomalies").size() == 3);

        clock.set(sourceTime.plus(TTL).minusMillis(1));
        assertThat(http.seqs(m.client().url(), "/anomalies")).containsExactly(seq);
        assertThat(http.seqs(a.client().url(), "/anomalies")).containsExactly(1002L, 1001L, seq);
        clock.set(sourceTime.plus(TTL));
        assertThat(http.seqs(m.client().url(), "/anomalies")).isEmpty();
        assertThat(http.seqs(a.client().url(), "/anomalies")).as("gone at the same instant").containsExactly(1002L, 1001L);

        clock.set(noHeaderTime.plus(TTL).minusMillis(1));
        assertThat(http.seqs(a.client().url(), "/anomalies")).containsExactly(1002L, 1001L);
        clock.set(noHeaderTime.plus(TTL));
        assertThat(http.seqs(a.client().url(), "/anomalies")).containsExactly(1002L);
        clock.set(unreadableTime.plus(TTL));
        assertThat(http.seqs(a.client().url(), "/anomalies")).isEmpty();
        assertThat(http.metric(a.client().url(), "anomalyflow_client_anomalies_in_map")).isZero();
        assertThat(a.client().store().size()).isZero();
    }
}
