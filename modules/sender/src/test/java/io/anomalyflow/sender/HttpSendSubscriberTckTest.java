package io.anomalyflow.sender;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * Whitebox TCK for {@link HttpSendSubscriber}: the real subscriber, posting the TCK's elements to a
 * {@link FakeGateway}. The probe sees each signal through a thin wrapper that forwards first and
 * reports after. The puppet's requests go straight to the subscription, beside the subscriber's own
 * ({@code concurrency} at the start, one per finished payload); its cancel is {@link HttpSendSubscriber#stop()}.
 */
public class HttpSendSubscriberTckTest extends FlowSubscriberWhiteboxVerification<Payload> {
    private FakeGateway gateway;
    private HttpClient http;
    private ScheduledExecutorService timer;

    public HttpSendSubscriberTckTest() {
        super(new TestEnvironment(Long.getLong("anomalyflow.tck.timeout", 300)));
    }

    @BeforeClass
    public void startGateway() throws Exception {
        gateway = FakeGateway.start(0);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    }

    @AfterClass
    public void stopGateway() {
        timer.shutdownNow();
        http.shutdownNow();
        gateway.close();
    }

    @Override
    protected Flow.Subscriber<Payload> createFlowSubscriber(WhiteboxSubscriberProbe<Payload> probe) {
        URI target = gateway.url().resolve("/measurements");
        var subscriber = new HttpSendSubscriber(http, target, null, Duration.ofSeconds(10), 4, 0,
                new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)), new RunStats(target, 1_000), timer, () -> 0.5);
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        subscription.request(elements);
                    }

                    @Override
                    public void signalCancel() {
                        subscriber.stop();
                    }
                });
            }

            @Override
            public void onNext(Payload item) {
                subscriber.onNext(item);
                probe.registerOnNext(item);
            }

            @Override
            public void onError(Throwable error) {
                subscriber.onError(error);
                probe.registerOnError(error);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    @Override
    public Payload createElement(int element) {
        var json = "{\"id\":\"tck-" + element + "\",\"deviceId\":\"1\",\"measurementValue\":" + element + "}";
        return new Payload(element, 1, Payload.JSON, json.getBytes(StandardCharsets.UTF_8));
    }
}
