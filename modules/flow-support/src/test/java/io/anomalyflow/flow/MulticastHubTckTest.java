package io.anomalyflow.flow;

import io.anomalyflow.flow.testing.TckTimeouts;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.flow.IdentityFlowProcessorVerification;
import org.testng.annotations.AfterClass;

/**
 * The TCK's processor rules for {@link MulticastHub}: subscriber rules on its upstream side,
 * publisher rules on its downstream side.
 *
 * <p>Two configurations, because the hub is hot:
 * <ul>
 *   <li>For the publisher rules ({@link #createPublisher(long)}) the TCK subscribes the hub to a
 *       finite helper stream and only then subscribes its probes; a hot hub would have dispatched
 *       those items to nobody. The hub keeps them as {@code history} and replays them, which is
 *       exactly its "late subscriber" contract, so every probe sees the whole stream.</li>
 *   <li>For the subscriber rules and the processor-specific tests, a plain hub with
 *       {@code autoCancel}: the whitebox tests expect the upstream to be cancelled once the only
 *       downstream subscriber cancels.</li>
 * </ul>
 * Buffers are larger than any TCK stream, so nothing is dropped; per-subscriber buffers mean
 * {@code doesCoordinatedEmission()} is false.
 */
public class MulticastHubTckTest extends IdentityFlowProcessorVerification<Integer> {
    private static final int MAX_ELEMENTS = 1024;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    public MulticastHubTckTest() {
        super(TckTimeouts.environment(), TckTimeouts.GC_MILLIS);
    }

    @AfterClass
    public void shutdown() {
        executor.shutdownNow();
    }

    @Override
    protected Flow.Processor<Integer, Integer> createIdentityFlowProcessor(int bufferSize) {
        return MulticastHub.<Integer>builder().bufferSize(Math.max(bufferSize, MAX_ELEMENTS))
                .prefetch(Math.max(bufferSize, 16)).autoCancel(true).build();
    }

    @Override
    public Publisher<Integer> createPublisher(long elements) {
        var hub = MulticastHub.<Integer>builder().bufferSize(MAX_ELEMENTS)
                .history((int) Math.min(elements, MAX_ELEMENTS)).build();
        FlowAdapters.toFlowPublisher(createHelperPublisher(elements)).subscribe(hub);
        return FlowAdapters.toPublisher(hub);
    }

    @Override
    protected Flow.Publisher<Integer> createFailedFlowPublisher() {
        var hub = MulticastHub.<Integer>create();
        Subscriptions.error(hub, new IllegalStateException("upstream failed"));
        return hub;
    }

    @Override
    public ExecutorService publisherExecutorService() {
        return executor;
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }

    @Override
    public long maxElementsFromPublisher() {
        return MAX_ELEMENTS;
    }

    @Override
    public boolean doesCoordinatedEmission() {
        return false;
    }
}
