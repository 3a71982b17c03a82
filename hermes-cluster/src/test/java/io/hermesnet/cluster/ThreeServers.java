package io.hermesnet.cluster;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.state.ClusterBackend;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.telemetry.LogGate;
import io.hermesnet.testkit.LineClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Three real HermesServers in-process on one Redis, as hermes-server's {@code --cluster} builds them
 * (a hub over {@link RedisCluster}'s log and ticks, {@link HermesServer#start}), each on 127.0.0.1:0.
 */
final class ThreeServers implements AutoCloseable {
    final List<RedisCluster> clusters = new ArrayList<>();
    final List<HermesServer> servers = new ArrayList<>();
    private final List<LineClient> clients = new ArrayList<>();

    ThreeServers(String redisUri, HermesConfig config, Duration nodeTimeout) throws IOException {
        for (int i = 0; i < 3; i++) {
            RedisCluster c = RedisCluster.open(new ClusterBackend.Settings(redisUri, "it", "node" + i, nodeTimeout));
            clusters.add(c);
            HermesHub hub = new HermesHub(config, c.stateLog(), c.ticks(), LogGate.unbounded(), HermesMetrics.NOOP);
            try {
                if (!c.awaitAvailable(Duration.ofSeconds(20))) {
                    throw new IllegalStateException("node" + i + " did not catch up with the cluster log");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            servers.add(HermesServer.start(hub, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    Transport.nio(), 1));
        }
    }

    /** A client of server {@code node}, connected, its WELCOME not yet read. */
    LineClient connect(int node) throws IOException {
        LineClient c = LineClient.connect(servers.get(node).localAddress());
        clients.add(c);
        return c;
    }

    @Override
    public void close() {
        clients.forEach(LineClient::close);
        for (int i = 0; i < servers.size(); i++) {
            servers.get(i).close();
            clusters.get(i).close();
        }
    }
}
