package io.anomalyflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** Three real nodes form a full mesh on loopback; a killed node rejoins on its old ports; nothing stays behind. */
class NatsClusterTest {

    /** The INFO line a node sends to a new client: names the cluster and, once routed, the other nodes. */
    private static String info(int port) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void threeNodesFormAMeshAndAKilledNodeRejoins() throws IOException {
        var stores = new ArrayList<Path>();
        try (var cluster = NatsCluster.start("rel-test", 3)) {
            assertThat(cluster.size()).isEqualTo(3);
            assertThat(cluster.urls().split(",")).hasSize(3).allMatch(u -> u.startsWith("nats://127.0.0.1:"));
            for (int i = 0; i < 3; i++) {
                stores.add(cluster.node(i).storeDir());
                assertThat(info(cluster.node(i).port())).contains("\"server_name\":\"rel-test-" + (i + 1) + "\"")
                        .contains("\"cluster\":\"rel-test\"").contains("\"jetstream\":true");
            }
            // connect_urls lists the client URLs of the nodes this one is routed to (and itself)
            var first = cluster.node(0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(info(first.port()))
                    .contains(":" + cluster.node(1).port()).contains(":" + cluster.node(2).port()));

            var third = cluster.node(2);
            third.kill();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(info(first.port())).doesNotContain(":" + third.port() + "\""));
            third.startAgain();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(info(first.port())).contains(":" + third.port()));
            assertThat(cluster.indexOf("rel-test-3")).isEqualTo(2);
            assertThat(cluster.indexOf("elsewhere")).isEqualTo(-1);
        }
        assertThat(stores).allSatisfy(s -> assertThat(s).doesNotExist());
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> NatsCluster.start("x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatsCluster.start("a b", 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
