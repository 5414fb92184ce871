package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.anomalyflow.events.Anomaly;
import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import io.anomalyflow.reliability.Ledger.Attempt;
import io.anomalyflow.reliability.Ledger.Outcome;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ledger must catch every kind of broken promise, or a clean verdict proves nothing: each test
 * builds a stream and a client view by hand with one fault in it and expects exactly that fault.
 */
class LedgerTest {
    private static final AnomalyRule RULE = AnomalyRule.DEFAULT;
    private static final Instant T = Instant.parse("2026-11-26T12:00:00.123Z");
    private final EventCodec codec = EventCodec.create();
    private final Ledger ledger = new Ledger();
    private final List<StoredMessage> stream = new ArrayList<>();
    private final Map<Long, Anomaly> shown = new HashMap<>();

    private Measurement m(String id, String value) {
        return new Measurement(id, T, "dev-1", new BigDecimal(value));
    }

    /** Sends {@code m}, the gateway acks at {@code seq}; the stream stores it there; the client shows its anomaly. */
    private void ackedAndStored(Measurement m, long seq) {
        ledger.sent(m);
        ledger.attempt(m.id(), Attempt.acked(seq, false, 1, 2));
        store(m, seq);
        RULE.check(seq, m).ifPresent(a -> shown.put(seq, a));
    }

    private void store(Measurement m, long seq) {
        stream.add(new StoredMessage(seq, m.id(), codec.encode(m)));
    }

    private Verdict verdict() {
        return LedgerCheck.check(ledger, stream, shown, RULE);
    }

    @Test
    void aFaithfulRunIsClean() {
        ackedAndStored(m("a", "5"), 1);
        ackedAndStored(m("b", "50"), 2);
        var rejected = m("c", "1");
        ledger.sent(rejected);
        ledger.attempt("c", Attempt.failed(Outcome.REJECTED, 400, 1, 2, "bad"));
        var ambiguousStored = m("d", "3");
        ledger.sent(ambiguousStored);
        ledger.attempt("d", Attempt.failed(Outcome.FAILED, 503, 1, 2, ""));
        store(ambiguousStored, 3);
        shown.put(3L, RULE.check(3, ambiguousStored).orElseThrow());
        var ambiguousAbsent = m("e", "3");
        ledger.sent(ambiguousAbsent);
        ledger.attempt("e", Attempt.failed(Outcome.UNKNOWN, 0, 1, 2, "reset"));

        var v = verdict().assertClean();
        assertThat(v.sent()).isEqualTo(5);
        assertThat(v.acknowledged()).isEqualTo(2);
        assertThat(v.rejected()).isEqualTo(1);
        assertThat(v.failed()).isEqualTo(1);
        assertThat(v.unknown()).isEqualTo(1);
        assertThat(v.storedUnanswered()).isEqualTo(1);
        assertThat(v.anomaliesExpected()).isEqualTo(2);
    }

    @Test
    void aLostAcknowledgedMessageIsCaught() {
        ackedAndStored(m("a", "5"), 1);
        stream.clear();
        var v = verdict();
        assertThat(v.lost()).isEqualTo(1);
        assertThat(v.anomaliesWrong()).as("the client shows an anomaly the stream does not have").isEqualTo(1);
        assertThatThrownBy(v::assertClean).hasMessageContaining("lost: a acknowledged");
    }

    @Test
    void aDuplicateIsCaughtWhateverTheOutcome() {
        ackedAndStored(m("a", "50"), 1);
        store(m("a", "50"), 2);
        var retried = m("b", "50");
        ledger.sent(retried);
        ledger.attempt("b", Attempt.failed(Outcome.FAILED, 503, 1, 2, ""));
        store(retried, 3);
        store(retried, 4);
        assertThat(verdict().duplicates()).isEqualTo(2);
        assertThat(verdict().clean()).isFalse();
    }

    @Test
    void aPhantomIsCaughtButDeclaredPoisonIsNot() {
        ackedAndStored(m("a", "50"), 1);
        stream.add(new StoredMessage(2, "never-sent", codec.encode(m("never-sent", "1"))));
        stream.add(new StoredMessage(3, null, "not json".getBytes(StandardCharsets.UTF_8)));
        stream.add(new StoredMessage(4, null, "{}".getBytes(StandardCharsets.UTF_8)));
        ledger.foreign(4);
        var v = verdict();
        assertThat(v.phantoms()).isEqualTo(2);
        assertThat(v.foreign()).isEqualTo(1);
    }

    @Test
    void aMisplacedOrAlteredOrRejectedButStoredMessageIsCaught() {
        var moved = m("a", "50");
        ledger.sent(moved);
        ledger.attempt("a", Attempt.acked(7, false, 1, 2));
        store(moved, 8);
        var altered = m("b", "50");
        ledger.sent(altered);
        ledger.attempt("b", Attempt.acked(9, false, 1, 2));
        store(m("b", "51"), 9);
        var rejected = m("c", "50");
        ledger.sent(rejected);
        ledger.attempt("c", Attempt.failed(Outcome.REJECTED, 400, 1, 2, ""));
        store(rejected, 10);
        assertThat(verdict().misplaced()).isEqualTo(3);
    }

    @Test
    void anIdOfABatchMustBeStoredWithinTheBatchsRange() {
        var inside = m("a", "50");
        var outside = m("b", "50");
        var malformed = m("c", "50");
        for (var m : List.of(inside, outside)) {
            ledger.sent(m);
            ledger.attempt(m.id(), Attempt.ackedInBatch(10, 20, 1, 2));
        }
        ledger.sent(malformed);
        ledger.attempt("c", Attempt.failed(Outcome.UNKNOWN, 200, 1, 2, "a 200 without a seq"));
        store(inside, 15);
        store(outside, 21);
        var v = verdict();
        assertThat(v.misplaced()).isEqualTo(2);
        assertThat(v.problems()).anyMatch(p -> p.contains("b acknowledged at seq [10-20] is stored at seq 21"))
                .anyMatch(p -> p.startsWith("malformed answer: c"));
    }

    @Test
    void theClientMustShowExactlyTheStoredAnomalies() {
        ackedAndStored(m("a", "5"), 1);
        ackedAndStored(m("b", "20"), 2); // 20 itself is an anomaly
        ackedAndStored(m("c", "20.0001"), 3);
        assertThat(verdict().anomaliesExpected()).isEqualTo(2);
        assertThat(verdict().clean()).isTrue();

        shown.remove(2L);
        shown.put(3L, new Anomaly(3, T, "dev-1", new BigDecimal("20.0001"), "Value too low 20.0001"));
        shown.put(1L, new Anomaly(1, T, "dev-2", new BigDecimal("5"), "Value too low 5"));
        var v = verdict();
        assertThat(v.anomaliesMissing()).isEqualTo(1);
        assertThat(v.anomaliesWrong()).isEqualTo(2);
    }

    @Test
    void outcomesFollowTheAttempts() {
        var m = m("a", "5");
        ledger.sent(m);
        assertThatThrownBy(() -> ledger.sent(m)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.attempt("zzz", Attempt.acked(1, false, 1, 2)))
                .isInstanceOf(IllegalArgumentException.class);
        ledger.attempt("a", Attempt.failed(Outcome.UNKNOWN, 0, 1, 2, "reset"));
        assertThat(ledger.entry("a").outcome()).isEqualTo(Outcome.UNKNOWN);
        ledger.attempt("a", Attempt.failed(Outcome.FAILED, 503, 3, 4, ""));
        assertThat(ledger.entry("a").outcome()).isEqualTo(Outcome.UNKNOWN);
        ledger.attempt("a", Attempt.acked(5, true, 5, 6));
        assertThat(ledger.entry("a").outcome()).isEqualTo(Outcome.ACKED);
        assertThat(ledger.duplicateReplies()).isEqualTo(1);
        assertThat(ledger.attempts()).hasSize(3);
        assertThat(ledger.attempts().get(1).within(2, 5)).isTrue();
        assertThat(ledger.attempts().get(1).within(4, 5)).isFalse();
    }

    @Test
    void theClientsListIsSplitWithoutRewritingNumbers() throws Exception {
        var a = new Anomaly(3, T, "dev-1", new BigDecimal("5.00"), "Value too low 5.00");
        var b = new Anomaly(4, T, "dev-1", new BigDecimal("1E-300"), "Value too low 1E-300");
        var body = "[" + codec.toJson(a) + " , " + codec.toJson(b) + "]";
        var items = Probes.items(body.getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(2);
        assertThat(codec.decodeAnomaly(items.get(0))).isEqualTo(a);
        assertThat(codec.decodeAnomaly(items.get(1))).isEqualTo(b);
        assertThat(Probes.items("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
