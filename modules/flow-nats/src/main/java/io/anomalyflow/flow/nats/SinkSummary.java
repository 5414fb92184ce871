package io.anomalyflow.flow.nats;

/**
 * The totals of a {@link JetStreamSink} once every item has its outcome.
 *
 * @param acknowledged items JetStream acknowledged, duplicates included
 * @param duplicates   of those, items whose message id was already stored (not stored again)
 * @param failed       items not acknowledged
 * @param firstSeq     the lowest stream sequence among the acks, 0 when there was none
 * @param lastSeq      the highest stream sequence among the acks, 0 when there was none
 */
public record SinkSummary(long acknowledged, long duplicates, long failed, long firstSeq, long lastSeq) {
    /** How many items had an outcome. */
    public long total() {
        return acknowledged + failed;
    }
}
