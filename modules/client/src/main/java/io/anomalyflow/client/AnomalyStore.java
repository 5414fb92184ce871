package io.anomalyflow.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The time-expiring, bounded map of anomalies the client serves: what {@code GET /anomalies} lists
 * and what a new SSE reader is replayed before it goes live. Its key is each detection's
 * {@link Detection#position() position}, the sequence of the message read in the stream read (the
 * measurement's own sequence, or the anomaly event's), which grows with every message read; below,
 * "sequence" means that position.
 *
 * <p><b>Expiry.</b> An anomaly leaves the map {@code ttl} after its measurement entered the stream
 * ({@link Detection#streamTime()}: not the device's clock, which may be wrong or replayed). There
 * is no timer per entry: {@link #expire()} removes the expired run at the oldest end, and the owner
 * calls it from one sweeper (the client schedules it) while every read also calls it and skips any
 * expired entry it meets, so a read never shows an expired anomaly even between sweeps. Stream time
 * grows with the stream sequence, so the oldest sequence expires first and a sweep stops at the first
 * live entry. Read from the anomaly events, stream time grows with the position only nearly (several
 * detectors publish concurrently, and a redelivered measurement is published late): an entry that
 * expires before one put earlier is noted apart ({@link LateExpiries}), and the sweep removes it on
 * time too. So both sources drop the same rows at the same instant, from reads and from the size.
 *
 * <p><b>Bound.</b> At most {@code maxEntries}; inserting one more evicts the lowest position (the
 * oldest read) first, and the eviction is counted.
 *
 * <p><b>Indexes.</b> One {@link ConcurrentSkipListMap} by position (newest-first listing, oldest-first
 * "after position" snapshots, eviction and expiry at its head) and one per device (lookups by device
 * without scanning the others). Both hold the same {@link Detection} and the same boxed key.
 *
 * <p><b>Threads.</b> Mutations ({@link #put}, {@link #expire()}) take one {@link ReentrantLock} so the
 * two indexes change together; there is normally a single writer (the pipeline) and a sweeper, so it
 * is uncontended. Reads take no lock: they walk the concurrent maps (weakly consistent) and filter by
 * time. A reader that must not miss or repeat anything against a live feed (SSE replay) reads under
 * the multicast hub's lock, where puts happen too.
 */
public final class AnomalyStore {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyStore.class);

    private final long ttlMillis;
    private final int maxEntries;
    private final InstantSource clock;
    private final ConcurrentSkipListMap<Long, Detection> byPosition = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, Detection>> byDevice = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final List<Runnable> onClear = new CopyOnWriteArrayList<>();
    private final LateExpiries late = new LateExpiries();
    /** Maintained under {@link #writeLock}; ConcurrentSkipListMap.size() would walk every node. */
    private volatile int size;
    /** How many times the map was cleared; a replay view taken before a clear ends at it. */
    private volatile long clears;
    /** Another's history that decides what the sweep removes ({@link #sweptBy}); null: the map's own. Under writeLock. */
    private ClientParts.HistoryFactory historyFactory;
    private ClientParts.ExpiringHistory history;
    /** The highest position put into {@link #history}. Under writeLock. */
    private long historyMax;

    private AnomalyStore(Duration ttl, int maxEntries, InstantSource clock) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.ttlMillis = ttl.toMillis();
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A store whose anomalies live {@code ttl} after their stream time, holding at most
     * {@code maxEntries}, reading the current time from {@code clock} (tests pass a controlled one).
     */
    public static AnomalyStore create(Duration ttl, int maxEntries, InstantSource clock) {
        return new AnomalyStore(ttl, maxEntries, clock);
    }

    /**
     * Stores {@code detection}; it expires {@code ttl} after its stream time.
     *
     * @return {@code false} (and stores nothing) when an anomaly with that position is already here,
     *     or when it has already expired (a replay of old stream history)
     */
    public boolean put(Detection detection) {
        Objects.requireNonNull(detection, "detection");
        if (expiresAt(detection) <= clock.millis()) {
            return false;
        }
        Long key = detection.position(); // boxed once, shared by both indexes
        writeLock.lock();
        try {
            if (history != null) {
                if (byPosition.containsKey(key)) {
                    return false;
                }
                // before the maps change: a history that throws leaves the map as it was
                history.put(key, detection.deviceId(), detection.streamTime());
                historyMax = Math.max(historyMax, key);
            }
            if (byPosition.putIfAbsent(key, detection) != null) {
                return false;
            }
            byDevice.computeIfAbsent(detection.deviceId(), d -> new ConcurrentSkipListMap<>()).put(key, detection);
            late.put(key, expiresAt(detection));
            size++;
            while (size > maxEntries) {
                removeOldest();
                evicted.incrementAndGet();
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Removes the anomalies whose time is up, from the oldest end. Cheap when nothing is due: one
     * look at the head, no lock.
     *
     * @return how many were removed
     */
    public int expire() {
        if (historyFactory != null) {
            return expireByHistory();
        }
        long now = clock.millis();
        var head = byPosition.firstEntry();
        if ((head == null || expiresAt(head.getValue()) > now) && !late.anyDue(now)) {
            return 0;
        }
        int removed = 0;
        writeLock.lock();
        try {
            for (var first = byPosition.firstEntry(); first != null && expiresAt(first.getValue()) <= now;
                    first = byPosition.firstEntry()) {
                removeOldest();
                removed++;
            }
            removed += late.removeDue(now, this::remove);
        } finally {
            writeLock.unlock();
        }
        expired.addAndGet(removed);
        return removed;
    }

    /**
     * Removes everything (not counted as expired or evicted): the stream was re-created, and its new
     * sequences start at 1 again. Replay views taken before end here, and the {@link #onClear}
     * actions run before this returns, so before anything of the new stream is put.
     */
    public void clear() {
        writeLock.lock();
        try {
            clears++; // before the maps change: a view that reads a new entry sees it (volatile)
            byPosition.clear();
            byDevice.clear();
            late.clear();
            size = 0;
            if (historyFactory != null) {
                history = historyFactory.create(Duration.ofMillis(ttlMillis), clock);
                historyMax = 0;
            }
        } finally {
            writeLock.unlock();
        }
        onClear.forEach(Runnable::run);
    }

    /** Runs {@code action} after each {@link #clear()}, on the clearing thread (SSE readers end there). */
    void onClear(Runnable action) {
        onClear.add(Objects.requireNonNull(action, "action"));
    }

    /**
     * Up to {@code limit} live anomalies, newest (highest position) first; only those of
     * {@code deviceId} when it is not {@code null}.
     */
    public List<Detection> newest(String deviceId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        expire();
        var index = index(deviceId);
        long now = clock.millis();
        var result = new ArrayList<Detection>(Math.min(limit, 1024));
        for (var it = index.descendingMap().values().iterator(); it.hasNext() && result.size() < limit; ) {
            var d = it.next();
            if (expiresAt(d) > now) {
                result.add(d);
            }
        }
        return result;
    }

    /**
     * Every live anomaly with a position greater than {@code afterPosition}, oldest first, as a copy;
     * only those of {@code deviceId} when it is not {@code null}.
     */
    public List<Detection> after(long afterPosition, String deviceId) {
        expire();
        var index = index(deviceId);
        long now = clock.millis();
        var result = new ArrayList<Detection>();
        for (var d : index.tailMap(afterPosition, false).values()) {
            if (expiresAt(d) > now) {
                result.add(d);
            }
        }
        return result;
    }

    /**
     * The SSE replay: the anomalies with {@code afterPosition < position <= lastPosition()} (as it is
     * now), oldest first, of {@code deviceId} when it is not {@code null}; {@code afterPosition} is 0 for
     * a new reader and the {@code Last-Event-ID} for one that resumes.
     *
     * <p>Taking it costs O(1), however full the map is: it is a view, read lazily while the reader's
     * writer sends it, not a copy. That is what lets a thousand readers join a full map under the
     * hub's lock without stalling the pipeline or holding a thousand copies of 100 000 entries. It is
     * as good as a copy taken now, because nothing is added in its range afterwards while the map
     * lives (the pipeline puts positions in increasing order, and the bound is the last one put);
     * entries can only leave it (expiry, eviction), and an anomaly the map no longer holds is one it
     * no longer serves. Only {@link #clear()} lets positions in the range come again (a re-created
     * stream): the view ends there, so it never yields what the reader gets live.
     */
    public Iterable<Detection> replayAfter(long afterPosition, String deviceId) {
        long taken = clears; // first: a clear from here on ends the view
        long upTo = lastPosition();
        if (upTo <= afterPosition) {
            return List.of();
        }
        return new ReplayView(index(deviceId).subMap(afterPosition, false, upTo, true).values(), this::isLive,
                () -> clears == taken);
    }

    /** How many anomalies the map holds (expired ones count until a sweep or a read removes them). */
    public int size() {
        return size;
    }

    /** How many devices have at least one anomaly in the map. */
    public int devices() {
        return byDevice.size();
    }

    /** The highest position in the map, or 0 when it is empty. */
    public long lastPosition() {
        var last = byPosition.lastEntry();
        return last == null ? 0 : last.getKey();
    }

    /** How many anomalies left because their time was up. */
    public long expiredCount() {
        return expired.get();
    }

    /** How many anomalies were pushed out by the size bound. */
    public long evictedCount() {
        return evicted.get();
    }

    public long maxEntries() {
        return maxEntries;
    }

    public Duration ttl() {
        return Duration.ofMillis(ttlMillis);
    }

    /**
     * From now on the sweep ({@link #expire()}) removes what a history of {@code factory}'s says has
     * expired, instead of what the map's own expiry times say: for {@code make workshop-run}, where
     * the history is a learner's ({@link ClientParts#history()}). Reads skip what has expired by the
     * map's own clock all the same. Call it before anything is put.
     */
    void sweptBy(ClientParts.HistoryFactory factory) {
        writeLock.lock();
        try {
            historyFactory = Objects.requireNonNull(factory, "factory");
            history = factory.create(Duration.ofMillis(ttlMillis), clock);
            historyMax = 0;
        } finally {
            writeLock.unlock();
        }
    }

    /** {@link #expire()} by the history: removes each entry it holds that the history no longer calls live. */
    private int expireByHistory() {
        int removed = 0;
        writeLock.lock();
        try {
            HashSet<Long> live;
            try {
                history.expire();
                live = new HashSet<>(history.live());
            } catch (RuntimeException e) {
                // another's code: this sweep removes nothing, reads (which skip what our clock
                // expired) still answer, and the sweeper, a scheduled task, lives to sweep again
                LOG.warn("the history's sweep failed; nothing swept this time", e);
                return 0;
            }
            for (var position : byPosition.headMap(historyMax, true).keySet()) {
                if (!live.contains(position) && remove(position)) {
                    removed++;
                }
            }
        } finally {
            writeLock.unlock();
        }
        expired.addAndGet(removed);
        return removed;
    }

    private boolean isLive(Detection d) {
        return expiresAt(d) > clock.millis();
    }

    private long expiresAt(Detection d) {
        return d.streamTime().toEpochMilli() + ttlMillis;
    }

    private NavigableMap<Long, Detection> index(String deviceId) {
        if (deviceId == null) {
            return byPosition;
        }
        NavigableMap<Long, Detection> device = byDevice.get(deviceId);
        return device != null ? device : Collections.emptyNavigableMap();
    }

    /** Removes the lowest position. Caller holds {@link #writeLock}. */
    private void removeOldest() {
        var first = byPosition.pollFirstEntry();
        if (first != null) {
            unindex(first.getKey(), first.getValue());
        }
    }

    /** Removes the entry at {@code position}; false when there is none. Caller holds {@link #writeLock}. */
    private boolean remove(long position) {
        var d = byPosition.remove(position);
        if (d == null) {
            return false;
        }
        unindex(position, d);
        return true;
    }

    /** The rest of a removal from {@link #byPosition}: the size and the device index. */
    private void unindex(long position, Detection d) {
        size--;
        var deviceId = d.deviceId();
        var device = byDevice.get(deviceId);
        if (device != null) {
            device.remove(position);
            if (device.isEmpty()) {
                // Safe: every put into a device index happens under the same lock.
                byDevice.remove(deviceId, device);
            }
        }
    }
}
