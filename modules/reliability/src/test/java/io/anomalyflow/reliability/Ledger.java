package io.anomalyflow.reliability;

import io.anomalyflow.events.Measurement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exact account of one fault run: every measurement sent (each with a unique id), and every
 * HTTP attempt made for it with what came back. {@link LedgerCheck} then holds it against the stream
 * read back with our own jnats consumer and against the client's anomalies.
 *
 * <p>An id ends in one of four states, from all its attempts:
 * <ul>
 *   <li>{@link Outcome#ACKED}: some attempt got a {@code 200} with a {@code seq}. Promise: stored
 *       exactly once, at that seq.</li>
 *   <li>{@link Outcome#REJECTED}: every attempt got a 4xx. Promise: not stored (the gateway validates
 *       before it publishes).</li>
 *   <li>{@link Outcome#FAILED}: the last word was a 503 (the gateway's "not acknowledged").
 *       Promise: stored at most once.</li>
 *   <li>{@link Outcome#UNKNOWN}: some attempt got no answer at all (reset, refused, timeout).
 *       Promise: stored at most once.</li>
 * </ul>
 * Messages published around the gateway on purpose (poison) are declared with {@link #foreign}, so
 * the check counts them as expected rather than as phantoms.
 *
 * <p>Thread-safe: load workers record concurrently; each id's attempts are appended by the one
 * worker that owns the id.
 */
final class Ledger {

    /** What one attempt, or an id as a whole, came to. */
    enum Outcome { ACKED, REJECTED, FAILED, UNKNOWN }

    /**
     * One HTTP attempt for one id.
     *
     * @param status        the HTTP status, or 0 when there was no answer
     * @param seq           ACKED: the acknowledged stream sequence, or for an id in a batch the batch's
     *                      {@code firstSeq}; else 0
     * @param lastSeq       ACKED: the same seq, or the batch's {@code lastSeq}; the id must be stored
     *                      within {@code [seq, lastSeq]}
     * @param duplicate     the gateway said the id was already stored ({@code "duplicate":true})
     * @param sentNanos     {@link System#nanoTime()} when the request left
     * @param answeredNanos {@link System#nanoTime()} when the answer (or the failure) came
     * @param detail        the error body or the exception, for failure messages
     */
    record Attempt(Outcome outcome, int status, long seq, long lastSeq, boolean duplicate, long sentNanos,
                   long answeredNanos, String detail) {

        /** A 200 for one measurement: stored at {@code seq}. */
        static Attempt acked(long seq, boolean duplicate, long sentNanos, long answeredNanos) {
            return new Attempt(Outcome.ACKED, 200, seq, seq, duplicate, sentNanos, answeredNanos, "");
        }

        /** A 200 for a batch without duplicates: each of its ids stored once within {@code [firstSeq, lastSeq]}. */
        static Attempt ackedInBatch(long firstSeq, long lastSeq, long sentNanos, long answeredNanos) {
            return new Attempt(Outcome.ACKED, 200, firstSeq, lastSeq, false, sentNanos, answeredNanos, "");
        }

        /** Anything but a 200: {@code status} 0 when nothing answered. */
        static Attempt failed(Outcome outcome, int status, long sentNanos, long answeredNanos, String detail) {
            if (outcome == Outcome.ACKED) {
                throw new IllegalArgumentException("an acknowledgement has a seq: use acked()");
            }
            return new Attempt(outcome, status, 0, 0, false, sentNanos, answeredNanos, detail);
        }

        /** Whether this attempt was under way during the whole of {@code [from, to]} or inside it. */
        boolean within(long fromNanos, long toNanos) {
            return sentNanos >= fromNanos && answeredNanos <= toNanos;
        }
    }

    /** One id: what was sent, and its attempts in order. */
    record Entry(Measurement sent, List<Attempt> attempts) {
        Outcome outcome() {
            synchronized (attempts) {
                if (attempts.stream().anyMatch(a -> a.outcome() == Outcome.ACKED)) {
                    return Outcome.ACKED;
                }
                if (!attempts.isEmpty() && attempts.stream().allMatch(a -> a.outcome() == Outcome.REJECTED)) {
                    return Outcome.REJECTED;
                }
                if (attempts.stream().anyMatch(a -> a.outcome() == Outcome.UNKNOWN)) {
                    return Outcome.UNKNOWN;
                }
                return Outcome.FAILED; // also "registered but never attempted": it may not be stored twice either
            }
        }

        /** The acknowledgements of this id: the stored seq must lie within each one's {@code [seq, lastSeq]}. */
        List<Attempt> acks() {
            synchronized (attempts) {
                return attempts.stream().filter(a -> a.outcome() == Outcome.ACKED).toList();
            }
        }

        List<Attempt> attemptsCopy() {
            synchronized (attempts) {
                return List.copyOf(attempts);
            }
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Set<Long> foreign = ConcurrentHashMap.newKeySet();

    /** Notes a measurement before its first attempt; its id must be new to this ledger. */
    void sent(Measurement m) {
        if (!m.hasId()) {
            throw new IllegalArgumentException("the ledger needs an id on every measurement: " + m);
        }
        if (entries.putIfAbsent(m.id(), new Entry(m, new ArrayList<>())) != null) {
            throw new IllegalArgumentException("id sent twice as a new measurement: " + m.id());
        }
    }

    /** Notes one attempt for an id registered with {@link #sent}. */
    void attempt(String id, Attempt attempt) {
        var e = entries.get(id);
        if (e == null) {
            throw new IllegalArgumentException("attempt for an id never sent: " + id);
        }
        synchronized (e.attempts()) {
            e.attempts().add(attempt);
        }
    }

    /** Declares a message published around the gateway on purpose, at this stream sequence. */
    void foreign(long seq) {
        foreign.add(seq);
    }

    Set<Long> foreignSeqs() {
        return Set.copyOf(foreign);
    }

    Entry entry(String id) {
        return entries.get(id);
    }

    Collection<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** How many ids ended in {@code outcome} so far. */
    long count(Outcome outcome) {
        return entries.values().stream().filter(e -> e.outcome() == outcome).count();
    }

    /** Every attempt of every id (for checks about what was answered when). */
    List<Attempt> attempts() {
        var all = new ArrayList<Attempt>();
        entries.values().forEach(e -> all.addAll(e.attemptsCopy()));
        return all;
    }

    /** How many 200 answers said {@code "duplicate":true}: retries the duplicate window caught. */
    long duplicateReplies() {
        return attempts().stream().filter(a -> a.outcome() == Outcome.ACKED && a.duplicate()).count();
    }

    /** How many attempts got each HTTP status (0: no answer), over all ids. */
    Map<Integer, Long> attemptStatuses() {
        var counts = new java.util.TreeMap<Integer, Long>();
        attempts().forEach(a -> counts.merge(a.status(), 1L, Long::sum));
        return counts;
    }

    int size() {
        return entries.size();
    }
}
