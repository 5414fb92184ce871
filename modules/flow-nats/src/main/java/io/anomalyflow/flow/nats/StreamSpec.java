package io.anomalyflow.flow.nats;

import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The stream a writer needs (by default {@code MEASUREMENTS} on {@code measurements}, file storage, max
 * age 24 h, duplicate window 2 min, 1 replica), and which existing streams can serve it.
 *
 * <p>An existing stream is <b>compatible</b> when it has limits retention (a work-queue or interest
 * stream would delete what readers replay), the same storage type, subjects that cover every wanted
 * subject, a max age of at least the wanted one (or unlimited), a duplicate window at least as long, and
 * at least as many replicas. Anything more generous is accepted; anything less is named by
 * {@link #differences(StreamConfiguration)}.
 *
 * @param name            the stream name
 * @param subjects        the subjects it must capture (at least one)
 * @param storage         file (survives restarts) or memory
 * @param maxAge          how long messages are kept; zero keeps them forever
 * @param duplicateWindow how long a {@code Nats-Msg-Id} is remembered for de-duplication
 * @param replicas        copies in a cluster (1 on a single server)
 */
public record StreamSpec(String name, List<String> subjects, StorageType storage, Duration maxAge,
                         Duration duplicateWindow, int replicas) {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2);

    public StreamSpec {
        if (name == null || name.isBlank() || !name.chars().allMatch(c -> c > ' ' && c != '.' && c != '*' && c != '>')) {
            throw new IllegalArgumentException("stream name must be non-empty without spaces, '.', '*' or '>': '" + name + "'");
        }
        subjects = List.copyOf(subjects);
        if (subjects.isEmpty() || subjects.stream().anyMatch(s -> s.isBlank() || s.contains(" "))) {
            throw new IllegalArgumentException("subjects must be one or more NATS subjects: " + subjects);
        }
        Objects.requireNonNull(storage, "storage");
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be >= 0 (0 = forever): " + maxAge);
        }
        if (duplicateWindow == null || duplicateWindow.isNegative() || duplicateWindow.isZero()) {
            throw new IllegalArgumentException("duplicateWindow must be positive: " + duplicateWindow);
        }
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("replicas must be 1..5: " + replicas);
        }
    }

    /**
     * The stream names our apps accept on their command lines: 1–255 letters, digits, {@code _}
     * and {@code -} (a strict subset of what the server allows, safe in file names and subjects).
     *
     * @return {@code name}
     * @throws IllegalArgumentException saying what a stream name may contain
     */
    public static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,255}")) {
            throw new IllegalArgumentException("a stream name is 1-255 letters, digits, '_' and '-'");
        }
        return name;
    }

    /** {@code name} on {@code subjects} with the defaults: file storage, 24 h, 2 min, 1 replica. */
    public static StreamSpec of(String name, String... subjects) {
        return new StreamSpec(name, List.of(subjects), StorageType.File, DEFAULT_MAX_AGE, DEFAULT_DUPLICATE_WINDOW, 1);
    }

    public StreamSpec withStorage(StorageType storage) {
        return new StreamSpec(name, subjects, storage, maxAge, duplicateWindow, replicas);
    }

    public StreamSpec withMaxAge(Duration maxAge) {
        return new StreamSpec(name, subjects, storage, maxAge, duplicateWindow, replicas);
    }

    public StreamSpec withDuplicateWindow(Duration window) {
        return new StreamSpec(name, subjects, storage, maxAge, window, replicas);
    }

    public StreamSpec withReplicas(int replicas) {
        return new StreamSpec(name, subjects, storage, maxAge, duplicateWindow, replicas);
    }

    /** The configuration to create the stream with. */
    public StreamConfiguration toConfiguration() {
        return StreamConfiguration.builder()
                .name(name)
                .subjects(subjects)
                .retentionPolicy(RetentionPolicy.Limits)
                .storageType(storage)
                .maxAge(maxAge)
                .duplicateWindow(duplicateWindow)
                .replicas(replicas)
                .build();
    }

    /** Why {@code existing} cannot serve this spec, one line per reason; empty when it can. */
    public List<String> differences(StreamConfiguration existing) {
        var out = new ArrayList<String>();
        if (existing.getRetentionPolicy() != RetentionPolicy.Limits) {
            out.add("retention is " + existing.getRetentionPolicy().name() + ", wanted Limits");
        }
        if (existing.getStorageType() != storage) {
            out.add("storage is " + existing.getStorageType().name() + ", wanted " + storage.name());
        }
        var missing = subjects.stream().filter(s -> existing.getSubjects().stream().noneMatch(p -> covers(p, s))).toList();
        if (!missing.isEmpty()) {
            out.add("subjects are " + existing.getSubjects() + ", which do not cover " + missing);
        }
        var age = existing.getMaxAge() == null ? Duration.ZERO : existing.getMaxAge();
        if (!age.isZero() && (maxAge.isZero() || age.compareTo(maxAge) < 0)) {
            out.add("max age is " + age + ", wanted at least " + (maxAge.isZero() ? "unlimited" : maxAge));
        }
        var dup = existing.getDuplicateWindow() == null ? Duration.ZERO : existing.getDuplicateWindow();
        if (dup.compareTo(duplicateWindow) < 0) {
            out.add("duplicate window is " + dup + ", wanted at least " + duplicateWindow);
        }
        if (existing.getReplicas() < replicas) {
            out.add("replicas are " + existing.getReplicas() + ", wanted at least " + replicas);
        }
        return out;
    }

    /**
     * Whether every subject matching {@code wanted} also matches {@code pattern} (NATS wildcards: {@code *}
     * one token, {@code >} one or more trailing tokens).
     */
    static boolean covers(String pattern, String wanted) {
        var p = pattern.split("\\.");
        var w = wanted.split("\\.");
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return w.length > i; // covers one or more remaining tokens, whatever they are
            }
            if (i >= w.length) {
                return false;
            }
            if (w[i].equals(">")) {
                return false; // only a '>' covers a '>'
            }
            if (!p[i].equals("*") && !p[i].equals(w[i])) {
                return false; // a literal covers only itself ('*' in wanted included)
            }
        }
        return p.length == w.length;
    }
}
