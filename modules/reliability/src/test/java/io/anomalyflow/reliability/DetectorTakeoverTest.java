package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.testsupport.AnomalyLedger;
import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.TestNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The detector group's take-over, with real processes and a real {@code kill -9}: three detectors share
 * the stream while measurements arrive; one is killed in the middle and not started again, and the two
 * left take over the work it pulled and did not ack (after the ack wait of 2 s). Then both are killed in
 * the middle of more work, and one detector started alone resumes where the group left off: it judges
 * what the group had not yet acknowledged, not the stream from its start. ANOMALIES holds every anomaly
 * exactly once at the end ({@link AnomalyLedger}), matched by source sequence.
 */
class DetectorTakeoverTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String SUBJECT = "measurements";
    private static final String PROCESSED = "anomalyflow_detector_measurements_total";
    private static final String REDELIVERIES = "anomalyflow_detector_redeliveries_total";

    @Test
    void killOneOfThreeInTheMiddleThenAllAndStartOneAlone() throws Exception {
        int first = 20_000;
        int second = 10_000;
        var logs = Variant.SHORT.logs("detector-takeover");
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (var nats = NatsServer.start();
             var nc = StreamReadback.connect(nats.url());
             var publisher = Executors.newVirtualThreadPerTaskExecutor()) {
            TestNats.createStream(nc, Rig.STREAM, StorageType.File, SUBJECT);
            try (var group = DetectorGroup.start(3, nats.url(), logs, List.of("--ack-wait", "2s"))) {
                Rig.withLogs(() -> group.logs() + "\n===== nats =====\n" + nats.log(), () -> {
                    // 1. Three share the first batch; detector 0 dies once the group is a third of the way through.
                    var publishing = publisher.submit(() -> publish(nc, 1, first));
                    awaitDelivered(nc, first / 3);
                    group.kill(0);
                    publishing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    awaitGroupDone(nc);
                    long redelivered = group.counter(http, 1, REDELIVERIES) + group.counter(http, 2, REDELIVERIES);
                    assertThat(redelivered).as("what the killed detector held went to the other two").isPositive();
                    assertThat(List.of(group.counter(http, 1, PROCESSED), group.counter(http, 2, PROCESSED)))
                            .as("both survivors judged a share").allSatisfy(n -> assertThat(n).isPositive());

                    // 2. Both survivors die in the middle of the second batch; one detector starts alone.
                    long before = delivered(nc);
                    publishing = publisher.submit(() -> publish(nc, first + 1, second));
                    awaitDelivered(nc, before + second / 3);
                    group.kill(1);
                    group.kill(2);
                    publishing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    var left = info(nc);
                    long owed = left.getNumPending() + left.getNumAckPending();
                    assertThat(owed).as("the group has work left when the last detector died").isPositive();
                    group.startAgain(0);
                    awaitGroupDone(nc);
                    long judged = group.counter(http, 0, PROCESSED);
                    long again = group.counter(http, 0, REDELIVERIES);
                    assertThat(judged).as("the lone detector judged what the group owed (" + left.getNumPending()
                                    + " never delivered, " + left.getNumAckPending() + " unacked), not the stream from its start")
                            .isBetween(owed, owed + again);

                    var codec = EventCodec.create();
                    var report = AnomalyLedger.check(nc, Rig.STREAM, DetectorGroup.OUT_STREAM,
                            data -> DetectorGroup.isAnomaly(codec, Rig.RULE, data));
                    assertThat(report.exactlyOnce()).as(report.summary()).isTrue();
                    assertThat(report.expected()).isEqualTo(report.stored()).isEqualTo((first + second) / 5 * 2);
                    System.out.println("detector take-over: " + redelivered + " redelivered to the survivors; the lone detector judged "
                            + judged + " of " + (first + second) + " (owed " + owed + "); " + report.summary());
                });
            }
        }
    }

    /** Measurement {@code from..from+count-1}: value {@code i % 5 * 10 + 5}, so two in five (5 and 15) are anomalies. */
    private static Void publish(Connection nc, int from, int count) throws Exception {
        var js = nc.jetStream();
        var inFlight = new ArrayList<CompletableFuture<PublishAck>>();
        for (int i = from; i < from + count; i++) {
            var json = TestNats.json("device-" + (i % 7), Integer.toString(i % 5 * 10 + 5));
            inFlight.add(js.publishAsync(SUBJECT, json.getBytes(StandardCharsets.UTF_8)));
            if (inFlight.size() == 64) {
                drain(inFlight);
            }
        }
        drain(inFlight);
        return null;
    }

    private static void drain(List<CompletableFuture<PublishAck>> inFlight) throws Exception {
        for (var f : inFlight) {
            f.get(30, TimeUnit.SECONDS);
        }
        inFlight.clear();
    }

    private static ConsumerInfo info(Connection nc) throws IOException, JetStreamApiException {
        return nc.jetStreamManagement().getConsumerInfo(Rig.STREAM, DetectorGroup.GROUP);
    }

    /** The last stream sequence the group's consumer handed out. */
    private static long delivered(Connection nc) throws IOException, JetStreamApiException {
        return info(nc).getDelivered().getStreamSequence();
    }

    private static void awaitDelivered(Connection nc, long seq) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (delivered(nc) < seq) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the group did not reach stream sequence " + seq + " within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the group's consumer handed out every measurement and got every ack back. */
    private static void awaitGroupDone(Connection nc) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            var info = info(nc);
            if (info.getNumPending() == 0 && info.getNumAckPending() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("group not done within " + WAIT + ": pending " + info.getNumPending()
                        + ", ack pending " + info.getNumAckPending());
            }
            Thread.sleep(100);
        }
    }
}
