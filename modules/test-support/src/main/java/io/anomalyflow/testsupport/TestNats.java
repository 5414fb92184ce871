package io.anomalyflow.testsupport;

import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test side of NATS: streams named per test, and messages published straight into JetStream with
 * jnats, as the gateway would. Static helpers work on any {@link Connection}; an instance owns one
 * connection and closes it.
 *
 * <p>It takes the connection options from the caller (the apps' own, usually), so the code under test
 * sees the connection it sees in production.
 */
public final class TestNats implements AutoCloseable {
    /** Generous: the build machine is 2 cores shared by several builds. */
    public static final Duration LONG = Duration.ofSeconds(30);
    private static final AtomicInteger NAMES = new AtomicInteger();

    public final Connection nc;
    public final JetStream js;

    private TestNats(Connection nc) throws IOException {
        this.nc = nc;
        this.js = nc.jetStream();
    }

    /** A connection made with {@code options}, owned by the returned instance. */
    public static TestNats connect(Options.Builder options) throws IOException, InterruptedException {
        return new TestNats(open(options));
    }

    /** A bare connection made with {@code options}; the caller closes it. */
    public static Connection open(Options.Builder options) throws IOException, InterruptedException {
        return Nats.connect(options.build());
    }

    /** A fresh stream name and subject, unique in this JVM: {@code [name, subject]}. */
    public static String[] freshNames(String prefix) {
        int n = NAMES.incrementAndGet();
        return new String[] {prefix.toUpperCase() + "_" + n, prefix.toLowerCase() + "." + n};
    }

    public static JetStreamManagement jsm(Connection nc) {
        try {
            return nc.jetStreamManagement();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates stream {@code name} over {@code subjects}, with the apps' duplicate window (2 min) and age (24 h). */
    public static void createStream(Connection nc, String name, StorageType storage, String... subjects)
            throws IOException, JetStreamApiException {
        jsm(nc).addStream(StreamConfiguration.builder().name(name).subjects(subjects).storageType(storage)
                .maxAge(Duration.ofHours(24)).duplicateWindow(Duration.ofMinutes(2)).build());
    }

    /** A memory stream: fast, gone with the server. */
    public void createStream(String stream, String subject) throws IOException, JetStreamApiException {
        createStream(nc, stream, StorageType.Memory, subject);
    }

    /** A file-storage stream: it survives a restart of the server. */
    public void createFileStream(String stream, String subject) throws IOException, JetStreamApiException {
        createStream(nc, stream, StorageType.File, subject);
    }

    /** The payload {@link #fill} gives message {@code i} (counted from 1 on that subject). */
    public static byte[] payload(String subject, int i) {
        return (subject + "#" + i).getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * Publishes {@code count} messages on {@code subject} with plain NATS publishes (no ack round trip
     * each, so 100 000 take a second), then waits until the stream holds {@code expectedTotal}.
     */
    public static void fill(Connection nc, String stream, String subject, int count, long expectedTotal)
            throws InterruptedException, TimeoutException {
        for (int i = 1; i <= count; i++) {
            nc.publish(subject, payload(subject, i));
        }
        nc.flush(Duration.ofSeconds(10));
        await().atMost(LONG).until(() -> messageCount(nc, stream) >= expectedTotal);
    }

    /** The messages in {@code stream}, or −1 when the server does not answer. */
    public static long messageCount(Connection nc, String stream) {
        try {
            return jsm(nc).getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (IOException | JetStreamApiException e) {
            return -1;
        }
    }

    public static List<String> consumers(Connection nc, String stream) {
        try {
            return jsm(nc).getConsumerNames(stream);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes one message and returns its stream sequence. */
    public long publish(String subject, String text) throws IOException, JetStreamApiException {
        return js.publish(subject, text.getBytes(StandardCharsets.UTF_8)).getSeqno();
    }

    /** Publishes a measurement JSON for {@code device} with {@code value}; returns its stream sequence. */
    public long measurement(String subject, String device, String value) throws IOException, JetStreamApiException {
        return publish(subject, json(device, value));
    }

    /** A measurement as the sender posts it (the value written as given, e.g. {@code "-3.5e2"}). */
    public static String json(String device, String value) {
        return "{\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"" + device + "\",\"measurementValue\":" + value + "}";
    }

    /**
     * Publishes every body as fast as JetStream acknowledges, with at most {@code window} unacknowledged
     * at once; returns the stream sequences in publishing order.
     */
    public List<Long> publishAll(String subject, List<byte[]> bodies, int window) throws Exception {
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
            seqs.add(f.get(LONG.toSeconds(), TimeUnit.SECONDS).getSeqno());
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
