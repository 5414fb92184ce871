package io.anomalyflow.client;

import io.anomalyflow.flow.nats.NatsConnections;
import io.anomalyflow.flow.nats.StreamSetup;
import io.anomalyflow.flow.nats.StreamSpec;
import io.anomalyflow.testsupport.NatsServer;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test side of NATS: a connection, streams named per test (so tests in one class never share
 * one), and publishing straight into the stream with jnats, as the gateway would.
 */
final class TestNats implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    final Connection nc;
    final JetStream js;

    private TestNats(Connection nc) throws IOException {
        this.nc = nc;
        this.js = nc.jetStream();
    }

    static TestNats connect(NatsServer server) throws IOException, InterruptedException {
        return new TestNats(Nats.connect(NatsConnections.options(server.url(), "client-test").build()));
    }

    /** A fresh stream name and subject, unique in this JVM: {@code [name, subject]}. */
    static String[] freshNames(String prefix) {
        int n = NAMES.incrementAndGet();
        return new String[] {prefix.toUpperCase() + "_" + n, prefix.toLowerCase() + "." + n};
    }

    void createStream(String stream, String subject) throws Exception {
        StreamSetup.ensure(nc.jetStreamManagement(), StreamSpec.of(stream, subject).withStorage(StorageType.Memory));
    }

    /** A file-storage stream: it survives a restart of the server. */
    void createFileStream(String stream, String subject) throws Exception {
        StreamSetup.ensure(nc.jetStreamManagement(), StreamSpec.of(stream, subject));
    }

    /** Publishes one message and returns its stream sequence. */
    long publish(String subject, String json) throws Exception {
        return js.publish(subject, json.getBytes(StandardCharsets.UTF_8)).getSeqno();
    }

    /** Publishes a measurement JSON for {@code device} with {@code value}; returns its stream sequence. */
    long measurement(String subject, String device, String value) throws Exception {
        return publish(subject, json(device, value));
    }

    static String json(String device, String value) {
        return "{\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"" + device + "\",\"measurementValue\":" + value + "}";
    }

    /**
     * Publishes every body as fast as JetStream acknowledges, with at most {@code window} unacknowledged
     * at once; returns the stream sequences in publishing order.
     */
    List<Long> publishAll(String subject, List<byte[]> bodies, int window) throws Exception {
        var seqs = new ArrayList<Long>(bodies.size());
        var inFlight = new ArrayList<CompletableFuture<PublishAck>>(window);
        for (var body : bodies) {
            inFlight.add(js.publishAsync(subject, body));
            if (inFlight.size() == window) {
                drain(inFlight, seqs);
            }
        }
        drain(inFlight, seqs);
        return seqs;
    }

    private static void drain(List<CompletableFuture<PublishAck>> inFlight, List<Long> seqs) throws Exception {
        for (var f : inFlight) {
            seqs.add(f.get(30, TimeUnit.SECONDS).getSeqno());
        }
        inFlight.clear();
    }

    @Override
    public void close() {
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
