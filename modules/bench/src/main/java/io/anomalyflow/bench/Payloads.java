package io.anomalyflow.bench;

import java.nio.charset.StandardCharsets;

/**
 * The measurements every load of the system part sends, the size of a sensor's reading:
 * {@code {"timestamp":"2026-11-26T12:00:00.123Z","deviceId":"7","measurementValue":42.5}}, 76–80
 * bytes, with one value in five at or below 20 (an anomaly). {@link #POOL} distinct bodies are built
 * once, so generating load costs the harness nothing but the write.
 */
final class Payloads {
    static final int POOL = 1000;
    private static final byte[][] BODIES = new byte[POOL][];
    private static final byte[][] BODIES_40 = new byte[POOL][];

    static {
        for (int i = 0; i < POOL; i++) {
            BODIES[i] = json(Integer.toString(i % 10), value(i)).getBytes(StandardCharsets.UTF_8);
            BODIES_40[i] = json(Integer.toString(i % 10), value40(i)).getBytes(StandardCharsets.UTF_8);
        }
    }

    private Payloads() {
    }

    /** Body {@code i mod POOL}. */
    static byte[] body(int i) {
        return BODIES[Math.floorMod(i, POOL)];
    }

    /** Body {@code i mod POOL} of the detector's load, where two values in five are anomalies ({@link #value40}). */
    static byte[] body40(int i) {
        return BODIES_40[Math.floorMod(i, POOL)];
    }

    /** {@code 0.5 … 49.5}: {@code (i·37 mod 50) + 0.5}, so exactly 20 of every 50 consecutive bodies are anomalies. */
    static String value40(int i) {
        return Math.floorMod(i * 37, 50) + ".5";
    }

    /** {@code 0.5 … 99.5}: {@code (i·37 mod 100) + 0.5}, so exactly 20 of every 100 consecutive bodies are anomalies. */
    static String value(int i) {
        return Math.floorMod(i * 37, 100) + ".5";
    }

    static String json(String deviceId, String value) {
        return "{\"timestamp\":\"2026-11-26T12:00:00.123Z\",\"deviceId\":\"" + deviceId + "\",\"measurementValue\":" + value + "}";
    }

    /** {@code count} bodies as one NDJSON document, starting at body {@code first}. */
    static byte[] ndjson(int first, int count) {
        var sb = new StringBuilder(count * 82);
        for (int i = 0; i < count; i++) {
            sb.append(new String(body(first + i), StandardCharsets.UTF_8)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
