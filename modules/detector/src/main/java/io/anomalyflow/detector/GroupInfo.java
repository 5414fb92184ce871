package io.anomalyflow.detector;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The group's consumer as the server sees it: its backlog (messages not handed to any detector yet)
 * and what it holds unacknowledged, over every detector of the group. Asked of the server at most
 * every {@code maxAgeNanos}, whoever asks (metrics scrapes, health), so a busy scraper costs one
 * request per period.
 */
final class GroupInfo {
    /** @param backlog pending messages, -1 when unknown; @param ackPending unacknowledged, -1 when unknown */
    record Snapshot(long backlog, long ackPending, long redelivered) {
        static final Snapshot UNKNOWN = new Snapshot(-1, -1, -1);
    }

    private final JetStreamManagement jsm;
    private final String stream;
    private final String group;
    private final long maxAgeNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private Snapshot last = Snapshot.UNKNOWN;
    private long takenAt = System.nanoTime() - Long.MAX_VALUE / 2;

    GroupInfo(JetStreamManagement jsm, String stream, String group, long maxAgeNanos) {
        this.jsm = jsm;
        this.stream = stream;
        this.group = group;
        this.maxAgeNanos = maxAgeNanos;
    }

    Snapshot snapshot() {
        lock.lock();
        try {
            if (System.nanoTime() - takenAt >= maxAgeNanos) {
                last = fetch();
                takenAt = System.nanoTime();
            }
            return last;
        } finally {
            lock.unlock();
        }
    }

    private Snapshot fetch() {
        try {
            var info = jsm.getConsumerInfo(stream, group);
            return new Snapshot(info.getNumPending(), info.getNumAckPending(), info.getRedelivered());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return Snapshot.UNKNOWN; // no consumer yet, no stream, or no answer: unknown, not zero
        }
    }
}
