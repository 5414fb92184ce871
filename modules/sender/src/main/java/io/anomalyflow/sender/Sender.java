package io.anomalyflow.sender;

import io.anomalyflow.events.EventCodec;
import io.anomalyflow.flow.Flows;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Starts sender runs: the device emulator and load generator as one Flow,
 * <pre>
 *   Flows.range(0, requests)                  which request comes next (cold, emits on demand)
 *     → map(PayloadFactory::payload)          generate its measurements, encode JSON / NDJSON
 *     → HttpSendSubscriber                    POST; ≤ concurrency in flight; retry; request(1) per reply
 * </pre>
 * Demand is the only throttle: the subscriber asks for {@code concurrency} payloads and then one per
 * finished payload, so measurements are generated only when there is room to send them (nothing
 * piles up in memory, whatever {@code count} is).
 *
 * <p>Each run has its own HTTP client (HTTP/1.1; a virtual-thread executor, so a slow exchange holds
 * no platform thread) and timer; no
 * static mutable state, so several runs may share a JVM.
 */
public final class Sender {
    private Sender() {
    }

    /** Starts a run now; it proceeds in the background. */
    public static SenderRun start(SenderConfig config) {
        return start(config, InstantSource.system());
    }

    /** Starts a run whose timestamps come from {@code clock}. */
    public static SenderRun start(SenderConfig config, InstantSource clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        var runId = config.runId() != null ? config.runId() : newRunId();
        var random = config.seed() != null ? new Random(config.seed()) : new Random();
        var payloads = new PayloadFactory(new MeasurementGenerator(runId, config.devices(), random, clock),
                EventCodec.create(), config.batch(), config.count());
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        var builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance with a plain-HTTP gateway
                .executor(executor)
                .connectTimeout(min(config.requestTimeout(), Duration.ofSeconds(5)));
        if (config.trust() != null) {
            builder.sslContext(config.trust()); // host names are still checked: the JDK client always does
        }
        var http = builder.build();
        var timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("sender-timer-" + runId).factory());
        var stats = new RunStats(config.target(), config.count());
        var subscriber = new HttpSendSubscriber(http, config.target(), config.token(), config.requestTimeout(),
                config.concurrency(), config.rate(), config.retry(), stats, timer, () -> ThreadLocalRandom.current().nextDouble());
        var run = new SenderRun(runId, config, stats, subscriber, http, executor, timer);
        Flows.map(Flows.range(0, config.requests()), index -> payloads.payload(index)).subscribe(subscriber);
        return run;
    }

    /** 8 random hex digits: ids stay short and a re-run never collides within the duplicate window. */
    static String newRunId() {
        var bytes = new byte[4];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
