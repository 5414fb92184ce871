package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.NatsServer;
import io.anomalyflow.testsupport.NatsServerConfig;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 12: NATS runs out of space under steady load, three ways, and space comes back.
 * <ul>
 *   <li>the stream's own limit: {@code max_bytes} with discard-new, raised afterwards;</li>
 *   <li>the server's JetStream limit, {@code max_file_store}, eaten by another stream that is deleted afterwards;</li>
 *   <li>a real full file system: the store on an 8 MiB tmpfs this test mounts, filled by a file that is
 *       deleted afterwards (skipped, saying why, where mounting is refused).</li>
 * </ul>
 * Each time: while full the gateway answers 503 and never leaves a request unanswered; when space
 * returns, ingest resumes by itself (nobody touches the gateway); and the ledger holds: every 200'd
 * measurement is in the stream, once, where the 200 said. One exception, recorded in the results:
 * nats-server 2.9.10 on a really full file system may stop answering altogether and stay so when the
 * space returns; then the test restarts it on its store (what an operator would do) and the rest holds.
 */
class OutOfSpaceTest {
    private static final List<String> GATEWAY = List.of("--ack-timeout", "2s", "--retry-after", "1s");
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** What makes the store full and what gives the space back. */
    private interface Squeeze {
        void fill() throws Exception;

        void free() throws Exception;

        /**
         * Whether nats-server may stay stuck after the space returned, so that only a restart on the
         * same store brings it back: seen with 2.9.10 on a full file system (JetStream stops answering,
         * even pings, and does not recover when the space returns). The limit variants must recover by themselves.
         */
        default boolean mayNeedRestart() {
            return false;
        }

        /** JetStream's words for the refusal, which the gateway's 503s while full must carry; null when it may not answer at all. */
        default String refusal() {
            return null;
        }
    }

    @Test
    void streamMaxBytesWithDiscardNew() throws Exception {
        streamMaxBytes(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void streamMaxBytesWithDiscardNewSoak() throws Exception {
        streamMaxBytes(Variant.SOAK);
    }

    @Test
    void serverMaxFileStore() throws Exception {
        serverLimit(Variant.SHORT);
    }

    @Test
    void fullFileSystem() throws Exception {
        fullFileSystem(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void fullFileSystemSoak() throws Exception {
        fullFileSystem(Variant.SOAK);
    }

    private void streamMaxBytes(Variant variant) throws Exception {
        long maxBytes = variant.pick(96L << 10, 2L << 20);
        try (var nats = NatsServer.start()) {
            // the gateway accepts an existing compatible stream: this one has a byte limit and refuses new messages beyond it
            try (var nc = StreamReadback.connect(nats.url())) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(Rig.STREAM).subjects("measurements")
                        .storageType(StorageType.File).maxAge(Duration.ofHours(24)).duplicateWindow(Duration.ofMinutes(2))
                        .maxBytes(maxBytes).discardPolicy(DiscardPolicy.New).build());
            }
            Squeeze squeeze = new Squeeze() {
                @Override
                public void fill() {
                    // the load fills it
                }

                @Override
                public void free() throws Exception {
                    try (var nc = StreamReadback.connect(nats.url())) {
                        var jsm = nc.jetStreamManagement();
                        var config = jsm.getStreamInfo(Rig.STREAM).getConfiguration();
                        jsm.updateStream(StreamConfiguration.builder(config).maxBytes(256L << 20).build());
                    }
                }

                @Override
                public String refusal() {
                    return "maximum bytes exceeded";
                }
            };
            run("stream-max-bytes", variant, nats, squeeze, "12a. stream max_bytes " + (maxBytes >> 10) + " KiB, discard new",
                    "limit raised to 256 MiB");
        }
    }

    private void serverLimit(Variant variant) throws Exception {
        try (var nats = NatsServer.start(NatsServerConfig.defaults().withMaxFileStore(4L << 20))) {
            Squeeze squeeze = new Squeeze() {
                @Override
                public void fill() throws Exception {
                    try (var nc = StreamReadback.connect(nats.url())) {
                        nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("FILLER").subjects("filler")
                                .storageType(StorageType.File).build());
                        var js = nc.jetStream();
                        var chunk = new byte[32 << 10];
                        for (int i = 0; i < 1000; i++) {
                            try {
                                js.publish("filler", chunk);
                            } catch (io.nats.client.JetStreamApiException e) {
                                return; // the server's limit is reached
                            }
                        }
                        throw new AssertionError("32 MiB went into FILLER under a 4 MiB max_file_store");
                    }
                }

                @Override
                public void free() throws Exception {
                    try (var nc = StreamReadback.connect(nats.url())) {
                        nc.jetStreamManagement().deleteStream("FILLER");
                    }
                }

                @Override
                public String refusal() {
                    return "insufficient resources";
                }
            };
            run("server-max-file-store", variant, nats, squeeze, "12b. server max_file_store 4 MiB, filled by another stream",
                    "that stream deleted");
        }
    }

    private void fullFileSystem(Variant variant) throws Exception {
        var mount = Files.createTempDirectory("anomalyflow-tmpfs-");
        var mounted = exec("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
        Assumptions.assumeTrue(mounted.isEmpty(), () -> "mount -t tmpfs refused (" + mounted.strip()
                + "): this variant needs root; the limit variants still run");
        try {
            var filler = mount.resolve("filler");
            try (var nats = NatsServer.start(NatsServerConfig.defaults().withStoreDir(mount))) {
                Squeeze squeeze = new Squeeze() {
                    @Override
                    public void fill() throws IOException {
                        try (var out = Files.newOutputStream(filler)) {
                            var chunk = new byte[64 << 10];
                            for (int i = 0; i < 1000; i++) {
                                out.write(chunk);
                            }
                            throw new AssertionError("64 MiB written on an 8 MiB tmpfs");
                        } catch (IOException e) {
                            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                                throw e;
                            }
                        }
                    }

                    @Override
                    public void free() throws IOException {
                        Files.delete(filler);
                    }

                    @Override
                    public boolean mayNeedRestart() {
                        return true;
                    }
                };
                run("full-file-system", variant, nats, squeeze, "12c. store on an 8 MiB tmpfs, filled by a file",
                        "the file deleted");
            }
        } finally {
            exec("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private void run(String name, Variant variant, NatsServer nats, Squeeze squeeze, String caseName, String relief)
            throws Exception {
        int before = variant.pick(150, 5_000);
        // A JetStream that stops answering (a full file system) makes each 503 wait out the ack timeout
        // (2 s), so 4 workers see about two a second, not the thousands a refusing JetStream gives.
        int refused = squeeze.mayNeedRestart() ? variant.pick(60, 120) : variant.pick(60, 2_000);
        int after = variant.pick(300, 10_000);
        var ledger = new Ledger();
        var restarted = new boolean[1];
        try (var rig = Rig.start(nats.url(), variant.logs(name), GATEWAY, List.of(), List.of())) {
            rig.explainFailures(nats::log, () -> {
                var settings = LoadDriver.Settings.defaults().workers(4).pace(Duration.ofMillis(5));
                try (var load = rig.load(ledger, name, settings)) {
                    load.awaitAcked(before, WAIT);
                    squeeze.fill();
                    awaitRefusals(load, refused);
                    long fullSince = System.nanoTime();
                    // stays full: more refusals (the stream is not read meanwhile: a full file system can
                    // leave JetStream's API unanswered, and the ledger says what was acknowledged)
                    awaitRefusals(load, 2L * refused);
                    long fullUntil = System.nanoTime();
                    var whileFull = ledger.attempts().stream().filter(a -> a.within(fullSince, fullUntil)).toList();
                    assertThat(whileFull.stream().filter(a -> a.status() == 200).count())
                            .as("200s while full (only a message small enough for the last bytes may fit)")
                            .isLessThanOrEqualTo(3);
                    if (squeeze.refusal() != null) {
                        // the 503 says what happened: refused, and why; not "no ack in time"
                        assertThat(whileFull).filteredOn(a -> a.status() == 503).isNotEmpty().allSatisfy(a -> assertThat(a.detail())
                                .contains("JetStream refused to store the measurement: " + squeeze.refusal())
                                .contains("it was not stored"));
                    }

                    squeeze.free();
                    long ackedAtRelief = load.acked();
                    // resumes by itself: nobody touches the gateway (nor, unless it is stuck, nats-server)
                    if (!awaitProgress(load, ackedAtRelief + 20, squeeze.mayNeedRestart() ? Duration.ofSeconds(30) : WAIT)) {
                        assertThat(squeeze.mayNeedRestart()).as("ingest resumed by itself after " + relief).isTrue();
                        nats.restart();
                        restarted[0] = true;
                    }
                    load.awaitAcked(load.acked() + after, WAIT);
                    load.stopAndJoin(Duration.ofSeconds(60));
                    assertThat(load.hangs()).as("requests left unanswered for 15 s").isZero();
                    assertThat(load.statuses().keySet()).as("statuses seen").containsOnly(200, 503);
                }
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                Results.record(caseName, variant, ledger.size() + " single POSTs, 4 workers", "full until " + relief, ledger,
                        verdict, "503 while full (" + ledger.attemptStatuses().getOrDefault(503, 0L) + " answers"
                                + (squeeze.refusal() != null ? ", each saying JetStream refused to store it: " + squeeze.refusal() : "")
                                + "), no hang; "
                                + (restarted[0] ? "nats-server stayed stuck once the space returned: ingest resumed after restarting it on its store"
                                        : "ingest resumed by itself"));
            });
        }
    }

    /** Whether at least {@code n} ids are acknowledged within {@code timeout}. */
    private static boolean awaitProgress(LoadDriver load, long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (load.acked() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static void awaitRefusals(LoadDriver load, long n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (load.statuses().getOrDefault(503, 0L) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + n + " 503s within " + WAIT + "; statuses " + load.statuses());
            }
            Thread.sleep(20);
        }
    }

    /** Runs a command; returns its output when it failed, else "". */
    private static String exec(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? "" : out.isBlank() ? "exit " + p.exitValue() : out;
    }
}
