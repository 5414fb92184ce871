package io.anomalyflow.flow.nats;

import io.anomalyflow.testsupport.TestNats;
import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.api.StorageType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * Whitebox TCK for {@link JetStreamSink}: the real sink, appending the TCK's elements to a memory
 * stream on a real nats-server. The probe sees each signal through a thin wrapper that forwards first
 * and reports after. The puppet's requests go straight to the subscription, beside the sink's own
 * (its window at the start, one per outcome, from its own thread); its cancel is {@link JetStreamSink#cancel()}.
 * Timeouts come from {@code anomalyflow.tck.timeout}, as in the other TCK classes.
 */
public class JetStreamSinkTckTest extends FlowSubscriberWhiteboxVerification<Integer> {
    private static final long TIMEOUT = Long.getLong("anomalyflow.tck.timeout", 300);

    private NatsServer server;
    private Connection nc;
    private JetStreamAppender appender;

    public JetStreamSinkTckTest() {
        super(new TestEnvironment(TIMEOUT));
    }

    @BeforeClass
    public void startNats() throws Exception {
        server = NatsServer.start();
        nc = TestNats.open(NatsConnections.options(server.url(), "flow-nats-test"));
        TestNats.createStream(nc, "SINKTCK", StorageType.Memory, "sinktck");
        appender = JetStreamAppender.create(nc, 64, Duration.ofSeconds(10));
    }

    @AfterClass(alwaysRun = true)
    public void stopNats() throws InterruptedException {
        if (appender != null) {
            appender.close();
        }
        if (nc != null) {
            nc.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        var sink = JetStreamSink.<Integer>create(appender,
                i -> new OutgoingMessage("sinktck", null, Integer.toString(i).getBytes(StandardCharsets.UTF_8)), 4, o -> { });
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                sink.onSubscribe(subscription);
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        subscription.request(elements);
                    }

                    @Override
                    public void signalCancel() {
                        sink.cancel();
                    }
                });
            }

            @Override
            public void onNext(Integer item) {
                sink.onNext(item);
                probe.registerOnNext(item);
            }

            @Override
            public void onError(Throwable error) {
                sink.onError(error);
                probe.registerOnError(error);
            }

            @Override
            public void onComplete() {
                sink.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
