package io.anomalyflow.client;

import io.anomalyflow.flow.MulticastHub;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The hub SSE readers join now, and the drop count of every hub it ever held. Each pipeline run
 * feeds one hub; when the run ends, {@link #replace} puts a fresh hub in its place before the old
 * one ends its readers, so a reader that reconnects at once joins the next run's hub.
 *
 * <p>Drops are never lost and never counted twice: the old hub's drops move into the retired total
 * under the same lock that {@link #droppedTotal()} reads both under. After {@link #stopReplacing()}
 * (the client is closing) a run's end keeps its hub, so no hub is made that nobody will close.
 * Thread-safe.
 */
final class CurrentHub {
    private final Supplier<MulticastHub<Detection>> newHub;
    private final AtomicReference<MulticastHub<Detection>> hub = new AtomicReference<>();
    private final ReentrantLock lock = new ReentrantLock();
    private long retiredDrops; // guarded by lock
    private boolean replacing = true; // guarded by lock

    /** @param newHub makes each hub, the first one at once */
    CurrentHub(Supplier<MulticastHub<Detection>> newHub) {
        this.newHub = Objects.requireNonNull(newHub, "newHub");
        hub.set(Objects.requireNonNull(newHub.get(), "hub"));
    }

    /** The hub readers join now (never null). */
    MulticastHub<Detection> get() {
        return hub.get();
    }

    /** Items dropped by every reader's buffer, in every hub so far; never goes down. */
    long droppedTotal() {
        lock.lock();
        try {
            return retiredDrops + hub.get().droppedTotal();
        } finally {
            lock.unlock();
        }
    }

    /** Puts a fresh hub in place of {@code old}, unless {@code old} was replaced already or replacing stopped. */
    void replace(MulticastHub<Detection> old) {
        lock.lock();
        try {
            if (replacing && hub.get() == old) { // every write to hub is under this lock
                hub.set(newHub.get());
                retiredDrops += old.droppedTotal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** From now on a run's end keeps its hub: the client is closing and closes the hub held then. */
    void stopReplacing() {
        lock.lock();
        try {
            replacing = false;
        } finally {
            lock.unlock();
        }
    }
}
