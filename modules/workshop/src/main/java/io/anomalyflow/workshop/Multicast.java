package io.anomalyflow.workshop;

import io.anomalyflow.workshop.api.MulticastStep;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Step 08 (workshop/steps/08-multicast.md): one upstream subscription shared by any number of
 * subscribers. The suggested design is lock-step: an item goes out only when every current
 * subscriber has asked for it, so the processor asks its upstream for the smallest outstanding
 * demand among its subscribers and buffers nothing.
 */
public final class Multicast implements MulticastStep {
    /** Creates the step. */
    public Multicast() {
    }

    @Override
    public <T> Flow.Processor<T, T> create() {
        return new Hub<>();
    }

    @Override
    public boolean coordinatedEmission() {
        return true; // TODO 08: false if you serve each subscriber on its own demand (with a buffer each)
    }

    /** The processor. */
    private static final class Hub<T> implements Flow.Processor<T, T> {
        private final ReentrantLock lock = new ReentrantLock();
        private final List<Member<T>> members = new CopyOnWriteArrayList<>();
        private Flow.Subscription upstream;

        @Override
        public void subscribe(Flow.Subscriber<? super T> subscriber) {
            // TODO 08a: null is a NullPointerException (§1.9). Add a Member and call its
            //           subscriber's onSubscribe with it. A subscriber that comes after the end
            //           gets onSubscribe, then the terminal signal (§1.9 before §1.4/§1.5).
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            // TODO 08b: one upstream only (§2.5); ask it for what the members already want (08d).
        }

        @Override
        public void onNext(T item) {
            // TODO 08c: give the item to every member. Lock-step: each of them has asked for it, so
            //           this never breaks §1.1; count it as emitted for each.
        }

        @Override
        public void onError(Throwable throwable) {
            // TODO 08e: remember it and pass it to every member (§1.4: all of them), once.
        }

        @Override
        public void onComplete() {
            // TODO 08e: remember it and pass it to every member, once.
        }

        /** One subscriber and its demand. */
        private final class Member<X> implements Flow.Subscription {
            @Override
            public void request(long n) {
                // TODO 08d: n <= 0: cancel this member and signal IllegalArgumentException (§3.9).
                //           Add n to this member's demand, capped at Long.MAX_VALUE (§3.17), then
                //           request upstream whatever makes the upstream's outstanding demand equal
                //           the smallest outstanding demand of the members. Signals to subscribers
                //           may run under 'lock' (a ReentrantLock: request() from inside onNext
                //           re-enters it on the same thread, §3.3 then bounds the recursion).
            }

            @Override
            public void cancel() {
                // TODO 08f: remove the member (§3.5 idempotent, §3.13 drop the subscriber), which can
                //           let the others' demand through. When the last one leaves, cancel upstream.
            }
        }
    }
}
