package io.anomalyflow.sender;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.events.AnomalyRule;
import io.anomalyflow.events.EventCodec;
import io.anomalyflow.events.Measurement;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MeasurementGeneratorTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00.123Z");

    private static List<Measurement> generate(long seed, int devices, int count) {
        var g = new MeasurementGenerator("run1", devices, new Random(seed), InstantSource.fixed(NOW));
        var out = new ArrayList<Measurement>(count);
        for (int n = 1; n <= count; n++) {
            out.add(g.next(n));
        }
        return out;
    }

    @Test
    void idsAreRunIdDashNumberAndUnique() {
        var ms = generate(1, 10, 20_000);
        assertThat(ms).hasSize(20_000);
        assertThat(ms.get(0).id()).isEqualTo("run1-1");
        assertThat(ms.get(19_999).id()).isEqualTo("run1-20000");
        assertThat(new HashSet<>(ms.stream().map(Measurement::id).toList())).hasSize(20_000);
        assertThat(ms).allSatisfy(m -> assertThat(m.timestamp()).isEqualTo(NOW));
    }

    @Test
    void devicesAreOneToNEvenlySpread() {
        int devices = 10;
        int count = 50_000;
        var perDevice = new HashMap<String, Integer>();
        generate(7, devices, count).forEach(m -> perDevice.merge(m.deviceId(), 1, Integer::sum));
        assertThat(perDevice.keySet()).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        // expected 5 000 each; a binomial sd is ~67, so ±10 % is > 7 sd
        assertThat(perDevice.values()).allSatisfy(n -> assertThat(n).isBetween(4_500, 5_500));
    }

    @Test
    void valuesAreUniformIn0To100WithTwoDecimalsAndAboutOneInFiveIsAnAnomaly() {
        int count = 50_000;
        var ms = generate(11, 10, count);
        assertThat(ms).allSatisfy(m -> {
            assertThat(m.measurementValue()).isBetween(BigDecimal.ZERO, BigDecimal.valueOf(100));
            assertThat(m.measurementValue().scale()).isEqualTo(2);
        });
        long anomalies = ms.stream().filter(AnomalyRule.DEFAULT::isAnomaly).count();
        // P(value <= 20.00) = 2001/10001 ≈ 0.2001; sd of the share over 50 000 draws ≈ 0.0018
        assertThat(anomalies / (double) count).isBetween(0.19, 0.21);
        // uniform: each tenth of the range holds about a tenth of the values
        var deciles = new int[10];
        ms.forEach(m -> deciles[Math.min(9, m.measurementValue().intValue() / 10)]++);
        for (int d : deciles) {
            assertThat(d).isBetween(4_500, 5_500);
        }
    }

    @Test
    void theSameSeedGivesTheSameDevicesAndValues() {
        var a = generate(99, 10, 1_000);
        var b = generate(99, 10, 1_000);
        var c = generate(100, 10, 1_000);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void payloadsCutTheRunIntoBatchesAndEncodeIt() throws Exception {
        var codec = EventCodec.create();
        var g = new MeasurementGenerator("r", 3, new Random(1), InstantSource.fixed(NOW));
        var batches = new PayloadFactory(g, codec, 4, 10);
        var first = batches.payload(0);
        var last = batches.payload(2);
        assertThat(first.contentType()).isEqualTo(Payload.NDJSON);
        assertThat(first.size()).isEqualTo(4);
        assertThat(last.firstIndex()).isEqualTo(8);
        assertThat(last.size()).isEqualTo(2);
        var decoded = codec.decodeNdjson(last.body());
        assertThat(decoded).extracting(Measurement::id).containsExactly("r-9", "r-10");

        var single = new PayloadFactory(g, codec, 1, 3).payload(2);
        assertThat(single.contentType()).isEqualTo(Payload.JSON);
        assertThat(codec.decodeMeasurement(single.body()).id()).isEqualTo("r-3");
    }
}
