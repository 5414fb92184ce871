package io.anomalyflow.client;

import java.time.ZonedDateTime;

/**
 * Tells whether the stream a run is about to read is still the one the previous run read, or was
 * deleted and created again under the same name. A re-created stream has another creation time, or
 * holds fewer messages than were already read from it; its sequences start again at 1, so what the
 * client holds from the old one would clash with the new one's. Not thread-safe: the supervisor's
 * loop thread alone uses it.
 */
final class StreamIdentity {
    private ZonedDateTime created; // of the stream the previous run read; null before the first run

    /**
     * Records the stream about to be read and says whether it replaced the one read before.
     *
     * @param createdAt the stream's creation time, as the server reports it
     * @param lastSeq   the stream's last sequence now
     * @param position  the highest sequence already read
     * @return true when a previous run read another stream of that name
     */
    boolean recreated(ZonedDateTime createdAt, long lastSeq, long position) {
        boolean other = created != null && (!created.equals(createdAt) || lastSeq < position);
        created = createdAt;
        return other;
    }
}
