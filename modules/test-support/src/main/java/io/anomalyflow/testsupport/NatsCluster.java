package io.anomalyflow.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A cluster of real {@code nats-server -js} processes on loopback, each a {@link NatsServer} with
 * its own free client port, its own free cluster (route) port and its own temporary store. Every
 * node names every other one in {@code --routes}, so the full mesh forms however the nodes come
 * up, and a node started again on its old ports and store ({@link #node(int)}{@code .startAgain()})
 * rejoins by itself.
 *
 * <p>"Server is ready" (what {@link NatsServer} waits for) means a node accepts clients; the
 * JetStream meta group elects its leader a few seconds later. Callers that need JetStream wait
 * for it with their own client (this module has no NATS client library on purpose).
 *
 * <p>{@link #close()} kills every node and deletes every store.
 */
public final class NatsCluster implements AutoCloseable {
    private final String name;
    private final List<NatsServer> nodes;

    private NatsCluster(String name, List<NatsServer> nodes) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Starts {@code size} clustered nodes named {@code <clusterName>-1…n}. A port taken between choosing
     * and binding fails one node; the whole cluster is then tried again with new ports (up to 3 times).
     */
    public static NatsCluster start(String clusterName, int size) {
        if (size < 1 || size > 9) {
            throw new IllegalArgumentException("a test cluster has 1 to 9 nodes: " + size);
        }
        if (!clusterName.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a cluster name is letters, digits, '_' and '-': " + clusterName);
        }
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            var routePorts = freePorts(size);
            var started = new ArrayList<NatsServer>();
            try {
                for (int i = 0; i < size; i++) {
                    started.add(NatsServer.start(nodeArgs(clusterName, i, routePorts)));
                }
                return new NatsCluster(clusterName, started);
            } catch (RuntimeException e) {
                started.forEach(NatsServer::close);
                last = e;
            }
        }
        throw last;
    }

    /** The cluster's name ({@code --cluster_name}). */
    public String name() {
        return name;
    }

    /** The server name of node {@code i} (0-based), as JetStream reports leaders: {@code <cluster>-<i+1>}. */
    public String serverName(int i) {
        return name + "-" + (i + 1);
    }

    /** Node {@code i} (0-based). */
    public NatsServer node(int i) {
        return nodes.get(i);
    }

    /** The index of the node called {@code serverName}, or -1. */
    public int indexOf(String serverName) {
        for (int i = 0; i < nodes.size(); i++) {
            if (serverName(i).equals(serverName)) {
                return i;
            }
        }
        return -1;
    }

    public int size() {
        return nodes.size();
    }

    /** Every node's client URL, comma-separated: what the apps' {@code --nats} / {@code NATS_URL} take. */
    public String urls() {
        return nodes.stream().map(NatsServer::url).collect(Collectors.joining(","));
    }

    /** The last lines each node printed, one after the other (for failure messages). */
    public String logs() {
        var sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            sb.append("----- ").append(serverName(i)).append(" -----\n").append(nodes.get(i).log()).append('\n');
        }
        return sb.toString();
    }

    /** Kills every node and deletes every store. */
    @Override
    public void close() {
        nodes.forEach(NatsServer::close);
    }

    @Override
    public String toString() {
        return "NatsCluster[" + name + ", " + nodes + "]";
    }

    private static List<String> nodeArgs(String clusterName, int i, int[] routePorts) {
        var routes = new ArrayList<String>();
        for (int j = 0; j < routePorts.length; j++) {
            if (j != i) {
                routes.add("nats://127.0.0.1:" + routePorts[j]);
            }
        }
        var args = new ArrayList<>(List.of(
                "--server_name", clusterName + "-" + (i + 1),
                "--cluster_name", clusterName,
                "--cluster", "nats://127.0.0.1:" + routePorts[i]));
        if (!routes.isEmpty()) {
            args.addAll(List.of("--routes", String.join(",", routes)));
        }
        return args;
    }

    /** Distinct free loopback ports: all sockets are held open until every port is chosen. */
    private static int[] freePorts(int count) {
        var sockets = new ArrayList<ServerSocket>();
        try {
            var ports = new int[count];
            for (int i = 0; i < count; i++) {
                var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (var s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a closing probe socket has nothing to tell us
                }
            }
        }
    }
}
