package io.anomalyflow.flow.nats;

import java.util.ArrayDeque;

/**
 * The bookkeeping that turns demand into pull requests, kept apart from any I/O so it can be tested on
 * its own. Only the subscription's loop thread touches it.
 *
 * <p>{@code pending} is the number of messages asked for in open pulls and not yet received. The
 * rule is {@code outstanding = requested − emitted − pending}: what the subscriber asked for and nobody
 * has pulled yet. A pull asks for {@code min(outstanding, maxBatch)} messages, so the messages in
 * flight never exceed the demand (nothing is pulled without demand, and the server keeps the rest)
 * nor {@code maxBatch}.
 *
 * <p><b>One pull at a time, unless the server already holds enough.</b> A delivered message does not
 * say which pull it answers, and nats-server 2.9 serves its waiting pulls round-robin, one message
 * each in turn (consumer.go, {@code waitQueue.pop}), not first-come first-served. So with several
 * pulls open, no count per pull is right while they are served. The counts still come out right
 * when every open pull gets all its messages. They go wrong when one expires with messages
 * unfilled: the tracker may already count that pull as complete and ignore its 408, while it
 * holds another pull open in its books that the server has finished. Then it pulls nothing more
 * until that pull's deadline: a stall (docs/performance.md tells how it was found).
 *
 * <p>So a second pull goes out only when the consumer's backlog on the server (the {@code pending}
 * count of the last delivery) already covers both pulls: that is a catch-up, where pulls never
 * expire unfilled, and the next batch is on its way once half of the window is consumed (50 %, like
 * the JDK's {@code SampleSubscriber}). A reader at the head of the stream has no backlog. It keeps
 * one pull open, and sends the next when that one got all its messages, ended with a status, or
 * reached the end of its lifetime (a little before its expiry on the server, whatever the server
 * said). A renewal overlaps the end of the old pull. Its last deliveries then count against the new
 * one, which can only make the books <em>under</em>-count, so the next pull comes a little early.
 * It never stalls.
 */
final class PullTracker {
    private static final class Pull {
        final long id;
        final int batch;
        final long deadline;
        int remaining;

        Pull(long id, int batch, long deadline) {
            this.id = id;
            this.batch = batch;
            this.deadline = deadline;
            this.remaining = batch;
        }
    }

    private final int maxBatch;
    private final long lifetimeNanos;
    private final ArrayDeque<Pull> open = new ArrayDeque<>();
    private long pending;
    private long lastId;
    private long listeningSince;
    /** The {@code now} of the last {@link #expire} that forgot a pull; a pull started at that very {@code now} replaces it. */
    private long expiredAt = Long.MIN_VALUE;

    /**
     * @param lifetimeNanos how long after it was sent a pull counts as open at most, if the server
     *                      does not end it earlier (see {@link PullRequests} for why this is a little
     *                      less than the pull's expiry)
     */
    PullTracker(int maxBatch, long lifetimeNanos) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1: " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.lifetimeNanos = lifetimeNanos;
    }

    /**
     * How many messages to pull now, or 0 for "don't pull yet".
     *
     * @param demand  what the subscriber requested and has not received, minus what is already here
     * @param backlog how many messages the consumer had left to deliver after the last one received
     *                (0 when not known)
     */
    int nextPullSize(long demand, long backlog) {
        long room = Math.min(demand, maxBatch) - pending;
        if (room <= 0) {
            return 0;
        }
        if (open.isEmpty()) {
            return (int) room;
        }
        // Another pull while one is open: only once half the window is free, and only when the
        // server holds every message both will take, so that neither can expire unfilled.
        boolean halfFree = room >= (maxBatch + 1) / 2;
        return halfFree && backlog >= pending + room ? (int) room : 0;
    }

    /** Records a pull for {@code batch} messages sent at {@code now}; returns its id. */
    long started(int batch, long now) {
        if (open.isEmpty() && now != expiredAt) {
            listeningSince = now;
        }
        var pull = new Pull(++lastId, batch, now + lifetimeNanos);
        open.addLast(pull);
        pending += batch;
        return pull.id;
    }

    /** The id the next {@link #started} will return (it goes into the pull's reply subject first). */
    long nextId() {
        return lastId + 1;
    }

    /** A message arrived: it answers the open pull. {@code false} if no pull was open. */
    boolean received() {
        var oldest = open.peekFirst();
        if (oldest == null) {
            return false;
        }
        pending--;
        if (--oldest.remaining == 0) {
            open.removeFirst();
        }
        return true;
    }

    /**
     * The server ended pull {@code id} (timeout, byte budget, …).
     *
     * @return how many of its messages never came, or -1 when that pull is not open (an old one)
     */
    int ended(long id) {
        for (var it = open.iterator(); it.hasNext(); ) {
            var pull = it.next();
            if (pull.id == id) {
                it.remove();
                pending -= pull.remaining;
                return pull.remaining;
            }
        }
        return -1;
    }

    /** The batch size pull {@code id} asked for, or -1 when it is not open. */
    int batchOf(long id) {
        for (var pull : open) {
            if (pull.id == id) {
                return pull.batch;
            }
        }
        return -1;
    }

    /** Forgets pulls past their lifetime without word from the server; returns how many. */
    int expire(long now) {
        int n = 0;
        for (var it = open.iterator(); it.hasNext(); ) {
            var pull = it.next();
            if (now - pull.deadline >= 0) {
                it.remove();
                pending -= pull.remaining;
                expiredAt = now;
                n++;
            }
        }
        return n;
    }

    /** Forgets every pull (the consumer or connection they went to is gone). */
    void clear() {
        open.clear();
        pending = 0;
        expiredAt = Long.MIN_VALUE;
    }

    long pending() {
        return pending;
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    int openPulls() {
        return open.size();
    }

    /** When the oldest open pull must be forgotten at the latest; only meaningful when not empty. */
    long nextDeadline() {
        long d = Long.MAX_VALUE;
        for (var pull : open) {
            d = Math.min(d, pull.deadline);
        }
        return d;
    }

    /**
     * Since when the server owes us a word (a message, a status or a heartbeat): the first pull after a
     * time without any open. A pull replacing one that reached the end of its lifetime (started with the
     * same {@code now} as that {@link #expire}, as the reader's step does) does not count, since the
     * old one was open until then; otherwise a server gone silent would never be noticed when
     * heartbeats are rarer than renewals.
     */
    long listeningSince() {
        return listeningSince;
    }
}
