package io.anomalyflow.sender;

import io.anomalyflow.flow.Flows;
import java.time.Duration;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * TCK for {@link RunEvents}, the sender's one-thread-per-subscription publisher: a run that goes on
 * for the whole class (a gateway that holds every request a second), its events every millisecond,
 * cut to the TCK's element count by {@link Flows#take} (a run's own length is not ours to choose).
 * Demand, cancellation and {@code request(n ≤ 0)} reach {@code RunEvents} as the TCK sent them.
 */
public class RunEventsTckTest extends FlowPublisherVerification<RunEvent> {
    private FakeGateway gateway;
    private SenderRun run;

    public RunEventsTckTest() {
        super(new TestEnvironment(Long.getLong("anomalyflow.tck.timeout", 300)));
    }

    @BeforeClass
    public void startRun() throws Exception {
        gateway = FakeGateway.start(1_000);
        run = Sender.start(SenderConfig.builder().gateway(gateway.url()).count(1_000_000).concurrency(2).build());
    }

    @AfterClass
    public void stopRun() {
        run.close();
        gateway.close();
    }

    @Override
    public Flow.Publisher<RunEvent> createFlowPublisher(long elements) {
        return Flows.take(RunEvents.of(run, Duration.ofMillis(1)), elements);
    }

    @Override
    public Flow.Publisher<RunEvent> createFailedFlowPublisher() {
        return null; // a run's view has no failure of its own
    }

    @Override
    public long maxElementsFromPublisher() {
        return 1_000; // one event a millisecond: the TCK's larger counts would only wait
    }
}
