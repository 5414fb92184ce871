package io.anomalyflow.bench;

import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Baseline "JetStream {@code publishAsync} with a window": raw jnats, no HTTP, in its own JVM.
 * <pre>BaselineServer-like usage: RawPublish --nats URL --stream S --subject s --warmup W --count N --window 1000</pre>
 * Publishes {@code W} messages to warm up, then {@code N} measured ones, at most {@code window}
 * unacknowledged at a time (a {@link Semaphore}: jnats itself has no cap on acks in flight), and
 * prints {@code RESULT rate=<msg/s> count=<N> failed=<F>}. {@code --anomaly-percent 40} sends the
 * detector's load ({@link Payloads#body40}) instead of one anomaly in five. It is also how the catch-up stream is
 * filled, so the 10^6 messages the client reads were written by this measurement.
 */
public final class RawPublish {
    private RawPublish() {
    }

    public static void main(String[] args) throws Exception {
        var a = new Args(args, 0);
        var subject = a.text("subject");
        try (var nc = Streams.connect(a.text("nats"))) {
            Streams.ensure(nc, a.text("stream"), subject);
            var js = nc.jetStream();
            var window = new Semaphore(a.integer("window", 1000));
            var failed = new AtomicLong();
            boolean forty = a.integer("anomaly-percent", 20) == 40;
            publish(js, subject, 0, a.integer("warmup", 0), window, failed, forty);
            int count = a.integer("count");
            long t0 = System.nanoTime();
            publish(js, subject, 1, count, window, failed, forty);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.println(String.format(Locale.ROOT, "RESULT rate=%.1f count=%d failed=%d seconds=%.3f",
                    count / seconds, count, failed.get(), seconds));
        }
    }

    /** Publishes {@code count} bodies and returns once every ack (or failure) arrived. */
    private static void publish(io.nats.client.JetStream js, String subject, int offset, int count, Semaphore window,
            AtomicLong failed, boolean forty) throws InterruptedException {
        int permits = window.availablePermits();
        for (int i = 0; i < count; i++) {
            window.acquire();
            js.publishAsync(subject, forty ? Payloads.body40(offset + i) : Payloads.body(offset + i)).whenComplete((ack, error) -> {
                if (error != null) {
                    failed.incrementAndGet();
                }
                window.release();
            });
        }
        if (!window.tryAcquire(permits, 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("acks still missing after 60 s");
        }
        window.release(permits);
    }
}
