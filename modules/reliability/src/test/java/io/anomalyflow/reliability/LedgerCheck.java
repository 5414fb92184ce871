package io.anomalyflow.reliability;

import io.anomalyflow.events.Anomaly;
import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.events.Measurement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Holds a {@link Ledger} against what the stream stores and what the client shows, and says
 * exactly what does not agree. The rules (issue 9):
 * <ol>
 *   <li>every acknowledged id is in the stream exactly once, at the acknowledged seq, with the
 *       content that was sent;</li>
 *   <li>nothing is in the stream that was never sent (except messages declared {@link Ledger#foreign});</li>
 *   <li>ids that got no clear answer (503 or none) are stored once or not at all, never twice;
 *       rejected ids (4xx) are not stored;</li>
 *   <li>the client's anomalies are exactly the stored measurements at or below the threshold: the
 *       acknowledged ones, plus those of the unanswered ones that did get stored.</li>
 * </ol>
 * A check covers the part of the stream read back ({@link StreamReadback} from a baseline seq), so a
 * stream shared with earlier runs does not disturb it.
 */
final class LedgerCheck {
    private static final int EXAMPLES = 10;

    private LedgerCheck() {
    }

    /**
     * Checks the ledger against {@code stream} (every message after the run's baseline, in seq order)
     * and, unless {@code anomalies} is null, against the client's anomalies (seq → anomaly).
     */
    static Verdict check(Ledger ledger, List<StoredMessage> stream, Map<Long, Anomaly> anomalies, AnomalyRule rule) {
        return check(ledger, stream, anomalies, rule, Integer.MAX_VALUE);
    }

    /**
     * As {@link #check(Ledger, List, Map, AnomalyRule)}, for a client whose map holds at most
     * {@code mapLimit} anomalies (it evicts the oldest first): only the newest {@code mapLimit} expected
     * anomalies are expected.
     */
    static Verdict check(Ledger ledger, List<StoredMessage> stream, Map<Long, Anomaly> anomalies, AnomalyRule rule,
                         int mapLimit) {
        Objects.requireNonNull(rule, "rule");
        var codec = EventCodec.create();
        var problems = new Problems();
        var foreignSeqs = ledger.foreignSeqs();
        var copies = new HashMap<String, List<StoredMessage>>();
        var expectedAnomalies = new TreeMap<Long, Anomaly>();
        long phantoms = 0;
        long foreignFound = 0;
        for (var message : stream) {
            Measurement m;
            try {
                m = codec.decodeMeasurement(message.data());
                // whoever sent it, a stored measurement at or below the threshold is an anomaly the client must show
                rule.check(message.seq(), m).ifPresent(a -> expectedAnomalies.put(a.seq(), a));
            } catch (InvalidEventException e) {
                m = null;
            }
            if (foreignSeqs.contains(message.seq())) {
                foreignFound++;
                continue;
            }
            if (m == null) {
                phantoms++;
                problems.add("phantom", "seq " + message.seq() + " is not a measurement");
                continue;
            }
            var id = message.msgId() != null ? message.msgId() : m.id();
            if (id == null || ledger.entry(id) == null || !id.equals(m.id())) {
                phantoms++;
                problems.add("phantom", "seq " + message.seq() + " was never sent: msgId=" + message.msgId() + " " + m);
                continue;
            }
            copies.computeIfAbsent(id, k -> new ArrayList<>()).add(message);
        }

        long lost = 0;
        long duplicates = 0;
        long misplaced = 0;
        long storedUnanswered = 0;
        for (var entry : ledger.entries()) {
            var id = entry.sent().id();
            var stored = copies.getOrDefault(id, List.of());
            if (stored.size() > 1) {
                duplicates++;
                problems.add("duplicate", id + " stored " + stored.size() + " times, at seqs "
                        + stored.stream().map(StoredMessage::seq).toList());
            }
            for (var a : entry.attemptsCopy()) {
                if (a.status() == 200 && a.outcome() != Ledger.Outcome.ACKED) {
                    misplaced++;
                    problems.add("malformed answer", id + ": " + a.detail());
                }
            }
            switch (entry.outcome()) {
                case ACKED -> {
                    var acks = entry.acks();
                    var acked = acks.stream().map(a -> a.seq() == a.lastSeq() ? "" + a.seq() : a.seq() + "-" + a.lastSeq())
                            .toList();
                    if (stored.isEmpty()) {
                        lost++;
                        problems.add("lost", id + " acknowledged at seq " + acked + " is not in the stream");
                    } else if (!acks.stream().allMatch(a -> a.seq() <= stored.get(0).seq() && stored.get(0).seq() <= a.lastSeq())) {
                        misplaced++;
                        problems.add("misplaced", id + " acknowledged at seq " + acked + " is stored at seq "
                                + stored.get(0).seq());
                    } else if (!sameContent(entry.sent(), codec, stored.get(0))) {
                        misplaced++;
                        problems.add("misplaced", id + " is stored with other content than sent: " + entry.sent());
                    }
                }
                case REJECTED -> {
                    if (!stored.isEmpty()) {
                        misplaced++;
                        problems.add("misplaced", id + " was rejected (" + entry.attemptsCopy() + ") but is stored");
                    }
                }
                case FAILED, UNKNOWN -> storedUnanswered += stored.isEmpty() ? 0 : 1;
            }
        }

        long missing = 0;
        long wrong = 0;
        var expectedInMap = newest(expectedAnomalies, mapLimit);
        if (anomalies != null) {
            for (var e : expectedInMap.entrySet()) {
                var shown = anomalies.get(e.getKey());
                if (shown == null) {
                    missing++;
                    problems.add("anomaly missing", "seq " + e.getKey() + ": " + e.getValue());
                } else if (!shown.equals(e.getValue())) {
                    wrong++;
                    problems.add("anomaly wrong", "seq " + e.getKey() + ": shown " + shown + ", expected " + e.getValue());
                }
            }
            for (var e : anomalies.entrySet()) {
                if (!expectedInMap.containsKey(e.getKey())) {
                    wrong++;
                    problems.add("anomaly wrong", "seq " + e.getKey() + " is not an anomaly of the stream: " + e.getValue());
                }
            }
        }
        return new Verdict(ledger.size(), ledger.count(Ledger.Outcome.ACKED), ledger.count(Ledger.Outcome.REJECTED),
                ledger.count(Ledger.Outcome.FAILED), ledger.count(Ledger.Outcome.UNKNOWN), storedUnanswered,
                lost, duplicates, phantoms, misplaced, foreignFound,
                anomalies == null ? -1 : expectedInMap.size(), missing, wrong, problems.list());
    }

    /** The {@code n} entries with the highest seqs: what a map bounded to {@code n} keeps. */
    static Map<Long, Anomaly> newest(Map<Long, Anomaly> bySeq, int n) {
        var sorted = new TreeMap<>(bySeq);
        while (sorted.size() > n) {
            sorted.pollFirstEntry();
        }
        return sorted;
    }

    /** The anomalies the stream implies: stored ledger measurements at or below the threshold, by seq. */
    static Map<Long, Anomaly> expectedAnomalies(List<StoredMessage> stream, AnomalyRule rule) {
        var codec = EventCodec.create();
        var expected = new TreeMap<Long, Anomaly>();
        for (var message : stream) {
            try {
                rule.check(message.seq(), codec.decodeMeasurement(message.data()))
                        .ifPresent(a -> expected.put(a.seq(), a));
            } catch (InvalidEventException e) {
                // poison is no anomaly
            }
        }
        return expected;
    }

    private static boolean sameContent(Measurement sent, EventCodec codec, StoredMessage stored) {
        try {
            var back = codec.decodeMeasurement(stored.data());
            return Objects.equals(back.id(), sent.id()) && back.deviceId().equals(sent.deviceId())
                    && back.measurementValue().compareTo(sent.measurementValue()) == 0
                    && Objects.equals(back.timestamp(), sent.timestamp());
        } catch (InvalidEventException e) {
            return false;
        }
    }

    /** A few examples of each kind of problem; the counts say how many there were in all. */
    private static final class Problems {
        private final Map<String, Integer> seen = new HashMap<>();
        private final List<String> list = new ArrayList<>();

        void add(String kind, String example) {
            int n = seen.merge(kind, 1, Integer::sum);
            if (n <= EXAMPLES) {
                list.add(kind + ": " + example);
            }
        }

        List<String> list() {
            return List.copyOf(list);
        }
    }
}
