package io.anomalyflow.client;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One SSE reader's stream when a part of its path is not the client's own ({@link ClientParts}):
 * the map's content after the reader's {@code Last-Event-ID}, then the live detections, without
 * gap or duplicate.
 *
 * <p>No gap: on {@code subscribe} the live stream is subscribed first, and only then is the replay
 * taken. A detection is put into the map before any reader is given it (our hub's {@code onItem}),
 * so one that the live stream does not bring was put before the live subscription and is in the
 * replay (unless it has expired meanwhile). No duplicate: a live detection at or below the last
 * position replayed (or the reader's {@code Last-Event-ID}) is skipped, and one more asked for.
 *
 * <p>The replay is emitted on the downstream's demand, by a drain loop (§1.3, §3.3); the live stream
 * is asked for nothing until the replay is over, so its items wait in the reader's buffer (the
 * live publisher's, which asks its own source for everything). From then on requests go to the live
 * stream and its items pass straight through, on its thread. A terminal signal of the live stream
 * comes after the replay.
 */
final class ReplayThenLive implements Flow.Publisher<Detection> {
    private final Supplier<? extends Iterable<Detection>> replay;
    private final Flow.Publisher<Detection> live;
    private final long seen;

    /**
     * @param replay the map's content for this reader, taken after the live stream was subscribed
     * @param live   the reader's live detections (through its buffer)
     * @param seen   the reader's {@code Last-Event-ID}: nothing at or below it is emitted
     */
    ReplayThenLive(Supplier<? extends Iterable<Detection>> replay, Flow.Publisher<Detection> live, long seen) {
        this.replay = Objects.requireNonNull(replay, "replay");
        this.live = Objects.requireNonNull(live, "live");
        this.seen = seen;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Detection> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber"); // §1.9
        var relay = new Relay(subscriber, seen);
        subscriber.onSubscribe(relay); // first, and alone: nothing is emitted before the replay is set
        live.subscribe(relay);         // then the live stream: from here on every new detection reaches it
        relay.start(replay.get().iterator()); // then the map: what was put before is in it
    }

    /** The live stream's subscriber and the downstream's subscription. */
    private static final class Relay implements Flow.Subscriber<Detection>, Flow.Subscription {
        private volatile Flow.Subscriber<? super Detection> downstream; // null once terminated (§3.13)
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicLong requested = new AtomicLong(); // asked, not yet served by the replay or passed on
        private volatile Iterator<Detection> replay;           // set by start(); read by the drain only
        private volatile Flow.Subscription upstream;
        private volatile long floor;                           // the highest position emitted by the replay
        private volatile boolean live;                         // the replay is over: items pass straight through
        private volatile boolean upstreamDone;
        private volatile Throwable upstreamError;
        private volatile boolean cancelled;
        private volatile boolean badRequest;
        private boolean terminated;                            // drain only
        private boolean badRequestPassedOn;                    // drain only
        private boolean upstreamCancelled;                     // drain only

        Relay(Flow.Subscriber<? super Detection> downstream, long seen) {
            this.downstream = downstream;
            this.floor = seen;
        }

        void start(Iterator<Detection> it) {
            replay = it;
            drain();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            Objects.requireNonNull(s, "subscription"); // §2.13
            if (upstream != null) {
                s.cancel(); // §2.5
                return;
            }
            upstream = s;
            drain(); // calls on s come from the drain only (§2.7); it cancels s if the reader left already
        }

        @Override
        public void onNext(Detection d) {
            Objects.requireNonNull(d, "item"); // §2.13
            if (d.position() <= floor) {
                add(1); // replayed already, or the reader had it: the reader asked for one and got none
                drain(); // which asks the live stream for it (§2.7: never beside another call on it)
                return;
            }
            var down = downstream;
            if (!cancelled && down != null) {
                down.onNext(d); // only after the replay: the drain emits nothing more
            }
        }

        @Override
        public void onError(Throwable t) {
            Objects.requireNonNull(t, "throwable"); // §2.13
            upstreamError = t;
            upstreamDone = true;
            drain();
        }

        @Override
        public void onComplete() {
            upstreamDone = true;
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = true; // §3.9, signalled by the drain
            } else {
                add(n);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true; // §3.5: idempotent
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                step();
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void add(long n) {
            requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b); // §3.17
        }

        /** One pass of the drain loop; only one thread runs it at a time. */
        private void step() {
            var up = upstream;
            if (terminated) {
                replay = null; // a start() after the end
                if (up != null && !upstreamCancelled && (cancelled || badRequest)) {
                    upstreamCancelled = true; // it came after the reader left
                    up.cancel();
                }
                return;
            }
            var downstream = this.downstream;
            if (badRequest && !cancelled && live && !upstreamDone) {
                // live items reach the reader on the live stream's thread: an error from here could
                // overlap one (§1.3) or precede one (§1.7); the live stream's own §3.9 error comes
                // after its last item, and then ours follows it
                if (!badRequestPassedOn) {
                    badRequestPassedOn = true;
                    up.request(0);
                }
                return;
            }
            if (cancelled || badRequest) {
                end();
                if (up != null) {
                    upstreamCancelled = true;
                    up.cancel();
                }
                if (badRequest && !cancelled) {
                    downstream.onError(new IllegalArgumentException("§3.9: request(n) needs n > 0"));
                }
                return;
            }
            var it = replay;
            if (it == null || up == null) {
                return; // start() or the live stream's onSubscribe is still to come
            }
            if (!live) {
                long asked = requested.get();
                long emitted = 0;
                while (emitted < asked && !cancelled && it.hasNext()) {
                    var d = it.next();
                    if (d.position() <= floor) {
                        continue;
                    }
                    floor = d.position();
                    downstream.onNext(d);
                    emitted++;
                }
                requested.addAndGet(-emitted);
                if (cancelled || it.hasNext()) {
                    return; // cancelled: the next pass cancels upstream; else wait for demand
                }
                live = true;
            }
            if (upstreamDone) {
                end(); // after the replay, whatever came first
                var error = upstreamError;
                if (error != null) {
                    downstream.onError(error);
                } else {
                    downstream.onComplete();
                }
                return;
            }
            long asked = requested.getAndSet(0);
            if (asked > 0) {
                up.request(asked);
            }
        }

        /** Marks the end and lets go of the reader and the rest of the replay (§3.13); the caller signals it. */
        private void end() {
            terminated = true;
            this.downstream = null;
            replay = null;
        }
    }
}
