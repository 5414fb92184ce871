package io.anomalyflow.sender;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * The closing account of a {@link SenderRun}. Counts are measurements. Every measurement of the run
 * ends in exactly one of: acknowledged, rejected, failed, or not sent (the run was stopped first), so
 * {@code acknowledged + rejected + failed + notSent() == total}.
 *
 * <p>Latency is per request (one POST, single or batch) from its start to the acknowledgement,
 * including retries and backoff; with a paced rate it starts at the request's scheduled time, so a
 * sender that falls behind its schedule shows it in the latency (no coordinated omission).
 *
 * @param target the URL the measurements were posted to
 * @param requests requests acknowledged (the number of latency samples)
 * @param lastError the last reason a request was refused or given up on, or {@code null}
 */
public record Summary(URI target, long total, long sent, long acknowledged, long duplicates, long rejected,
                      long failed, long retries, long requests, Duration duration,
                      Duration latencyP50, Duration latencyP99, Duration latencyMax, String lastError) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Measurements never generated: the run was stopped before it got to them. */
    public long notSent() {
        return total - sent;
    }

    /** Measurements without an acknowledgement: rejected, failed or not sent. */
    public long notAcknowledged() {
        return total - acknowledged;
    }

    public boolean allAcknowledged() {
        return acknowledged == total;
    }

    /** 0 when every measurement was acknowledged, else 1. */
    public int exitStatus() {
        return allAcknowledged() ? 0 : 1;
    }

    /** Acknowledged measurements per second over the whole run. */
    public double rate() {
        double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : acknowledged / seconds;
    }

    /** The human summary the CLI prints at the end. */
    public String toText() {
        var s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "sender: %d measurements to %s in %.2f s%n", total, target, duration.toNanos() / 1e9));
        s.append(row("sent", sent, null));
        s.append(row("acknowledged", acknowledged, duplicates + (duplicates == 1 ? " duplicate" : " duplicates")));
        s.append(row("rejected", rejected, null));
        s.append(row("failed", failed, null));
        if (notSent() > 0) {
            s.append(row("not sent", notSent(), null));
        }
        s.append(row("retries", retries, null));
        s.append(String.format(Locale.ROOT, "  %-13s %9.0f measurements/s%n", "rate", rate()));
        s.append(String.format(Locale.ROOT, "  %-13s p50 %s  p99 %s  max %s  (per request, %d requests)%n",
                "latency", millis(latencyP50), millis(latencyP99), millis(latencyMax), requests));
        if (lastError != null) {
            s.append(String.format("  %-13s %s%n", "last error", lastError));
        }
        s.append(allAcknowledged() ? "result: all acknowledged" : "result: " + notAcknowledged() + " NOT acknowledged");
        return s.toString();
    }

    /** The same as one JSON object ({@code --json}), e.g. for scripts and the end-to-end test. */
    public String toJson() {
        var m = new LinkedHashMap<String, Object>();
        m.put("target", target.toString());
        m.put("total", total);
        m.put("sent", sent);
        m.put("acknowledged", acknowledged);
        m.put("duplicates", duplicates);
        m.put("rejected", rejected);
        m.put("failed", failed);
        m.put("notSent", notSent());
        m.put("retries", retries);
        m.put("requests", requests);
        m.put("durationMs", duration.toMillis());
        m.put("rate", Math.round(rate() * 10) / 10.0);
        m.put("latencyP50Ms", latencyP50.toNanos() / 1e6);
        m.put("latencyP99Ms", latencyP99.toNanos() / 1e6);
        m.put("latencyMaxMs", latencyMax.toNanos() / 1e6);
        m.put("lastError", lastError);
        m.put("allAcknowledged", allAcknowledged());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen for strings and numbers", e);
        }
    }

    private static String row(String name, long value, String note) {
        return String.format(Locale.ROOT, "  %-13s %9d%s%n", name, value, note == null ? "" : "  (" + note + ")");
    }

    static String millis(Duration d) {
        double ms = d.toNanos() / 1e6;
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.2f ms", ms);
    }
}
