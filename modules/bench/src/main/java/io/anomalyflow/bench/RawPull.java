package io.anomalyflow.bench;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.ConsumeOptions;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Baseline "raw pull + decode": jnats' own fastest reader on this machine, measured by hand before
 * the harness existed ({@code ConsumerContext.consume} with batches of 1024 on an ephemeral consumer
 * without acks), every message decoded with {@link EventCodec} and checked with the default
 * {@link AnomalyRule} — the work the client does per message, without Flow, map or SSE.
 * <pre>RawPull --nats URL --stream S --count N [--ack true]</pre>
 * With {@code --ack true} the consumer wants explicit acks and every message is acked after it was
 * judged: what a detector does per measurement, without publishing anomalies.
 * Reads the stream from its start until {@code N} messages arrived and prints
 * {@code RESULT rate=<msg/s> count=<N> anomalies=<A> invalid=<I>}, timed from the first message.
 */
public final class RawPull {
    private RawPull() {
    }

    public static void main(String[] args) throws Exception {
        var a = new Args(args, 0);
        int count = a.integer("count");
        var codec = EventCodec.create();
        var rule = AnomalyRule.DEFAULT;
        boolean ack = Boolean.parseBoolean(a.text("ack", "false"));
        var done = new CountDownLatch(1);
        var state = new long[4]; // seen, anomalies, invalid, first nanos — only the dispatcher thread writes
        try (var nc = Streams.connect(a.text("nats"))) {
            var cc = nc.getStreamContext(a.text("stream")).createOrUpdateConsumer(ConsumerConfiguration.builder()
                    .ackPolicy(ack ? AckPolicy.Explicit : AckPolicy.None).deliverPolicy(DeliverPolicy.All).build());
            var consumer = cc.consume(ConsumeOptions.builder().batchSize(1024).build(), msg -> {
                if (state[0] == 0) {
                    state[3] = System.nanoTime();
                }
                try {
                    var m = codec.decodeMeasurement(msg.getData());
                    if (rule.check(msg.metaData().streamSequence(), m).isPresent()) {
                        state[1]++;
                    }
                } catch (InvalidEventException e) {
                    state[2]++;
                }
                if (ack) {
                    msg.ack();
                }
                if (++state[0] == count) {
                    done.countDown();
                }
            });
            if (!done.await(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException("read only " + state[0] + " of " + count + " messages in 300 s");
            }
            double seconds = (System.nanoTime() - state[3]) / 1e9;
            consumer.stop();
            System.out.println(String.format(Locale.ROOT, "RESULT rate=%.1f count=%d anomalies=%d invalid=%d seconds=%.3f",
                    count / seconds, count, state[1], state[2], seconds));
        }
    }
}
