package io.anomalyflow.workshop.check;

import io.anomalyflow.flow.Flows;
import io.anomalyflow.flow.testing.TckTimeouts;
import io.anomalyflow.workshop.api.MulticastStep;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.flow.IdentityFlowProcessorVerification;
import org.testng.annotations.AfterClass;

/**
 * Step 08, the TCK's processor rules: subscriber rules (§2.x) on the upstream side, publisher rules
 * (§1.x, §3.x) on the downstream side, and the processor's own (an error reaches every subscriber,
 * demand requested long ago is served). {@link MulticastStep#coordinatedEmission()} tells the TCK
 * whether the processor is lock-step or serves each subscriber on its own demand.
 *
 * <p>For the publisher rules the processor is hot: items it takes before anyone subscribed would
 * reach nobody. So the publisher the TCK tests connects the processor to its finite helper stream
 * when the first probe subscribes, as a live system starts its pipeline with the first reader.
 */
public class Step08MulticastTckTest extends IdentityFlowProcessorVerification<Integer> {
    private final MulticastStep step = Implementations.of(MulticastStep.class);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    /** The TCK with the project's timeouts. */
    public Step08MulticastTckTest() {
        super(TckTimeouts.environment(), TckTimeouts.GC_MILLIS);
    }

    /** Stops the helper publisher's threads. */
    @AfterClass
    public void shutdown() {
        executor.shutdownNow();
    }

    @Override
    protected Flow.Processor<Integer, Integer> createIdentityFlowProcessor(int bufferSize) {
        return step.create();
    }

    @Override
    public Publisher<Integer> createPublisher(long elements) {
        Flow.Processor<Integer, Integer> processor = step.create();
        var helper = FlowAdapters.toFlowPublisher(createHelperPublisher(elements));
        var connected = new AtomicBoolean();
        Flow.Publisher<Integer> connecting = subscriber -> {
            processor.subscribe(subscriber);
            if (connected.compareAndSet(false, true)) {
                helper.subscribe(processor);
            }
        };
        return FlowAdapters.toPublisher(connecting);
    }

    @Override
    protected Flow.Publisher<Integer> createFailedFlowPublisher() {
        Flow.Processor<Integer, Integer> processor = step.create();
        Flows.<Integer>error(new IllegalStateException("upstream failed")).subscribe(processor);
        return processor;
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
        return 1024; // the reference's per-subscriber buffer: a longer stream than that may overflow it
    }

    @Override
    public boolean doesCoordinatedEmission() {
        return step.coordinatedEmission();
    }
}
