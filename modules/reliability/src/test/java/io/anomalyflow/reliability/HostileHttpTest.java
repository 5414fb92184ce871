package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.testsupport.RawHttp;
import io.anomalyflow.reliability.Ledger.Outcome;
import io.anomalyflow.testsupport.NatsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 9: hostile HTTP against both servers (the gateway's POST, the client's GETs), while ordinary
 * load keeps flowing: header floods (10 000 headers, a 1 MiB header, a 64 KiB request line), request
 * smuggling attempts (Content-Length against Transfer-Encoding, two Content-Lengths, obfuscated
 * Transfer-Encoding, an overflowing chunk size, signed and huge lengths), slowloris on headers and on
 * the body (a byte a second), absurd request lines and paths.
 *
 * <p>Each attempt must be answered with a 4xx or have its connection closed, within a bound; none
 * may get a 2xx or a 5xx. A measurement hidden behind a smuggling attempt must never be stored (the
 * ledger holds every id in the hostile bytes as "rejected"). Meanwhile the ordinary load sees only
 * 200s, and the ledger of the whole run is clean.
 */
class HostileHttpTest {
    /** The gateway's read timeout here; its JDK server closes stalled requests 5 s after it. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Ledger ledger = new Ledger();

    @Test
    void hostileRequestsAreRefusedAndOthersAreServed() throws Exception {
        hostile(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void hostileRequestsAreRefusedAndOthersAreServedSoak() throws Exception {
        hostile(Variant.SOAK);
    }

    private void hostile(Variant variant) throws Exception {
        int rounds = variant.pick(1, 20);
        try (var nats = NatsServer.start();
             var rig = Rig.start(nats.url(), variant.logs("hostile-http"),
                     List.of("--read-timeout", READ_TIMEOUT.toMillis() + "ms"), List.of(), List.of());
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var hostile = new HostileRequests(ledger);
            rig.explainFailures(() -> {
                var failures = new ConcurrentHashMap<String, RawHttp.Reply>();
                var replies = new ConcurrentHashMap<String, RawHttp.Reply>();
                var settings = LoadDriver.Settings.defaults().workers(2).pace(Duration.ofMillis(10));
                try (var load = rig.load(ledger, "ordinary", settings)) {
                    for (int round = 0; round < rounds; round++) {
                        var futures = new ArrayList<Future<?>>();
                        for (var probe : hostile.all(rig.gatewayUrl.getPort(), rig.clientUrl.getPort(), round)) {
                            futures.add(pool.submit(() -> {
                                var reply = RawHttp.exchange(probe.port(), probe.bytes(), probe.atOnce(), probe.pace(),
                                        QUIET, DEADLINE);
                                replies.put(probe.name(), reply);
                                if (!(probe.mustRefuse() ? reply.refused() : reply.bounded())) {
                                    failures.put(probe.name(), reply);
                                }
                                return null;
                            }));
                        }
                        for (var f : futures) {
                            f.get();
                        }
                        // the servers still serve others
                        assertThat(Probes.status(rig.http, rig.gatewayUrl.resolve("/health"))).isEqualTo(200);
                        assertThat(Probes.status(rig.http, rig.clientUrl.resolve("/health"))).isEqualTo(200);
                    }
                    load.awaitAcked(load.acked() + 50, Duration.ofSeconds(60));
                    load.stopAndJoin(Duration.ofSeconds(60));
                    assertThat(load.statuses().keySet()).as("the ordinary load, meanwhile").containsOnly(200);
                }
                replies.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> System.out.println("PROBE " + e.getKey() + ": " + e.getValue()));
                assertThat(failures).as("hostile requests that were not refused (4xx or closed)").isEmpty();
                var slow = replies.entrySet().stream().filter(e -> e.getKey().contains("slowloris")).sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey().substring("slowloris: ".length()) + " cut after "
                                + e.getValue().elapsed().toSeconds() + " s" + e.getValue().statuses()).toList();
                assertThat(replies.entrySet()).as("slowloris cut off").filteredOn(e -> e.getKey().contains("slowloris"))
                        .allSatisfy(e -> assertThat(e.getValue().closed() || e.getValue().sendFailed())
                                .as(e.getKey() + ": " + e.getValue()).isTrue());
                var verdict = rig.settleAndCheck(ledger);
                verdict.assertClean();
                Results.record("9. hostile HTTP", variant,
                        replies.size() + " kinds of hostile request x " + rounds + " round(s) on both servers, with "
                                + ledger.count(Outcome.ACKED) + " ordinary POSTs alongside",
                        "header floods, smuggling, slowloris, absurd paths", ledger, verdict,
                        "every one answered 4xx or closed; none of the " + hostile.hiddenIds() + " ids hidden in them stored"
                                + " (held as rejected); slowloris " + String.join(", ", slow));
            });
        }
    }
}
