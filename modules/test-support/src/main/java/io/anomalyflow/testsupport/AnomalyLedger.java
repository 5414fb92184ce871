package io.anomalyflow.testsupport;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.Message;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The detector's ground truth: which measurements in a measurements stream are anomalies (by the
 * caller's rule), and how often each of them is in the anomalies stream, matched by the source
 * sequence header the detector writes ({@value #SOURCE_SEQUENCE}).
 *
 * <p>"Exactly once" holds when {@link Report#missing()}, {@link Report#duplicates()} and
 * {@link Report#unexpected()} are all empty.
 */
public final class AnomalyLedger {
    /** The header naming the measurement's sequence (the events module's {@code AnomalyEvents.SOURCE_SEQUENCE}). */
    public static final String SOURCE_SEQUENCE = "Anomalyflow-Source-Seq";

    /**
     * @param expected    measurements that are anomalies
     * @param stored      anomaly events read
     * @param missing     anomalous measurement sequences with no event
     * @param duplicates  measurement sequence → event count, where more than one
     * @param unexpected  measurement sequences with an event although they are no anomaly (or unknown)
     */
    public record Report(int expected, int stored, List<Long> missing, Map<Long, Integer> duplicates,
                         List<Long> unexpected) {
        public boolean exactlyOnce() {
            return missing.isEmpty() && duplicates.isEmpty() && unexpected.isEmpty();
        }

        /** One line for a test's message or a results table. */
        public String summary() {
            return expected + " anomalies expected, " + stored + " events, missing " + head(missing) + ", duplicated "
                    + head(new ArrayList<>(duplicates.keySet())) + ", unexpected " + head(unexpected);
        }

        private static String head(List<Long> l) {
            return l.size() <= 10 ? l.toString() : l.subList(0, 10) + "… (" + l.size() + ")";
        }
    }

    private AnomalyLedger() {
    }

    /**
     * Reads both streams whole and compares them.
     *
     * @param isAnomaly the rule, on a measurement's payload (poison must answer false)
     */
    public static Report check(Connection nc, String measurements, String anomalies, Predicate<byte[]> isAnomaly)
            throws IOException, JetStreamApiException, InterruptedException {
        var expected = new TreeSet<Long>();
        for (var m : readAll(nc, measurements)) {
            if (isAnomaly.test(m.getData())) {
                expected.add(m.metaData().streamSequence());
            }
        }
        var counts = new TreeMap<Long, Integer>();
        var unexpected = new ArrayList<Long>();
        var events = readAll(nc, anomalies);
        for (var e : events) {
            var header = e.getHeaders() == null ? null : e.getHeaders().getFirst(SOURCE_SEQUENCE);
            long seq = header == null ? -1 : Long.parseLong(header);
            counts.merge(seq, 1, Integer::sum);
            if (!expected.contains(seq)) {
                unexpected.add(seq);
            }
        }
        var missing = expected.stream().filter(s -> !counts.containsKey(s)).toList();
        var duplicates = new TreeMap<Long, Integer>();
        counts.forEach((seq, n) -> {
            if (n > 1) {
                duplicates.put(seq, n);
            }
        });
        return new Report(expected.size(), events.size(), missing, duplicates, unexpected);
    }

    /** Every message of {@code stream}, in order, through an ordered consumer of our own. */
    public static List<Message> readAll(Connection nc, String stream)
            throws IOException, JetStreamApiException, InterruptedException {
        var jsm = nc.jetStreamManagement();
        var state = jsm.getStreamInfo(stream).getStreamState();
        long count = state.getMsgCount();
        var out = new ArrayList<Message>((int) count);
        if (count == 0) {
            return out;
        }
        var options = PushSubscribeOptions.builder().stream(stream).ordered(true)
                .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build()).build();
        JetStreamSubscription sub = nc.jetStream().subscribe(null, options);
        try {
            while (out.size() < count) {
                var m = sub.nextMessage(Duration.ofSeconds(10));
                if (m == null) {
                    throw new IOException("stream " + stream + ": read " + out.size() + " of " + count + " messages, then none for 10 s");
                }
                if (m.isJetStream()) {
                    out.add(m);
                }
            }
        } finally {
            sub.unsubscribe();
        }
        return out;
    }
}
