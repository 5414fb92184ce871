package io.anomalyflow.sender;

import java.time.Duration;
import java.util.Locale;

/**
 * A consistent-enough snapshot of a running {@link SenderRun}, for progress bars and the page's live
 * view. Counts are measurements, not requests (a batch of 100 counts 100).
 *
 * @param total measurements the run will send in all
 * @param sent measurements generated and taken on: sent at least once, or waiting for their paced start
 * @param acknowledged measurements the gateway acknowledged (stored), duplicates included
 * @param duplicates of those, how many the gateway had already stored (a retry after a lost reply)
 * @param rejected measurements in requests refused with a 4xx (not retried)
 * @param failed measurements given up on: retries exhausted, another 5xx, or the run was stopped
 * @param retries how many times a request was sent again
 * @param inFlight requests sent (or waiting for their paced start or a retry) and not finished yet
 * @param elapsed time since the run started
 * @param done whether the run has finished
 */
public record Progress(long total, long sent, long acknowledged, long duplicates, long rejected, long failed,
                       long retries, int inFlight, Duration elapsed, boolean done) {

    /** Measurements with a final outcome. */
    public long finished() {
        return acknowledged + rejected + failed;
    }

    /** Finished share of the total, 0–1 (1 for an empty run). */
    public double fraction() {
        return total == 0 ? 1.0 : Math.min(1.0, (double) finished() / total);
    }

    /** Acknowledged measurements per second since the start. */
    public double rate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : acknowledged / seconds;
    }

    /** Compact JSON for the page's SSE events (numbers and booleans only, so no escaping needed). */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"total\":%d,\"sent\":%d,\"acknowledged\":%d,\"duplicates\":%d,\"rejected\":%d,\"failed\":%d,"
                        + "\"retries\":%d,\"inFlight\":%d,\"elapsedMs\":%d,\"rate\":%.1f,\"done\":%b}",
                total, sent, acknowledged, duplicates, rejected, failed, retries, inFlight, elapsed.toMillis(), rate(), done);
    }
}
