package io.anomalyflow.reliability;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.InvalidEventException;
import io.anomalyflow.testsupport.AnomalyLedger;
import io.anomalyflow.testsupport.AppProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Detector processes of one group ({@code --group detectors}) reading {@value Rig#STREAM} and writing
 * {@value #OUT_STREAM}, each a real {@link AppProcess} on its own port, logging under
 * {@code <logs>/detector-<i>/}. The group's state lives in its durable consumer on the server, so a
 * detector killed and started again is simply one more member. {@link #close()} stops them all.
 */
final class DetectorGroup implements AutoCloseable {
    static final String GROUP = "detectors";
    static final String OUT_STREAM = "ANOMALIES";

    private final List<AppProcess> detectors;
    private final List<URI> urls;

    private DetectorGroup(List<AppProcess> detectors, List<URI> urls) {
        this.detectors = detectors;
        this.urls = urls;
    }

    /** Starts {@code n} detectors with {@code --nats natsUrl} and {@code args}, and waits until each says 200. */
    static DetectorGroup start(int n, String natsUrl, Path logs, List<String> args) throws Exception {
        var group = new DetectorGroup(new ArrayList<>(), new ArrayList<>());
        try {
            for (int i = 1; i <= n; i++) {
                int port = AppProcess.freePort();
                var all = new ArrayList<>(List.of("--nats", natsUrl, "--port", Integer.toString(port), "--group", GROUP));
                all.addAll(args);
                group.detectors.add(AppProcess.start("detector", logs.resolve("detector-" + i), List.of(), all));
                group.urls.add(URI.create("http://127.0.0.1:" + port));
            }
            for (int i = 0; i < n; i++) {
                group.awaitHealthy(i);
            }
            return group;
        } catch (Exception | AssertionError e) {
            group.close();
            throw e;
        }
    }

    int size() {
        return detectors.size();
    }

    /** {@code kill -9} of detector {@code i}: whatever it pulled and did not ack goes to the others after the ack wait. */
    void kill(int i) {
        detectors.get(i).kill();
    }

    /** Starts detector {@code i} again (same port, same group) and waits for its health. */
    void startAgain(int i) throws Exception {
        detectors.get(i).startAgain();
        awaitHealthy(i);
    }

    /** The sum of counter {@code name} of detector {@code i} since its last start, or 0 when it does not answer. */
    long counter(HttpClient http, int i, String name) throws InterruptedException {
        try {
            return (long) Probes.metric(http, urls.get(i), name);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The rule applied to a stored message, for {@link AnomalyLedger#check}: poison is no anomaly. */
    static boolean isAnomaly(EventCodec codec, AnomalyRule rule, byte[] data) {
        try {
            return rule.isAnomaly(codec.decodeMeasurement(data));
        } catch (InvalidEventException e) {
            return false;
        }
    }

    /** The tail of every detector's current log. */
    String logs() {
        var sb = new StringBuilder();
        for (int i = 0; i < detectors.size(); i++) {
            sb.append("\n===== detector-").append(i + 1).append(" =====\n").append(detectors.get(i).log());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        detectors.forEach(AppProcess::close);
    }

    private void awaitHealthy(int i) throws InterruptedException {
        detectors.get(i).awaitHttp(urls.get(i).resolve("/health"), Rig.START_TIMEOUT);
    }
}
