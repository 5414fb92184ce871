package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * TCK for {@link Flows#filter}: it drops every odd number of a range twice as long as needed, so
 * half of all items exercise the replenishing {@code request(1)}. (For element counts above
 * 2^62 the range is cut at {@code Long.MAX_VALUE}; the TCK never consumes that many.)
 */
public class FilterPublisherTckTest extends FlowPublisherVerification<Long> {
    public FilterPublisherTckTest() {
        super(TckTimeouts.synchronousEnvironment(), TckTimeouts.GC_MILLIS);
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        long count = elements <= Long.MAX_VALUE / 2 ? elements * 2 : Long.MAX_VALUE;
        return Flows.filter(Flows.range(0, count), n -> n % 2 == 0);
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return Flows.filter(Flows.error(new IllegalStateException("failed source")), n -> true);
    }
}
