package io.anomalyflow.app;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Browser sessions that stand for a token: {@link #open()} returns a fresh random id (256 bits from
 * {@link SecureRandom}, URL-safe Base64) that a cookie carries instead of the token itself, and
 * {@link #valid} says whether an id is one of ours and younger than the lifetime.
 *
 * <p>Only SHA-256 digests of the ids are kept, so a lookup compares digests of what was sent, not
 * the secret itself, and a heap dump holds no usable id. At most {@code maxSessions} live at once:
 * when full, expired ones go first, then the oldest. Thread-safe.
 */
public final class Sessions {
    private static final int ID_BYTES = 32;

    private final Duration lifetime;
    private final int maxSessions;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();
    private final ReentrantLock opening = new ReentrantLock();

    private Sessions(Duration lifetime, int maxSessions, InstantSource clock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1: " + maxSessions);
        }
        this.lifetime = lifetime;
        this.maxSessions = maxSessions;
        this.clock = clock;
    }

    /** Sessions living {@code lifetime}, at most {@code maxSessions} at once, timed by {@code clock}. */
    public static Sessions create(Duration lifetime, int maxSessions, InstantSource clock) {
        return new Sessions(lifetime, maxSessions, java.util.Objects.requireNonNull(clock, "clock"));
    }

    /** How long a session lives from {@link #open()} (the cookie's {@code Max-Age}). */
    public Duration lifetime() {
        return lifetime;
    }

    /** A new session's id; give it to the browser, it is never shown again. */
    public String open() {
        var bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        var id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var now = clock.instant();
        opening.lock(); // one opener at a time keeps the bound exact
        try {
            if (expiries.size() >= maxSessions) {
                expiries.values().removeIf(expiry -> !expiry.isAfter(now));
            }
            while (expiries.size() >= maxSessions) {
                expiries.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                        .ifPresent(oldest -> expiries.remove(oldest.getKey()));
            }
            expiries.put(digest(id), now.plus(lifetime));
        } finally {
            opening.unlock();
        }
        return id;
    }

    /** Whether {@code id} is a session opened here that has not expired or been closed. */
    public boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return false;
        }
        var key = digest(id);
        var expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (!expiry.isAfter(clock.instant())) {
            expiries.remove(key, expiry);
            return false;
        }
        return true;
    }

    /** Ends the session {@code id} (a log-out); unknown ids are ignored. */
    public void close(String id) {
        if (id != null && id.length() <= 128) {
            expiries.remove(digest(id));
        }
    }

    /** Sessions held now, expired ones not yet dropped included. */
    public int size() {
        return expiries.size();
    }

    private static String digest(String id) {
        return java.util.HexFormat.of().formatHex(BearerAuth.sha256(id));
    }
}
