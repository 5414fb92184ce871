package io.anomalyflow.reliability;

import java.util.List;

/**
 * What {@link LedgerCheck} found, in numbers.
 *
 * @param sent             ids sent
 * @param acknowledged     ids acknowledged (200)
 * @param rejected         ids only ever rejected (4xx)
 * @param failed           ids whose last word was a 503
 * @param unknown          ids that got no answer at least once and no 200
 * @param storedUnanswered failed or unknown ids that are in the stream (once)
 * @param lost             acknowledged ids missing from the stream
 * @param duplicates       ids stored more than once
 * @param phantoms         messages in the stream nobody sent (and not declared foreign)
 * @param misplaced        acknowledged ids stored at another seq, or with other content; rejected ids stored;
 *                         200 answers that did not say where
 * @param foreign          messages declared foreign and found
 * @param anomaliesExpected stored measurements at or below the threshold (those sent around the gateway too)
 * @param anomaliesMissing expected anomalies the client does not show
 * @param anomaliesWrong   anomalies the client shows that are not expected, or differ
 * @param problems         up to a few examples of each kind of problem, for the failure message
 */
record Verdict(long sent, long acknowledged, long rejected, long failed, long unknown, long storedUnanswered,
               long lost, long duplicates, long phantoms, long misplaced, long foreign,
               long anomaliesExpected, long anomaliesMissing, long anomaliesWrong, List<String> problems) {

    boolean clean() {
        return lost == 0 && duplicates == 0 && phantoms == 0 && misplaced == 0 && anomaliesMissing == 0
                && anomaliesWrong == 0;
    }

    /** Fails with every number and the examples when anything disagrees. */
    Verdict assertClean() {
        if (!clean()) {
            throw new AssertionError("ledger not clean: " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "sent=" + sent + " acknowledged=" + acknowledged + " rejected=" + rejected + " failed(503)=" + failed
                + " unknown=" + unknown + " storedUnanswered=" + storedUnanswered + " lost=" + lost
                + " duplicates=" + duplicates + " phantoms=" + phantoms + " misplaced=" + misplaced
                + " foreign=" + foreign + " anomalies(expected=" + anomaliesExpected + " missing=" + anomaliesMissing
                + " wrong=" + anomaliesWrong + ")" + (problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems));
    }
}
