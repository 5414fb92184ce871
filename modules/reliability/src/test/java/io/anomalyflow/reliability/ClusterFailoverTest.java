package io.anomalyflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.anomalyflow.reliability.Ledger.Outcome;
import io.anomalyflow.testsupport.NatsCluster;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Case 8: three nats-servers clustered on loopback, the stream at 3 replicas (the gateway creates it
 * so, {@code --replicas 3}). Under load, {@code kill -9} the stream's leader, let the cluster elect
 * another, then start the killed node again on its store and wait until it is a current replica
 * again. No acknowledged message is lost, ingest resumes by itself within seconds (measured: from
 * the kill to the first new acknowledgement), and every id ends stored once. The short variant (one
 * kill, about 3 000 POSTs) runs in {@code make test}; the soak variant kills twice, with 5 000
 * acknowledgements between the steps.
 */
class ClusterFailoverTest {
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void killTheStreamLeaderUnderLoad() throws Exception {
        killTheLeader(Variant.SHORT);
    }

    @Test
    @Tag("soak")
    void killTheStreamLeaderUnderLoadSoak() throws Exception {
        killTheLeader(Variant.SOAK);
    }

    private static void killTheLeader(Variant variant) throws Exception {
        int rounds = variant.pick(1, 2);
        int between = variant.pick(1_000, 5_000);
        var ledger = new Ledger();
        try (var cluster = NatsCluster.start("reliability", 3)) {
            awaitJetStream(cluster);
            try (var rig = Rig.start(cluster.urls(), variant.logs("cluster-failover"), List.of("--replicas", "3"),
                    List.of(), List.of());
                 var nc = StreamReadback.connect(cluster.urls())) {
                rig.explainFailures(cluster::logs, () -> {
                    var resumed = new ArrayList<Long>();
                    var settings = LoadDriver.Settings.defaults().workers(4).pace(Duration.ofMillis(2))
                            .retries(300, Duration.ofMillis(200));
                    try (var load = rig.load(ledger, "cluster", settings)) {
                        for (int round = 0; round < rounds; round++) {
                            load.awaitAcked(load.acked() + between, Duration.ofSeconds(120));
                            var leader = leader(nc);
                            int index = cluster.indexOf(leader);
                            assertThat(index).as("the leader %s is one of ours", leader).isNotNegative();
                            long ackedAtKill = load.acked();
                            long killed = System.nanoTime();
                            cluster.node(index).kill();
                            load.awaitAcked(ackedAtKill + 50, ELECTION_TIMEOUT);
                            resumed.add(Duration.ofNanos(firstAckAfter(ledger, killed) - killed).toMillis());
                            assertThat(leader(nc)).as("a new leader").isNotEqualTo(leader);
                            load.awaitAcked(load.acked() + between, Duration.ofSeconds(120));
                            cluster.node(index).startAgain();
                            awaitCurrentReplicas(nc, 3);
                        }
                        load.awaitAcked(load.acked() + between, Duration.ofSeconds(120));
                        load.stopAndJoin(Duration.ofSeconds(120));
                    }
                    var verdict = rig.settleAndCheck(ledger);
                    verdict.assertClean();
                    assertThat(ledger.count(Outcome.ACKED)).as("every id acknowledged in the end").isEqualTo(ledger.size());
                    Results.record("8. 3-node cluster, kill -9 the stream leader", variant,
                            ledger.size() + " single POSTs, 4 workers, retried with the same id, stream R3",
                            rounds + " leader kill(s), each node back on its store", ledger, verdict,
                            "ingest resumed " + resumed + " ms after each kill; killed node current again each time");
                });
            }
        }
    }

    /** Waits until JetStream answers on the cluster: its meta leader is elected. */
    private static void awaitJetStream(NatsCluster cluster) throws Exception {
        try (var nc = StreamReadback.connect(cluster.urls())) {
            long deadline = System.nanoTime() + ELECTION_TIMEOUT.toNanos();
            while (true) {
                try {
                    nc.jetStreamManagement().getAccountStatistics();
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("JetStream not ready on " + cluster.urls() + " after " + ELECTION_TIMEOUT, e);
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    /** The server name of the stream's leader, once there is one. */
    private static String leader(Connection nc) throws Exception {
        long deadline = System.nanoTime() + ELECTION_TIMEOUT.toNanos();
        while (true) {
            try {
                var leader = StreamReadback.info(nc, Rig.STREAM).getClusterInfo().getLeader();
                if (leader != null && !leader.isEmpty()) {
                    return leader;
                }
            } catch (Exception e) {
                // no leader for the moment: the election is under way
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no stream leader within " + ELECTION_TIMEOUT);
            }
            Thread.sleep(250);
        }
    }

    /** Waits until the stream has a leader and {@code replicas - 1} followers that are current. */
    private static void awaitCurrentReplicas(Connection nc, int replicas) throws Exception {
        long deadline = System.nanoTime() + ELECTION_TIMEOUT.toNanos();
        String last = "no info";
        while (System.nanoTime() < deadline) {
            try {
                var cluster = StreamReadback.info(nc, Rig.STREAM).getClusterInfo();
                var followers = cluster.getReplicas() == null ? List.<io.nats.client.api.Replica>of() : cluster.getReplicas();
                last = "leader " + cluster.getLeader() + ", replicas " + followers.stream()
                        .map(r -> r.getName() + (r.isCurrent() ? " current" : " behind") + (r.isOffline() ? " offline" : ""))
                        .toList();
                if (cluster.getLeader() != null && followers.size() == replicas - 1
                        && followers.stream().allMatch(r -> r.isCurrent() && !r.isOffline())) {
                    return;
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("stream replicas not all current within " + ELECTION_TIMEOUT + ": " + last);
    }

    /** When the first acknowledgement of a request sent after {@code nanos} arrived. */
    private static long firstAckAfter(Ledger ledger, long nanos) {
        return ledger.attempts().stream().filter(a -> a.outcome() == Outcome.ACKED && a.sentNanos() > nanos)
                .mapToLong(Ledger.Attempt::answeredNanos).min().orElseThrow();
    }
}
