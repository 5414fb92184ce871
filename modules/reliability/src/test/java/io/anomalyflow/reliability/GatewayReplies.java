package io.anomalyflow.reliability;

import io.anomalyflow.reliability.Ledger.Attempt;
import io.anomalyflow.reliability.Ledger.Outcome;
import java.util.regex.Pattern;

/**
 * The gateway's 200 answers, read into ledger attempts: {@code {"seq":N,"duplicate":b}}
 * for one measurement, {@code {"accepted":N,"duplicates":D,"firstSeq":A,"lastSeq":B}} for a batch. A
 * 200 that does not say where its measurements went is noted as UNKNOWN with status 200, which the
 * ledger check reports as a malformed answer.
 */
final class GatewayReplies {
    private static final Pattern DUPLICATE = Pattern.compile("\"duplicate\"\\s*:\\s*true");

    private GatewayReplies() {
    }

    /** {@code {"seq":N,"duplicate":b}}. */
    static Attempt single(String body, long sent, long answered) {
        long seq = number(body, "seq");
        if (seq < 0) {
            return Attempt.failed(Outcome.UNKNOWN, 200, sent, answered, "a 200 without a seq: " + body);
        }
        return Attempt.acked(seq, duplicate(body), sent, answered);
    }

    /**
     * {@code {"accepted":N,"duplicates":D,"firstSeq":A,"lastSeq":B}}: without duplicates each id is
     * stored within {@code [A, B]}; with some, an id may have been stored earlier, anywhere.
     */
    static Attempt batch(String body, int size, long sent, long answered) {
        long accepted = number(body, "accepted");
        long duplicates = number(body, "duplicates");
        if (accepted < 0 || duplicates < 0 || accepted + duplicates != size) {
            return Attempt.failed(Outcome.UNKNOWN, 200, sent, answered, "a batch of " + size + " answered " + body);
        }
        return duplicates == 0
                ? Attempt.ackedInBatch(number(body, "firstSeq"), number(body, "lastSeq"), sent, answered)
                // an id of it may have been stored by an earlier attempt, at any seq
                : Attempt.ackedInBatch(1, Long.MAX_VALUE, sent, answered);
    }

    /** The number in {@code "field":N}, or -1 when there is none. */
    static long number(String body, String field) {
        var m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(\\d+)").matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Whether a single measurement's answer says {@code "duplicate":true}. */
    static boolean duplicate(String body) {
        return DUPLICATE.matcher(body).find();
    }
}
