package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.Iterator;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/** TCK for {@link Flows#fromIterable}, over a lazy iterable (the TCK asks for up to 2^63−2 elements). */
public class IterablePublisherTckTest extends FlowPublisherVerification<Long> {
    public IterablePublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return Flows.fromIterable(() -> new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < elements;
            }

            @Override
            public Long next() {
                return next++;
            }
        });
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Flows.fromIterable(() -> {
            throw new IllegalStateException("this iterable cannot iterate");
        });
    }
}
